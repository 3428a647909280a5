/**
 * Translation models behind one interface (Translator), so the task, the recipes, the decoding and
 * `shinsou translate` treat them alike.
 *
 * seq2seq without attention (Sutskever et al. 2014; the conditioned decoder of Cho et al. 2014):
 *   encoder  h^t = LSTM(h^{t-1}, e(x^t)),  c = h^S (the state after the last source token)
 *   decoder  s^0 = tanh(W_init c + b_init),  s^m = LSTM(s^{m-1}, [e(y^{m-1}); c]),
 *            p(y^m | y^{<m}, x) = softmax(W_out s^m + b_out)
 * The whole sentence must pass through the one vector c: the bottleneck that attention removes.
 * The decoder is the dialogue family's ConditionedDecoder (src/models/dialogue/models.ts).
 *
 * Transformer (Vaswani et al., "Attention Is All You Need", 2017): nn.Transformer (post-norm,
 * ReLU) over x = E[w] · sqrt(d) + PE (sinusoidal positions), one embedding E shared by source,
 * target and the output layer (sec. 3.4; the vocabulary is joint), logits = y E^T + b:
 *   encoder   z = Encoder(x_src)                       (self-attention over the source, padding masked)
 *   decoder   y^m = Decoder(x_tgt^{≤m}, z)              (causal self-attention, attention over z)
 *   Attention(Q, K, V) = softmax(Q K^T / sqrt(d_k)) V, with h heads.
 * Decoding re-runs the decoder over the prefix at every step (no key/value cache: clear, and
 * verses are short).
 */
import { Tensor } from '../../tensor/tensor.js';
import { Module } from '../../nn/module.js';
import { Embedding, Dropout } from '../../nn/layers/basic.js';
import { LSTM } from '../../nn/layers/recurrent.js';
import { Linear } from '../../nn/layers/linear.js';
import { Transformer } from '../../nn/layers/transformer.js';
import { PositionalEncoding } from '../../nn/layers/positional.js';
import { tieWeights } from '../../nn/tie.js';
import { normal_ } from '../../nn/init.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { indexSelect, mul, reshape, narrow } from '../../ops/index.js';
import type { StepDecoder } from '../decoding.js';
import { ConditionedDecoder, lastStep, type DecoderState } from '../dialogue/models.js';
import type { TranslationBatch } from './batch.js';

export type TranslatorKind = 'seq2seq' | 'transformer';

/** What every translation model offers the task and the decoder. */
export interface Translator extends Module<[TranslationBatch], Tensor> {
  readonly kind: TranslatorKind;
  /** Logits [tokens, V] of the batch's target tokens (rows in the order of batch.targetPacked). */
  forward(batch: TranslationBatch): Tensor;
  /** The decoder's start state for sources src int32 [S, B] with their lengths. */
  startState(src: Tensor, lengths: Int32Array): unknown;
  /** The one-step decoder decode() drives (src/models/decoding.ts). */
  stepDecoder(): Required<StepDecoder<unknown>>;
}

export interface Seq2SeqTranslatorOptions {
  vocabSize: number;
  /** Embedding size of both sides (default 256). */
  embedSize?: number;
  /** Encoder and decoder LSTM state size (default 512). */
  hiddenSize?: number;
  /** Dropout on embeddings and decoder outputs (default 0.2). */
  dropout?: number;
}

/** The LSTM encoder-decoder without attention (see the module comment). */
export class Seq2SeqTranslator extends Module<[TranslationBatch], Tensor> implements Translator {
  readonly kind = 'seq2seq' as const;
  readonly srcEmbedding: Embedding;
  readonly tgtEmbedding: Embedding;
  readonly encoder: LSTM;
  readonly decoder: ConditionedDecoder;
  readonly drop: Dropout;

  constructor(readonly opts: Seq2SeqTranslatorOptions) {
    super();
    const E = opts.embedSize ?? 256;
    const H = opts.hiddenSize ?? 512;
    const p = opts.dropout ?? 0.2;
    this.srcEmbedding = this.module('srcEmbedding', new Embedding(opts.vocabSize, E));
    this.tgtEmbedding = this.module('tgtEmbedding', new Embedding(opts.vocabSize, E));
    this.encoder = this.module('encoder', new LSTM(E, H));
    this.decoder = this.module('decoder', new ConditionedDecoder(E, H, H, opts.vocabSize, 'lstm', p));
    this.drop = this.module('drop', new Dropout(p));
  }

  /** c = h^S: the encoder's top state at each source's last token, [B, H]. */
  encode(src: Tensor, lengths: Int32Array): Tensor {
    return lastStep(this.encoder.forward(this.drop.forward(this.srcEmbedding.forward(src))).output, lengths);
  }

  forward(batch: TranslationBatch): Tensor {
    const cond = this.encode(batch.src, batch.srcLengths);
    const emb = this.drop.forward(this.tgtEmbedding.forward(batch.decoderInput));
    return this.decoder.forward(emb, cond, this.decoder.initial(cond), batch.targetRows).logits;
  }

  startState(src: Tensor, lengths: Int32Array): DecoderState {
    const cond = this.encode(src, lengths);
    return { ...this.decoder.initial(cond), cond };
  }

  stepDecoder(): Required<StepDecoder<DecoderState>> {
    return {
      step: (tokens, s) => {
        const x = new Tensor(Int32Array.from(tokens), [1, tokens.length]);
        const r = this.decoder.forward(this.tgtEmbedding.forward(x), s.cond, s);
        return { logits: r.logits, state: { ...r.state, cond: s.cond } };
      },
      reorder: (s, rows) => {
        const idx = new Tensor(Int32Array.from(rows), [rows.length]);
        const out: DecoderState = { h: indexSelect(s.h, 1, idx), cond: indexSelect(s.cond, 0, idx) };
        if (s.c) out.c = indexSelect(s.c, 1, idx);
        return out;
      },
    };
  }
}

export interface TransformerTranslatorOptions {
  vocabSize: number;
  /** Model width d (default 256). */
  embedSize?: number;
  /** Feed-forward size (default 1024). */
  hiddenSize?: number;
  /** Attention heads (default 4). */
  heads?: number;
  /** Encoder and decoder layers (default 3 each). */
  layers?: number;
  /** Dropout everywhere (default 0.1). */
  dropout?: number;
  /** Longest sequence the positional table covers (default 512). */
  maxPositions?: number;
}

/** The Transformer decoder's state: the source memory [S, n, d], its padding [n, S], the prefixes. */
export interface TransformerState {
  memory: Tensor;
  padding: Tensor;
  prefix: number[][];
}

/** The encoder-decoder Transformer (see the module comment). */
export class TransformerTranslator extends Module<[TranslationBatch], Tensor> implements Translator {
  readonly kind = 'transformer' as const;
  readonly embedding: Embedding;
  readonly positions: PositionalEncoding;
  readonly transformer: Transformer;
  readonly out: Linear;
  readonly d: number;

  constructor(readonly opts: TransformerTranslatorOptions) {
    super();
    const d = (this.d = opts.embedSize ?? 256);
    const p = opts.dropout ?? 0.1;
    this.embedding = this.module('embedding', new Embedding(opts.vocabSize, d));
    this.positions = this.module('positions', new PositionalEncoding(d, { maxLen: opts.maxPositions ?? 512, dropout: p }));
    this.transformer = this.module(
      'transformer',
      new Transformer({
        dModel: d,
        nhead: opts.heads ?? 4,
        numEncoderLayers: opts.layers ?? 3,
        numDecoderLayers: opts.layers ?? 3,
        dimFeedforward: opts.hiddenSize ?? 1024,
        dropout: p,
      }),
    );
    this.out = this.module('out', new Linear(d, opts.vocabSize));
    // E ~ N(0, 1/d): the scaled input E·sqrt(d) has unit variance, and so have the tied logits
    noGrad(() => normal_(this.embedding.weight, 0, 1 / Math.sqrt(d)));
    tieWeights(this.out, this.embedding);
  }

  /** x = E[w] · sqrt(d) + PE, for int32 tokens [L, B] -> [L, B, d]. */
  embed(tokens: Tensor, offset = 0): Tensor {
    return this.positions.forward(mul(this.embedding.forward(tokens), Math.sqrt(this.d)), offset);
  }

  /** bool [B, S], true at padding (PyTorch's key padding mask). */
  static paddingMask(lengths: Int32Array, S: number): Tensor {
    const B = lengths.length;
    const m = Tensor.empty([B, S], 'bool');
    for (let b = 0; b < B; b++) for (let s = 0; s < S; s++) m.storage[b * S + s] = s >= lengths[b]! ? 1 : 0;
    return m;
  }

  forward(batch: TranslationBatch): Tensor {
    const S = batch.src.shape[0]!;
    const T = batch.decoderInput.shape[0]!;
    const padding = TransformerTranslator.paddingMask(batch.srcLengths, S);
    const memory = this.transformer.encode(this.embed(batch.src), { srcKeyPaddingMask: padding });
    const y = this.transformer.decode(this.embed(batch.decoderInput), memory, {
      tgtMask: Transformer.generateSquareSubsequentMask(T),
      memoryKeyPaddingMask: padding,
    });
    const rows = indexSelect(reshape(y, [T * batch.size, this.d]), 0, batch.targetRows);
    return this.out.forward(rows);
  }

  startState(src: Tensor, lengths: Int32Array): TransformerState {
    const padding = TransformerTranslator.paddingMask(lengths, src.shape[0]!);
    const memory = this.transformer.encode(this.embed(src), { srcKeyPaddingMask: padding });
    return { memory, padding, prefix: Array.from({ length: lengths.length }, () => []) };
  }

  stepDecoder(): Required<StepDecoder<TransformerState>> {
    return {
      step: (tokens, s) => {
        const prefix = s.prefix.map((p, i) => [...p, tokens[i]!]);
        const n = prefix.length;
        const T = prefix[0]!.length;
        const ids = Tensor.empty([T, n], 'int32');
        for (let t = 0; t < T; t++) for (let b = 0; b < n; b++) ids.storage[t * n + b] = prefix[b]![t]!;
        const y = this.transformer.decode(this.embed(ids), s.memory, {
          tgtMask: Transformer.generateSquareSubsequentMask(T),
          memoryKeyPaddingMask: s.padding,
        });
        const last = reshape(narrow(y, 0, T - 1, 1), [n, this.d]);
        return { logits: this.out.forward(last), state: { memory: s.memory, padding: s.padding, prefix } };
      },
      reorder: (s, rows) => {
        const idx = new Tensor(Int32Array.from(rows), [rows.length]);
        return {
          memory: indexSelect(s.memory, 1, idx),
          padding: indexSelect(s.padding, 0, idx),
          prefix: Array.from(rows, (r) => s.prefix[r]!),
        };
      },
    };
  }
}

export type TranslatorOptions = ({ kind: 'seq2seq' } & Seq2SeqTranslatorOptions) | ({ kind: 'transformer' } & TransformerTranslatorOptions);

/** The model a checkpoint's metadata (or a recipe) describes. */
export function translator(o: TranslatorOptions): Translator {
  if (o.kind === 'seq2seq') {
    const { kind: _k, ...rest } = o;
    return new Seq2SeqTranslator(rest) as Translator;
  }
  if (o.kind === 'transformer') {
    const { kind: _k, ...rest } = o;
    return new TransformerTranslator(rest) as Translator;
  }
  throw new Error(`translator: unknown kind '${String((o as { kind: unknown }).kind)}' (expected 'seq2seq' or 'transformer')`);
}

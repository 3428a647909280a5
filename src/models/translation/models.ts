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
 */
import { Tensor } from '../../tensor/tensor.js';
import { Module } from '../../nn/module.js';
import { Embedding, Dropout } from '../../nn/layers/basic.js';
import { LSTM } from '../../nn/layers/recurrent.js';
import { indexSelect } from '../../ops/index.js';
import type { StepDecoder } from '../decoding.js';
import { ConditionedDecoder, lastStep, type DecoderState } from '../dialogue/models.js';
import type { TranslationBatch } from './batch.js';

export type TranslatorKind = 'seq2seq';

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

export type TranslatorOptions = { kind: 'seq2seq' } & Seq2SeqTranslatorOptions;

/** The model a checkpoint's metadata (or a recipe) describes. */
export function translator(o: TranslatorOptions): Translator {
  const { kind, ...rest } = o;
  if (kind === 'seq2seq') return new Seq2SeqTranslator(rest) as Translator;
  throw new Error(`translator: unknown kind '${String(kind)}' (expected 'seq2seq')`);
}

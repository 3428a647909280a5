/**
 * Multi-turn dialogue models, in the curriculum's formulation (seq2seq, HRED, VAE, VHRED), for a
 * context of utterances w_1 ... w_{n-1} and a response w_n = (w_{n,1}, ..., w_{n,M}):
 *
 * seq2seq (the baseline; Sutskever et al. 2014, Vinyals & Le 2015): the context turns
 *   concatenated into one token sequence x^1 ... x^T; the encoder RNN reads it,
 *   h^t = RNN(h^{t-1}, e(x^t)), and its final state h^T (the "thought vector") conditions the
 *   decoder: c = h^T.
 * HRED (Serban et al. 2016): an utterance encoder turns each turn into a vector,
 *   h^enc_i = RNN_enc(w_i) (its final state); the context RNN runs over the turns,
 *   h^con_i = RNN_con(h^con_{i-1}, h^enc_i), and the decoder is conditioned on c = h^con_{n-1}
 *   (the whole conversation so far, not only the last words).
 * Decoder (all three): its initial state is s^0 = tanh(W_init c + b_init), and every step reads
 *   the previous token and the condition, s^m = RNN_dec(s^{m-1}, [e(w_{n,m-1}); c]),
 *   p(w_{n,m} | w_{n,<m}, c) = softmax(W_out s^m + b_out).
 * VHRED (Serban et al. 2017): a latent z_n per response, as the VAE's z ~ N(0, I) but with a
 *   learned, context-dependent prior. With [μ, log σ²] = FFN(·) (two layers, tanh):
 *     prior      p_θ(z_n | w_{<n}) = N(μ_prior(h^con_{n-1}), σ²_prior(h^con_{n-1}))
 *     posterior  q_ψ(z_n | w_{≤n}) = N(μ_post(h^con_{n-1}, h^enc_n), σ²_post(h^con_{n-1}, h^enc_n))
 *     z_n = μ_post + σ_post ⊙ ε, ε ~ N(0, I)                 (the reparameterisation trick)
 *   and the decoder is conditioned on c = [h^con_{n-1}; z_n]. Training maximises the ELBO
 *     log p(w_n | w_{<n}) ≥ E_q[log p_θ(w_n | z_n, w_{<n})] - KL(q_ψ(z_n | w_{≤n}) || p_θ(z_n | w_{<n}))
 *   with the KL weight annealed from 0 to 1 and word drop on the decoder's inputs (Bowman et al.
 *   2016), so the decoder cannot ignore z (posterior collapse). Generation draws z_n from the prior.
 *
 * Layers are the library's: nn.Embedding, nn.GRU / nn.LSTM (fused over the sequence), nn.Linear.
 */
import { Tensor } from '../../tensor/tensor.js';
import { zeros, randn } from '../../tensor/creation.js';
import type { Generator } from '../../tensor/random.js';
import { defaultGenerator } from '../../tensor/random.js';
import { Module } from '../../nn/module.js';
import { Embedding, Dropout } from '../../nn/layers/basic.js';
import { Linear } from '../../nn/layers/linear.js';
import { GRU, LSTM } from '../../nn/layers/recurrent.js';
import { add, sub, mul, div, exp, square, sum, tanh, cat, reshape, unsqueeze, expand, indexSelect } from '../../ops/index.js';
import type { StepDecoder } from '../decoding.js';
import type { DialogueBatch } from './batch.js';

export type DialogueCell = 'gru' | 'lstm';
export type DialogueModelKind = 'seq2seq' | 'hred' | 'vhred';

export interface DialogueModelOptions {
  vocabSize: number;
  /** Word embedding size (shared by encoders and decoder). */
  embedSize: number;
  /** Utterance encoder (seq2seq: context encoder) and decoder state size. */
  hiddenSize: number;
  /** Context RNN state size (HRED, VHRED; default hiddenSize). */
  contextSize?: number;
  /** Latent z size (VHRED; default 64). */
  latentSize?: number;
  /** 'gru' (default) or 'lstm'. */
  cell?: DialogueCell;
  /** Dropout on embeddings and decoder outputs (default 0.2). */
  dropout?: number;
}

/** A recurrent state: h (and the LSTM's c), each [1, B, H]. */
export interface RecState {
  h: Tensor;
  c?: Tensor;
}

/** The decoder's state while generating: the recurrent state and the condition c [n, C]. */
export interface DecoderState extends RecState {
  cond: Tensor;
}

function makeRnn(cell: DialogueCell, inputSize: number, hiddenSize: number): GRU | LSTM {
  return cell === 'lstm' ? new LSTM(inputSize, hiddenSize) : new GRU(inputSize, hiddenSize);
}

function runRnn(rnn: GRU | LSTM, x: Tensor, s: RecState | null): { output: Tensor; state: RecState } {
  if (rnn instanceof LSTM) {
    const r = rnn.forward(x, s ? { h: s.h, c: s.c! } : null);
    return { output: r.output, state: { h: r.h, c: r.c } };
  }
  const r = rnn.forward(x, s ? s.h : null);
  return { output: r.output, state: { h: r.h } };
}

/**
 * The top layer's output at each sequence's last token: output [T, B, H], lengths [B] -> [B, H].
 * The RNN runs without lengths (the fused path); outputs before a sequence's end do not depend
 * on the padding after it, so this is its final state.
 */
export function lastStep(output: Tensor, lengths: Int32Array): Tensor {
  const [T, B, H] = output.shape as [number, number, number];
  const idx = Tensor.empty([B], 'int32');
  for (let b = 0; b < B; b++) {
    const l = lengths[b]!;
    if (!(l >= 1 && l <= T)) throw new Error(`lastStep: length ${l} of sequence ${b} is not in [1, ${T}]`);
    idx.storage[b] = (l - 1) * B + b;
  }
  return indexSelect(reshape(output, [T * B, H]), 0, idx);
}

/**
 * KL(N(μ_q, σ²_q) || N(μ_p, σ²_p)) of diagonal Gaussians, summed over the last dim:
 *   KL = 1/2 Σ_j [ log σ²_p,j - log σ²_q,j + (σ²_q,j + (μ_q,j - μ_p,j)²) / σ²_p,j - 1 ].
 * Inputs [B, Z] (means and log-variances) -> [B].
 */
export function gaussianKl(muQ: Tensor, logvarQ: Tensor, muP: Tensor, logvarP: Tensor): Tensor {
  const ratio = div(add(exp(logvarQ), square(sub(muQ, muP))), exp(logvarP));
  const terms = sub(add(sub(logvarP, logvarQ), ratio), 1);
  return mul(sum(terms, -1), 0.5);
}

/** Replaces each decoder input token but the first (the start symbol) by `unk` with probability p. */
export function wordDrop(input: Tensor, p: number, unk: number, generator: Generator = defaultGenerator): Tensor {
  if (p <= 0) return input;
  const [T, B] = input.shape as [number, number];
  const out = Tensor.empty([T, B], 'int32');
  const src = input.contiguous().data as Int32Array;
  for (let i = 0; i < T * B; i++) out.storage[i] = i >= B && generator.random() < p ? unk : src[i]!;
  return out;
}

/**
 * The decoder: s^0 = tanh(W_init c + b_init), s^m = RNN_dec(s^{m-1}, [e(w_{m-1}); c]),
 * logits = W_out s^m + b_out.
 */
export class ConditionedDecoder extends Module<[Tensor, Tensor, RecState, Tensor?], { logits: Tensor; state: RecState }> {
  readonly rnn: GRU | LSTM;
  readonly init: Linear;
  readonly out: Linear;
  readonly drop: Dropout;

  constructor(
    readonly embedSize: number,
    readonly condSize: number,
    readonly hiddenSize: number,
    readonly vocabSize: number,
    readonly cell: DialogueCell,
    dropout: number,
  ) {
    super();
    this.rnn = this.module('rnn', makeRnn(cell, embedSize + condSize, hiddenSize));
    this.init = this.module('init', new Linear(condSize, hiddenSize));
    this.out = this.module('out', new Linear(hiddenSize, vocabSize));
    this.drop = this.module('drop', new Dropout(dropout));
  }

  /** s^0 = tanh(W_init c + b_init) (an LSTM's cell starts at zero). */
  initial(cond: Tensor): RecState {
    const h = unsqueeze(tanh(this.init.forward(cond)), 0);
    return this.cell === 'lstm' ? { h, c: zeros(h.shape) } : { h };
  }

  /**
   * emb [T, B, E], cond [B, C] -> logits [T*B, V] and the final state; with `rows` (int32 indices
   * into the T*B positions) only those rows' logits, which saves the projection of the padding.
   */
  forward(emb: Tensor, cond: Tensor, state: RecState, rows?: Tensor): { logits: Tensor; state: RecState } {
    const [T, B] = emb.shape as [number, number];
    const x = cat([emb, expand(unsqueeze(cond, 0), [T, B, this.condSize])], 2);
    const r = runRnn(this.rnn, x, state);
    let s = reshape(this.drop.forward(r.output), [T * B, this.hiddenSize]);
    if (rows) s = indexSelect(s, 0, rows);
    return { logits: this.out.forward(s), state: r.state };
  }
}

/** What every dialogue model returns for a batch: response logits and (VHRED) the KL per example. */
export interface DialogueOutput {
  /** [tokens, V]: the logits of the response tokens, rows in the order of batch.targetPacked. */
  logits: Tensor;
  /** [B]: KL(q || p) per response (VHRED only). */
  kl: Tensor | null;
}

/** The shared shape of the three models: an embedding, a way to a condition c, the decoder. */
export abstract class DialogueModel extends Module<[DialogueBatch], DialogueOutput> {
  abstract readonly kind: DialogueModelKind;
  readonly embedding: Embedding;
  readonly drop: Dropout;
  readonly cell: DialogueCell;
  /** Word drop on the decoder's inputs during training (VHRED's; default 0). */
  wordDropRate = 0;
  /** The token word drop writes (<unk>). */
  unk = 0;
  /** Where the posterior's ε comes from in eval mode (a fixed generator gives a reproducible ELBO). */
  evalGenerator: Generator | null = null;
  abstract readonly decoder: ConditionedDecoder;

  constructor(readonly opts: DialogueModelOptions) {
    super();
    this.cell = opts.cell ?? 'gru';
    this.embedding = this.module('embedding', new Embedding(opts.vocabSize, opts.embedSize));
    this.drop = this.module('drop', new Dropout(opts.dropout ?? 0.2));
  }

  /** e(x) with dropout: int32 [T, B] -> [T, B, E]. */
  embed(tokens: Tensor): Tensor {
    return this.drop.forward(this.embedding.forward(tokens));
  }

  /** Encodes int32 [T, B] sequences with `rnn`, returning each one's final state [B, H]. */
  encode(rnn: GRU | LSTM, tokens: Tensor, lengths: Int32Array): Tensor {
    return lastStep(runRnn(rnn, this.embed(tokens), null).output, lengths);
  }

  /** The condition c for training and evaluation, and the KL per example (VHRED). */
  abstract condition(batch: DialogueBatch): { cond: Tensor; kl: Tensor | null };

  /** The condition for generation (VHRED: z drawn from the prior with `generator`). */
  abstract generationCondition(batch: DialogueBatch, generator: Generator): Tensor;

  forward(batch: DialogueBatch): DialogueOutput {
    const { cond, kl } = this.condition(batch);
    const input = this.training ? wordDrop(batch.decoderInput, this.wordDropRate, this.unk) : batch.decoderInput;
    const { logits } = this.decoder.forward(this.embed(input), cond, this.decoder.initial(cond), batch.targetRows);
    return { logits, kl };
  }

  /** The decoder as decode() drives it (src/models/decoding.ts). */
  stepDecoder(): Required<StepDecoder<DecoderState>> {
    return {
      step: (tokens, s) => {
        const x = new Tensor(Int32Array.from(tokens), [1, tokens.length]);
        const r = this.decoder.forward(this.embedding.forward(x), s.cond, s);
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

  /** The decoder's start state for generation from a batch's contexts. */
  startState(batch: DialogueBatch, generator: Generator): DecoderState {
    const cond = this.generationCondition(batch, generator);
    return { ...this.decoder.initial(cond), cond };
  }
}

/** seq2seq: one encoder over the concatenated context; c = h^T. */
export class Seq2SeqDialogue extends DialogueModel {
  readonly kind = 'seq2seq' as const;
  readonly encoder: GRU | LSTM;
  readonly decoder: ConditionedDecoder;

  constructor(opts: DialogueModelOptions) {
    super(opts);
    const H = opts.hiddenSize;
    this.encoder = this.module('encoder', makeRnn(this.cell, opts.embedSize, H));
    this.decoder = this.module('decoder', new ConditionedDecoder(opts.embedSize, H, H, opts.vocabSize, this.cell, opts.dropout ?? 0.2));
  }

  condition(batch: DialogueBatch): { cond: Tensor; kl: null } {
    // c = h^T: the encoder's state after the last context token
    return { cond: this.encode(this.encoder, batch.flat, batch.flatLengths), kl: null };
  }

  generationCondition(batch: DialogueBatch): Tensor {
    return this.condition(batch).cond;
  }
}

/** HRED: utterance encoder, context RNN over the turns, decoder conditioned on h^con_{n-1}. */
export class HRED extends DialogueModel {
  readonly kind: DialogueModelKind = 'hred';
  readonly utteranceEncoder: GRU | LSTM;
  readonly contextRnn: GRU | LSTM;
  readonly decoder: ConditionedDecoder;
  readonly contextSize: number;

  constructor(opts: DialogueModelOptions, condExtra = 0) {
    super(opts);
    const H = opts.hiddenSize;
    this.contextSize = opts.contextSize ?? H;
    this.utteranceEncoder = this.module('utteranceEncoder', makeRnn(this.cell, opts.embedSize, H));
    this.contextRnn = this.module('contextRnn', makeRnn(this.cell, H, this.contextSize));
    this.decoder = this.module(
      'decoder',
      new ConditionedDecoder(opts.embedSize, this.contextSize + condExtra, H, opts.vocabSize, this.cell, opts.dropout ?? 0.2),
    );
  }

  /** h^con_{n-1} [B, Hc]: the context RNN's state after the last context turn. */
  contextState(batch: DialogueBatch): Tensor {
    const B = batch.size;
    // h^enc_i = RNN_enc(w_i) for every context utterance of the batch: [N, H]
    const enc = this.encode(this.utteranceEncoder, batch.utterances, batch.utteranceLengths);
    // turn k of example b at row k*B + b; past an example's turns, a zero row (never read)
    const padded = cat([enc, zeros([1, this.opts.hiddenSize])], 0);
    const K = batch.turnIndex.shape[0]! / B;
    const seq = reshape(indexSelect(padded, 0, batch.turnIndex), [K, B, this.opts.hiddenSize]);
    // h^con_i = RNN_con(h^con_{i-1}, h^enc_i); c = h^con at each example's last turn
    return lastStep(runRnn(this.contextRnn, seq, null).output, batch.turns);
  }

  condition(batch: DialogueBatch): { cond: Tensor; kl: Tensor | null } {
    return { cond: this.contextState(batch), kl: null };
  }

  generationCondition(batch: DialogueBatch, _generator: Generator): Tensor {
    return this.contextState(batch);
  }
}

/** A two-layer Gaussian head: [μ, log σ²] = (W_2 tanh(W_1 x + b_1) + b_2) split in two. */
export class GaussianHead extends Module<[Tensor], { mu: Tensor; logvar: Tensor }> {
  readonly hidden: Linear;
  readonly mu: Linear;
  readonly logvar: Linear;
  constructor(inSize: number, hiddenSize: number, latentSize: number) {
    super();
    this.hidden = this.module('hidden', new Linear(inSize, hiddenSize));
    this.mu = this.module('mu', new Linear(hiddenSize, latentSize));
    this.logvar = this.module('logvar', new Linear(hiddenSize, latentSize));
  }
  forward(x: Tensor): { mu: Tensor; logvar: Tensor } {
    const h = tanh(this.hidden.forward(x));
    return { mu: this.mu.forward(h), logvar: this.logvar.forward(h) };
  }
}

/** VHRED: HRED plus a latent z_n per response (prior and posterior heads); c = [h^con_{n-1}; z_n]. */
export class VHRED extends HRED {
  override readonly kind = 'vhred' as const;
  readonly prior: GaussianHead;
  readonly posterior: GaussianHead;
  readonly latentSize: number;

  constructor(opts: DialogueModelOptions) {
    const Z = opts.latentSize ?? 64;
    super(opts, Z);
    this.latentSize = Z;
    const Hc = this.contextSize;
    this.prior = this.module('prior', new GaussianHead(Hc, Hc, Z));
    this.posterior = this.module('posterior', new GaussianHead(Hc + opts.hiddenSize, Hc, Z));
  }

  override condition(batch: DialogueBatch): { cond: Tensor; kl: Tensor } {
    const ctx = this.contextState(batch);
    // prior p_θ(z | w_<n) from h^con_{n-1}; posterior q_ψ(z | w_≤n) from [h^con_{n-1}; h^enc_n]
    const p = this.prior.forward(ctx);
    const respEnc = this.encode(this.utteranceEncoder, batch.response, batch.responseLengths);
    const q = this.posterior.forward(cat([ctx, respEnc], 1));
    // z = μ_post + σ_post ⊙ ε, ε ~ N(0, I)
    const eps = randn(q.mu.shape, this.training || !this.evalGenerator ? {} : { generator: this.evalGenerator });
    const z = add(q.mu, mul(exp(mul(q.logvar, 0.5)), eps));
    return { cond: cat([ctx, z], 1), kl: gaussianKl(q.mu, q.logvar, p.mu, p.logvar) };
  }

  /** z ~ p_θ(z | w_<n): the prior, as generation has no response to read. */
  override generationCondition(batch: DialogueBatch, generator: Generator): Tensor {
    const ctx = this.contextState(batch);
    const p = this.prior.forward(ctx);
    const z = add(p.mu, mul(exp(mul(p.logvar, 0.5)), randn(p.mu.shape, { generator })));
    return cat([ctx, z], 1);
  }
}

/** The model of a kind. */
export function dialogueModel(kind: DialogueModelKind, opts: DialogueModelOptions): DialogueModel {
  if (kind === 'seq2seq') return new Seq2SeqDialogue(opts);
  if (kind === 'hred') return new HRED(opts);
  if (kind === 'vhred') return new VHRED(opts);
  throw new Error(`dialogueModel: unknown kind '${String(kind)}' (expected seq2seq, hred, vhred)`);
}

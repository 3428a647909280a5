/**
 * Attention for recurrent decoders: a query q_t (a decoder state) scores every source position s
 * of the encoder's states h̄_s, the scores become weights by a softmax over the source, and the
 * context is the weighted sum of the states:
 *
 *   e_{t,s} = score(q_t, h̄_s)
 *   a_{t,s} = exp(e_{t,s}) / Σ_{s'} exp(e_{t,s'})        (padding positions: e = -∞, so a = 0)
 *   c_t     = Σ_s a_{t,s} h̄_s
 *
 * The curriculum's picture of attention as a dictionary look-up: the query q_t is matched against
 * the keys h̄_s, and the matching values h̄_s are read out in proportion to the match.
 *
 * Scores (no torch.nn counterpart exists; the names follow the papers):
 *   AdditiveAttention  Bahdanau, Cho & Bengio, "Neural Machine Translation by Jointly Learning to
 *                      Align and Translate" (ICLR 2015), eq. 6:  e = v^T tanh(W_q q + W_k h̄ + b)
 *   LuongAttention     Luong, Pham & Manning, "Effective Approaches to Attention-based Neural
 *                      Machine Translation" (EMNLP 2015), eq. 8:
 *                        dot      e = q^T h̄
 *                        general  e = q^T W_a h̄
 *                        concat   e = v_a^T tanh(W_a [q; h̄])
 *
 * Shapes (batch first, as the scores are per example): query [B, Tq, Dq] (or one step [B, Dq]),
 * keys [B, S, Dk]; mask bool [B, S], true at padding (PyTorch's key_padding_mask convention; see
 * paddingMask). Returns { context [B, Tq, Dk] ([B, Dk]), weights [B, Tq, S] ([B, S]) }.
 *
 * Parameter names:
 *   AdditiveAttention  query_proj.weight [H, Dq], key_proj.weight [H, Dk], key_proj.bias [H], energy.weight [1, H]
 *   LuongAttention     general: weight [Dq, Dk]; concat: weight [H, Dq + Dk], v [H]; dot: none
 */
/* eslint-disable prefer-rest-params -- constructors hand their `arguments` to checkCtor (tensor/validate.ts), which also rejects arguments past the declared ones; rest parameters would hide the declared signature */
import { Tensor } from '../../tensor/tensor.js';
import { fmtShape } from '../../tensor/shape.js';
import { zeros } from '../../tensor/creation.js';
import { Module } from '../module.js';
import type { Parameter } from '../parameter.js';
import { uniform_ } from '../init.js';
import { Linear } from './linear.js';
import { matmul, add, tanh, softmax, transpose, unsqueeze, squeeze, narrow, maskedFill, reshape } from '../../ops/index.js';
import { checkCtor, checkRest, checkTensor, describe } from '../../tensor/validate.js';

type FloatDType = 'float32' | 'float64';

/** What an attention layer returns: the context vectors and the attention weights. */
export interface AttentionOutput {
  /** [B, Tq, Dk] (or [B, Dk] for a one-step query): c_t = Σ_s a_{t,s} h̄_s. */
  context: Tensor;
  /** [B, Tq, S] (or [B, S]): a_{t,s}, each row sums to 1 over the unpadded positions. */
  weights: Tensor;
}

/**
 * The key-padding mask of sequences of the given lengths: bool [B, S], true at s >= length_b.
 * @example paddingMask([3, 1], 4) // [[false, false, false, true], [false, true, true, true]]
 */
export function paddingMask(lengths: readonly number[] | Int32Array, maxLength: number, ...extra: never[]): Tensor {
  const ok = (Array.isArray(lengths) || lengths instanceof Int32Array) && Array.from(lengths).every((l) => Number.isInteger(l));
  if (!ok) throw new TypeError(`paddingMask: argument 1 (lengths) must be a list of integers or an Int32Array, got ${describe(lengths)}`);
  if (!Number.isInteger(maxLength) || maxLength < 1)
    throw new TypeError(`paddingMask: argument 2 (maxLength) must be a positive integer, got ${describe(maxLength)}`);
  checkRest('paddingMask', extra, 2, 'paddingMask(lengths, maxLength)');
  const B = lengths.length;
  const m = Tensor.empty([B, maxLength], 'bool');
  for (let b = 0; b < B; b++) {
    const l = lengths[b]!;
    if (l < 1 || l > maxLength) throw new Error(`paddingMask: length ${l} of sequence ${b} is not in [1, ${maxLength}]`);
    for (let s = 0; s < maxLength; s++) m.storage[b * maxLength + s] = s >= l ? 1 : 0;
  }
  return m;
}

/** Shared argument checks; returns the query as [B, Tq, Dq] and whether it was one step. */
function checkInputs(
  layer: string,
  query: unknown,
  keys: unknown,
  mask: unknown,
  querySize: number,
  keySize: number,
): { q: Tensor; single: boolean } {
  checkTensor(layer, query, 'argument 1 (query)');
  checkTensor(layer, keys, 'argument 2 (keys)');
  if (keys.ndim !== 3 || keys.shape[2] !== keySize)
    throw new Error(`${layer}: keys must be [B, S, ${keySize}], got ${fmtShape(keys.shape)}`);
  const B = keys.shape[0]!;
  const S = keys.shape[1]!;
  const single = query.ndim === 2;
  if (!(query.ndim === 2 || query.ndim === 3) || query.shape[0] !== B || query.shape[query.ndim - 1] !== querySize)
    throw new Error(
      `${layer}: query must be [${B}, Tq, ${querySize}] or [${B}, ${querySize}] for keys ${fmtShape(keys.shape)}, got ${fmtShape(query.shape)}`,
    );
  if (mask !== null && mask !== undefined) {
    checkTensor(layer, mask, 'argument 3 (mask)');
    if (mask.dtype !== 'bool' || mask.ndim !== 2 || mask.shape[0] !== B || mask.shape[1] !== S)
      throw new Error(`${layer}: mask must be a bool tensor [${B}, ${S}] (true at padding), got ${mask.dtype} ${fmtShape(mask.shape)}`);
    const m = mask.contiguous().data as Uint8Array;
    for (let b = 0; b < B; b++) {
      let open = false;
      for (let s = 0; s < S && !open; s++) open = m[b * S + s] === 0;
      if (!open) throw new Error(`${layer}: mask hides every position of sequence ${b}; at least one must be unmasked`);
    }
  }
  return { q: single ? unsqueeze(query, 1) : query, single };
}

/** a = softmax(e) over the source (masked positions -∞), c = a h̄; back to one step if the query was. */
function attend(scores: Tensor, keys: Tensor, mask: Tensor | null, single: boolean): AttentionOutput {
  const e = mask ? maskedFill(scores, unsqueeze(mask, 1), -Infinity) : scores;
  const weights = softmax(e, -1); // a_{t,s}: [B, Tq, S]
  const context = matmul(weights, keys); // c_t = Σ_s a_{t,s} h̄_s: [B, Tq, Dk]
  return single ? { context: squeeze(context, 1), weights: squeeze(weights, 1) } : { context, weights };
}

export interface AdditiveAttentionOptions {
  dtype?: FloatDType;
}

/**
 * Additive (Bahdanau) attention: e_{t,s} = v^T tanh(W_q q_t + W_k h̄_s + b), a = softmax_s(e),
 * c_t = Σ_s a_{t,s} h̄_s. Init as nn.Linear's for each projection.
 * @example
 * const att = new nn.AdditiveAttention(32, 64, 48);
 * const { context, weights } = att.forward(decoderStates, encoderStates, nn.paddingMask(lengths, S)); // [B, T, 64], [B, T, S]
 */
export class AdditiveAttention extends Module<[Tensor, Tensor, (Tensor | null)?], AttentionOutput> {
  readonly queryProj: Linear;
  readonly keyProj: Linear;
  readonly energy: Linear;

  constructor(
    readonly querySize: number,
    readonly keySize: number,
    readonly hiddenSize: number,
    opts: AdditiveAttentionOptions = {},
  ) {
    super();
    checkCtor(
      'nn.AdditiveAttention',
      [
        ['querySize', 'positiveInt'],
        ['keySize', 'positiveInt'],
        ['hiddenSize', 'positiveInt'],
      ],
      arguments,
      { dtype: ['float32', 'float64'] },
    );
    const dtype = opts.dtype ?? 'float32';
    this.queryProj = this.module('query_proj', new Linear(querySize, hiddenSize, { bias: false, dtype }));
    this.keyProj = this.module('key_proj', new Linear(keySize, hiddenSize, { dtype }));
    this.energy = this.module('energy', new Linear(hiddenSize, 1, { bias: false, dtype }));
  }

  /** query [B, Tq, Dq] or [B, Dq]; keys [B, S, Dk]; mask bool [B, S] true at padding (optional). */
  forward(query: Tensor, keys: Tensor, mask: Tensor | null = null, ...extra: never[]): AttentionOutput {
    checkRest('AdditiveAttention.forward', extra, 3, 'forward(query, keys, mask)');
    const { q, single } = checkInputs('AdditiveAttention', query, keys, mask, this.querySize, this.keySize);
    const qp = this.queryProj.forward(q); // W_q q_t: [B, Tq, H]
    const kp = this.keyProj.forward(keys); // W_k h̄_s + b: [B, S, H]
    // e_{t,s} = v^T tanh(W_q q_t + W_k h̄_s + b), broadcast to [B, Tq, S, H] and reduced by v
    const hidden = tanh(add(unsqueeze(qp, 2), unsqueeze(kp, 1)));
    const scores = squeeze(this.energy.forward(hidden), -1);
    return attend(scores, keys, mask, single);
  }

  override extraRepr(): string {
    return `query_size=${this.querySize}, key_size=${this.keySize}, hidden_size=${this.hiddenSize}`;
  }
}

export type LuongScore = 'dot' | 'general' | 'concat';

export interface LuongAttentionOptions {
  /** 'dot' (q^T h̄; needs querySize = keySize), 'general' (q^T W_a h̄, the default) or 'concat' (v_a^T tanh(W_a [q; h̄])). */
  score?: LuongScore;
  /** concat only: the size of W_a's output (default keySize). */
  hiddenSize?: number;
  dtype?: FloatDType;
}

/**
 * Luong (global) attention with the dot, general or concat score; a = softmax_s(e),
 * c_t = Σ_s a_{t,s} h̄_s. W_a and v_a start as nn.Linear's weights would (U(±1/√fan_in)).
 * @example
 * const att = new nn.LuongAttention(64, 64, { score: 'general' });
 * const { context, weights } = att.forward(decoderOutputs, encoderOutputs); // [B, T, 64], [B, T, S]
 */
export class LuongAttention extends Module<[Tensor, Tensor, (Tensor | null)?], AttentionOutput> {
  readonly score: LuongScore;
  readonly hiddenSize: number;
  readonly weight: Parameter | null;
  readonly v: Parameter | null;

  constructor(
    readonly querySize: number,
    readonly keySize: number,
    opts: LuongAttentionOptions = {},
  ) {
    super();
    checkCtor(
      'nn.LuongAttention',
      [
        ['querySize', 'positiveInt'],
        ['keySize', 'positiveInt'],
      ],
      arguments,
      { score: ['dot', 'general', 'concat'], hiddenSize: 'positiveInt', dtype: ['float32', 'float64'] },
    );
    const dtype = opts.dtype ?? 'float32';
    this.score = opts.score ?? 'general';
    this.hiddenSize = opts.hiddenSize ?? keySize;
    if (this.score === 'dot' && querySize !== keySize)
      throw new Error(`nn.LuongAttention: the dot score needs querySize = keySize, got ${querySize} and ${keySize} (use 'general')`);
    const init = (shape: number[], fanIn: number): Tensor => uniform_(zeros(shape, { dtype }), -1 / Math.sqrt(fanIn), 1 / Math.sqrt(fanIn));
    this.weight = this.param(
      'weight',
      this.score === 'general'
        ? init([querySize, keySize], keySize)
        : this.score === 'concat'
          ? init([this.hiddenSize, querySize + keySize], querySize + keySize)
          : null,
    );
    this.v = this.param('v', this.score === 'concat' ? init([this.hiddenSize], this.hiddenSize) : null);
  }

  /** query [B, Tq, Dq] or [B, Dq]; keys [B, S, Dk]; mask bool [B, S] true at padding (optional). */
  forward(query: Tensor, keys: Tensor, mask: Tensor | null = null, ...extra: never[]): AttentionOutput {
    checkRest('LuongAttention.forward', extra, 3, 'forward(query, keys, mask)');
    const { q, single } = checkInputs('LuongAttention', query, keys, mask, this.querySize, this.keySize);
    let scores: Tensor;
    if (this.score === 'dot') {
      scores = matmul(q, transpose(keys, 1, 2)); // e = q_t^T h̄_s: [B, Tq, S]
    } else if (this.score === 'general') {
      // e = q_t^T W_a h̄_s, with W_a h̄_s computed once per source position: [B, S, Dq]
      const kw = matmul(keys, transpose(this.weight!));
      scores = matmul(q, transpose(kw, 1, 2));
    } else {
      // e = v_a^T tanh(W_a [q_t; h̄_s]) = v_a^T tanh(W_a,q q_t + W_a,k h̄_s): W_a split by columns
      const wq = narrow(this.weight!, 1, 0, this.querySize);
      const wk = narrow(this.weight!, 1, this.querySize, this.keySize);
      const hidden = tanh(add(unsqueeze(matmul(q, transpose(wq)), 2), unsqueeze(matmul(keys, transpose(wk)), 1)));
      const [B, Tq, S] = [hidden.shape[0]!, hidden.shape[1]!, hidden.shape[2]!];
      scores = reshape(matmul(reshape(hidden, [B * Tq * S, this.hiddenSize]), unsqueeze(this.v!, 1)), [B, Tq, S]);
    }
    return attend(scores, keys, mask, single);
  }

  override extraRepr(): string {
    return `query_size=${this.querySize}, key_size=${this.keySize}, score='${this.score}'${this.score === 'concat' ? `, hidden_size=${this.hiddenSize}` : ''}`;
  }
}

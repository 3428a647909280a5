/**
 * Scaled dot-product attention, as torch.nn.functional.scaled_dot_product_attention (Vaswani et al.
 * 2017, "Attention Is All You Need", eq. 1), and the mask helpers the attention layers share.
 *
 * In the curriculum's notation (Day 4): for a query q and the key/value pairs (k_j, v_j),
 *   a_j = softmax_j(q . k_j / sqrt(d_k)),   c = sum_j a_j v_j
 * which for whole sequences is Attention(Q, K, V) = softmax(Q K^T / sqrt(d_k) + B) V, B the additive
 * mask (0 where a query may look, -inf where it may not).
 *
 * Composed of public ops (matmul, mul, add, softmax, dropout), so autograd comes for free and the
 * gradient can be differentiated again; the masks are constants built without the tape, except a
 * float mask that itself requires grad (a learned bias), which gets its gradient through the add.
 */
import { Tensor } from '../tensor/tensor.js';
import { isFloat, type DType } from '../tensor/dtype.js';
import { broadcastShapes, fmtShape } from '../tensor/shape.js';
import { tensor, zeros } from '../tensor/creation.js';
import type { Generator } from '../tensor/random.js';
import { checkArg, checkOptions, checkRest, checkTensor } from '../tensor/validate.js';
import { noGrad } from '../autograd/grad-mode.js';
import { add } from '../ops/elementwise/add.js';
import { mul } from '../ops/elementwise/mul.js';
import { cast } from '../ops/elementwise/cast.js';
import { dropout } from '../ops/elementwise/dropout.js';
import { logicalNot } from '../ops/elementwise/logicalNot.js';
import { maskedFill } from '../ops/indexing/maskedFill.js';
import { matmul } from '../ops/linalg/matmul.js';
import { softmax } from '../ops/normalization/softmax.js';
import { transpose } from '../ops/shape/transpose.js';
import { reshape } from '../ops/shape/reshape.js';
import { expand } from '../ops/shape/expand.js';
import { unsqueeze } from '../ops/shape/unsqueeze.js';

export interface ScaledDotProductAttentionOptions {
  /**
   * Mask broadcastable to [..., L, S]. bool: true where the query may attend (PyTorch's convention
   * for this function; nn.MultiheadAttention's bool masks mean the opposite). float: added to the
   * scores (0 keeps, -inf removes, anything else biases). Default none.
   */
  attnMask?: Tensor | null;
  /** Dropout probability on the attention weights (default 0; applied whenever > 0, as PyTorch). */
  dropoutP?: number;
  /**
   * Causal masking: query i attends to keys j <= i (the top-left aligned lower triangle of [L, S],
   * as PyTorch). PyTorch refuses isCausal together with attnMask; here both apply (their union).
   */
  isCausal?: boolean;
  /** Scale of the scores (default 1 / sqrt(E), E the last dim of the query). */
  scale?: number | null;
  /**
   * Grouped-query attention: the query has Hq heads in dim -3 and the key/value Hkv, Hq a multiple of
   * Hkv; each key/value head serves Hq / Hkv consecutive query heads (default false).
   */
  enableGqa?: boolean;
  /** Random stream for the dropout mask (the seeded default generator when left out). */
  generator?: Generator;
  /** Also return the attention weights (after dropout, as nn.MultiheadAttention returns them). */
  returnWeights?: boolean;
}

const SDPA_OPTIONS = {
  attnMask: 'tensor',
  dropoutP: 'number',
  isCausal: 'boolean',
  scale: 'number',
  enableGqa: 'boolean',
  generator: 'any',
  returnWeights: 'boolean',
} as const;

/**
 * softmax(Q K^T * scale + B) V over the last two dims; leading dims broadcast (PyTorch's layout
 * [N, ..., L, E] for the query, [N, ..., S, E] for the key, [N, ..., S, Ev] for the value, giving
 * [N, ..., L, Ev]). With `returnWeights` it returns [output, weights], weights [N, ..., L, S].
 * A query row whose keys are all masked out gives NaN, as in PyTorch.
 * @example
 * const q = randn([2, 4, 5, 8]), k = randn([2, 4, 7, 8]), v = randn([2, 4, 7, 8]);
 * scaledDotProductAttention(q, k, v, { isCausal: true }) // [2, 4, 5, 8]
 */
export function scaledDotProductAttention(
  query: Tensor,
  key: Tensor,
  value: Tensor,
  opts: ScaledDotProductAttentionOptions & { returnWeights: true },
): [Tensor, Tensor];
export function scaledDotProductAttention(query: Tensor, key: Tensor, value: Tensor, opts?: ScaledDotProductAttentionOptions): Tensor;
export function scaledDotProductAttention(
  query: Tensor,
  key: Tensor,
  value: Tensor,
  opts: ScaledDotProductAttentionOptions = {},
  ...extra: never[]
): Tensor | [Tensor, Tensor] {
  const fn = 'scaledDotProductAttention';
  checkTensor(fn, query, 'argument 1 (query)');
  checkTensor(fn, key, 'argument 2 (key)');
  checkTensor(fn, value, 'argument 3 (value)');
  checkOptions(fn, 4, opts, SDPA_OPTIONS);
  checkRest(fn, extra, 4, `${fn}(query, key, value, {attnMask, dropoutP, isCausal, scale, enableGqa, generator, returnWeights})`);
  const q = query.ndim >= 2 ? query : null;
  if (!q || key.ndim < 2 || value.ndim < 2) {
    throw new Error(
      `${fn}: query, key and value need at least 2 dims ([..., L, E], [..., S, E], [..., S, Ev]), got ${fmtShape(query.shape)}, ${fmtShape(key.shape)}, ${fmtShape(value.shape)}`,
    );
  }
  if (!isFloat(query.dtype) || !isFloat(key.dtype) || !isFloat(value.dtype)) {
    throw new Error(`${fn}: query, key and value must be float tensors, got ${query.dtype}, ${key.dtype}, ${value.dtype}`);
  }
  const E = query.shape[query.ndim - 1]!;
  const L = query.shape[query.ndim - 2]!;
  const S = key.shape[key.ndim - 2]!;
  if (key.shape[key.ndim - 1] !== E || value.shape[value.ndim - 2] !== S) {
    throw new Error(
      `${fn}: expected key [..., S, ${E}] and value [..., S, Ev] with the same S for query ${fmtShape(query.shape)}, got key ${fmtShape(key.shape)} and value ${fmtShape(value.shape)}`,
    );
  }
  const dropoutP = opts.dropoutP ?? 0;
  if (!(dropoutP >= 0 && dropoutP <= 1)) throw new Error(`${fn}: dropoutP must be in [0, 1], got ${dropoutP}`);
  const scale = opts.scale ?? 1 / Math.sqrt(E);
  let k = key;
  let v = value;
  if (opts.enableGqa) [k, v] = repeatKvHeads(fn, query, key, value);

  // s_ij = q_i . k_j * scale: the scores [..., L, S]
  let scores = mul(matmul(query, transpose(k, -2, -1)), scale);
  const bias = attentionBias(fn, opts.attnMask ?? null, 'attend', opts.isCausal ?? false, L, S, scores.dtype);
  if (bias) {
    const shape = broadcastShapes(fn, scores.shape, bias.shape);
    if (shape.length !== scores.ndim || shape.some((d, i) => d !== scores.shape[i])) scores = expand(scores, shape);
    scores = add(scores, bias);
  }
  // a_ij = softmax_j(s_ij), then c_i = sum_j a_ij v_j
  let weights = softmax(scores, -1);
  if (dropoutP > 0) weights = dropout(weights, dropoutP, opts.generator ? { generator: opts.generator } : {});
  const out = matmul(weights, v);
  return opts.returnWeights ? [out, weights] : out;
}

/** Repeats each key/value head Hq / Hkv times along dim -3 (enableGqa), as repeat_interleave. */
function repeatKvHeads(fn: string, q: Tensor, k: Tensor, v: Tensor): [Tensor, Tensor] {
  if (q.ndim < 3 || k.ndim < 3 || v.ndim < 3) {
    throw new Error(`${fn}: enableGqa needs heads in dim -3 of query, key and value, got ${fmtShape(q.shape)}, ${fmtShape(k.shape)}`);
  }
  const hq = q.shape[q.ndim - 3]!;
  const hk = k.shape[k.ndim - 3]!;
  if (v.shape[v.ndim - 3] !== hk || hq % hk !== 0) {
    throw new Error(
      `${fn}: enableGqa needs the query heads (${hq}) to be a multiple of the key/value heads (key ${fmtShape(k.shape)}, value ${fmtShape(v.shape)})`,
    );
  }
  const g = hq / hk;
  if (g === 1) return [k, v];
  const rep = (t: Tensor): Tensor => {
    const s = t.shape;
    const lead = s.slice(0, -3);
    const e = unsqueeze(t, -3); // [..., Hkv, 1, S, E]
    const big = expand(e, [...lead, hk, g, s[s.length - 2]!, s[s.length - 1]!]);
    return reshape(big, [...lead, hk * g, s[s.length - 2]!, s[s.length - 1]!]);
  };
  return [rep(k), rep(v)];
}

/**
 * The additive mask of an attention call: 0 where a query may look, -inf where it may not, plus
 * a float mask's values. `boolMeans` says what true means in a bool mask: 'attend' for
 * scaledDotProductAttention, 'mask' for nn.MultiheadAttention and the Transformer layers (PyTorch's
 * two conventions). Null when there is nothing to add. The result broadcasts against [..., L, S].
 */
export function attentionBias(
  fn: string,
  mask: Tensor | null,
  boolMeans: 'attend' | 'mask',
  causal: boolean,
  L: number,
  S: number,
  dtype: DType,
): Tensor | null {
  let bias = mask ? maskToBias(fn, 'attnMask', mask, boolMeans, dtype) : null;
  if (causal) {
    const c = causalBias(L, S, dtype);
    bias = bias ? add(bias, c) : c;
  }
  return bias;
}

/** A bool mask as 0 / -inf in `dtype`; a float mask as it is (cast to `dtype`, keeping its gradient). */
export function maskToBias(fn: string, name: string, mask: Tensor, boolMeans: 'attend' | 'mask', dtype: DType): Tensor {
  if (mask.dtype === 'bool') {
    return noGrad(() => maskedFill(zeros(mask.shape, { dtype }), boolMeans === 'attend' ? logicalNot(mask) : mask, -Infinity));
  }
  if (!isFloat(mask.dtype)) {
    throw new Error(`${fn}: ${name} must be a bool or float tensor, got ${mask.dtype} of shape ${fmtShape(mask.shape)}`);
  }
  return mask.dtype === dtype ? mask : cast(mask, dtype);
}

/** [L, S] with 0 on and below the diagonal (j <= i) and -inf above it. */
export function causalBias(L: number, S: number, dtype: DType = 'float32'): Tensor {
  const data = dtype === 'float64' ? new Float64Array(L * S) : new Float32Array(L * S);
  for (let i = 0; i < L; i++) for (let j = i + 1; j < S; j++) data[i * S + j] = -Infinity;
  return tensor(data, { shape: [L, S], dtype });
}

/**
 * The float mask [n, n] that keeps position i from attending to later positions j > i: 0 on and
 * below the diagonal, -inf above (torch.nn.Transformer.generate_square_subsequent_mask).
 * @example generateSquareSubsequentMask(3) // [[0, -inf, -inf], [0, 0, -inf], [0, 0, 0]]
 */
export function generateSquareSubsequentMask(n: number, opts: { dtype?: 'float32' | 'float64' } = {}, ...extra: never[]): Tensor {
  const fn = 'generateSquareSubsequentMask';
  checkArg(fn, 'argument 1 (n)', n, 'positiveInt');
  checkOptions(fn, 2, opts, { dtype: ['float32', 'float64'] });
  checkRest(fn, extra, 2, `${fn}(n, {dtype})`);
  return causalBias(n, n, opts.dtype ?? 'float32');
}

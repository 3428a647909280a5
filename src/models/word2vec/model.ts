/**
 * word2vec (Mikolov et al. 2013, "Efficient Estimation of Word Representations in Vector Space"
 * and "Distributed Representations of Words and Phrases and their Compositionality"): every word
 * w has an input vector v_w (a row of W_in) and an output vector u_w (a row of W_out), both of
 * size d. Training is SGD on sparse rows, one (context, target) step at a time.
 *
 * Skip-gram predicts each word of the window from the centre word; CBOW predicts the centre from
 * h, the mean of the window's input vectors. With negative sampling, one step's loss for the
 * input h (skip-gram: h = v_c, one context word; CBOW: h = (1/|C|) sum_{j in C} v_j) and the
 * target o, with k negatives n_1..n_k drawn from P_n(w) = U(w)^{3/4} / Z, is
 *   L = -log sigma(u_o . h) - sum_{i=1..k} log sigma(-u_{n_i} . h)
 * and its gradient
 *   dL/du_t = (sigma(u_t . h) - l_t) h,     dL/dh = sum_t (sigma(u_t . h) - l_t) u_t
 * with label l_t = 1 for the target and 0 for a negative. The step touches only the rows of h's
 * words and of the k + 1 output words, never the whole matrix:
 *   u_t <- u_t - alpha dL/du_t,   v_j <- v_j - alpha dL/dh   (for each input word j)
 * The input rows take dL/dh whole, as word2vec.c and gensim do: for skip-gram this is the exact
 * gradient; for CBOW (h a mean) it is |C| times dL/dv_j, i.e. the input rows learn with a rate
 * |C| alpha. The reference definition in public ops (negativeSamplingLoss) and
 * test/models/word2vec.test.ts check the sparse step against autograd on that loss.
 */
import { Module } from '../../nn/module.js';
import type { Parameter } from '../../nn/parameter.js';
import { Tensor } from '../../tensor/tensor.js';
import { rand, zeros } from '../../tensor/creation.js';
import { embedding, matmul, mean, mul, reshape, softplus, sum } from '../../ops/index.js';
import { rejectUnknownKeys } from '../../train/options.js';
import { checkArg, checkRest, checkTensor, describe } from '../../tensor/validate.js';

export interface Word2VecOptions {
  /** Words in the vocabulary (rows of W_in and W_out). */
  vocabSize: number;
  /** Vector size d (default 100). */
  dim?: number;
}

/**
 * The two embedding matrices: W_in [V, d] (the word vectors one keeps, gensim's `wv.vectors`),
 * initialised uniform in [-1/d, 1/d) as gensim 4 does (word2vec.c: [-0.5/d, 0.5/d)), and W_out
 * [V, d] (gensim's `syn1neg`), initialised to zero. forward(ids) looks up input vectors.
 * @example const m = new Word2Vec({ vocabSize: 5000, dim: 100 }); m.forward(ids) // [..., 100]
 */
export class Word2Vec extends Module<[Tensor], Tensor> {
  readonly vocabSize: number;
  readonly dim: number;
  readonly W_in: Parameter;
  readonly W_out: Parameter;

  constructor(o: Word2VecOptions, ...extra: never[]) {
    super();
    rejectUnknownKeys('Word2Vec', o, ['vocabSize', 'dim']);
    checkRest('Word2Vec', extra, 1, 'new Word2Vec({ vocabSize, dim })');
    const dim = o.dim ?? 100;
    if (!Number.isInteger(o.vocabSize) || o.vocabSize < 1)
      throw new Error(`Word2Vec: vocabSize must be an integer >= 1, got ${String(o.vocabSize)}`);
    if (!Number.isInteger(dim) || dim < 1) throw new Error(`Word2Vec: dim must be an integer >= 1, got ${String(dim)}`);
    this.vocabSize = o.vocabSize;
    this.dim = dim;
    const w = rand([o.vocabSize, dim]);
    const s = w.data;
    for (let i = 0; i < s.length; i++) s[i] = (2 * s[i]! - 1) / dim; // U[-1/d, 1/d), gensim 4's prep_vectors
    this.W_in = this.param('W_in', w);
    this.W_out = this.param('W_out', zeros([o.vocabSize, dim]));
  }

  forward(ids: Tensor): Tensor {
    return embedding(this.W_in, ids);
  }

  override extraRepr(): string {
    return `vocab_size=${this.vocabSize}, dim=${this.dim}`;
  }
}

/**
 * The negative-sampling loss of one step, in public (differentiable) ops: the reference the sparse
 * update is checked against.
 *   h = mean of W_in[inputs],  s_t = u_t . h for t in [target, ...negatives],
 *   L = -log sigma(s_target) - sum_i log sigma(-s_{n_i}) = softplus(-s_target) + sum_i softplus(s_{n_i})
 * Negatives equal to the target are left out, as the sparse step skips them.
 * @example negativeSamplingLoss(m.W_in, m.W_out, [3], 7, [1, 4, 9]) // scalar
 */
export function negativeSamplingLoss(
  W_in: Tensor,
  W_out: Tensor,
  inputs: readonly number[],
  target: number,
  negatives: readonly number[],
  ...extra: never[]
): Tensor {
  const fn = 'negativeSamplingLoss';
  checkTensor(fn, W_in, 'W_in');
  checkTensor(fn, W_out, 'W_out');
  const ids = (name: string, v: unknown) => {
    if (!Array.isArray(v) || !v.every((e) => Number.isInteger(e) && e >= 0 && e < W_out.shape[0]!))
      throw new TypeError(`${fn}: ${name} must be an array of word ids in [0, ${W_out.shape[0]}), got ${describe(v)}`);
  };
  ids('inputs', inputs);
  checkArg(fn, 'target', target, 'nonNegativeInt');
  ids('negatives', negatives);
  checkRest(fn, extra, 5, 'negativeSamplingLoss(W_in, W_out, inputs, target, negatives)');
  if (inputs.length === 0) throw new Error('negativeSamplingLoss: inputs must name at least one word');
  const negs = negatives.filter((n) => n !== target);
  const idx = (a: readonly number[]) => new Tensor(Int32Array.from(a), [a.length]);
  const h = mean(embedding(W_in, idx(inputs)), 0); // [d]
  const u = embedding(W_out, idx([target, ...negs])); // [k + 1, d]
  const s = reshape(matmul(u, reshape(h, [-1, 1])), [-1]); // [k + 1]
  const sign = new Tensor(Float32Array.from([-1, ...negs.map(() => 1)]), [negs.length + 1]);
  return sum(softplus(mul(s, sign)));
}

/** Dot product of rows a[ao..ao+d) and b[bo..bo+d), four accumulators (no tensor, no allocation). */
function dot(a: Float32Array, ao: number, b: Float32Array, bo: number, d: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < d; i += 4) {
    s0 += a[ao + i]! * b[bo + i]!;
    s1 += a[ao + i + 1]! * b[bo + i + 1]!;
    s2 += a[ao + i + 2]! * b[bo + i + 2]!;
    s3 += a[ao + i + 3]! * b[bo + i + 3]!;
  }
  for (; i < d; i++) s0 += a[ao + i]! * b[bo + i]!;
  return s0 + s1 + s2 + s3;
}

/**
 * One negative-sampling step for the input vector h = x[xo..xo+d) and the output words
 * `target` (label 1) and negs[0..nNeg) (label 0, skipped where equal to the target):
 *   g_t = alpha (l_t - sigma(u_t . h));  work += g_t u_t;  u_t += g_t h
 * (work gathers -alpha dL/dh, to be added to the input rows by the caller). Returns the step's
 * loss L. A negative drawn twice updates its row twice in turn, as word2vec.c does.
 */
export function negativeSamplingStep(
  x: Float32Array,
  xo: number,
  W_out: Float32Array,
  d: number,
  target: number,
  negs: Int32Array,
  nNeg: number,
  alpha: number,
  work: Float32Array,
): number {
  let loss = 0;
  for (let k = -1; k < nNeg; k++) {
    const t = k < 0 ? target : negs[k]!;
    if (k >= 0 && t === target) continue;
    const row = t * d;
    const f = dot(x, xo, W_out, row, d);
    // sigma(f) = 1 / (1 + e^-f); -log sigma(f) = log1p(e^-f); -log sigma(-f) = f + log1p(e^-f)
    const e = Math.exp(-f);
    const sig = 1 / (1 + e);
    const g = k < 0 ? alpha * (1 - sig) : -alpha * sig;
    loss += k < 0 ? Math.log1p(e) : f + Math.log1p(e);
    let i = 0;
    for (; i + 3 < d; i += 4) {
      const u0 = W_out[row + i]!;
      const u1 = W_out[row + i + 1]!;
      const u2 = W_out[row + i + 2]!;
      const u3 = W_out[row + i + 3]!;
      work[i] = work[i]! + g * u0;
      work[i + 1] = work[i + 1]! + g * u1;
      work[i + 2] = work[i + 2]! + g * u2;
      work[i + 3] = work[i + 3]! + g * u3;
      W_out[row + i] = u0 + g * x[xo + i]!;
      W_out[row + i + 1] = u1 + g * x[xo + i + 1]!;
      W_out[row + i + 2] = u2 + g * x[xo + i + 2]!;
      W_out[row + i + 3] = u3 + g * x[xo + i + 3]!;
    }
    for (; i < d; i++) {
      const u = W_out[row + i]!;
      work[i] = work[i]! + g * u;
      W_out[row + i] = u + g * x[xo + i]!;
    }
  }
  return loss;
}

/** y[yo..yo+d) += x[0..d) */
function addRow(y: Float32Array, yo: number, x: Float32Array, d: number): void {
  for (let i = 0; i < d; i++) y[yo + i] = y[yo + i]! + x[i]!;
}

/**
 * Skip-gram's sparse step for one (context, centre) pair, as word2vec.c orders it: the context
 * word's input vector v_c is h, the centre word is the target. Touches v_c and the k + 1 output rows.
 */
export function skipGramStep(
  W_in: Float32Array,
  W_out: Float32Array,
  d: number,
  context: number,
  target: number,
  negs: Int32Array,
  nNeg: number,
  alpha: number,
  work: Float32Array,
): number {
  work.fill(0, 0, d);
  const loss = negativeSamplingStep(W_in, context * d, W_out, d, target, negs, nNeg, alpha, work);
  addRow(W_in, context * d, work, d);
  return loss;
}

/**
 * CBOW's sparse step: h = mean of the input vectors of window[from..to) except position `skip`
 * (the centre), the centre word is the target; every context row then takes work = -alpha dL/dh.
 * Returns the loss, or 0 without touching anything when the window holds no context word.
 */
export function cbowStep(
  W_in: Float32Array,
  W_out: Float32Array,
  d: number,
  window: Int32Array,
  from: number,
  to: number,
  skip: number,
  target: number,
  negs: Int32Array,
  nNeg: number,
  alpha: number,
  h: Float32Array,
  work: Float32Array,
): number {
  const count = to - from - (skip >= from && skip < to ? 1 : 0);
  if (count <= 0) return 0;
  h.fill(0, 0, d);
  for (let m = from; m < to; m++) {
    if (m === skip) continue;
    const r = window[m]! * d;
    for (let i = 0; i < d; i++) h[i] = h[i]! + W_in[r + i]!;
  }
  const inv = 1 / count;
  for (let i = 0; i < d; i++) h[i] = h[i]! * inv;
  work.fill(0, 0, d);
  const loss = negativeSamplingStep(h, 0, W_out, d, target, negs, nNeg, alpha, work);
  for (let m = from; m < to; m++) if (m !== skip) addRow(W_in, window[m]! * d, work, d);
  return loss;
}

/** Classification metrics on plain tensors (no autograd): accuracy and the confusion matrix. */
import { Tensor } from '../tensor/tensor.js';
import { fmtShape } from '../tensor/shape.js';
import { isFloat } from '../tensor/dtype.js';
import { checkArg, checkRest, checkTensor, describe } from '../tensor/validate.js';

/**
 * Predicted classes: argmax over the last dim of float scores [N, C], or integer labels [N] as they are.
 * Ties go to the lowest index, as torch.argmax.
 */
export function predictions(scores: Tensor, ...extra: never[]): Int32Array {
  checkTensor('predictions', scores, 'argument 1 (scores)');
  checkRest('predictions', extra, 1, 'predictions(scores)');
  if (!isFloat(scores.dtype)) {
    if (scores.ndim !== 1) throw new Error(`predictions: integer predictions must be 1-D, got shape ${fmtShape(scores.shape)}`);
    return Int32Array.from(scores.data as ArrayLike<number>);
  }
  if (scores.ndim !== 2) throw new Error(`predictions: expected scores [N, C] or labels [N], got shape ${fmtShape(scores.shape)}`);
  const [n, c] = scores.shape as [number, number];
  const s = scores.data;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bv = s[i * c]!;
    for (let j = 1; j < c; j++) {
      const v = s[i * c + j]!;
      if (v > bv || (Number.isNaN(v) && !Number.isNaN(bv))) {
        bv = v;
        best = j;
      }
    }
    out[i] = best;
  }
  return out;
}

function targetsOf(op: string, target: Tensor, n: number): ArrayLike<number> {
  if (target.ndim !== 1 || target.shape[0] !== n)
    throw new Error(`${op}: target shape ${fmtShape(target.shape)} does not match ${n} predictions`);
  return target.data;
}

/**
 * Fraction of correct predictions: mean(argmax(scores, -1) == target).
 * @example accuracy(logits, labels) // logits [N, C] float, labels [N] int32 -> a number in [0, 1]
 */
export function accuracy(scores: Tensor, target: Tensor, ...extra: never[]): number {
  checkTensor('accuracy', scores, 'argument 1 (scores)');
  checkTensor('accuracy', target, 'argument 2 (target)');
  checkRest('accuracy', extra, 2, 'accuracy(scores, target)');
  const pred = predictions(scores);
  const t = targetsOf('accuracy', target, pred.length);
  if (pred.length === 0) return NaN;
  let ok = 0;
  for (let i = 0; i < pred.length; i++) if (pred[i] === t[i]) ok++;
  return ok / pred.length;
}

/**
 * The numClasses x numClasses matrix m[true][predicted] of counts (sklearn's layout: rows are
 * the true class). Returns an int32 tensor.
 */
export function confusionMatrix(scores: Tensor, target: Tensor, numClasses: number, ...extra: never[]): Tensor<'int32'> {
  checkTensor('confusionMatrix', scores, 'argument 1 (scores)');
  checkTensor('confusionMatrix', target, 'argument 2 (target)');
  checkArg('confusionMatrix', 'argument 3 (numClasses)', numClasses, 'positiveInt');
  checkRest('confusionMatrix', extra, 3, 'confusionMatrix(scores, target, numClasses)');
  const pred = predictions(scores);
  const t = targetsOf('confusionMatrix', target, pred.length);
  const m = Tensor.empty([numClasses, numClasses], 'int32');
  for (let i = 0; i < pred.length; i++) {
    const a = t[i]!;
    const p = pred[i]!;
    if (!(a >= 0 && a < numClasses && p >= 0 && p < numClasses)) {
      throw new Error(`confusionMatrix: label ${a} or prediction ${p} at ${i} is outside 0..${numClasses - 1}`);
    }
    m.storage[a * numClasses + p]! += 1;
  }
  return m;
}

/** Adds matrix b into a (both [C, C] int32), for accumulating over batches. */
export function addConfusion(a: Tensor<'int32'>, b: Tensor<'int32'>, ...extra: never[]): Tensor<'int32'> {
  checkTensor('addConfusion', a, 'argument 1 (a)');
  checkTensor('addConfusion', b, 'argument 2 (b)');
  checkRest('addConfusion', extra, 2, 'addConfusion(a, b)');
  if (a.dtype !== 'int32' || b.dtype !== 'int32' || a.shape.join() !== b.shape.join())
    throw new Error(`addConfusion: expected two int32 matrices of one shape, got ${describe(a)} and ${describe(b)}`);
  for (let i = 0; i < a.storage.length; i++) a.storage[i]! += b.storage[i]!;
  return a;
}

/** A confusion matrix as aligned text, with row/column labels and per-class recall. */
export function formatConfusionMatrix(m: Tensor, labels?: readonly string[], ...extra: never[]): string {
  checkTensor('formatConfusionMatrix', m, 'argument 1 (m)');
  if (labels !== undefined && !(Array.isArray(labels) && labels.every((l) => typeof l === 'string')))
    throw new TypeError(`formatConfusionMatrix: argument 2 (labels) must be a list of strings, got ${describe(labels)}`);
  checkRest('formatConfusionMatrix', extra, 2, 'formatConfusionMatrix(m, labels?)');
  const c = m.shape[0]!;
  const names = labels ?? Array.from({ length: c }, (_, i) => String(i));
  const d = m.data;
  const w = Math.max(5, ...Array.from(d, (v) => String(v).length)) + 1;
  const lw = Math.max(...names.map((s, i) => `${i} ${s}`.length), 'true \\ pred'.length) + 1;
  const head = 'true \\ pred'.padEnd(lw) + names.map((_, j) => String(j).padStart(w)).join('') + '  recall';
  const rows = names.map((name, i) => {
    let total = 0;
    for (let j = 0; j < c; j++) total += d[i * c + j]!;
    const cells = Array.from({ length: c }, (_, j) => String(d[i * c + j]).padStart(w)).join('');
    return `${`${i} ${name}`.padEnd(lw)}${cells}  ${total ? (d[i * c + i]! / total).toFixed(3) : '-'}`;
  });
  return [head, ...rows].join('\n');
}

/** Classification metrics on plain tensors (no autograd): accuracy and the confusion matrix. */
import { Tensor } from '../tensor/tensor.js';
import { fmtShape } from '../tensor/shape.js';
import { isFloat } from '../tensor/dtype.js';

/**
 * Predicted classes: argmax over the last dim of float scores [N, C], or integer labels [N] as they are.
 * Ties go to the lowest index, as torch.argmax.
 */
export function predictions(scores: Tensor): Int32Array {
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
export function accuracy(scores: Tensor, target: Tensor): number {
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
export function confusionMatrix(scores: Tensor, target: Tensor, numClasses: number): Tensor<'int32'> {
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
export function addConfusion(a: Tensor<'int32'>, b: Tensor<'int32'>): Tensor<'int32'> {
  for (let i = 0; i < a.storage.length; i++) a.storage[i]! += b.storage[i]!;
  return a;
}

/** A confusion matrix as aligned text, with row/column labels and per-class recall. */
export function formatConfusionMatrix(m: Tensor, labels?: readonly string[]): string {
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

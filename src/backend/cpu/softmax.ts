/**
 * Softmax and log-softmax along one dim of a strided tensor, numerically stable (the maximum of
 * each line is subtracted before exponentiating). Output is written densely in row-major order.
 */
import type { ReducePlan } from './reduce.js';

/**
 * `inPlan` walks the input's lines (storage offsets), `outPlan` the same lines in the dense output.
 * As in PyTorch, a line of all -inf (or holding +inf or NaN) gives NaN.
 */
export function softmaxLines(
  src: ArrayLike<number>,
  inPlan: ReducePlan,
  dst: { [i: number]: number },
  outPlan: ReducePlan,
  log: boolean,
): void {
  const n = inPlan.rel.length;
  const tmp = new Float64Array(n);
  for (let o = 0; o < inPlan.bases.length; o++) {
    const b = inPlan.bases[o]!;
    const ob = outPlan.bases[o]!;
    let m = -Infinity;
    for (let k = 0; k < n; k++) {
      const v = src[b + inPlan.rel[k]!]!;
      tmp[k] = v;
      if (v > m || v !== v) m = v;
    }
    let s = 0;
    for (let k = 0; k < n; k++) s += Math.exp(tmp[k]! - m);
    if (log) {
      const lse = m + Math.log(s);
      for (let k = 0; k < n; k++) dst[ob + outPlan.rel[k]!] = tmp[k]! - lse;
    } else {
      for (let k = 0; k < n; k++) dst[ob + outPlan.rel[k]!] = Math.exp(tmp[k]! - m) / s;
    }
  }
}

/**
 * log(sum(exp(x))) of every reduced group, with the group maximum m subtracted first. As in
 * PyTorch, an infinite m is replaced by 0, so all -inf gives -inf and any +inf gives +inf.
 */
export function logsumexpGroups(src: ArrayLike<number>, plan: ReducePlan, out: { [i: number]: number }): void {
  const { bases, rel } = plan;
  for (let o = 0; o < bases.length; o++) {
    const b = bases[o]!;
    let m = -Infinity;
    for (let k = 0; k < rel.length; k++) {
      const v = src[b + rel[k]!]!;
      if (v > m || v !== v) m = v;
    }
    if (m === Infinity || m === -Infinity) m = 0;
    let s = 0;
    for (let k = 0; k < rel.length; k++) s += Math.exp(src[b + rel[k]!]! - m);
    out[o] = m + Math.log(s);
  }
}

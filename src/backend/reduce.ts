/**
 * Fast path for sum over a dense tensor: the shape is split into runs of reduced and kept dims and
 * the common patterns (all, a suffix, a prefix, a middle dim, kept dims between reduced ones,
 * e.g. a bias gradient over N, H, W) are summed with direct loops. Each output is accumulated in float64 over
 * the reduced elements in row-major order, exactly as the reference (cpu/reduce.ts planReduce +
 * the loop in ops/reduce/sum.ts), so results are bitwise identical. Other layouts return false.
 */
import type { Shape } from '../tensor/shape.js';
import { isDense } from './cpu/strided.js';

type Arr = { [i: number]: number; readonly length: number };

/** out = sum of x over `dims` (sorted, distinct); false when this layout is not handled here. */
export function fastSum(x: Arr, shape: Shape, strides: readonly number[], offset: number, dims: readonly number[], out: Arr): boolean {
  if (!isDense(shape, strides)) return false;
  // Collapse into [R?, K?, R?] runs (sizes 1 are ignored: they belong to either).
  const runs: { reduced: boolean; size: number }[] = [];
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const reduced = dims.includes(d);
    const last = runs[runs.length - 1];
    if (last && last.reduced === reduced) last.size *= shape[d]!;
    else runs.push({ reduced, size: shape[d]! });
  }
  let a = 1; // leading reduced
  let k = 1; // kept
  let b = 1; // trailing reduced
  const pattern = runs.map((r) => (r.reduced ? 'R' : 'K')).join('');
  if (pattern === '' || pattern === 'K') {
    const n = runs.length ? runs[0]!.size : 1;
    for (let i = 0; i < n; i++) out[i] = x[offset + i]!;
    return true;
  }
  if (pattern === 'KRK') {
    // Reduced middle (a softmax-style dim): a reduced-prefix sum per leading index.
    const [k1, r, k2] = [runs[0]!.size, runs[1]!.size, runs[2]!.size];
    const acc = new Float64Array(k2);
    for (let i = 0; i < k1; i++) {
      acc.fill(0);
      for (let t = 0; t < r; t++) {
        const row = offset + (i * r + t) * k2;
        for (let j = 0; j < k2; j++) acc[j] = acc[j]! + x[row + j]!;
      }
      for (let j = 0; j < k2; j++) out[i * k2 + j] = acc[j]!;
    }
    return true;
  }
  if (pattern === 'R') b = runs[0]!.size;
  else if (pattern === 'KR') [k, b] = [runs[0]!.size, runs[1]!.size];
  else if (pattern === 'RK') [a, k] = [runs[0]!.size, runs[1]!.size];
  else if (pattern === 'RKR') [a, k, b] = [runs[0]!.size, runs[1]!.size, runs[2]!.size];
  else return false;
  if (b === 1) {
    // Reduced prefix: add whole rows into float64 accumulators (same per-output order).
    const acc = new Float64Array(k);
    for (let i = 0; i < a; i++) {
      const row = offset + i * k;
      for (let j = 0; j < k; j++) acc[j] = acc[j]! + x[row + j]!;
    }
    for (let j = 0; j < k; j++) out[j] = acc[j]!;
    return true;
  }
  // Four outputs at a time: four independent addition chains (each output still sums its own
  // elements in row-major order, so the bits are the reference's), which a single chain's add
  // latency would otherwise serialise (a conv bias gradient is millions of elements).
  let j = 0;
  for (; j + 4 <= k; j += 4) {
    let s0 = 0,
      s1 = 0,
      s2 = 0,
      s3 = 0;
    for (let i = 0; i < a; i++) {
      const p0 = offset + (i * k + j) * b;
      for (let t = 0, p = p0; t < b; t++, p++) {
        s0 += x[p]!;
        s1 += x[p + b]!;
        s2 += x[p + 2 * b]!;
        s3 += x[p + 3 * b]!;
      }
    }
    out[j] = s0;
    out[j + 1] = s1;
    out[j + 2] = s2;
    out[j + 3] = s3;
  }
  for (; j < k; j++) {
    let s = 0;
    for (let i = 0; i < a; i++) {
      const base = offset + (i * k + j) * b;
      for (let t = 0; t < b; t++) s += x[base + t]!;
    }
    out[j] = s;
  }
  return true;
}

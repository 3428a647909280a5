/**
 * In-place strided updates: dst[i] = f(dst[i], src[i]) over a (possibly non-contiguous) view of
 * `dst`, with `src` already aligned to the view's shape (stride 0 where it is broadcast).
 * Writes go straight into the view's storage, so updating a transposed view changes its base.
 */
import type { Shape } from '../../tensor/shape.js';

export function updateStrided(
  dst: { [i: number]: number; length: number },
  shape: Shape,
  dstStrides: readonly number[],
  dstOffset: number,
  src: ArrayLike<number>,
  srcStrides: readonly number[],
  srcOffset: number,
  f: (d: number, s: number) => number,
): void {
  const nd = shape.length;
  if (nd === 0) {
    dst[dstOffset] = f(dst[dstOffset]!, src[srcOffset]!);
    return;
  }
  for (const d of shape) if (d === 0) return;
  const inner = shape[nd - 1]!;
  const di = dstStrides[nd - 1]!;
  const si = srcStrides[nd - 1]!;
  const idx = new Array<number>(nd).fill(0);
  let pd = dstOffset;
  let ps = srcOffset;
  for (;;) {
    let qd = pd;
    let qs = ps;
    for (let j = 0; j < inner; j++, qd += di, qs += si) dst[qd] = f(dst[qd]!, src[qs]!);
    let d = nd - 2;
    for (; d >= 0; d--) {
      idx[d]!++;
      pd += dstStrides[d]!;
      ps += srcStrides[d]!;
      if (idx[d]! < shape[d]!) break;
      pd -= dstStrides[d]! * shape[d]!;
      ps -= srcStrides[d]! * shape[d]!;
      idx[d] = 0;
    }
    if (d < 0) return;
  }
}

/** True when two elements of a view share one storage slot through a stride-0 dim (an expand). */
export function hasBroadcastOverlap(shape: Shape, strides: readonly number[]): boolean {
  return shape.some((d, i) => d > 1 && strides[i] === 0);
}

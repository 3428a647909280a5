/**
 * Copies between two strided views of the same shape: the kernel behind cat, pad, flip and the
 * gradient of slicing. Both sides are walked with an odometer, so neither needs to be dense.
 */
import type { Shape } from '../../tensor/shape.js';

type Dst = { [i: number]: number; length: number };

/** dst[view] = src[view] elementwise, for views of `shape` given by strides and offsets. */
export function copyView(
  src: ArrayLike<number>,
  srcStrides: readonly number[],
  srcOffset: number,
  dst: Dst,
  dstStrides: readonly number[],
  dstOffset: number,
  shape: Shape,
): void {
  walkViews(src, srcStrides, srcOffset, dst, dstStrides, dstOffset, shape, false);
}

/** dst[view] += src[view] elementwise (the views of dst must not overlap themselves). */
export function addView(
  src: ArrayLike<number>,
  srcStrides: readonly number[],
  srcOffset: number,
  dst: Dst,
  dstStrides: readonly number[],
  dstOffset: number,
  shape: Shape,
): void {
  walkViews(src, srcStrides, srcOffset, dst, dstStrides, dstOffset, shape, true);
}

function walkViews(
  src: ArrayLike<number>,
  srcStrides: readonly number[],
  srcOffset: number,
  dst: Dst,
  dstStrides: readonly number[],
  dstOffset: number,
  shape: Shape,
  accumulate: boolean,
): void {
  const nd = shape.length;
  if (nd === 0) {
    dst[dstOffset] = accumulate ? dst[dstOffset]! + src[srcOffset]! : src[srcOffset]!;
    return;
  }
  for (const d of shape) if (d === 0) return;
  const inner = shape[nd - 1]!;
  const si = srcStrides[nd - 1]!;
  const di = dstStrides[nd - 1]!;
  const idx = new Array<number>(nd).fill(0);
  let ps = srcOffset;
  let pd = dstOffset;
  for (;;) {
    let qs = ps;
    let qd = pd;
    if (accumulate) for (let j = 0; j < inner; j++, qs += si, qd += di) dst[qd] = dst[qd]! + src[qs]!;
    else for (let j = 0; j < inner; j++, qs += si, qd += di) dst[qd] = src[qs]!;
    let d = nd - 2;
    for (; d >= 0; d--) {
      idx[d]!++;
      ps += srcStrides[d]!;
      pd += dstStrides[d]!;
      if (idx[d]! < shape[d]!) break;
      ps -= srcStrides[d]! * shape[d]!;
      pd -= dstStrides[d]! * shape[d]!;
      idx[d] = 0;
    }
    if (d < 0) return;
  }
}

/**
 * In-place strided updates: dst[i] = f(dst[i], src[i]) over a (possibly non-contiguous) view of
 * `dst`, with `src` already aligned to the view's shape (stride 0 where it is broadcast).
 * Writes go straight into the view's storage, so updating a transposed view changes its base.
 */
import type { Shape } from '../../tensor/shape.js';
import type { InplaceKernel, View } from '../backend.js';

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

/** The in-place update functions by kernel name: add/sub take [alpha], clamp [lo, hi]. */
const UPDATE_REF: Record<InplaceKernel, (p: readonly number[]) => (d: number, s: number) => number> = {
  add: ([alpha = 1]) => (alpha === 1 ? (d, s) => d + s : (d, s) => d + alpha * s),
  sub: ([alpha = 1]) => (alpha === 1 ? (d, s) => d - s : (d, s) => d - alpha * s),
  mul: () => (d, s) => d * s,
  div: () => (d, s) => d / s,
  copy: () => (_d, s) => s,
  clamp:
    ([lo = -Infinity, hi = Infinity]) =>
    (d) => {
      const r = d < lo ? lo : d;
      return r > hi ? hi : r;
    },
};

/** dst[i] = op(dst[i], src[i]) over dst's view (src aligned to it, or a number); bool dst stores v != 0. */
export function updateHost(op: InplaceKernel, dst: View, src: View | number, params: readonly number[] = []): void {
  const f = UPDATE_REF[op](params);
  const g = dst.storage instanceof Uint8Array ? (d: number, s: number) => (f(d, s) !== 0 ? 1 : 0) : f;
  if (typeof src === 'number')
    updateStrided(
      dst.storage,
      dst.shape,
      dst.strides,
      dst.offset,
      [src],
      dst.shape.map(() => 0),
      0,
      g,
    );
  else updateStrided(dst.storage, dst.shape, dst.strides, dst.offset, src.storage, src.strides, src.offset, g);
}

/**
 * Index kernels on dense row-major arrays: gather / scatter(-add) along one dim, and
 * index-select / index-add of whole slices. Indices are checked by the caller (see checkIndices).
 */
import type { Shape } from '../../tensor/shape.js';
import { contiguousStrides } from '../../tensor/shape.js';

type Out = { [i: number]: number; length: number };

/**
 * Walks `shape` in row-major order keeping one storage offset per stride set, without the
 * contribution of `skipDim` (the indexed dim); calls f(k, offsets) for each element k.
 */
function walk(shape: Shape, strideSets: readonly (readonly number[])[], skipDim: number, f: (k: number, offs: number[]) => void): void {
  const nd = shape.length;
  let total = 1;
  for (const d of shape) total *= d;
  if (total === 0) return;
  const offs = new Array<number>(strideSets.length).fill(0);
  const idx = new Array<number>(nd).fill(0);
  for (let k = 0; k < total; k++) {
    f(k, offs);
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]!++;
      if (d !== skipDim) for (let s = 0; s < strideSets.length; s++) offs[s]! += strideSets[s]![d]!;
      if (idx[d]! < shape[d]!) break;
      if (d !== skipDim) for (let s = 0; s < strideSets.length; s++) offs[s]! -= strideSets[s]![d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}

/** out[i][j] = x[index[i][j]][j] (dim 0), generally out[p] = x[p with p[dim] = index[p]]; out has index's shape. */
export function gatherKernel(x: ArrayLike<number>, xShape: Shape, dim: number, index: ArrayLike<number>, idxShape: Shape, out: Out): void {
  const xs = contiguousStrides(xShape);
  const sd = xs[dim]!;
  walk(idxShape, [xs], dim, (k, [o]) => {
    out[k] = x[o! + index[k]! * sd]!;
  });
}

/**
 * out[p with p[dim] = index[p]] (+)= src[p] for every position p of index (src may be larger than
 * index; only index's extent is read). `out` already holds the destination values.
 */
export function scatterKernel(
  out: Out,
  outShape: Shape,
  dim: number,
  index: ArrayLike<number>,
  idxShape: Shape,
  src: ArrayLike<number> | number,
  srcShape: Shape,
  accumulate: boolean,
): void {
  const os = contiguousStrides(outShape);
  const sd = os[dim]!;
  const ss = contiguousStrides(srcShape);
  const nd = idxShape.length;
  // The out offset leaves out `dim` (index supplies it); the src offset is position p itself.
  let total = 1;
  for (const d of idxShape) total *= d;
  if (total === 0) return;
  const idx = new Array<number>(nd).fill(0);
  let po = 0;
  let ps = 0;
  for (let k = 0; k < total; k++) {
    const v = typeof src === 'number' ? src : src[ps]!;
    const t = po + index[k]! * sd;
    out[t] = accumulate ? out[t]! + v : v;
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]!++;
      if (d !== dim) po += os[d]!;
      ps += ss[d]!;
      if (idx[d]! < idxShape[d]!) break;
      if (d !== dim) po -= os[d]! * idxShape[d]!;
      ps -= ss[d]! * idxShape[d]!;
      idx[d] = 0;
    }
  }
}

/** out = x with dim `dim` replaced by the slices x[index[i]] (x dense, out dense). */
export function indexSelectKernel(x: ArrayLike<number>, xShape: Shape, dim: number, index: ArrayLike<number>, out: Out): void {
  let outer = 1;
  for (let d = 0; d < dim; d++) outer *= xShape[d]!;
  let inner = 1;
  for (let d = dim + 1; d < xShape.length; d++) inner *= xShape[d]!;
  const n = xShape.length === 0 ? 1 : xShape[dim]!;
  const m = index.length;
  let o = 0;
  for (let a = 0; a < outer; a++) {
    for (let i = 0; i < m; i++) {
      const base = (a * n + index[i]!) * inner;
      for (let j = 0; j < inner; j++) out[o++] = x[base + j]!;
    }
  }
}

/** out[..., index[i], ...] += alpha * src[..., i, ...] (out dense with shape outShape, src dense). */
export function indexAddKernel(
  out: Out,
  outShape: Shape,
  dim: number,
  index: ArrayLike<number>,
  src: ArrayLike<number>,
  alpha: number,
): void {
  let outer = 1;
  for (let d = 0; d < dim; d++) outer *= outShape[d]!;
  let inner = 1;
  for (let d = dim + 1; d < outShape.length; d++) inner *= outShape[d]!;
  const n = outShape.length === 0 ? 1 : outShape[dim]!;
  const m = index.length;
  let s = 0;
  for (let a = 0; a < outer; a++) {
    for (let i = 0; i < m; i++) {
      const base = (a * n + index[i]!) * inner;
      for (let j = 0; j < inner; j++) out[base + j] = out[base + j]! + alpha * src[s++]!;
    }
  }
}

/**
 * The 'cpu' backend: the JS reference kernels behind the backend interface. Storage is a host
 * typed array; every kernel is the plain loop that the fast paths (../../backend/wasm/backend.ts)
 * are tested against. Slow where it does not matter for correctness (float64 GEMM on any size),
 * exact where results are compared: float64 accumulation in sums and products.
 */
import type { Backend, View } from '../backend.js';
import { type DType, type Storage, allocStorage } from '../../tensor/dtype.js';
import { copyStrided, isDense, mapBinary, mapUnary } from './strided.js';
import { addView, copyView } from './views.js';
import { ACTIVATION_GRAD_REF, BINARY_REF, UNARY_REF } from './elementwise.js';
import { gemmBatchedRef } from './gemm.js';
import { updateHost } from './inplace.js';
import * as conv from './conv.js';
import * as pool from './pool.js';
import { cumsumLines, planReduce, prodGroups } from './reduce.js';
import { argReduce } from './argreduce.js';
import { logsumexpGroups, softmaxLines } from './softmax.js';
import { gatherKernel, indexAddKernel, indexSelectKernel, scatterKernel } from './indexing.js';
import { normBackward, normForward } from '../norm.js';
import { gruLayerBackward, gruLayerForward, lstmLayerBackward, lstmLayerForward } from '../rnn.js';

type F = Float32Array | Float64Array;

function numelOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** The view's elements in row-major order as a dense array (the storage itself when already dense). */
export function denseHost(v: View): Storage {
  const n = numelOf(v.shape);
  if (isDense(v.shape, v.strides)) return v.storage.subarray(v.offset, v.offset + n);
  const out = allocStorage(dtypeOf(v.storage), n);
  copyStrided(v.storage, v.shape, v.strides, v.offset, out);
  return out;
}

function dtypeOf(s: Storage): DType {
  if (s instanceof Float32Array) return 'float32';
  if (s instanceof Float64Array) return 'float64';
  if (s instanceof Int32Array) return 'int32';
  return 'bool';
}

/** dst = src converted elementwise: typed-array conversion, and x != 0 into bool. */
export function copyHost(src: View, dst: Storage): void {
  if (dst instanceof Uint8Array && !(src.storage instanceof Uint8Array)) {
    const tmp = new Float64Array(numelOf(src.shape));
    copyStrided(src.storage, src.shape, src.strides, src.offset, tmp);
    for (let i = 0; i < tmp.length; i++) dst[i] = tmp[i] !== 0 ? 1 : 0;
    return;
  }
  copyStrided(src.storage, src.shape, src.strides, src.offset, dst);
}

/** out = the sum of x over dims, each output accumulated in float64 in row-major order of the reduced dims. */
export function sumHost(x: View, dims: readonly number[], out: Storage): void {
  const { bases, rel } = planReduce(x.shape, x.strides, x.offset, dims);
  const s = x.storage;
  for (let i = 0; i < bases.length; i++) {
    const b = bases[i]!;
    let acc = 0;
    for (let k = 0; k < rel.length; k++) acc += s[b + rel[k]!]!;
    out[i] = acc;
  }
}

/** out = cond ? a : b over operands broadcast to shape (the reference loop over dense copies). */
export function whereHost(cond: View, a: View, b: View, shape: readonly number[], out: Storage): void {
  const n = numelOf(shape);
  const dense = (t: View): Float64Array => {
    const d = new Float64Array(n);
    copyStrided(t.storage, shape, t.strides, t.offset, d);
    return d;
  };
  const c = dense(cond);
  const va = dense(a);
  const vb = dense(b);
  for (let i = 0; i < n; i++) out[i] = c[i] ? va[i]! : vb[i]!;
}

export const cpuBackend: Backend = {
  name: 'cpu',
  hostMemory: true,

  allocate: (dtype, n) => allocStorage(dtype, n),
  read: (s) => s,
  readAsync: (s) => Promise.resolve(s),
  write: (s, values, offset = 0) => s.set(values, offset),
  fill: (s, value) => void s.fill(value),
  copy: copyHost,
  dense: denseHost,
  copyView: (src, dst) => copyView(src.storage, src.strides, src.offset, dst.storage, dst.strides, dst.offset, src.shape),
  addView: (src, dst) => addView(src.storage, src.strides, src.offset, dst.storage, dst.strides, dst.offset, src.shape),

  unary: (op, x, out, params = []) => mapUnary(x.storage, x.shape, x.strides, x.offset, out, UNARY_REF[op](params)),
  binary: (op, a, b, shape, out) => mapBinary(a.storage, a.strides, a.offset, b.storage, b.strides, b.offset, shape, out, BINARY_REF[op]),
  where: whereHost,
  update: updateHost,
  activationGrad: (op, g, v, out) => {
    const spec = ACTIVATION_GRAD_REF[op];
    mapBinary(
      g.storage,
      g.strides,
      g.offset,
      v.storage,
      v.strides,
      v.offset,
      g.shape,
      out,
      out instanceof Float32Array ? spec.f32 : spec.f64,
    );
  },

  gemm: gemmBatchedRef,
  convForward: conv.convForward,
  convBackwardInput: conv.convBackwardInput,
  convBackwardWeight: conv.convBackwardWeight,

  maxPool: pool.maxPoolForward,
  windowMean: pool.windowMeanForward,
  windowMeanBackward: pool.windowMeanBackward,
  gatherPlanes: pool.gatherPlanes,
  scatterPlanes: pool.scatterPlanes,
  scatterAddPlanes: pool.scatterAddPlanes,

  sum: sumHost,
  argReduce,
  prod: prodGroups,
  cumsum: cumsumLines,
  logsumexp: logsumexpGroups,
  softmax: softmaxLines,

  gather: gatherKernel,
  scatter: scatterKernel,
  indexSelect: indexSelectKernel,
  indexAdd: indexAddKernel,

  normForward: (x, L, eps) => normForward(x as F, L, eps, false),
  normBackward: (gy, xhat, rstd, L) => normBackward(gy as F, xhat as F, rstd as F, L, false),
  lstmForward: (dtype, d, xp, h0, c0, wHh) => lstmLayerForward(dtype, d, xp as F, h0 as F, c0 as F, wHh as F, false),
  lstmBackward: (dtype, d, saved, ghc, h0, c0, wHh) =>
    lstmLayerBackward(dtype, d, saved as never, ghc as F, h0 as F, c0 as F, wHh as F, false),
  gruForward: (dtype, d, xp, h0, wHh, bHh) => gruLayerForward(dtype, d, xp as F, h0 as F, wHh as F, bHh as F, false),
  gruBackward: (dtype, d, saved, gout, h0, wHh) => gruLayerBackward(dtype, d, saved as never, gout as F, h0 as F, wHh as F, false),
};

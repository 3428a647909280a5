/**
 * The 'wasm' backend (the default): the dispatchers in src/backend/*.ts, which run float32 work
 * of useful size in WebAssembly SIMD (and on the worker pool) and otherwise take inlined JS loops
 * or the reference kernels. Storage is the same host typed arrays as 'cpu', so nothing is copied
 * on the way in or out of an op; kernels without a fast path are the cpu backend's.
 */
import type { Backend } from '../backend.js';
import { cpuBackend, sumHost, whereHost } from '../cpu/backend.js';
import { UNARY_REF } from '../cpu/elementwise.js';
import { mapBinary, mapUnary } from '../cpu/strided.js';
import { BINARY_REF } from '../cpu/elementwise.js';
import { activationGrad, fastBinary, fastUnary, fastWhere } from '../elementwise.js';
import { gemmBatched } from '../gemm.js';
import { convBackwardInput, convBackwardWeight, convForward } from '../conv.js';
import { maxPoolForward, scatterAddPlanes, windowMeanBackward, windowMeanForward } from '../pool.js';
import { fastSum } from '../reduce.js';
import { softmax } from '../softmax.js';
import { normBackward, normForward } from '../norm.js';
import { gruLayerBackward, gruLayerForward, lstmLayerBackward, lstmLayerForward } from '../rnn.js';

type F = Float32Array | Float64Array;

export const wasmBackend: Backend = {
  ...cpuBackend,
  name: 'wasm',

  // Hot ops (relu, sigmoid, add, mul, ...) have SIMD kernels or inlined loops; the rest the reference map.
  unary: (op, x, out, params = []) => {
    if (params.length === 0 && fastUnary(op, x.storage, x.shape, x.strides, x.offset, out)) return;
    mapUnary(x.storage, x.shape, x.strides, x.offset, out, UNARY_REF[op](params));
  },
  binary: (op, a, b, shape, out) => {
    if (fastBinary(op, a.storage, a.strides, a.offset, b.storage, b.strides, b.offset, shape, out)) return;
    mapBinary(a.storage, a.strides, a.offset, b.storage, b.strides, b.offset, shape, out, BINARY_REF[op]);
  },
  where: (cond, a, b, shape, out) => {
    // Layouts that reduce to two dims are read in place, without dense copies.
    if (fastWhere(cond.storage, cond.strides, cond.offset, a.storage, a.strides, a.offset, b.storage, b.strides, b.offset, shape, out))
      return;
    whereHost(cond, a, b, shape, out);
  },
  activationGrad: (op, g, v, out) => activationGrad(op, g.storage, g.strides, g.offset, v.storage, v.strides, v.offset, g.shape, out),

  gemm: gemmBatched,
  convForward,
  convBackwardInput,
  convBackwardWeight,
  maxPool: maxPoolForward,
  windowMean: windowMeanForward,
  windowMeanBackward,
  scatterAddPlanes,

  sum: (x, dims, out) => {
    // Dense inputs in the common patterns take direct loops (same order, same results).
    if (!fastSum(x.storage, x.shape, x.strides, x.offset, dims, out)) sumHost(x, dims, out);
  },
  softmax,

  normForward: (x, L, eps) => normForward(x as F, L, eps),
  normBackward: (gy, xhat, rstd, L) => normBackward(gy as F, xhat as F, rstd as F, L),
  lstmForward: (dtype, d, xp, h0, c0, wHh) => lstmLayerForward(dtype, d, xp as F, h0 as F, c0 as F, wHh as F),
  lstmBackward: (dtype, d, saved, ghc, h0, c0, wHh) => lstmLayerBackward(dtype, d, saved as never, ghc as F, h0 as F, c0 as F, wHh as F),
  gruForward: (dtype, d, xp, h0, wHh, bHh) => gruLayerForward(dtype, d, xp as F, h0 as F, wHh as F, bHh as F),
  gruBackward: (dtype, d, saved, gout, h0, wHh) => gruLayerBackward(dtype, d, saved as never, gout as F, h0 as F, wHh as F),
};

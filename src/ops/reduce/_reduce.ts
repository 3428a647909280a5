/**
 * Helpers shared by the reduction, softmax and loss ops (family `reduce`/`loss`): dense float
 * copies of strided views, constant tensors built from typed arrays, and the shape bookkeeping of
 * a reduction (reduced dims, kept shape, group size).
 */
import { Tensor } from '../../tensor/tensor.js';
import { type DType, isFloat } from '../../tensor/dtype.js';
import { fmtShape, normDims } from '../../tensor/shape.js';
import type { ReduceOptions } from './sum.js';

/** The elements of any view in row-major order, as float64 (no graph node is recorded). */
export function denseF64(t: Tensor): Float64Array {
  return Float64Array.from(t.data);
}

/** A constant (leaf, no grad) tensor of the given shape and dtype holding `values`, on `device` (default: the current backend). */
export function constTensor(shape: readonly number[], dtype: DType, values: ArrayLike<number>, device?: string): Tensor {
  const t = Tensor.empty(shape, dtype, device);
  t.backend.write(t.storage, values);
  return t;
}

export interface ReduceDims {
  dims: number[];
  keepdim: boolean;
  /** Shape with the reduced dims kept as 1 (the gradient is reshaped to it, then broadcast). */
  keptShape: number[];
  /** Number of elements in each reduced group. */
  groupSize: number;
}

/** Normalises a reduction's dims (all when omitted) and checks that no reduced dim is empty when `nonEmpty`. */
export function reduceDims(op: string, x: Tensor, opts: ReduceOptions, nonEmpty = false): ReduceDims {
  const dims = normDims(op, opts.dim, x.ndim);
  const keptShape = x.shape.map((d, i) => (dims.includes(i) ? 1 : d));
  const groupSize = dims.reduce((p, d) => p * x.shape[d]!, 1);
  if (nonEmpty && groupSize === 0) {
    throw new Error(
      `${op}: cannot reduce over an empty dim of shape ${fmtShape(x.shape)} (dims ${fmtShape(dims)}): the result has no identity`,
    );
  }
  return { dims, keepdim: opts.keepdim ?? false, keptShape, groupSize };
}

/** The divisor correction of var/std (PyTorch: correction=1 unless unbiased=false). */
export function correctionOf(op: string, x: Tensor, opts: { correction?: number; unbiased?: boolean }): number {
  if (!isFloat(x.dtype)) {
    throw new Error(`${op}: expected a floating point tensor, got ${x.dtype} of shape ${fmtShape(x.shape)}`);
  }
  const c = opts.correction ?? (opts.unbiased === false ? 0 : 1);
  if (!(c >= 0)) throw new Error(`${op}: correction must be non-negative, got ${c}`);
  return c;
}

/**
 * Helpers shared by the elementwise family: dtype guards with PyTorch's rules and wording, the
 * clamp kernel, and the tie-splitting gradient of maximum/minimum. Not part of the public API.
 */
import type { Tensor } from '../../tensor/tensor.js';
import { type DType, isFloat, promoteWithScalar } from '../../tensor/dtype.js';
import { fmtShape } from '../../tensor/shape.js';
import { mul } from './mul.js';
import { where } from './where.js';
import { checkTensor } from '../../tensor/validate.js';

/** Throws unless x is float32/float64 (PyTorch has no integer kernels for these activations). */
export function requireFloat(op: string, x: Tensor): void {
  checkTensor(op, x);
  if (!isFloat(x.dtype)) {
    throw new Error(`${op}: expected a floating point tensor, got ${x.dtype} of shape ${fmtShape(x.shape)}`);
  }
}

/** Throws for bool tensors (ops that keep integer dtypes but have no bool kernel in PyTorch). */
export function rejectBool(op: string, x: Tensor): void {
  checkTensor(op, x);
  if (x.dtype === 'bool') {
    throw new Error(`${op}: bool tensors are not supported (shape ${fmtShape(x.shape)}); cast with .int() or .float() first`);
  }
}

/**
 * Gradient share of `self` in max/min-like ops: g where self wins, g/2 on ties, 0 where it loses
 * (PyTorch splits ties evenly between the two operands).
 */
export function tieSplitGrad(g: Tensor, wins: Tensor, ties: Tensor): Tensor {
  return where(wins, g, where(ties, mul(g, 0.5), 0));
}

/** Bound of clamp/clamp_: a number, or null/undefined for no bound. */
export type ClampBound = number | null | undefined;

/** The dtype clamp computes in: the tensor's, promoted by float bounds (int tensor, 0.5 -> float32). */
export function clampDtype(x: Tensor, min: ClampBound, max: ClampBound): DType {
  let dt = x.dtype;
  if (min != null) dt = promoteWithScalar(dt, min);
  if (max != null) dt = promoteWithScalar(dt, max);
  return dt;
}

/**
 * The clamp bounds rounded to the compute dtype (PyTorch casts scalar bounds to it); a missing
 * bound is -Infinity / Infinity. The kernel is min(max(x, lo), hi): NaN stays NaN, and lo > hi
 * gives hi everywhere, as torch.clamp.
 */
export function clampBounds(op: string, x: Tensor, min: ClampBound, max: ClampBound, dt: DType): { lo: number; hi: number } {
  if (min == null && max == null) {
    throw new Error(`${op}: at least one of min and max must be given (tensor of shape ${fmtShape(x.shape)})`);
  }
  const q = (b: number): number => (dt === 'float32' ? Math.fround(b) : dt === 'int32' ? Math.trunc(b) : b);
  return { lo: min == null ? -Infinity : q(min), hi: max == null ? Infinity : q(max) };
}

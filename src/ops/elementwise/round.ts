import { Tensor } from '../../tensor/tensor.js';
import { zerosLike } from '../../tensor/creation.js';
import { unaryOp } from '../_util.js';
import { rejectBool } from './_elementwise.js';
import { defineOp } from '../registry.js';
import { checkOptions } from '../../tensor/validate.js';

export interface RoundOptions {
  /** Number of decimal places (negative: round to tens, hundreds...). Default 0. */
  decimals?: number;
}

/**
 * Elementwise rounding to the nearest integer, ties to even (0.5 -> 0, 1.5 -> 2, 2.5 -> 2), as
 * torch.round. With `decimals`, rounds x * 10^decimals (computed in the tensor's precision) and
 * scales back, exactly as PyTorch does. Integer tensors are returned as a copy (decimals = 0);
 * bool is rejected. The gradient is zero, the true derivative almost everywhere.
 * @example round(tensor([0.5, 1.5, 2.5, -0.5])) // [0, 2, 2, -0]
 */
export function round(x: Tensor, opts: RoundOptions = {}): Tensor {
  opts = checkOptions('round', 2, opts, { decimals: 'number' });
  rejectBool('round', x);
  const decimals = opts.decimals ?? 0;
  if (!Number.isInteger(decimals)) throw new Error(`round: decimals must be an integer, got ${decimals}`);
  if (decimals !== 0 && x.dtype === 'int32') throw new Error('round: decimals is not supported for int32 tensors (as in PyTorch)');
  // PyTorch computes the scaled value in the input's precision (the kernel's second parameter).
  const kernel = decimals === 0 ? 'round' : { kernel: 'round' as const, params: [decimals, x.dtype === 'float32' ? 1 : 0] };
  return unaryOp('round', x, kernel, x.dtype, (g) => zerosLike(g));
}
defineOp('round', 'differentiable');

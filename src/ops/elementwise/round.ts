import { Tensor } from '../../tensor/tensor.js';
import { zerosLike } from '../../tensor/creation.js';
import { unaryOp } from '../_util.js';
import { rejectBool } from './_elementwise.js';
import { defineOp } from '../registry.js';

export interface RoundOptions {
  /** Number of decimal places (negative: round to tens, hundreds...). Default 0. */
  decimals?: number;
}

/** Round half to even (C's nearbyint in the default rounding mode, which PyTorch uses). */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  // Math.round sends ties up; a tie that landed on an odd integer goes back down by one.
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Elementwise rounding to the nearest integer, ties to even (0.5 -> 0, 1.5 -> 2, 2.5 -> 2), as
 * torch.round. With `decimals`, rounds x * 10^decimals (computed in the tensor's precision) and
 * scales back, exactly as PyTorch does. Integer tensors are returned as a copy (decimals = 0);
 * bool is rejected. The gradient is zero, the true derivative almost everywhere.
 * @example round(tensor([0.5, 1.5, 2.5, -0.5])) // [0, 2, 2, -0]
 */
export function round(x: Tensor, opts: RoundOptions = {}): Tensor {
  rejectBool('round', x);
  const decimals = opts.decimals ?? 0;
  if (!Number.isInteger(decimals)) throw new Error(`round: decimals must be an integer, got ${decimals}`);
  let f: (v: number) => number = roundHalfEven;
  if (decimals !== 0) {
    if (x.dtype === 'int32') throw new Error('round: decimals is not supported for int32 tensors (as in PyTorch)');
    // PyTorch computes the scaled value in the input's precision; fround mimics float32 arithmetic.
    const q = x.dtype === 'float32' ? Math.fround : (v: number) => v;
    const p = q(10 ** Math.abs(decimals));
    f = decimals > 0 ? (v) => q(roundHalfEven(q(v * p)) / p) : (v) => q(roundHalfEven(q(v / p)) * p);
  }
  return unaryOp('round', x, f, x.dtype, (g) => zerosLike(g));
}
defineOp('round', 'differentiable');

import { Tensor } from '../../tensor/tensor.js';
import { fmtShape, normDim } from '../../tensor/shape.js';
import { cat } from './cat.js';
import { flatten } from './flatten.js';
import { narrow } from './narrow.js';
import { reshape } from './reshape.js';
import { defineOp } from '../registry.js';
import { checkTensor } from '../../tensor/validate.js';

/**
 * Rotates elements along dims: out[(i + shift) mod n] = x[i] (torch.roll). Without dims, x is
 * flattened, rolled and reshaped back. Built from narrow + cat.
 * @example roll(tensor([1, 2, 3, 4]), 1) // [4, 1, 2, 3]
 */
export function roll(x: Tensor, shifts: number | readonly number[], dims?: number | readonly number[]): Tensor {
  checkTensor('roll', x);
  const sh = typeof shifts === 'number' ? [shifts] : [...shifts];
  if (dims === undefined) {
    if (sh.length !== 1) throw new Error(`roll: without dims, shifts must be a single number, got ${fmtShape(sh)}`);
    return reshape(roll(flatten(x), sh[0]!, 0), x.shape);
  }
  const ds = typeof dims === 'number' ? [dims] : [...dims];
  if (ds.length !== sh.length) {
    throw new Error(`roll: shifts ${fmtShape(sh)} and dims ${fmtShape(ds)} must have the same length`);
  }
  let out = x;
  ds.forEach((dim, i) => {
    const d = normDim('roll', dim, x.ndim);
    const n = x.shape[d]!;
    if (n === 0) return;
    const s = ((sh[i]! % n) + n) % n;
    if (s === 0) return;
    out = cat([narrow(out, d, n - s, s), narrow(out, d, 0, n - s)], d);
  });
  return out;
}
defineOp('roll', 'differentiable');

import { Tensor } from '../../tensor/tensor.js';
import { normDim } from '../../tensor/shape.js';
import { checkRange, slice } from './slice.js';
import { defineOp } from '../registry.js';
import { checkTensor } from '../../tensor/validate.js';

/**
 * The view x[..., start:start+length, ...] along `dim` (start may be negative, counting from the
 * end; the range must lie inside the dim, as torch.narrow). Shares storage with x.
 * @example narrow(arange(10), 0, 2, 3) // [2, 3, 4]
 */
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  checkTensor('narrow', x);
  if (x.ndim === 0) throw new Error('narrow: cannot narrow a 0-d tensor');
  const d = normDim('narrow', dim, x.ndim);
  const s = checkRange('narrow', x, d, start, length);
  return slice(x, d, s, s + length);
}
defineOp('narrow', 'differentiable');

import { Tensor } from '../../tensor/tensor.js';
import { fmtShape, normDim } from '../../tensor/shape.js';
import { slice } from './slice.js';
import { squeeze } from './squeeze.js';
import { defineOp } from '../registry.js';
import { checkTensor } from '../../tensor/validate.js';

/**
 * x[..., index, ...] along `dim`, removing that dim (a view; negative index counts from the end).
 * @example select(x, 1, -1) // x[:, -1]
 */
export function select(x: Tensor, dim: number, index: number): Tensor {
  checkTensor('select', x);
  if (x.ndim === 0) throw new Error('select: cannot select from a 0-d tensor');
  const d = normDim('select', dim, x.ndim);
  const n = x.shape[d]!;
  if (!Number.isInteger(index) || index < -n || index >= n) {
    throw new Error(`select: index ${index} is out of range for dim ${d} of size ${n} (tensor shape ${fmtShape(x.shape)})`);
  }
  const i = index < 0 ? index + n : index;
  return squeeze(slice(x, d, i, i + 1), d);
}
defineOp('select', 'differentiable');

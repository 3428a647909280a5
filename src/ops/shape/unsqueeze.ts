import { Tensor } from '../../tensor/tensor.js';
import { normDim } from '../../tensor/shape.js';
import { record } from '../../autograd/node.js';
import { reshape } from './reshape.js';
import { defineOp } from '../registry.js';
import { oneDim, tensorDimArgs } from '../../tensor/validate.js';

/**
 * Inserts a size-1 dim at position `dim` (-ndim-1 <= dim <= ndim) as a view.
 * The gradient reshapes g back to x's shape.
 * @example unsqueeze(zeros([2, 3]), -1).shape // [2, 3, 1]
 */
export function unsqueeze(x: Tensor, dim: number | { dim: number }): Tensor {
  const d = normDim('unsqueeze', tensorDimArgs<{ dim: number }>('unsqueeze', x, dim, undefined, oneDim, true).dim, x.ndim + 1);
  const shape = [...x.shape];
  const strides = [...x.strides];
  shape.splice(d, 0, 1);
  strides.splice(d, 0, d < x.ndim ? x.shape[d]! * x.strides[d]! : 1);
  const out = new Tensor(x.storage, shape, strides, x.offset, x.device);
  return record('unsqueeze', [x], out, (g) => [reshape(g, x.shape)]);
}
defineOp('unsqueeze', 'differentiable');

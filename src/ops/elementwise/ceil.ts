import { Tensor } from '../../tensor/tensor.js';
import { zerosLike } from '../../tensor/creation.js';
import { unaryOp } from '../_util.js';
import { rejectBool } from './_elementwise.js';
import { defineOp } from '../registry.js';

/**
 * Elementwise ceiling: the smallest integer >= x.
 * Integer tensors are returned as a copy; bool is rejected, as in PyTorch. The gradient is zero,
 * the true derivative almost everywhere (PyTorch does the same).
 * @example ceil(tensor([-1.5, 1.5])) // [-1, 2]
 */
export function ceil(x: Tensor): Tensor {
  rejectBool('ceil', x);
  return unaryOp('ceil', x, 'ceil', x.dtype, (g) => zerosLike(g));
}
defineOp('ceil', 'differentiable');

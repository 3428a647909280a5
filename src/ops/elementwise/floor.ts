import { Tensor } from '../../tensor/tensor.js';
import { zerosLike } from '../../tensor/creation.js';
import { unaryOp } from '../_util.js';
import { rejectBool } from './_elementwise.js';
import { defineOp } from '../registry.js';

/**
 * Elementwise floor: the largest integer <= x.
 * Integer tensors are returned as a copy; bool is rejected, as in PyTorch. The gradient is zero,
 * the true derivative almost everywhere (PyTorch does the same).
 * @example floor(tensor([-1.5, 1.5])) // [-2, 1]
 */
export function floor(x: Tensor): Tensor {
  rejectBool('floor', x);
  return unaryOp('floor', x, 'floor', x.dtype, (g) => zerosLike(g));
}
defineOp('floor', 'differentiable');

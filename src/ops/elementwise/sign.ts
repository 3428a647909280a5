import { Tensor } from '../../tensor/tensor.js';
import { zerosLike } from '../../tensor/creation.js';
import { unaryOp } from '../_util.js';
import { defineOp } from '../registry.js';

/**
 * Elementwise sign: -1, 0 or 1 (0 for NaN, as PyTorch's (0 < x) - (x < 0)); keeps the dtype.
 * The gradient is zero (the true derivative almost everywhere), as in PyTorch.
 * @example sign(tensor([-2, 0, 3])) // [-1, 0, 1]
 */
export function sign(x: Tensor): Tensor {
  return unaryOp('sign', x, 'sign', x.dtype, (g) => zerosLike(g));
}
defineOp('sign', 'differentiable');

import { Tensor } from '../../tensor/tensor.js';
import { unaryOp } from '../_util.js';
import { mul } from './mul.js';
import { defineOp } from '../registry.js';

/**
 * Elementwise square: out = x^2; d/dx = 2x. Integer tensors stay integer and bool becomes int32,
 * as in PyTorch (which gives int64).
 * @example square(tensor([-3, 0.5])) // [9, 0.25]
 */
export function square(x: Tensor): Tensor {
  return unaryOp('square', x, 'square', x.dtype === 'bool' ? 'int32' : x.dtype, (g) => mul(g, mul(x, 2)));
}
defineOp('square', 'differentiable');

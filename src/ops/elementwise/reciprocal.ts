import { Tensor } from '../../tensor/tensor.js';
import { floatDtype, unaryOp } from '../_util.js';
import { mul } from './mul.js';
import { neg } from './neg.js';
import { defineOp } from '../registry.js';

/**
 * Elementwise reciprocal: out = 1 / x; d/dx = -out^2 (from the saved output).
 * Integer and bool inputs compute in float32, as in PyTorch.
 * @example reciprocal(tensor([2, -4])) // [0.5, -0.25]
 */
export function reciprocal(x: Tensor): Tensor {
  return unaryOp('reciprocal', x, 'reciprocal', floatDtype(x), (g, out) => neg(mul(g, mul(out, out))));
}
defineOp('reciprocal', 'differentiable');

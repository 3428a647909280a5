import { Tensor } from '../../tensor/tensor.js';
import { floatDtype, unaryOp } from '../_util.js';
import { mul } from './mul.js';
import { pow } from './pow.js';
import { defineOp } from '../registry.js';

/**
 * Elementwise reciprocal square root: out = 1 / sqrt(x); d/dx = -out^3 / 2 (from the saved output).
 * Integer and bool inputs compute in float32, as in PyTorch.
 * @example rsqrt(tensor([4, 0.25])) // [0.5, 2]
 */
export function rsqrt(x: Tensor): Tensor {
  return unaryOp('rsqrt', x, 'rsqrt', floatDtype(x), (g, out) => mul(g, mul(pow(out, 3), -0.5)));
}
defineOp('rsqrt', 'differentiable');

import { Tensor } from '../../tensor/tensor.js';
import { floatDtype, unaryOp } from '../_util.js';
import { tanhBackward } from './tanhBackward.js';
import { defineOp } from '../registry.js';

/**
 * Hyperbolic tangent: out = tanh(x); d/dx = 1 - out^2 (from the saved output).
 * Integer and bool inputs compute in float32, as in PyTorch.
 * @example tanh(tensor([0])) // [0]
 */
export function tanh(x: Tensor): Tensor {
  return unaryOp('tanh', x, 'tanh', floatDtype(x), (g, out) => tanhBackward(g, out));
}
defineOp('tanh', 'differentiable');

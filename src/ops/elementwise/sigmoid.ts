import { Tensor } from '../../tensor/tensor.js';
import { floatDtype, unaryOp } from '../_util.js';
import { sigmoidBackward } from './sigmoidBackward.js';

import { defineOp } from '../registry.js';

/**
 * Logistic sigmoid: out = 1 / (1 + e^-x); d/dx = out (1 - out) (from the saved output).
 * Integer and bool inputs compute in float32, as in PyTorch.
 * @example sigmoid(tensor([0])) // [0.5]
 */
export function sigmoid(x: Tensor): Tensor {
  return unaryOp('sigmoid', x, 'sigmoid', floatDtype(x), (g, out) => sigmoidBackward(g, out));
}
defineOp('sigmoid', 'differentiable');

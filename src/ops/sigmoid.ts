import { Tensor } from '../tensor/tensor.js';
import type { DType } from '../tensor/dtype.js';
import { floatDtype, unaryOp } from './_util.js';
import { mul } from './mul.js';
import { sub } from './sub.js';

import { defineOp } from './registry.js';

/**
 * Logistic sigmoid: out = 1 / (1 + e^-x); d/dx = out (1 - out) (from the saved output).
 * Integer and bool inputs compute in float32, as in PyTorch.
 * @example sigmoid(tensor([0])) // [0.5]
 */
export function sigmoid(x: Tensor): Tensor {
  return unaryOp('sigmoid', x, (v) => 1 / (1 + Math.exp(-v)), floatDtype(x), (g, out) => mul(g, mul(out, sub(1, out))));
}
defineOp('sigmoid', 'differentiable');

declare module '../tensor/tensor.js' {
  interface Tensor<D extends DType = DType> {
    sigmoid(): Tensor;
  }
}
Tensor.prototype.sigmoid = function (this: Tensor) {
  return sigmoid(this);
};

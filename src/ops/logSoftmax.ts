import { Tensor } from '../tensor/tensor.js';
import type { DType } from '../tensor/dtype.js';
import { record } from '../autograd/node.js';
import { exp } from './exp.js';
import { mul } from './mul.js';
import { sub } from './sub.js';
import { sum } from './sum.js';
import { softmaxForward } from './_select.js';
import { defineOp } from './registry.js';

/**
 * log(softmax(x)) along `dim`, computed stably as x - m - log(sum(exp(x - m))).
 * Backward: dx = g - exp(out) * sum(g), written with public ops (double backward works).
 * @example logSoftmax(tensor([[1, 2, 3]]), 1) // [[-2.4076, -1.4076, -0.4076]]
 */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  const { out, dims } = softmaxForward('logSoftmax', x, dim, true);
  return record('logSoftmax', [x], out, (g) => [sub(g, mul(exp(out), sum(g, { dim: dims, keepdim: true })))]);
}
defineOp('logSoftmax', 'differentiable');

declare module '../tensor/tensor.js' {
  interface Tensor<D extends DType = DType> {
    logSoftmax(dim: number): Tensor;
  }
}
Tensor.prototype.logSoftmax = function (this: Tensor, dim: number) {
  return logSoftmax(this, dim);
};

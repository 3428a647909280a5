import { Tensor } from '../../tensor/tensor.js';
import { record } from '../../autograd/node.js';
import { exp } from '../elementwise/exp.js';
import { mul } from '../elementwise/mul.js';
import { sub } from '../elementwise/sub.js';
import { sum } from '../reduce/sum.js';
import { softmaxForward } from '../indexing/_select.js';
import { defineOp } from '../registry.js';
import { oneDim, tensorDimArgs } from '../../tensor/validate.js';

/**
 * log(softmax(x)) along `dim`, computed stably as x - m - log(sum(exp(x - m))).
 * Backward: dx = g - exp(out) * sum(g), written with public ops (double backward works).
 * @example logSoftmax(tensor([[1, 2, 3]]), 1) // [[-2.4076, -1.4076, -0.4076]]
 */
export function logSoftmax(x: Tensor, dim: number | { dim: number }): Tensor {
  const d = tensorDimArgs<{ dim: number }>('logSoftmax', x, dim, undefined, oneDim, true).dim;
  const { out, dims } = softmaxForward('logSoftmax', x, d, true);
  return record('logSoftmax', [x], out, (g) => [sub(g, mul(exp(out), sum(g, { dim: dims, keepdim: true })))]);
}
defineOp('logSoftmax', 'differentiable');

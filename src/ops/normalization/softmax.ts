import { Tensor } from '../../tensor/tensor.js';
import { record } from '../../autograd/node.js';
import { mul } from '../elementwise/mul.js';
import { sub } from '../elementwise/sub.js';
import { sum } from '../reduce/sum.js';
import { softmaxForward } from '../indexing/_select.js';
import { defineOp } from '../registry.js';
import { oneDim, tensorDimArgs } from '../../tensor/validate.js';

/**
 * Softmax along `dim`: s_i = exp(x_i - m) / sum_j exp(x_j - m), m the maximum of the line
 * (numerically stable). Integer inputs give float32.
 * Backward: dx = s * (g - sum(g * s)), written with public ops (double backward works).
 * @example softmax(tensor([[1, 2, 3]]), -1) // [[0.0900, 0.2447, 0.6652]] (also softmax(t, { dim: -1 }))
 */
export function softmax(x: Tensor, dim: number | { dim: number }): Tensor {
  const d = tensorDimArgs<{ dim: number }>('softmax', x, dim, undefined, oneDim, true).dim;
  const { out, dims } = softmaxForward('softmax', x, d, false);
  return record('softmax', [x], out, (g) => [mul(out, sub(g, sum(mul(g, out), { dim: dims, keepdim: true })))]);
}
defineOp('softmax', 'differentiable');

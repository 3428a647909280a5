import { Tensor } from '../../tensor/tensor.js';
import { isFloat } from '../../tensor/dtype.js';
import { contiguousStrides, normDim } from '../../tensor/shape.js';
import { backendOf, planReduce } from '../../backend/index.js';
import { record } from '../../autograd/node.js';
import { add } from '../elementwise/add.js';
import { sub } from '../elementwise/sub.js';
import { sum } from './sum.js';
import { defineOp } from '../registry.js';
import { oneDim, tensorDimArgs } from '../../tensor/validate.js';

/**
 * Cumulative sum along `dim`: out_i = sum_{j <= i} x_j. bool/int32 inputs give int32.
 * Backward is the reversed cumulative sum, written as sum(g) - cumsum(g) + g.
 * @example cumsum(tensor([1, 2, 3]), 0) // [1, 3, 6]
 */
export function cumsum(x: Tensor, dim: number | { dim: number }): Tensor {
  const d = normDim('cumsum', tensorDimArgs<{ dim: number }>('cumsum', x, dim, undefined, oneDim, true).dim, x.ndim);
  const dims = x.ndim === 0 ? [] : [d];
  const inPlan = planReduce(x.shape, x.strides, x.offset, dims);
  const outPlan = planReduce(x.shape, contiguousStrides(x.shape), 0, dims);
  const be = backendOf('cumsum', x);
  const out = Tensor.empty(x.shape, isFloat(x.dtype) ? x.dtype : 'int32', be.name);
  be.cumsum(x.storage, inPlan, out.storage, outPlan);
  return record('cumsum', [x], out, (g) => [add(sub(sum(g, { dim: dims, keepdim: true }), cumsum(g, d)), g)]);
}
defineOp('cumsum', 'differentiable');

import { Tensor } from '../../tensor/tensor.js';
import { isFloat } from '../../tensor/dtype.js';
import { contiguousStrides, normDim } from '../../tensor/shape.js';
import { planReduce } from '../../backend/cpu/reduce.js';
import { record } from '../../autograd/node.js';
import { add } from '../elementwise/add.js';
import { sub } from '../elementwise/sub.js';
import { sum } from './sum.js';
import { defineOp } from '../registry.js';

/**
 * Cumulative sum along `dim`: out_i = sum_{j <= i} x_j. bool/int32 inputs give int32.
 * Backward is the reversed cumulative sum, written as sum(g) - cumsum(g) + g.
 * @example cumsum(tensor([1, 2, 3]), 0) // [1, 3, 6]
 */
export function cumsum(x: Tensor, dim: number): Tensor {
  const d = normDim('cumsum', dim, x.ndim);
  const dims = x.ndim === 0 ? [] : [d];
  const inPlan = planReduce(x.shape, x.strides, x.offset, dims);
  const outPlan = planReduce(x.shape, contiguousStrides(x.shape), 0, dims);
  const out = Tensor.empty(x.shape, isFloat(x.dtype) ? x.dtype : 'int32', x.device);
  const s = x.storage;
  for (let o = 0; o < inPlan.bases.length; o++) {
    const b = inPlan.bases[o]!;
    const ob = outPlan.bases[o]!;
    let acc = 0;
    for (let k = 0; k < inPlan.rel.length; k++) {
      acc += s[b + inPlan.rel[k]!]!;
      out.storage[ob + outPlan.rel[k]!] = acc;
    }
  }
  return record('cumsum', [x], out, (g) => [add(sub(sum(g, { dim: dims, keepdim: true }), cumsum(g, d)), g)]);
}
defineOp('cumsum', 'differentiable');

import { Tensor } from '../../tensor/tensor.js';
import { binaryOp, type Operand } from '../_util.js';
import { eq } from './eq.js';
import { gt } from './gt.js';
import { lt } from './lt.js';
import { tieSplitGrad } from './_elementwise.js';
import { defineOp } from '../registry.js';

/**
 * Elementwise minimum with broadcasting and type promotion: out = min(a, b) (NaN propagates).
 * The gradient goes to the smaller operand; ties split it half and half, as torch.minimum.
 * @example minimum(tensor([1, 5]), tensor([3, 2])) // [1, 2]
 */
export function minimum(a: Operand, b: Operand): Tensor {
  return binaryOp('minimum', a, b, {}, (g, ta, tb) => {
    const ties = eq(ta, tb);
    return [ta.requiresGrad ? tieSplitGrad(g, lt(ta, tb), ties) : null, tb.requiresGrad ? tieSplitGrad(g, gt(ta, tb), ties) : null];
  });
}
defineOp('minimum', 'differentiable');

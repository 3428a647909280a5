import { Tensor } from '../../tensor/tensor.js';
import { binaryOp, type Operand } from '../_util.js';
import { eq } from './eq.js';
import { gt } from './gt.js';
import { lt } from './lt.js';
import { tieSplitGrad } from './_elementwise.js';
import { defineOp } from '../registry.js';

/**
 * Elementwise maximum with broadcasting and type promotion: out = max(a, b) (NaN propagates).
 * The gradient goes to the larger operand; ties split it half and half, as torch.maximum.
 * @example maximum(tensor([1, 5]), tensor([3, 2])) // [3, 5]
 */
export function maximum(a: Operand, b: Operand): Tensor {
  return binaryOp('maximum', a, b, {}, (g, ta, tb) => {
    const ties = eq(ta, tb);
    return [ta.requiresGrad ? tieSplitGrad(g, gt(ta, tb), ties) : null, tb.requiresGrad ? tieSplitGrad(g, lt(ta, tb), ties) : null];
  });
}
defineOp('maximum', 'differentiable');

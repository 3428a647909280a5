import { Tensor } from '../../tensor/tensor.js';
import { binaryOp, type Operand } from '../_util.js';
import { defineOp } from '../registry.js';

/** Elementwise product with broadcasting: out = a * b; da = g * b, db = g * a. */
export function mul(a: Operand, b: Operand): Tensor {
  return binaryOp('mul', a, b, {}, (g, ta, tb) => [ta.requiresGrad ? mul(g, tb) : null, tb.requiresGrad ? mul(g, ta) : null]);
}
defineOp('mul', 'differentiable');

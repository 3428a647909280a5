import { Tensor } from '../../tensor/tensor.js';
import { binaryOp, type Operand } from '../_util.js';
import { defineOp } from '../registry.js';

/**
 * Elementwise sum with broadcasting: out = a + b.
 * @example add(tensor([[1, 2]]), tensor([[10], [20]])) // shape [2, 2]
 */
export function add(a: Operand, b: Operand): Tensor {
  return binaryOp('add', a, b, { readsInputs: false }, (g) => [g, g]);
}
defineOp('add', 'differentiable');

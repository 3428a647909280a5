import { Tensor } from '../../tensor/tensor.js';
import { binaryOp, type Operand } from '../_util.js';
import { defineOp } from '../registry.js';

/**
 * Elementwise a != b (true where either is NaN) with broadcasting, as a bool tensor (no gradient). Operands are compared after
 * type promotion, as in PyTorch.
 * @example ne(tensor([1, 2, 3]), 2) // [true, false, true]
 */
export function ne(a: Operand, b: Operand): Tensor<'bool'> {
  return binaryOp('ne', a, b, { outDtype: 'bool' }) as Tensor<'bool'>;
}
defineOp('ne', 'nondifferentiable');

import { Tensor } from '../../tensor/tensor.js';
import { binaryOp, type Operand } from '../_util.js';
import { defineOp } from '../registry.js';

/**
 * Elementwise a >= b with broadcasting, as a bool tensor (no gradient). Operands are compared after
 * type promotion, as in PyTorch.
 * @example ge(tensor([1, 2, 3]), 2) // [false, true, true]
 */
export function ge(a: Operand, b: Operand): Tensor<'bool'> {
  return binaryOp('ge', a, b, { outDtype: 'bool' }) as Tensor<'bool'>;
}
defineOp('ge', 'nondifferentiable');

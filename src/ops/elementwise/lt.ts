import { Tensor } from '../../tensor/tensor.js';
import { binaryOp, type Operand } from '../_util.js';
import { defineOp } from '../registry.js';

/**
 * Elementwise a < b with broadcasting, as a bool tensor (no gradient). Operands are compared after
 * type promotion, as in PyTorch.
 * @example lt(tensor([1, 2, 3]), 2) // [true, false, false]
 */
export function lt(a: Operand, b: Operand): Tensor<'bool'> {
  return binaryOp('lt', a, b, { outDtype: 'bool' }) as Tensor<'bool'>;
}
defineOp('lt', 'nondifferentiable');

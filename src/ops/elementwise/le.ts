import { Tensor } from '../../tensor/tensor.js';
import { binaryOp, type Operand } from '../_util.js';
import { defineOp } from '../registry.js';

/**
 * Elementwise a <= b with broadcasting, as a bool tensor (no gradient). Operands are compared after
 * type promotion, as in PyTorch.
 * @example le(tensor([1, 2, 3]), 2) // [true, true, false]
 */
export function le(a: Operand, b: Operand): Tensor<'bool'> {
  return binaryOp('le', a, b, { outDtype: 'bool' }) as Tensor<'bool'>;
}
defineOp('le', 'nondifferentiable');

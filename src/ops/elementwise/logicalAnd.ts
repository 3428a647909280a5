import { Tensor } from '../../tensor/tensor.js';
import { binaryOp, type Operand } from '../_util.js';
import { defineOp } from '../registry.js';

/**
 * Elementwise logical AND with broadcasting: (a != 0) AND (b != 0), as a bool tensor (no gradient).
 * Any dtypes (NaN counts as true), as torch.logical_and.
 * @example logicalAnd(tensor([0, 1, 2]), tensor([true, true, false])) // [false, true, false]
 */
export function logicalAnd(a: Operand, b: Operand): Tensor<'bool'> {
  return binaryOp('logicalAnd', a, b, { outDtype: 'bool' }) as Tensor<'bool'>;
}
defineOp('logicalAnd', 'nondifferentiable');

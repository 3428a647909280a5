import { Tensor } from '../../tensor/tensor.js';
import { binaryOp, type Operand } from '../_util.js';
import { defineOp } from '../registry.js';

/**
 * Elementwise logical OR with broadcasting: (a != 0) OR (b != 0), as a bool tensor (no gradient).
 * Any dtypes (NaN counts as true), as torch.logical_or.
 * @example logicalOr(tensor([0, 1, 2]), tensor([true, true, false])) // [true, true, true]
 */
export function logicalOr(a: Operand, b: Operand): Tensor<'bool'> {
  return binaryOp('logicalOr', a, b, { outDtype: 'bool' }) as Tensor<'bool'>;
}
defineOp('logicalOr', 'nondifferentiable');

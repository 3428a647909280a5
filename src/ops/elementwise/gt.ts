import { Tensor } from '../../tensor/tensor.js';
import { binaryOp, type Operand } from '../_util.js';
import { defineOp } from '../registry.js';

/**
 * Elementwise a > b with broadcasting, as a bool tensor (no gradient). Operands are compared after
 * type promotion, as in PyTorch.
 * @example gt(tensor([1, 2, 3]), 2) // [false, false, true]
 */
export function gt(a: Operand, b: Operand): Tensor<'bool'> {
  return binaryOp('gt', a, b, { outDtype: 'bool' }) as Tensor<'bool'>;
}
defineOp('gt', 'nondifferentiable');

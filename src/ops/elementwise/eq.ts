import { Tensor } from '../../tensor/tensor.js';
import { binaryOp, type Operand } from '../_util.js';
import { defineOp } from '../registry.js';

/** Elementwise a == b with broadcasting, as a bool tensor (no gradient). */
export function eq(a: Operand, b: Operand): Tensor<'bool'> {
  return binaryOp('eq', a, b, { outDtype: 'bool' }) as Tensor<'bool'>;
}
defineOp('eq', 'nondifferentiable');

import { Tensor } from '../../tensor/tensor.js';
import { unaryOp } from '../_util.js';
import { defineOp } from '../registry.js';

/**
 * Elementwise logical NOT as a bool tensor: out = (x == 0). Any dtype (NaN counts as true).
 * @example logicalNot(tensor([0, 2])) // [true, false]
 */
export function logicalNot(x: Tensor): Tensor<'bool'> {
  return unaryOp('logicalNot', x, 'logicalNot', 'bool', null) as Tensor<'bool'>;
}
defineOp('logicalNot', 'nondifferentiable');

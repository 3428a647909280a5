import { Tensor } from '../../tensor/tensor.js';
import { argSelect, type ArgReduceOptions } from '../indexing/_select.js';
import { defineOp } from '../registry.js';
import { oneDimKeepdim, tensorDimArgs } from '../../tensor/validate.js';

/**
 * Position of the minimum (int32, no gradient), as torch.argmin: along `dim`, or in the flattened
 * tensor when dim is omitted. Ties give the first position; NaN counts as the minimum.
 * @example argmin(tensor([[1, 5], [7, 2]]), { dim: 1 }) // [0, 1];  argmin(t) // 0
 */
export function argmin(x: Tensor, dim?: number | ArgReduceOptions, keepdim?: boolean): Tensor<'int32'> {
  return argSelect('argmin', 'min', x, tensorDimArgs<ArgReduceOptions>('argmin', x, dim, keepdim, oneDimKeepdim));
}
defineOp('argmin', 'nondifferentiable');

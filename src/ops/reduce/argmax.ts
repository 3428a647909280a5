import { Tensor } from '../../tensor/tensor.js';
import { argSelect, type ArgReduceOptions } from '../indexing/_select.js';
import { defineOp } from '../registry.js';
import { oneDimKeepdim, tensorDimArgs } from '../../tensor/validate.js';

export type { ArgReduceOptions } from '../indexing/_select.js';

/**
 * Position of the maximum (int32, no gradient), as torch.argmax: along `dim`, or in the flattened
 * tensor when dim is omitted. Ties give the first position; NaN counts as the maximum.
 * @example argmax(tensor([[1, 5], [7, 2]]), { dim: 1 }) // [1, 0];  argmax(t) // 2
 */
export function argmax(x: Tensor, dim?: number | ArgReduceOptions, keepdim?: boolean): Tensor<'int32'> {
  return argSelect('argmax', 'max', x, tensorDimArgs<ArgReduceOptions>('argmax', x, dim, keepdim, oneDimKeepdim));
}
defineOp('argmax', 'nondifferentiable');

import { Tensor } from '../tensor/tensor.js';
import type { DType } from '../tensor/dtype.js';
import { argSelect, type ArgReduceOptions } from './_select.js';
import { defineOp } from './registry.js';

/**
 * Position of the minimum (int32, no gradient), as torch.argmin: along `dim`, or in the flattened
 * tensor when dim is omitted. Ties give the first position; NaN counts as the minimum.
 * @example argmin(tensor([[1, 5], [7, 2]]), { dim: 1 }) // [0, 1];  argmin(t) // 0
 */
export function argmin(x: Tensor, opts: ArgReduceOptions = {}): Tensor<'int32'> {
  return argSelect('argmin', 'min', x, opts);
}
defineOp('argmin', 'nondifferentiable');

declare module '../tensor/tensor.js' {
  interface Tensor<D extends DType = DType> {
    argmin(opts?: ArgReduceOptions): Tensor<'int32'>;
  }
}
Tensor.prototype.argmin = function (this: Tensor, opts?: ArgReduceOptions) {
  return argmin(this, opts);
};

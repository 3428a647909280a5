import { Tensor } from '../tensor/tensor.js';
import type { DType } from '../tensor/dtype.js';
import { selectAlongDim, type ValuesIndices } from './_select.js';
import { defineOp } from './registry.js';

/**
 * Minimum along one dim with its position, as torch.min(x, dim): values (the gradient flows to
 * the selected element) and int32 indices (first occurrence among ties).
 * @example const { values, indices } = minWithIndices(tensor([[1, 5], [7, 2]]), 1); // [1, 2], [0, 1]
 */
export function minWithIndices(x: Tensor, dim: number, keepdim = false): ValuesIndices {
  return selectAlongDim('minWithIndices', 'min', x, dim, keepdim);
}
defineOp('minWithIndices', 'differentiable');

declare module '../tensor/tensor.js' {
  interface Tensor<D extends DType = DType> {
    minWithIndices(dim: number, keepdim?: boolean): ValuesIndices;
  }
}
Tensor.prototype.minWithIndices = function (this: Tensor, dim: number, keepdim?: boolean) {
  return minWithIndices(this, dim, keepdim);
};

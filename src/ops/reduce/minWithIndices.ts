import { Tensor } from '../../tensor/tensor.js';
import { selectAlongDim, type ValuesIndices } from '../indexing/_select.js';
import { defineOp } from '../registry.js';

/**
 * Minimum along one dim with its position, as torch.min(x, dim): values (the gradient flows to
 * the selected element) and int32 indices (first occurrence among ties).
 * @example const { values, indices } = minWithIndices(tensor([[1, 5], [7, 2]]), 1); // [1, 2], [0, 1]
 */
export function minWithIndices(x: Tensor, dim: number, keepdim = false): ValuesIndices {
  return selectAlongDim('minWithIndices', 'min', x, dim, keepdim);
}
defineOp('minWithIndices', 'differentiable');

import { Tensor } from '../../tensor/tensor.js';
import { selectAlongDim, type ValuesIndices } from '../indexing/_select.js';
import { defineOp } from '../registry.js';
import { oneDimKeepdim, tensorDimArgs } from '../../tensor/validate.js';

/**
 * Minimum along one dim with its position, as torch.min(x, dim): values (the gradient flows to
 * the selected element) and int32 indices (first occurrence among ties).
 * @example const { values, indices } = minWithIndices(tensor([[1, 5], [7, 2]]), 1); // [1, 2], [0, 1]
 */
export function minWithIndices(x: Tensor, dim: number | { dim: number; keepdim?: boolean }, keepdim?: boolean): ValuesIndices {
  const opts = tensorDimArgs<{ dim: number; keepdim?: boolean }>('minWithIndices', x, dim, keepdim, oneDimKeepdim, true);
  return selectAlongDim('minWithIndices', 'min', x, opts.dim, opts.keepdim ?? false);
}
defineOp('minWithIndices', 'differentiable');

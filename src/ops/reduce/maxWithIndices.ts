import { Tensor } from '../../tensor/tensor.js';
import { selectAlongDim, type ValuesIndices } from '../indexing/_select.js';
import { defineOp } from '../registry.js';
import { oneDimKeepdim, tensorDimArgs } from '../../tensor/validate.js';

export type { ValuesIndices } from '../indexing/_select.js';

/**
 * Maximum along one dim with its position, as torch.max(x, dim): values (differentiable, the
 * gradient flows to the selected element) and int32 indices (first occurrence among ties).
 * @example const { values, indices } = maxWithIndices(tensor([[1, 5], [7, 2]]), 1); // [5, 7], [1, 0]
 */
export function maxWithIndices(x: Tensor, dim: number | { dim: number; keepdim?: boolean }, keepdim?: boolean): ValuesIndices {
  const opts = tensorDimArgs<{ dim: number; keepdim?: boolean }>('maxWithIndices', x, dim, keepdim, oneDimKeepdim, true);
  return selectAlongDim('maxWithIndices', 'max', x, opts.dim, opts.keepdim ?? false);
}
defineOp('maxWithIndices', 'differentiable');

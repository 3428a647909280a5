import { Tensor } from '../../tensor/tensor.js';
import type { ReduceArg, ReduceOptions } from './sum.js';
import { extremeReduce } from '../indexing/_select.js';
import { defineOp } from '../registry.js';
import { tensorDimArgs } from '../../tensor/validate.js';

/**
 * Minimum over dims (all by default): out = min_{reduced} x, keeping the input's dtype.
 * Ties share the gradient evenly, as torch.amin. NaN propagates.
 * @example amin(tensor([[1, 5], [7, 2]]), { dim: 0 }) // [1, 2]
 */
export function amin(x: Tensor, dim?: ReduceArg, keepdim?: boolean): Tensor {
  const opts = tensorDimArgs<ReduceOptions>('amin', x, dim, keepdim);
  return extremeReduce('amin', x, opts);
}
defineOp('amin', 'differentiable');

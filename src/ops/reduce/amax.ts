import { Tensor } from '../../tensor/tensor.js';
import type { ReduceArg, ReduceOptions } from './sum.js';
import { extremeReduce } from '../indexing/_select.js';
import { defineOp } from '../registry.js';
import { tensorDimArgs } from '../../tensor/validate.js';

/**
 * Maximum over dims (all by default): out = max_{reduced} x, keeping the input's dtype.
 * Several dims may be reduced at once. Where several elements attain the maximum, the gradient is
 * divided evenly among them, as torch.amax. NaN propagates.
 * @example amax(tensor([[1, 5], [7, 2]]), { dim: 1 }) // [5, 7]
 */
export function amax(x: Tensor, dim?: ReduceArg, keepdim?: boolean): Tensor {
  const opts = tensorDimArgs<ReduceOptions>('amax', x, dim, keepdim);
  return extremeReduce('amax', x, opts);
}
defineOp('amax', 'differentiable');

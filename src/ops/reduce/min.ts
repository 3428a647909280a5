import { Tensor } from '../../tensor/tensor.js';
import type { ReduceArg, ReduceOptions } from './sum.js';
import { amin } from './amin.js';
import { minWithIndices } from './minWithIndices.js';
import { defineOp } from '../registry.js';
import { normDims } from '../../tensor/shape.js';
import { tensorDimArgs } from '../../tensor/validate.js';

/**
 * Minimum, as torch.min: without `dim` the overall minimum (a 0-d tensor; ties share the
 * gradient evenly, as torch.min()); with one dim the values of minWithIndices (the gradient goes
 * to the selected element; use minWithIndices or argmin for the positions); with several dims it
 * is amin (ties share the gradient evenly). The elementwise two-tensor form of torch.min is
 * not provided here.
 * @example min(tensor([[1, 5], [7, 2]])) // 1;  min(t, { dim: 0 }) // [1, 2]
 */
export function min(x: Tensor, dim?: ReduceArg, keepdim?: boolean): Tensor {
  const opts = tensorDimArgs<ReduceOptions>('min', x, dim, keepdim);
  // One dim goes to minWithIndices; its dims are checked here so that errors name min.
  const d = opts.dim === undefined ? undefined : normDims('min', opts.dim, x.ndim);
  if (d?.length === 1) return minWithIndices(x, d[0]!, opts.keepdim ?? false).values;
  return amin(x, opts);
}
defineOp('min', 'differentiable');

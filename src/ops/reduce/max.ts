import { Tensor } from '../../tensor/tensor.js';
import type { ReduceArg, ReduceOptions } from './sum.js';
import { amax } from './amax.js';
import { maxWithIndices } from './maxWithIndices.js';
import { defineOp } from '../registry.js';
import { normDims } from '../../tensor/shape.js';
import { tensorDimArgs } from '../../tensor/validate.js';

/**
 * Maximum, as torch.max: without `dim` the overall maximum (a 0-d tensor; ties share the
 * gradient evenly, as torch.max()); with one dim the values of maxWithIndices (the gradient goes
 * to the selected element; use maxWithIndices or argmax for the positions); with several dims it
 * is amax (ties share the gradient evenly). The elementwise two-tensor form of torch.max is
 * not provided here.
 * @example max(tensor([[1, 5], [7, 2]])) // 7;  max(t, { dim: 0 }) // [7, 5]
 */
export function max(x: Tensor, dim?: ReduceArg, keepdim?: boolean): Tensor {
  const opts = tensorDimArgs<ReduceOptions>('max', x, dim, keepdim);
  // One dim goes to maxWithIndices; its dims are checked here so that errors name max.
  const d = opts.dim === undefined ? undefined : normDims('max', opts.dim, x.ndim);
  if (d?.length === 1) return maxWithIndices(x, d[0]!, opts.keepdim ?? false).values;
  return amax(x, opts);
}
defineOp('max', 'differentiable');

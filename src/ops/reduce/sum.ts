import { Tensor } from '../../tensor/tensor.js';
import { type DType } from '../../tensor/dtype.js';
import { normDims } from '../../tensor/shape.js';
import { backendOf } from '../../backend/index.js';
import { record } from '../../autograd/node.js';
import { hooks } from '../_util.js';
import { expand } from '../shape/expand.js';
import { reshape } from '../shape/reshape.js';
import { defineOp } from '../registry.js';
import { tensorDimArgs } from '../../tensor/validate.js';

/** The dims argument of a reduction: one dim, a list of dims, or the options object (docs/api.md, Dims). */
export type ReduceArg = number | readonly number[] | ReduceOptions;

export interface ReduceOptions {
  /** Dims to reduce; all dims when omitted. */
  dim?: number | readonly number[];
  /** Keep reduced dims as size 1. */
  keepdim?: boolean;
}

/** Output shape of a reduction, with or without the reduced dims. */
export function reducedShape(shape: readonly number[], dims: readonly number[], keepdim: boolean): number[] {
  return keepdim ? shape.map((d, i) => (dims.includes(i) ? 1 : d)) : shape.filter((_, i) => !dims.includes(i));
}

/**
 * Sum over dims (all by default): out = sum_{reduced} x. The gradient broadcasts g back over the
 * reduced dims. bool/int32 inputs sum to int32, as in PyTorch (which uses int64).
 * @example sum(t, 1) // same as sum(t, { dim: 1 });  sum(t, [0, 1], true) // shape [1, 1]
 */
export function sum(x: Tensor, dim?: ReduceArg, keepdim?: boolean): Tensor {
  const opts = tensorDimArgs<ReduceOptions>('sum', x, dim, keepdim);
  const dims = normDims('sum', opts.dim, x.ndim);
  const keep = opts.keepdim ?? false;
  const outDtype: DType = x.dtype === 'bool' ? 'int32' : x.dtype;
  const be = backendOf('sum', x);
  const out = Tensor.empty(reducedShape(x.shape, dims, keep), outDtype, be.name);
  const keptShape = x.shape.map((d, i) => (dims.includes(i) ? 1 : d));
  be.sum(
    x,
    [...dims].sort((p, q) => p - q),
    out.storage,
  );
  return record('sum', [x], out, (g) => [expand(reshape(g, keptShape), x.shape)], false);
}
defineOp('sum', 'differentiable');
hooks.sum = (x, dims, keepdim) => sum(x, { dim: dims, keepdim });

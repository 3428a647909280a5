import { Tensor } from '../../tensor/tensor.js';
import { isFloat } from '../../tensor/dtype.js';
import { normDims } from '../../tensor/shape.js';
import { div } from '../elementwise/div.js';
import { sum, type ReduceArg, type ReduceOptions } from './sum.js';
import { defineOp } from '../registry.js';
import { tensorDimArgs } from '../../tensor/validate.js';

/** Mean over dims (all by default), a composite: sum(x) / count. */
export function mean(x: Tensor, dim?: ReduceArg, keepdim?: boolean): Tensor {
  const opts = tensorDimArgs<ReduceOptions>('mean', x, dim, keepdim);
  if (!isFloat(x.dtype)) {
    throw new Error(`mean: expected a floating point tensor, got ${x.dtype} (cast with .to('float32') first)`);
  }
  const dims = normDims('mean', opts.dim, x.ndim);
  const count = dims.reduce((p, d) => p * x.shape[d]!, 1);
  return div(sum(x, { dim: dims, keepdim: opts.keepdim ?? false }), count);
}
defineOp('mean', 'differentiable');

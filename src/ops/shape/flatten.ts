import { Tensor } from '../../tensor/tensor.js';
import { normDim } from '../../tensor/shape.js';
import { reshape } from './reshape.js';
import { defineOp } from '../registry.js';
import { checkArg, checkOptions, checkTensor, type Spec } from '../../tensor/validate.js';

export interface FlattenOptions {
  /** First dim merged (default 0). */
  startDim?: number;
  /** Last dim merged, inclusive (default -1). */
  endDim?: number;
}

const flattenSpec: Spec = { startDim: 'int', endDim: 'int' };

/**
 * Merges dims startDim..endDim (inclusive) into one: shape [a, b, c, d] with (1, 2) gives
 * [a, b*c, d]. A 0-d tensor becomes shape [1]. A view when x is contiguous (reshape otherwise copies).
 * @example flatten(zeros([2, 3, 4]), 1).shape // [2, 12];  flatten(x, { startDim: 1 }) is the same
 */
export function flatten(x: Tensor, startDim: number | FlattenOptions = 0, endDim?: number): Tensor {
  checkTensor('flatten', x);
  let opts: FlattenOptions;
  if (typeof startDim === 'number') {
    checkArg('flatten', 'argument 3 (endDim)', endDim, 'int', true);
    opts = { startDim, endDim };
  } else opts = checkOptions('flatten', 2, startDim, flattenSpec);
  checkArg('flatten', 'startDim', opts.startDim, 'int', true);
  if (x.ndim === 0) return reshape(x, [1]);
  const s = normDim('flatten', opts.startDim ?? 0, x.ndim);
  const e = normDim('flatten', opts.endDim ?? -1, x.ndim);
  if (s > e) throw new Error(`flatten: startDim ${opts.startDim} must not come after endDim ${opts.endDim} (rank ${x.ndim})`);
  let merged = 1;
  for (let i = s; i <= e; i++) merged *= x.shape[i]!;
  return reshape(x, [...x.shape.slice(0, s), merged, ...x.shape.slice(e + 1)]);
}
defineOp('flatten', 'differentiable');

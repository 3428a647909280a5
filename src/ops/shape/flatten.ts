import { Tensor } from '../../tensor/tensor.js';
import { normDim } from '../../tensor/shape.js';
import { reshape } from './reshape.js';
import { defineOp } from '../registry.js';

/**
 * Merges dims startDim..endDim (inclusive) into one: shape [a, b, c, d] with (1, 2) gives
 * [a, b*c, d]. A 0-d tensor becomes shape [1]. A view when x is contiguous (reshape otherwise copies).
 * @example flatten(zeros([2, 3, 4]), 1).shape // [2, 12]
 */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  if (x.ndim === 0) return reshape(x, [1]);
  const s = normDim('flatten', startDim, x.ndim);
  const e = normDim('flatten', endDim, x.ndim);
  if (s > e) throw new Error(`flatten: startDim ${startDim} must not come after endDim ${endDim} (rank ${x.ndim})`);
  let merged = 1;
  for (let i = s; i <= e; i++) merged *= x.shape[i]!;
  return reshape(x, [...x.shape.slice(0, s), merged, ...x.shape.slice(e + 1)]);
}
defineOp('flatten', 'differentiable');

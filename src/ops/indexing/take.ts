import { Tensor } from '../../tensor/tensor.js';
import { fmtShape } from '../../tensor/shape.js';
import { positionOf, denseData, requireIndex } from './_indexing.js';
import { indexSelect } from './indexSelect.js';
import { reshape } from '../shape/reshape.js';
import { defineOp } from '../registry.js';

/**
 * Elements of x read as if x were flattened, at int32 `index` of any shape (negative indices count
 * from the end, as torch.take); the result has index's shape. The gradient accumulates into x.
 * @example take(tensor([[1, 2], [3, 4]]), tensor([3, -4], { dtype: 'int32' })) // [4, 1]
 */
export function take(x: Tensor, index: Tensor): Tensor {
  requireIndex('take', index);
  const n = x.numel();
  const raw = denseData(index);
  const wrapped = Tensor.empty([raw.length], 'int32', x.device);
  for (let k = 0; k < raw.length; k++) {
    const v = raw[k]!;
    if (v < -n || v >= n) {
      throw new Error(
        `take: index ${v} at position ${fmtShape(positionOf(k, index.shape))} of the index (shape ${fmtShape(index.shape)}) ` +
          `is out of range for an input of shape ${fmtShape(x.shape)} with ${n} elements (valid range ${-n}..${n - 1})`,
      );
    }
    wrapped.storage[k] = v < 0 ? v + n : v;
  }
  return reshape(indexSelect(reshape(x, [-1]), 0, wrapped), index.shape);
}
defineOp('take', 'differentiable');

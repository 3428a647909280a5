import { Tensor } from '../../tensor/tensor.js';
import { normDims } from '../../tensor/shape.js';
import { backendOf } from '../../backend/index.js';
import { record } from '../../autograd/node.js';
import { defineOp } from '../registry.js';
import { checkTensor } from '../../tensor/validate.js';

/**
 * Reverses the order of elements along `dims` (a copy, as torch.flip): out[i] = x[n - 1 - i].
 * The gradient flips g back.
 * @example flip(tensor([[1, 2], [3, 4]]), [0, 1]) // [[4, 3], [2, 1]]
 */
export function flip(x: Tensor, dims: number | readonly number[]): Tensor {
  checkTensor('flip', x);
  const ds = normDims('flip', dims, x.ndim);
  const strides = [...x.strides];
  let offset = x.offset;
  for (const d of ds) {
    const n = x.shape[d]!;
    if (n > 0) offset += (n - 1) * strides[d]!;
    strides[d] = -strides[d]!;
  }
  const be = backendOf('flip', x);
  const out = Tensor.empty(x.shape, x.dtype, be.name);
  if (x.numel() > 0) be.copy({ storage: x.storage, shape: x.shape, strides, offset }, out.storage);
  return record('flip', [x], out, (g) => [flip(g, ds)]);
}
defineOp('flip', 'differentiable');

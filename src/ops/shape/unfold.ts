import { Tensor } from '../../tensor/tensor.js';
import { fmtShape, normDim } from '../../tensor/shape.js';
import { record } from '../../autograd/node.js';
import { unfoldBackward } from './unfoldBackward.js';
import { defineOp } from '../registry.js';
import { checkTensor } from '../../tensor/validate.js';

/**
 * Sliding windows of length `size` every `step` elements along `dim`, as a view (torch.Tensor.unfold):
 * dim becomes floor((n - size) / step) + 1 windows and a new last dim of length `size` holds each
 * window: out[..., w, ..., k] = x[..., w*step + k, ...]. Overlapping windows share storage; the
 * gradient sums them back (unfoldBackward).
 * @example unfold(arange(5), 0, 3, 1) // [[0, 1, 2], [1, 2, 3], [2, 3, 4]]
 */
export function unfold(x: Tensor, dim: number, size: number, step: number): Tensor {
  checkTensor('unfold', x);
  if (x.ndim === 0) throw new Error('unfold: cannot unfold a 0-d tensor');
  const d = normDim('unfold', dim, x.ndim);
  const n = x.shape[d]!;
  if (!Number.isInteger(step) || step <= 0) throw new Error(`unfold: step must be a positive integer, got ${step}`);
  if (!Number.isInteger(size) || size < 0 || size > n) {
    throw new Error(`unfold: window size ${size} must be between 0 and the size ${n} of dim ${d} (tensor shape ${fmtShape(x.shape)})`);
  }
  const count = Math.floor((n - size) / step) + 1;
  const shape = [...x.shape, size];
  shape[d] = count;
  const strides = [...x.strides, x.strides[d]!];
  strides[d] = x.strides[d]! * step;
  const out = new Tensor(x.storage, shape, strides, x.offset, x.device);
  return record('unfold', [x], out, (g) => [unfoldBackward(g, x.shape, d, size, step)]);
}
defineOp('unfold', 'differentiable');

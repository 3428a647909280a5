import { Tensor } from '../../tensor/tensor.js';
import { fmtShape, normDim, type Shape } from '../../tensor/shape.js';
import { contiguousStrides } from '../../tensor/shape.js';
import { backendOf } from '../../backend/index.js';
import { record } from '../../autograd/node.js';
import { slice } from './slice.js';
import { defineOp } from '../registry.js';
import { checkTensor } from '../../tensor/validate.js';

/**
 * The gradient of slice: a zero tensor of `inputShape` with g written at positions
 * start, start+step, ... along `dim` (out[..., start:end:step, ...] = g). Its own gradient is the
 * slice, so slicing is twice differentiable. start/end are already normalised (0 <= start <= end <= n).
 * @example sliceBackward(ones([2]), [5], 0, 1, 5, 2) // [0, 1, 0, 1, 0]
 */
export function sliceBackward(g: Tensor, inputShape: Shape, dim: number, start: number, end: number, step = 1): Tensor {
  checkTensor('sliceBackward', g);
  const d = normDim('sliceBackward', dim, inputShape.length);
  const len = Math.max(0, Math.ceil((end - start) / step));
  const expect = [...inputShape];
  expect[d] = len;
  if (g.ndim !== inputShape.length || g.shape.some((v, i) => v !== expect[i])) {
    throw new Error(
      `sliceBackward: gradient of shape ${fmtShape(g.shape)} does not match the slice ${start}:${end}:${step} ` +
        `of dim ${d} of shape ${fmtShape(inputShape)} (expected ${fmtShape(expect)})`,
    );
  }
  const be = backendOf('sliceBackward', g);
  const out = Tensor.empty(inputShape, g.dtype, be.name);
  const os = contiguousStrides(inputShape);
  const dst = [...os];
  dst[d] = os[d]! * step;
  be.copyView(g, { storage: out.storage, shape: g.shape, strides: dst, offset: start * os[d]! });
  return record('sliceBackward', [g], out, (gg) => [slice(gg, d, start, end, step)]);
}
defineOp('sliceBackward', 'differentiable');

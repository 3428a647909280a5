import { Tensor } from '../../tensor/tensor.js';
import { contiguousStrides, fmtShape, normDim, type Shape } from '../../tensor/shape.js';
import { backendOf } from '../../backend/index.js';
import { record } from '../../autograd/node.js';
import { unfold } from './unfold.js';
import { defineOp } from '../registry.js';
import { checkTensor } from '../../tensor/validate.js';

/**
 * The gradient of unfold: sums the windows g[..., w, ..., k] back into a zero tensor of
 * `inputShape` at position w*step + k along `dim` (overlaps add up). Its own gradient is unfold,
 * so unfold is twice differentiable.
 */
export function unfoldBackward(g: Tensor, inputShape: Shape, dim: number, size: number, step: number): Tensor {
  checkTensor('unfoldBackward', g);
  const d = normDim('unfoldBackward', dim, inputShape.length);
  const n = inputShape[d]!;
  const count = Math.floor((n - size) / step) + 1;
  const expect = [...inputShape, size];
  expect[d] = count;
  if (g.ndim !== expect.length || g.shape.some((v, i) => v !== expect[i])) {
    throw new Error(
      `unfoldBackward: gradient of shape ${fmtShape(g.shape)} does not match windows of size ${size} step ${step} ` +
        `along dim ${d} of shape ${fmtShape(inputShape)} (expected ${fmtShape(expect)})`,
    );
  }
  const be = backendOf('unfoldBackward', g);
  const out = Tensor.empty(inputShape, g.dtype, be.name);
  const os = contiguousStrides(inputShape);
  const dst = [...os];
  dst[d] = os[d]! * step;
  const winShape = g.shape.slice(0, -1);
  const gs = g.strides.slice(0, -1);
  const last = g.strides[g.ndim - 1]!;
  // Window element k of every window lands at offset k along dim; distinct windows never collide
  // within one k when step >= 1, so each pass is a plain strided add.
  for (let k = 0; k < size; k++) {
    be.addView(
      { storage: g.storage, shape: winShape, strides: gs, offset: g.offset + k * last },
      { storage: out.storage, shape: winShape, strides: dst, offset: k * os[d]! },
    );
  }
  return record('unfoldBackward', [g], out, (gg) => [unfold(gg, d, size, step)]);
}
defineOp('unfoldBackward', 'differentiable');

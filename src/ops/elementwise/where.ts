import { Tensor } from '../../tensor/tensor.js';
import { broadcastShapes, fmtShape } from '../../tensor/shape.js';
import { backendOf, broadcastStrides } from '../../backend/index.js';
import { record } from '../../autograd/node.js';
import { asTensor, reduceGradTo, resultDtype, type Operand } from '../_util.js';
import { defineOp } from '../registry.js';

/**
 * Elementwise select with broadcasting: out = cond ? a : b.
 * Gradients flow to a where cond holds and to b elsewhere.
 */
export function where(cond: Tensor, a: Operand, b: Operand): Tensor {
  if (cond.dtype !== 'bool') {
    throw new Error(`where: condition must be a bool tensor, got ${cond.dtype} of shape ${fmtShape(cond.shape)}`);
  }
  const dt = resultDtype(a, b);
  const be = backendOf('where', cond, a, b);
  const ta = asTensor(a, dt, be.name);
  const tb = asTensor(b, dt, be.name);
  const shape = broadcastShapes('where', broadcastShapes('where', cond.shape, ta.shape), tb.shape);
  const out = Tensor.empty(shape, dt, be.name);
  const view = (t: Tensor) => ({ storage: t.storage, shape, strides: broadcastStrides(t.shape, t.strides, shape), offset: t.offset });
  be.where(view(cond), view(ta), view(tb), shape, out.storage);
  return record('where', [ta, tb], out, (g) => [
    ta.requiresGrad ? reduceGradTo(where(cond, g, 0), ta) : null,
    tb.requiresGrad ? reduceGradTo(where(cond, 0, g), tb) : null,
  ]);
}
defineOp('where', 'differentiable');

import { Tensor } from '../../tensor/tensor.js';
import { broadcastShapes, fmtShape } from '../../tensor/shape.js';
import { broadcastStrides, copyStrided } from '../../backend/cpu/strided.js';
import { record } from '../../autograd/node.js';
import { asTensor, reduceGradTo, resultDtype, type Operand } from '../_util.js';
import { defineOp } from '../registry.js';
import { fastWhere } from '../../backend/elementwise.js';

function dense(t: Tensor, shape: number[]): ArrayLike<number> {
  const out = new Float64Array(shape.reduce((p, d) => p * d, 1));
  copyStrided(t.storage, shape, broadcastStrides(t.shape, t.strides, shape), t.offset, out);
  return out;
}

/**
 * Elementwise select with broadcasting: out = cond ? a : b.
 * Gradients flow to a where cond holds and to b elsewhere.
 */
export function where(cond: Tensor, a: Operand, b: Operand): Tensor {
  if (cond.dtype !== 'bool') {
    throw new Error(`where: condition must be a bool tensor, got ${cond.dtype} of shape ${fmtShape(cond.shape)}`);
  }
  const dt = resultDtype(a, b);
  const ta = asTensor(a, dt);
  const tb = asTensor(b, dt);
  const shape = broadcastShapes('where', broadcastShapes('where', cond.shape, ta.shape), tb.shape);
  const out = Tensor.empty(shape, dt);
  const bs = (t: Tensor): number[] => broadcastStrides(t.shape, t.strides, shape);
  // Fast path: layouts that reduce to two dims are read in place, without dense copies.
  if (!fastWhere(cond.storage, bs(cond), cond.offset, ta.storage, bs(ta), ta.offset, tb.storage, bs(tb), tb.offset, shape, out.storage)) {
    const c = dense(cond, shape);
    const va = dense(ta, shape);
    const vb = dense(tb, shape);
    for (let i = 0; i < c.length; i++) out.storage[i] = c[i] ? va[i]! : vb[i]!;
  }
  return record('where', [ta, tb], out, (g) => [
    ta.requiresGrad ? reduceGradTo(where(cond, g, 0), ta) : null,
    tb.requiresGrad ? reduceGradTo(where(cond, 0, g), tb) : null,
  ]);
}
defineOp('where', 'differentiable');

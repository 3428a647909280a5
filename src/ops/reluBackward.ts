import { Tensor } from '../tensor/tensor.js';
import { fmtShape, shapesEqual } from '../tensor/shape.js';
import { zerosLike } from '../tensor/creation.js';
import { mapBinary } from '../backend/cpu/strided.js';
import { fastReluBackward } from '../backend/elementwise.js';
import { record } from '../autograd/node.js';
import { defineOp } from './registry.js';

/**
 * The gradient of relu: g where x > 0, else 0 (PyTorch's threshold_backward at 0), in one pass
 * (instead of where(gt(x, 0), g, 0), which builds a mask first). Differentiable for double
 * backward: linear in g (its gradient is reluBackward(gg, x)); as a function of x it is a step, whose
 * derivative is 0 wherever it exists, so x receives zeros, as in PyTorch.
 */
export function reluBackward(g: Tensor, x: Tensor): Tensor {
  if (!shapesEqual(g.shape, x.shape)) {
    throw new Error(`reluBackward: gradient shape ${fmtShape(g.shape)} does not match input shape ${fmtShape(x.shape)}`);
  }
  const out = Tensor.empty(g.shape, g.dtype);
  if (!fastReluBackward(g.storage, g.strides, g.offset, x.storage, x.strides, x.offset, g.shape, out.storage)) {
    mapBinary(g.storage, g.strides, g.offset, x.storage, x.strides, x.offset, g.shape, out.storage, (gv, xv) => (xv > 0 ? gv : 0));
  }
  return record('reluBackward', [g, x], out, (gg) => [reluBackward(gg, x), x.requiresGrad ? zerosLike(x) : null]);
}
defineOp('reluBackward', 'differentiable');

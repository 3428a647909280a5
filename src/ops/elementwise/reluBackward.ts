import { Tensor } from '../../tensor/tensor.js';
import { fmtShape, shapesEqual } from '../../tensor/shape.js';
import { zerosLike } from '../../tensor/creation.js';
import { backendOf } from '../../backend/index.js';
import { record } from '../../autograd/node.js';
import { defineOp } from '../registry.js';
import { checkTensor } from '../../tensor/validate.js';

/**
 * The gradient of relu: g where x > 0, else 0 (PyTorch's threshold_backward at 0), in one pass
 * (instead of where(gt(x, 0), g, 0), which builds a mask first). Differentiable for double
 * backward: linear in g (its gradient is reluBackward(gg, x)); as a function of x it is a step, whose
 * derivative is 0 wherever it exists, so x receives zeros, as in PyTorch.
 */
export function reluBackward(g: Tensor, x: Tensor): Tensor {
  checkTensor('reluBackward', g);
  const out = activationBackward('reluBackward', 'relu', g, x);
  return record('reluBackward', [g, x], out, (gg) => [reluBackward(gg, x), x.requiresGrad ? zerosLike(x) : null]);
}
defineOp('reluBackward', 'differentiable');

/** The untracked result of an activation gradient (shared by relu-, sigmoid- and tanhBackward). */
export function activationBackward(name: string, op: 'relu' | 'sigmoid' | 'tanh', g: Tensor, v: Tensor): Tensor {
  checkTensor(name, g, 'the gradient');
  if (!shapesEqual(g.shape, v.shape)) {
    throw new Error(`${name}: gradient shape ${fmtShape(g.shape)} does not match the saved tensor's shape ${fmtShape(v.shape)}`);
  }
  const be = backendOf(name, g, v);
  const out = Tensor.empty(g.shape, g.dtype, be.name);
  be.activationGrad(op, g, v, out.storage);
  return out;
}

import { Tensor } from '../../tensor/tensor.js';
import { isFloat } from '../../tensor/dtype.js';
import { binaryOp, resultDtype, type Operand } from '../_util.js';
import { mul } from './mul.js';
import { neg } from './neg.js';
import { defineOp } from '../registry.js';

/** True division with broadcasting: out = a / b (integers divide to float32, as in PyTorch). */
export function div(a: Operand, b: Operand): Tensor {
  const dt = resultDtype(a, b);
  const computeDtype = isFloat(dt) ? dt : 'float32';
  return binaryOp('div', a, b, { computeDtype }, (g, ta, tb, out) => [
    ta.requiresGrad ? div(g, tb) : null,
    // d(a/b)/db = -a/b^2 = -out/b
    tb.requiresGrad ? neg(div(mul(g, out), tb)) : null,
  ]);
}
defineOp('div', 'differentiable');

import type { Tensor } from '../../tensor/tensor.js';
import { record } from '../../autograd/node.js';
import { activationBackward } from './reluBackward.js';
import { mul } from './mul.js';
import { sub } from './sub.js';
import { defineOp } from '../registry.js';
import { checkTensor } from '../../tensor/validate.js';

/**
 * The gradient of sigmoid from its output y: g y (1 - y), in one pass (three ops and two
 * temporaries when composed; same bits). Differentiable for double backward: d/dg is
 * sigmoidBackward(gg, y), d/dy = gg g (1 - 2y).
 */
export function sigmoidBackward(g: Tensor, y: Tensor): Tensor {
  checkTensor('sigmoidBackward', g);
  const out = activationBackward('sigmoidBackward', 'sigmoid', g, y);
  return record('sigmoidBackward', [g, y], out, (gg) => [
    g.requiresGrad ? sigmoidBackward(gg, y) : null,
    y.requiresGrad ? mul(mul(gg, g), sub(1, mul(y, 2))) : null,
  ]);
}
defineOp('sigmoidBackward', 'differentiable');

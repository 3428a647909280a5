import type { Tensor } from '../../tensor/tensor.js';
import { record } from '../../autograd/node.js';
import { activationBackward } from './reluBackward.js';
import { mul } from './mul.js';
import { defineOp } from '../registry.js';
import { checkTensor } from '../../tensor/validate.js';

/**
 * The gradient of tanh from its output y: g (1 - y^2), in one pass (three ops and two temporaries
 * when composed; same bits). Differentiable for double backward: d/dg is tanhBackward(gg, y),
 * d/dy = -2 gg g y.
 */
export function tanhBackward(g: Tensor, y: Tensor): Tensor {
  checkTensor('tanhBackward', g);
  const out = activationBackward('tanhBackward', 'tanh', g, y);
  return record('tanhBackward', [g, y], out, (gg) => [
    g.requiresGrad ? tanhBackward(gg, y) : null,
    y.requiresGrad ? mul(mul(gg, g), mul(y, -2)) : null,
  ]);
}
defineOp('tanhBackward', 'differentiable');

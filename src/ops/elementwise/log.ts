import { Tensor } from '../../tensor/tensor.js';
import { floatDtype, unaryOp } from '../_util.js';
import { div } from './div.js';
import { defineOp } from '../registry.js';

/** Natural logarithm; d/dx = 1/x. */
export function log(x: Tensor): Tensor {
  return unaryOp('log', x, 'log', floatDtype(x), (g) => div(g, x));
}
defineOp('log', 'differentiable');

import { Tensor } from '../../tensor/tensor.js';
import { floatDtype, unaryOp } from '../_util.js';
import { div } from './div.js';
import { mul } from './mul.js';
import { defineOp } from '../registry.js';

/** Elementwise square root; d/dx = 1 / (2 sqrt(x)). */
export function sqrt(x: Tensor): Tensor {
  return unaryOp('sqrt', x, 'sqrt', floatDtype(x), (g, out) => div(g, mul(out, 2)));
}
defineOp('sqrt', 'differentiable');

import { Tensor } from '../../tensor/tensor.js';
import { floatDtype, unaryOp } from '../_util.js';
import { mul } from './mul.js';
import { defineOp } from '../registry.js';

/** Elementwise e^x; d/dx = e^x (the saved output is reused). */
export function exp(x: Tensor): Tensor {
  return unaryOp('exp', x, 'exp', floatDtype(x), (g, out) => mul(g, out));
}
defineOp('exp', 'differentiable');

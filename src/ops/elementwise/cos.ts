import { Tensor } from '../../tensor/tensor.js';
import { floatDtype, unaryOp } from '../_util.js';
import { mul } from './mul.js';
import { neg } from './neg.js';
import { sin } from './sin.js';
import { defineOp } from '../registry.js';

/**
 * Elementwise cosine (radians): out = cos(x); d/dx = -sin(x).
 * Integer and bool inputs compute in float32, as in PyTorch.
 * @example cos(tensor([0, Math.PI])) // [1, -1]
 */
export function cos(x: Tensor): Tensor {
  return unaryOp('cos', x, 'cos', floatDtype(x), (g) => neg(mul(g, sin(x))));
}
defineOp('cos', 'differentiable');

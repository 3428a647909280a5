import { Tensor } from '../../tensor/tensor.js';
import { floatDtype, unaryOp } from '../_util.js';
import { mul } from './mul.js';
import { cos } from './cos.js';
import { defineOp } from '../registry.js';

/**
 * Elementwise sine (radians): out = sin(x); d/dx = cos(x).
 * Integer and bool inputs compute in float32, as in PyTorch.
 * @example sin(tensor([0, Math.PI / 2])) // [0, 1]
 */
export function sin(x: Tensor): Tensor {
  return unaryOp('sin', x, 'sin', floatDtype(x), (g) => mul(g, cos(x)));
}
defineOp('sin', 'differentiable');

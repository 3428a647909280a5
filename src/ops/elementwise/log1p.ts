import { Tensor } from '../../tensor/tensor.js';
import { floatDtype, unaryOp } from '../_util.js';
import { add } from './add.js';
import { div } from './div.js';
import { defineOp } from '../registry.js';

/**
 * Elementwise ln(1 + x), accurate for small x; d/dx = 1 / (1 + x).
 * Integer and bool inputs compute in float32, as in PyTorch.
 * @example log1p(tensor([0, 1e-10])) // [0, 1e-10]
 */
export function log1p(x: Tensor): Tensor {
  return unaryOp('log1p', x, 'log1p', floatDtype(x), (g) => div(g, add(x, 1)));
}
defineOp('log1p', 'differentiable');

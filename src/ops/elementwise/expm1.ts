import { Tensor } from '../../tensor/tensor.js';
import { floatDtype, unaryOp } from '../_util.js';
import { add } from './add.js';
import { mul } from './mul.js';
import { defineOp } from '../registry.js';

/**
 * Elementwise e^x - 1, accurate for small x; d/dx = e^x = out + 1 (from the saved output).
 * Integer and bool inputs compute in float32, as in PyTorch.
 * @example expm1(tensor([0, 1e-10])) // [0, 1e-10]
 */
export function expm1(x: Tensor): Tensor {
  return unaryOp('expm1', x, 'expm1', floatDtype(x), (g, out) => mul(g, add(out, 1)));
}
defineOp('expm1', 'differentiable');

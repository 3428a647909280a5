import { Tensor } from '../../tensor/tensor.js';
import { floatDtype, unaryOp } from '../_util.js';
import { exp } from './exp.js';
import { mul } from './mul.js';
import { neg } from './neg.js';
import { defineOp } from '../registry.js';

/**
 * Elementwise error function erf(x) = 2/sqrt(pi) int_0^x e^(-t^2) dt (FDLIBM rational
 * approximations, see src/backend/cpu/erf.ts); d/dx = 2/sqrt(pi) e^(-x^2).
 * Integer and bool inputs compute in float32, as in PyTorch.
 * @example erf(tensor([0, 1])) // [0, 0.8427]
 */
export function erf(x: Tensor): Tensor {
  return unaryOp('erf', x, 'erf', floatDtype(x), (g) => mul(g, mul(exp(neg(mul(x, x))), 2 / Math.sqrt(Math.PI))));
}
defineOp('erf', 'differentiable');

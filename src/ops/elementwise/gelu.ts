import type { Tensor } from '../../tensor/tensor.js';
import { unaryOp } from '../_util.js';
import { requireFloat } from './_elementwise.js';
import { add } from './add.js';
import { erf } from './erf.js';
import { exp } from './exp.js';
import { mul } from './mul.js';
import { sub } from './sub.js';
import { tanh } from './tanh.js';
import { defineOp } from '../registry.js';
import { checkOptions } from '../../tensor/validate.js';

export interface GeluOptions {
  /** 'none': the exact x Phi(x) with erf (default); 'tanh': the tanh approximation. */
  approximate?: 'none' | 'tanh';
}

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const K0 = Math.sqrt(2 / Math.PI);
const K1 = 0.044715;

/**
 * Gaussian error linear unit, as torch.nn.functional.gelu. Float tensors only.
 * - exact: out = x Phi(x) = x/2 (1 + erf(x / sqrt 2)); d/dx = Phi(x) + x phi(x), phi the normal density.
 * - 'tanh': out = x/2 (1 + tanh(u)), u = sqrt(2/pi) (x + 0.044715 x^3);
 *   d/dx = (1 + t)/2 + x/2 (1 - t^2) sqrt(2/pi) (1 + 3 * 0.044715 x^2), t = tanh(u).
 * Backward is written with erf/exp/tanh ops, so second derivatives work.
 * @example gelu(tensor([-1, 0, 1])) // [-0.1587, 0, 0.8413]
 */
export function gelu(x: Tensor, opts: GeluOptions = {}): Tensor {
  opts = checkOptions('gelu', 2, opts, { approximate: 'string' });
  requireFloat('gelu', x);
  const approximate = opts.approximate ?? 'none';
  if (approximate === 'tanh') {
    return unaryOp('gelu', x, 'geluTanh', x.dtype, (g) => {
      const x2 = mul(x, x);
      const t = tanh(mul(mul(x, add(mul(x2, K1), 1)), K0));
      const left = mul(add(t, 1), 0.5);
      const right = mul(mul(mul(x, sub(1, mul(t, t))), add(mul(x2, 3 * K1), 1)), 0.5 * K0);
      return mul(g, add(left, right));
    });
  }
  if (approximate !== 'none') {
    throw new Error(`gelu: approximate must be 'none' or 'tanh', got '${String(approximate)}'`);
  }
  return unaryOp('gelu', x, 'gelu', x.dtype, (g) => {
    const cdf = mul(add(erf(mul(x, SQRT1_2)), 1), 0.5);
    const pdf = mul(exp(mul(mul(x, x), -0.5)), INV_SQRT_2PI);
    return mul(g, add(cdf, mul(x, pdf)));
  });
}
defineOp('gelu', 'differentiable');

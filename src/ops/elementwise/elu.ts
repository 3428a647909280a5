import type { Tensor } from '../../tensor/tensor.js';
import { unaryOp } from '../_util.js';
import { requireFloat } from './_elementwise.js';
import { add } from './add.js';
import { gt } from './gt.js';
import { mul } from './mul.js';
import { where } from './where.js';
import { defineOp } from '../registry.js';

/**
 * Exponential linear unit: out = x for x > 0, alpha (e^x - 1) otherwise.
 * d/dx = 1 for x > 0, alpha e^x = out + alpha otherwise (the saved output is reused, which also
 * keeps the unused branch finite for large x). Float tensors only.
 * @example elu(tensor([-1, 2])) // [-0.6321, 2]
 */
export function elu(x: Tensor, alpha = 1): Tensor {
  requireFloat('elu', x);
  return unaryOp('elu', x, { kernel: 'elu', params: [alpha] }, x.dtype, (g, out) => where(gt(x, 0), g, mul(g, add(out, alpha))));
}
defineOp('elu', 'differentiable');

import type { Tensor } from '../../tensor/tensor.js';
import { unaryOp } from '../_util.js';
import { requireFloat } from './_elementwise.js';
import { gt } from './gt.js';
import { mul } from './mul.js';
import { where } from './where.js';
import { defineOp } from '../registry.js';

/**
 * Leaky ReLU: out = x for x > 0, negativeSlope * x otherwise; d/dx = 1 or negativeSlope
 * (negativeSlope at x = 0, as PyTorch). Float tensors only.
 * @example leakyRelu(tensor([-2, 3]), 0.1) // [-0.2, 3]
 */
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  requireFloat('leakyRelu', x);
  return unaryOp('leakyRelu', x, { kernel: 'leakyRelu', params: [negativeSlope] }, x.dtype, (g) =>
    where(gt(x, 0), g, mul(g, negativeSlope)),
  );
}
defineOp('leakyRelu', 'differentiable');

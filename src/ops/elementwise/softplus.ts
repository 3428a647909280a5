import type { Tensor } from '../../tensor/tensor.js';
import { unaryOp } from '../_util.js';
import { requireFloat } from './_elementwise.js';
import { gt } from './gt.js';
import { mul } from './mul.js';
import { sigmoid } from './sigmoid.js';
import { where } from './where.js';
import { defineOp } from '../registry.js';
import { checkOptions } from '../../tensor/validate.js';

export interface SoftplusOptions {
  /** Sharpness: out = ln(1 + e^(beta x)) / beta. Default 1. */
  beta?: number;
  /** Above beta * x > threshold the op is the identity (for numerical stability). Default 20. */
  threshold?: number;
}

/**
 * Softplus: out = ln(1 + e^(beta x)) / beta, and x where beta x > threshold, as PyTorch.
 * d/dx = sigmoid(beta x) (1 above the threshold). Float tensors only.
 * @example softplus(tensor([0])) // [0.6931]
 */
export function softplus(x: Tensor, opts: SoftplusOptions = {}): Tensor {
  opts = checkOptions('softplus', 2, opts, { beta: 'number', threshold: 'number' });
  requireFloat('softplus', x);
  const beta = opts.beta ?? 1;
  const threshold = opts.threshold ?? 20;
  return unaryOp('softplus', x, { kernel: 'softplus', params: [beta, threshold] }, x.dtype, (g) => {
    const bx = mul(x, beta);
    return where(gt(bx, threshold), g, mul(g, sigmoid(bx)));
  });
}
defineOp('softplus', 'differentiable');

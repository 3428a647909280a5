import type { Tensor } from '../../tensor/tensor.js';
import { div } from '../elementwise/div.js';
import { mul } from '../elementwise/mul.js';
import { sub } from '../elementwise/sub.js';
import { where } from '../elementwise/where.js';
import { checkSameShape, maskOf, reduceLoss, signOf, type LossOptions, lossArgs } from './_loss.js';
import { defineOp } from '../registry.js';

export interface SmoothL1LossOptions extends LossOptions {
  /** Width of the quadratic zone. Default 1; 0 gives the L1 loss. */
  beta?: number;
}

/**
 * Smooth L1 loss, as torch.nn.functional.smooth_l1_loss, with d = input - target:
 * loss_i = 0.5 d^2 / beta if |d| < beta, else |d| - 0.5 beta. Shapes must match.
 * @example smoothL1Loss(tensor([0.5, 3]), tensor([0, 0])) // (0.125 + 2.5) / 2
 */
export function smoothL1Loss(input: Tensor, target: Tensor, opts: SmoothL1LossOptions = {}): Tensor {
  opts = lossArgs('smoothL1Loss', input, target, opts);
  const beta = opts.beta ?? 1;
  if (!(beta >= 0)) throw new Error(`smoothL1Loss: beta must be non-negative, got ${beta}`);
  checkSameShape('smoothL1Loss', input, target);
  const d = sub(input, target);
  const abs = mul(d, signOf(d));
  const linear = sub(abs, 0.5 * beta);
  const loss =
    beta === 0
      ? abs
      : where(
          maskOf(d, (v) => Math.abs(v) < beta),
          div(mul(mul(d, d), 0.5), beta),
          linear,
        );
  return reduceLoss('smoothL1Loss', loss, opts.reduction);
}
defineOp('smoothL1Loss', 'differentiable');

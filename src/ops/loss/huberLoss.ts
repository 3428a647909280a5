import type { Tensor } from '../../tensor/tensor.js';
import { mul } from '../elementwise/mul.js';
import { sub } from '../elementwise/sub.js';
import { where } from '../elementwise/where.js';
import { checkSameShape, maskOf, reduceLoss, signOf, type LossOptions, lossArgs } from './_loss.js';
import { defineOp } from '../registry.js';

export interface HuberLossOptions extends LossOptions {
  /** Where the loss turns from quadratic to linear. Default 1 (must be positive). */
  delta?: number;
}

/**
 * Huber loss, as torch.nn.functional.huber_loss, with d = input - target:
 * loss_i = 0.5 d^2 if |d| < delta, else delta (|d| - 0.5 delta). Equals delta * smoothL1Loss
 * with beta = delta. Shapes must match.
 * @example huberLoss(tensor([0.5, 3]), tensor([0, 0]), { delta: 2 }) // (0.125 + 4) / 2
 */
export function huberLoss(input: Tensor, target: Tensor, opts: HuberLossOptions = {}): Tensor {
  opts = lossArgs('huberLoss', input, target, opts);
  const delta = opts.delta ?? 1;
  if (!(delta > 0)) throw new Error(`huberLoss: delta must be positive, got ${delta}`);
  checkSameShape('huberLoss', input, target);
  const d = sub(input, target);
  const linear = mul(sub(mul(d, signOf(d)), 0.5 * delta), delta);
  const loss = where(
    maskOf(d, (v) => Math.abs(v) < delta),
    mul(mul(d, d), 0.5),
    linear,
  );
  return reduceLoss('huberLoss', loss, opts.reduction);
}
defineOp('huberLoss', 'differentiable');

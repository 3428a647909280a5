import type { Tensor } from '../../tensor/tensor.js';
import { div } from '../elementwise/div.js';
import { exp } from '../elementwise/exp.js';
import { log } from '../elementwise/log.js';
import { mul } from '../elementwise/mul.js';
import { sub } from '../elementwise/sub.js';
import { sum } from '../reduce/sum.js';
import { where } from '../elementwise/where.js';
import { checkReduction, checkSameShape, maskOf, reduceLoss, type Reduction, lossArgs } from './_loss.js';
import { defineOp } from '../registry.js';

export interface KlDivOptions {
  /**
   * 'mean' (default, as PyTorch: the mean over all elements, which is not the KL divergence),
   * 'batchmean' (sum / batch size: the true KL per sample), 'sum' or 'none'.
   */
  reduction?: Reduction | 'batchmean';
  /** The target is given as log-probabilities. Default false. */
  logTarget?: boolean;
}

/**
 * Kullback-Leibler divergence, as torch.nn.functional.kl_div, with `input` log-probabilities:
 * loss_i = t_i (log t_i - input_i) (0 where t_i = 0, as xlogy), or with logTarget
 * loss_i = exp(t_i) (t_i - input_i). Shapes must match; both arguments get gradients.
 * @example klDiv(logSoftmax(logits, 1), probs, { reduction: 'batchmean' })
 */
export function klDiv(input: Tensor, target: Tensor, opts: KlDivOptions = {}): Tensor {
  opts = lossArgs('klDiv', input, target, opts);
  const op = 'klDiv';
  const reduction = opts.reduction ?? 'mean';
  checkReduction(op, reduction, ['mean', 'batchmean', 'sum', 'none']);
  checkSameShape(op, input, target);
  let loss: Tensor;
  if (opts.logTarget) {
    loss = mul(exp(target), sub(target, input));
  } else {
    // xlogy(t, t): log of 1 where t = 0 keeps both the value and the gradient finite there.
    const zero = maskOf(target, (v) => v === 0);
    loss = sub(mul(target, log(where(zero, 1, target))), mul(target, input));
  }
  if (reduction === 'batchmean') return div(sum(loss), input.ndim === 0 ? 1 : input.shape[0]!);
  return reduceLoss(op, loss, reduction);
}
defineOp('klDiv', 'differentiable');

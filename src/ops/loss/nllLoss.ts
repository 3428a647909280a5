import type { Tensor } from '../../tensor/tensor.js';
import { nllCore, type NllLossOptions } from './_nll.js';
import { defineOp } from '../registry.js';
import { lossArgs } from './_loss.js';

export type { NllLossOptions } from './_nll.js';

/**
 * Negative log-likelihood loss on log-probabilities, as torch.nn.functional.nll_loss.
 * input [N, C] or [N, C, d1, ...] (or [C]), target int32 class indices [N] or [N, d1, ...] (or 0-d).
 * loss_i = -weight[t_i] * input[i, t_i]; 'mean' divides the sum by sum_i weight[t_i] over the
 * targets that are not ignoreIndex (NaN when all are ignored, as PyTorch).
 * @example nllLoss(logSoftmax(logits, 1), tensor([2, 0], { dtype: 'int32' }))
 */
export function nllLoss(input: Tensor, target: Tensor, opts: NllLossOptions = {}): Tensor {
  opts = lossArgs('nllLoss', input, target, opts);
  return nllCore('nllLoss', input, target, opts);
}
defineOp('nllLoss', 'differentiable');

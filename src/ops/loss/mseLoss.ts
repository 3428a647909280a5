import type { Tensor } from '../../tensor/tensor.js';
import { mul } from '../elementwise/mul.js';
import { sub } from '../elementwise/sub.js';
import { checkSameShape, reduceLoss, type LossOptions, lossArgs } from './_loss.js';
import { defineOp } from '../registry.js';

/**
 * Mean squared error, as torch.nn.functional.mse_loss: loss_i = (input_i - target_i)^2, then
 * reduction ('mean' default). input and target must have the same shape (PyTorch warns and
 * broadcasts; here a mismatch throws). Both get gradients.
 * @example mseLoss(tensor([1, 2]), tensor([0, 0])) // 2.5
 */
export function mseLoss(input: Tensor, target: Tensor, opts: LossOptions = {}): Tensor {
  opts = lossArgs('mseLoss', input, target, opts);
  checkSameShape('mseLoss', input, target);
  const d = sub(input, target);
  return reduceLoss('mseLoss', mul(d, d), opts.reduction);
}
defineOp('mseLoss', 'differentiable');

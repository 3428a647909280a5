import type { Tensor } from '../../tensor/tensor.js';
import { mul } from '../elementwise/mul.js';
import { sub } from '../elementwise/sub.js';
import { checkSameShape, reduceLoss, signOf, type LossOptions, lossArgs } from './_loss.js';
import { defineOp } from '../registry.js';

/**
 * Mean absolute error, as torch.nn.functional.l1_loss: loss_i = |input_i - target_i|, then
 * reduction. Written as d * sign(d) with a constant sign, so the gradient is sign(d) (0 where
 * input equals target), as PyTorch. Shapes must match.
 * @example l1Loss(tensor([1, -2]), tensor([0, 0])) // 1.5
 */
export function l1Loss(input: Tensor, target: Tensor, opts: LossOptions = {}): Tensor {
  opts = lossArgs('l1Loss', input, target, opts);
  checkSameShape('l1Loss', input, target);
  const d = sub(input, target);
  return reduceLoss('l1Loss', mul(d, signOf(d)), opts.reduction);
}
defineOp('l1Loss', 'differentiable');

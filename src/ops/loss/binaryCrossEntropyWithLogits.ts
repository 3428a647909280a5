import type { Tensor } from '../../tensor/tensor.js';
import { isFloat } from '../../tensor/dtype.js';
import { fmtShape } from '../../tensor/shape.js';
import { add } from '../elementwise/add.js';
import { exp } from '../elementwise/exp.js';
import { log } from '../elementwise/log.js';
import { mul } from '../elementwise/mul.js';
import { neg } from '../elementwise/neg.js';
import { sub } from '../elementwise/sub.js';
import { where } from '../elementwise/where.js';
import { checkSameShape, checkWeight, maskOf, reduceLoss, type LossOptions, lossArgs } from './_loss.js';
import { defineOp } from '../registry.js';

export interface BinaryCrossEntropyWithLogitsOptions extends LossOptions {
  /** Rescales each element's loss; broadcast to the input's shape. */
  weight?: Tensor;
  /** Weight of the positive term per class, broadcast along the last dim (shape [C]). */
  posWeight?: Tensor;
}

/**
 * Binary cross entropy on logits, as torch.nn.functional.binary_cross_entropy_with_logits,
 * computed stably: with m = max(-x, 0) and softplus(-x) = m + log(e^{-m} + e^{-x-m}),
 * loss_i = w_i [(1 - t_i) x_i + (1 + (p_c - 1) t_i) softplus(-x_i)], p = posWeight (default 1).
 * A composite (the constant shift m has zero total derivative), so input, target, weight and
 * posWeight all get gradients. target has the input's shape.
 * @example binaryCrossEntropyWithLogits(tensor([2, -1]), tensor([1, 0])) // 0.2201
 */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, opts: BinaryCrossEntropyWithLogitsOptions = {}): Tensor {
  opts = lossArgs('binaryCrossEntropyWithLogits', input, target, opts);
  const op = 'binaryCrossEntropyWithLogits';
  checkSameShape(op, input, target);
  if (!isFloat(input.dtype)) throw new Error(`${op}: expected floating point logits, got ${input.dtype} of shape ${fmtShape(input.shape)}`);
  if (opts.weight) checkWeight(op, input, opts.weight);
  if (opts.posWeight) checkWeight(op, input, opts.posWeight, 'posWeight');
  const m = where(
    maskOf(input, (v) => v < 0),
    neg(input),
    0,
  );
  const softplusNeg = add(m, log(add(exp(neg(m)), exp(sub(neg(input), m)))));
  const logWeight = opts.posWeight ? add(mul(sub(opts.posWeight, 1), target), 1) : null;
  let loss = add(mul(sub(1, target), input), logWeight ? mul(logWeight, softplusNeg) : softplusNeg);
  if (opts.weight) loss = mul(loss, opts.weight);
  return reduceLoss(op, loss, opts.reduction);
}
defineOp('binaryCrossEntropyWithLogits', 'differentiable');

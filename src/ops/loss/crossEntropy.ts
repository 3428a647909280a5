import type { Tensor } from '../../tensor/tensor.js';
import { isFloat } from '../../tensor/dtype.js';
import { fmtShape, shapesEqual } from '../../tensor/shape.js';
import { add } from '../elementwise/add.js';
import { div } from '../elementwise/div.js';
import { mul } from '../elementwise/mul.js';
import { neg } from '../elementwise/neg.js';
import { reshape } from '../shape/reshape.js';
import { sum } from '../reduce/sum.js';
import { where } from '../elementwise/where.js';
import { logSoftmax } from '../normalization/logSoftmax.js';
import { classTargets, nllCore, type NllLossOptions } from './_nll.js';
import { checkReduction, checkSameShape, lossArgs } from './_loss.js';
import { constTensor } from '../reduce/_reduce.js';
import { defineOp } from '../registry.js';

export interface CrossEntropyOptions extends NllLossOptions {
  /** Mixes the target with the uniform distribution: (1 - eps) * target + eps / C. Default 0. */
  labelSmoothing?: number;
}

/** weight [C] viewed so it broadcasts along the class dim of an input of rank `rank`. */
function classView(weight: Tensor, rank: number): Tensor {
  const shape = new Array<number>(rank).fill(1);
  shape[rank === 1 ? 0 : 1] = weight.shape[0]!;
  return reshape(weight, shape);
}

/**
 * Cross entropy of logits against class indices or class probabilities, as
 * torch.nn.functional.cross_entropy (a composite of logSoftmax, nllLoss and reductions).
 *
 * input: logits [N, C] or [N, C, d1, ...] (or [C]). target: int32 class indices [N] / [N, d1, ...]
 * (0-d for [C]), or float probabilities of the input's shape.
 *
 * Class indices, with lp = logSoftmax(input, 1) and eps = labelSmoothing:
 *   loss = (1 - eps) * nll(lp, t; weight, ignoreIndex) + (eps / C) * smooth,
 *   smooth_i = -sum_c weight[c] * lp[i, c] (0 for ignored i), reduced like nll: 'mean' divides by
 *   sum_i weight[t_i] over non-ignored targets (PyTorch's exact formula).
 * Probabilities (ignoreIndex unused): q = (1 - eps) * target + eps / C,
 *   loss_i = -sum_c weight[c] * q[i, c] * lp[i, c]; 'mean' divides by N * d1 * ... .
 * @example crossEntropy(logits, tensor([2, 0], { dtype: 'int32' }), { labelSmoothing: 0.1 })
 */
export function crossEntropy(input: Tensor, target: Tensor, opts: CrossEntropyOptions = {}): Tensor {
  opts = lossArgs('crossEntropy', input, target, opts);
  const reduction = opts.reduction ?? 'mean';
  checkReduction('crossEntropy', reduction);
  const eps = opts.labelSmoothing ?? 0;
  if (!(eps >= 0 && eps <= 1)) throw new Error(`crossEntropy: labelSmoothing must be in [0, 1], got ${eps}`);
  if (!isFloat(input.dtype) || input.ndim === 0) {
    throw new Error(
      `crossEntropy: expected float logits of shape [C] or [N, C, ...], got ${input.dtype} of shape ${fmtShape(input.shape)}`,
    );
  }
  const classDim = input.ndim === 1 ? 0 : 1;
  const C = input.shape[classDim]!;
  if (opts.weight && (opts.weight.ndim !== 1 || opts.weight.shape[0] !== C)) {
    throw new Error(
      `crossEntropy: weight must have shape [${C}] (one per class) for input shape ${fmtShape(input.shape)}, got ${fmtShape(opts.weight.shape)}`,
    );
  }
  const lp = logSoftmax(input, classDim);
  const w = opts.weight ? classView(opts.weight, input.ndim) : null;

  if (isFloat(target.dtype)) {
    if (!shapesEqual(target.shape, input.shape)) {
      // PyTorch's rule: a float target is class probabilities of the input's shape; class indices
      // are integers. A float target of the index shape is almost always indices in the wrong dtype.
      const indexShape = input.ndim === 1 ? [] : [input.shape[0]!, ...input.shape.slice(2)];
      if (shapesEqual(target.shape, indexShape)) {
        throw new Error(
          `crossEntropy: expected class indices as an int32 tensor, got ${target.dtype} of shape ${fmtShape(target.shape)} ` +
            `(use target.int()); a float target is read as class probabilities of the input's shape ${fmtShape(input.shape)}`,
        );
      }
    }
    checkSameShape('crossEntropy', input, target, 'probability target');
    const q = eps > 0 ? add(mul(target, 1 - eps), eps / C) : target;
    const terms = w ? mul(mul(lp, q), w) : mul(lp, q);
    if (reduction === 'none') return neg(sum(terms, { dim: classDim }));
    const total = neg(sum(terms));
    return reduction === 'sum' ? total : div(total, input.numel() / C);
  }

  const nll = nllCore('crossEntropy', lp, target, opts);
  if (eps === 0) return nll;
  const ct = classTargets('crossEntropy', input, target, opts.weight, opts.ignoreIndex ?? -100);
  const perPos = neg(sum(w ? mul(lp, w) : lp, { dim: classDim }));
  const smooth = where(constTensor(target.shape, 'bool', ct.ignored), 0, perPos);
  let reduced: Tensor;
  if (reduction === 'none') reduced = smooth;
  else if (reduction === 'sum') reduced = sum(smooth);
  else reduced = div(sum(smooth), ct.weightSum);
  return add(mul(nll, 1 - eps), mul(reduced, eps / C));
}
defineOp('crossEntropy', 'differentiable');

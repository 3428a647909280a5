import type { Tensor } from '../../tensor/tensor.js';
import { isFloat } from '../../tensor/dtype.js';
import { fmtShape } from '../../tensor/shape.js';
import { record } from '../../autograd/node.js';
import { div } from '../elementwise/div.js';
import { log } from '../elementwise/log.js';
import { mul } from '../elementwise/mul.js';
import { sub } from '../elementwise/sub.js';
import { where } from '../elementwise/where.js';
import { checkSameShape, checkWeight, reduceLoss, type LossOptions, lossArgs } from './_loss.js';
import { constTensor, denseF64 } from '../reduce/_reduce.js';
import { defineOp } from '../registry.js';

export interface BinaryCrossEntropyOptions extends LossOptions {
  /** Rescales each element's loss; broadcast to the input's shape. */
  weight?: Tensor;
}

/**
 * Binary cross entropy on probabilities, as torch.nn.functional.binary_cross_entropy:
 * loss_i = -w_i [t_i max(log x_i, -100) + (1 - t_i) max(log(1 - x_i), -100)] (the log is clamped
 * at -100 as PyTorch, so x = 0 or 1 gives a finite loss). input values must lie in [0, 1];
 * target has the input's shape. Gradients, as PyTorch:
 * dx = g w (x - t) / max(x (1 - x), 1e-12), dt = g w (log(1 - x) - log x).
 * @example binaryCrossEntropy(tensor([0.8, 0.2]), tensor([1, 0])) // 0.2231
 */
export function binaryCrossEntropy(input: Tensor, target: Tensor, opts: BinaryCrossEntropyOptions = {}): Tensor {
  opts = lossArgs('binaryCrossEntropy', input, target, opts);
  const op = 'binaryCrossEntropy';
  checkSameShape(op, input, target);
  if (!isFloat(input.dtype)) throw new Error(`${op}: expected a floating point input, got ${input.dtype}`);
  if (opts.weight) checkWeight(op, input, opts.weight);
  const x = denseF64(input);
  const t = denseF64(target);
  const loss = new Float64Array(x.length);
  const tiny = new Uint8Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!;
    if (!(xi >= 0 && xi <= 1)) {
      throw new Error(
        `${op}: input values must be in [0, 1] (probabilities), got ${xi} at flat index ${i} of shape ${fmtShape(input.shape)}`,
      );
    }
    loss[i] = -(t[i]! * Math.max(Math.log(xi), -100) + (1 - t[i]!) * Math.max(Math.log(1 - xi), -100));
    tiny[i] = xi * (1 - xi) < 1e-12 ? 1 : 0;
  }
  const out = constTensor(input.shape, input.dtype, loss);
  const elem = record(op, [input, target], out, (g) => {
    let dx: Tensor | null = null;
    if (input.requiresGrad) {
      const q = mul(input, sub(1, input));
      dx = div(mul(g, sub(input, target)), where(constTensor(input.shape, 'bool', tiny), 1e-12, q));
    }
    const dt = target.requiresGrad ? mul(g, sub(log(sub(1, input)), log(input))) : null;
    return [dx, dt];
  });
  return reduceLoss(op, opts.weight ? mul(elem, opts.weight) : elem, opts.reduction);
}
defineOp('binaryCrossEntropy', 'differentiable');

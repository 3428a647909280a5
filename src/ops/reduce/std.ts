import { Tensor } from '../../tensor/tensor.js';
import { record } from '../../autograd/node.js';
import { withGradMode } from '../../autograd/grad-mode.js';
import { div } from '../elementwise/div.js';
import { eq } from '../elementwise/eq.js';
import { mean } from './mean.js';
import { mul } from '../elementwise/mul.js';
import { reshape } from '../shape/reshape.js';
import { sub } from '../elementwise/sub.js';
import { where } from '../elementwise/where.js';
import { variance, varianceSpec, type VarianceArg, type VarianceOptions } from './variance.js';
import { sqrt } from '../elementwise/sqrt.js';
import { tensorDimArgs } from '../../tensor/validate.js';
import { correctionOf, reduceDims } from './_reduce.js';
import { defineOp } from '../registry.js';

/**
 * Standard deviation over dims (all by default), as torch.std: sqrt(var(x, correction)).
 * Backward, as PyTorch: dx = g / (2 std) * 2 (x - mean) / (N - correction), with the gradient set
 * to 0 where std = 0 (a constant group) instead of NaN.
 * @example std(tensor([1, 2, 3, 4])) // 1.2910
 */
export function std(x: Tensor, dim?: VarianceArg, keepdimOrOpts?: boolean | Omit<VarianceOptions, 'dim'>): Tensor {
  const opts = tensorDimArgs<VarianceOptions>('std', x, dim, keepdimOrOpts, varianceSpec);
  const c = correctionOf('std', x, opts);
  const r = reduceDims('std', x, opts);
  const v = withGradMode(false, () => variance(x, opts));
  const out = withGradMode(false, () => sqrt(v));
  const divisor = Math.max(0, r.groupSize - c);
  return record('std', [x], out, (g) => {
    const s = reshape(out, r.keptShape);
    const zero = eq(s.detach(), 0);
    const gv = where(zero, 0, div(reshape(g, r.keptShape), mul(where(zero, 1, s), 2)));
    const xc = sub(x, mean(x, { dim: r.dims, keepdim: true }));
    return [mul(gv, mul(xc, 2 / divisor))];
  });
}
defineOp('std', 'differentiable');

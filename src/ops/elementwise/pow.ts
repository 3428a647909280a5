import { Tensor } from '../../tensor/tensor.js';
import { isFloat } from '../../tensor/dtype.js';
import { binaryOp, resultDtype, type Operand } from '../_util.js';
import { mul } from './mul.js';
import { log } from './log.js';
import { where } from './where.js';
import { zerosLike } from '../../tensor/creation.js';
import { defineOp } from '../registry.js';

/**
 * Elementwise power with broadcasting: out = a^b.
 * da = g * b * a^(b-1); db = g * a^b * ln(a) (taken as 0 where a == 0, as PyTorch does).
 */
export function pow(a: Operand, b: Operand): Tensor {
  if (a instanceof Tensor && !isFloat(a.dtype) && typeof b === 'number' && b < 0) {
    throw new Error(`pow: integer tensor (${a.dtype}) to a negative integer power ${b} is not allowed`);
  }
  const dt = resultDtype(a, b);
  return binaryOp('pow', a, b, { computeDtype: dt }, (g, ta, tb, out) => {
    let ga: Tensor | null = null;
    let gb: Tensor | null = null;
    if (ta.requiresGrad) {
      const bm1 = typeof b === 'number' ? b - 1 : tb.sub(1);
      ga = mul(g, mul(tb, pow(ta, bm1)));
    }
    if (tb.requiresGrad) {
      const safe = where(ta.eq(0), zerosLike(out), mul(out, log(ta)));
      gb = mul(g, safe);
    }
    return [ga, gb];
  });
}
defineOp('pow', 'differentiable');

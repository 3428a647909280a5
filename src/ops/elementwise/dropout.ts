import { Tensor } from '../../tensor/tensor.js';
import { fmtShape } from '../../tensor/shape.js';
import { type Generator, defaultGenerator } from '../../tensor/random.js';
import { floatDtype } from '../_util.js';
import { mul } from './mul.js';
import { defineOp } from '../registry.js';
import { checkOptions } from '../../tensor/validate.js';

export interface DropoutOptions {
  /** Apply dropout (true, the default) or return x unchanged (evaluation). */
  training?: boolean;
  /** Random stream for the mask; the seeded default generator when omitted. */
  generator?: Generator;
}

/**
 * Inverted dropout, as torch.nn.functional.dropout: each element is zeroed with probability p
 * and the kept ones are scaled by 1/(1-p), so the expectation is unchanged:
 * out = x * m / (1 - p), m_i ~ Bernoulli(1 - p). The gradient is the same scaled mask (a
 * composite: mul by a constant mask). p = 1 gives zeros; training=false or p = 0 returns x.
 * @example manualSeed(0); dropout(ones([4]), 0.5) // e.g. [2, 0, 2, 2]
 */
export function dropout(x: Tensor, p = 0.5, opts: DropoutOptions = {}): Tensor {
  opts = checkOptions('dropout', 3, opts, { training: 'boolean', generator: 'any' });
  if (!(p >= 0 && p <= 1)) throw new Error(`dropout: probability p must be in [0, 1], got ${p} (input shape ${fmtShape(x.shape)})`);
  if (opts.training === false || p === 0) return x;
  const gen = opts.generator ?? defaultGenerator;
  const mask = Tensor.empty(x.shape, floatDtype(x), x.device);
  if (p < 1) {
    // The mask is drawn on the host (one seeded stream on every backend) and written to the device.
    const scale = 1 / (1 - p);
    const m = new Float64Array(mask.numel());
    for (let i = 0; i < m.length; i++) m[i] = gen.random() < p ? 0 : scale;
    mask.backend.write(mask.storage, m);
  }
  return mul(x, mask);
}
defineOp('dropout', 'differentiable');

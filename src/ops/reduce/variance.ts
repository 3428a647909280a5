import { Tensor } from '../../tensor/tensor.js';
import { div } from '../elementwise/div.js';
import { mean } from './mean.js';
import { mul } from '../elementwise/mul.js';
import { sub } from '../elementwise/sub.js';
import { sum, type ReduceOptions } from './sum.js';
import { type Spec, tensorDimArgs } from '../../tensor/validate.js';
import { correctionOf, reduceDims } from './_reduce.js';
import { defineOp } from '../registry.js';

export interface VarianceOptions extends ReduceOptions {
  /** Subtracted from the group size in the divisor (Bessel's correction). Default 1, as PyTorch. */
  correction?: number;
  /** Older PyTorch spelling: unbiased=false means correction=0. Ignored when correction is given. */
  unbiased?: boolean;
}

/** The options var and std accept (also after a positional dim: `variance(x, 1, { correction: 0 })`). */
export const varianceSpec: Spec = { dim: 'dims', keepdim: 'boolean', correction: 'number', unbiased: 'boolean' };

/** The dims argument of var/std: one dim, a list of dims, or the options object. */
export type VarianceArg = number | readonly number[] | VarianceOptions;

/**
 * Variance over dims (all by default), as torch.var:
 * var = sum((x - mean(x))^2) / max(0, N - correction), N the number of reduced elements.
 * A composite of mean, sub, mul, sum and div. (Named `variance` because `var` is reserved in
 * JavaScript; the Tensor method is `x.var()`.)
 * @example variance(tensor([1, 2, 3, 4])) // 1.6667;  variance(t, { correction: 0 }) // 1.25;  variance(m, 1, true)
 */
export function variance(x: Tensor, dim?: VarianceArg, keepdimOrOpts?: boolean | Omit<VarianceOptions, 'dim'>): Tensor {
  const opts = tensorDimArgs<VarianceOptions>('variance', x, dim, keepdimOrOpts, varianceSpec);
  const c = correctionOf('variance', x, opts);
  const r = reduceDims('variance', x, opts);
  const xc = sub(x, mean(x, { dim: r.dims, keepdim: true }));
  return div(sum(mul(xc, xc), { dim: r.dims, keepdim: r.keepdim }), Math.max(0, r.groupSize - c));
}
defineOp('variance', 'differentiable');

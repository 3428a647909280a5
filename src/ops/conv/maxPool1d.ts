import { Tensor } from '../../tensor/tensor.js';
import { checkPoolInput, maxPoolCore, maxPoolPlan, poolArgs, poolOutSizes, poolSpecs } from './_pool.js';
import { reshape } from '../shape/reshape.js';
import { defineOp } from '../registry.js';
import type { PoolWithIndices } from './maxPool2d.js';
import { checkOptions } from '../../tensor/validate.js';

export interface MaxPool1dOptions {
  kernelSize: number | readonly [number];
  /** Defaults to kernelSize. */
  stride?: number | readonly [number] | null;
  padding?: number | readonly [number];
  dilation?: number | readonly [number];
  ceilMode?: boolean;
  returnIndices?: boolean;
}

/**
 * 1-D max pooling, as torch.nn.functional.max_pool1d: out[n, c, t] = max_{k} in[n, c, t*s - p + k*d].
 * Shapes: input [N, C, L] or [C, L]; output [..., floor((L + 2p - d (K - 1) - 1) / s) + 1] (ceil in
 * ceilMode). Indices (returnIndices) are positions along L.
 * @example maxPool1d(x, { kernelSize: 3, stride: 2 })
 */
export function maxPool1d(input: Tensor, opts: MaxPool1dOptions & { returnIndices: true }): PoolWithIndices;
export function maxPool1d(input: Tensor, opts: MaxPool1dOptions & { returnIndices?: false }): Tensor;
export function maxPool1d(input: Tensor, opts: MaxPool1dOptions): Tensor | PoolWithIndices;
export function maxPool1d(input: Tensor, opts: MaxPool1dOptions): Tensor | PoolWithIndices {
  opts = checkOptions<MaxPool1dOptions>('maxPool1d', 2, opts, poolSpecs.maxPool1d);
  checkPoolInput('maxPool1d', input, 1, false);
  const a1 = poolArgs('maxPool1d', opts, 1);
  const L = input.shape[input.ndim - 1]!;
  const out = poolOutSizes('maxPool1d', input.shape, [L], a1, opts.ceilMode ?? false);
  const a = { kernel: [1, a1.kernel[0]!], stride: [1, a1.stride[0]!], pad: [0, a1.pad[0]!], dilation: [1, a1.dilation[0]!] };
  const x = reshape(input, [...input.shape.slice(0, -1), 1, L]);
  const r = maxPoolCore('maxPool2d', x, maxPoolPlan(1, L, [1, out[0]!], a));
  const shape = [...input.shape.slice(0, -1), out[0]!];
  const values = reshape(r.values, shape);
  return opts.returnIndices ? { values, indices: reshape(r.indices, shape) } : values;
}
defineOp('maxPool1d', 'differentiable');

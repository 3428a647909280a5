import { Tensor } from '../../tensor/tensor.js';
import { checkPoolInput, maxPoolCore, maxPoolPlan, poolArgs, poolOutSizes, type SpatialArg, poolSpecs } from './_pool.js';
import { defineOp } from '../registry.js';
import { checkOptions } from '../../tensor/validate.js';

export interface MaxPool2dOptions {
  /** Window size: a number or [kH, kW]. */
  kernelSize: SpatialArg;
  /** Step between windows; defaults to kernelSize. */
  stride?: SpatialArg | null;
  /** Implicit -inf padding on both sides, at most half the kernel size. Default 0. */
  padding?: SpatialArg;
  /** Spacing between window taps. Default 1. */
  dilation?: SpatialArg;
  /** Use ceil instead of floor for the output size (a last partial window is kept). Default false. */
  ceilMode?: boolean;
  /** Also return the argmax of each window. Default false. */
  returnIndices?: boolean;
}

/** Values and argmax positions of a max pool. */
export interface PoolWithIndices {
  values: Tensor;
  /** int32 flat index (h * W + w) of each maximum within its input H x W plane, as PyTorch. */
  indices: Tensor;
}

/**
 * 2-D max pooling, as torch.nn.functional.max_pool2d:
 *
 *   out[n, c, y, x] = max_{i < kH, j < kW} in[n, c, y*sH - pH + i*dH, x*sW - pW + j*dW]
 *
 * Shapes: input [N, C, H, W] or [C, H, W]; output [..., OH, OW] with
 * OH = floor((H + 2 pH - dH (kH - 1) - 1) / sH) + 1 (ceil in ceilMode, keeping the last window
 * starting inside the input). The gradient goes to the (first) maximum of each window.
 * With returnIndices it returns { values, indices } (indices usable by maxUnpool2d).
 * @example maxPool2d(x, { kernelSize: 2 }) // halves H and W
 */
export function maxPool2d(input: Tensor, opts: MaxPool2dOptions & { returnIndices: true }): PoolWithIndices;
export function maxPool2d(input: Tensor, opts: MaxPool2dOptions & { returnIndices?: false }): Tensor;
export function maxPool2d(input: Tensor, opts: MaxPool2dOptions): Tensor | PoolWithIndices;
export function maxPool2d(input: Tensor, opts: MaxPool2dOptions): Tensor | PoolWithIndices {
  opts = checkOptions<MaxPool2dOptions>('maxPool2d', 2, opts, poolSpecs.maxPool2d);
  checkPoolInput('maxPool2d', input, 2, false);
  const a = poolArgs('maxPool2d', opts, 2);
  const [H, W] = input.shape.slice(-2) as [number, number];
  const out = poolOutSizes('maxPool2d', input.shape, [H, W], a, opts.ceilMode ?? false);
  const r = maxPoolCore('maxPool2d', input, maxPoolPlan(H, W, out, a));
  return opts.returnIndices ? r : r.values;
}
defineOp('maxPool2d', 'differentiable');

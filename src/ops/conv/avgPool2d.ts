import { Tensor } from '../../tensor/tensor.js';
import { avgPoolPlan, checkPoolInput, poolArgs, poolOutSizes, windowMeanCore, type SpatialArg, poolSpecs } from './_pool.js';
import { defineOp } from '../registry.js';
import { checkOptions } from '../../tensor/validate.js';

export interface AvgPool2dOptions {
  /** Window size: a number or [kH, kW]. */
  kernelSize: SpatialArg;
  /** Step between windows; defaults to kernelSize. */
  stride?: SpatialArg | null;
  /** Implicit zero padding on both sides, at most half the kernel size. Default 0. */
  padding?: SpatialArg;
  /** Use ceil instead of floor for the output size. Default false. */
  ceilMode?: boolean;
  /** Count padding zeros in the divisor. Default true. */
  countIncludePad?: boolean;
  /** Divide every window sum by this instead. */
  divisorOverride?: number;
}

/**
 * 2-D average pooling, as torch.nn.functional.avg_pool2d:
 *
 *   out[n, c, y, x] = (1 / D) sum_{i < kH, j < kW} in[n, c, y*sH - pH + i, x*sW - pW + j]
 *
 * where D is the window size clipped to the padded input (countIncludePad), the number of real
 * input positions in the window (countIncludePad false), or divisorOverride. Shapes: input
 * [N, C, H, W] or [C, H, W]; output [..., OH, OW], OH = floor((H + 2 pH - kH) / sH) + 1 (ceil in ceilMode).
 * @example avgPool2d(x, { kernelSize: 3, stride: 2, padding: 1, countIncludePad: false })
 */
export function avgPool2d(input: Tensor, opts: AvgPool2dOptions): Tensor {
  opts = checkOptions<AvgPool2dOptions>('avgPool2d', 2, opts, poolSpecs.avgPool2d);
  checkPoolInput('avgPool2d', input, 2, true);
  const a = poolArgs('avgPool2d', { ...opts, dilation: 1 }, 2);
  const div = opts.divisorOverride;
  if (div !== undefined && (!Number.isFinite(div) || div === 0))
    throw new Error(`avgPool2d: divisorOverride must be a non-zero number, got ${div}`);
  const [H, W] = input.shape.slice(-2) as [number, number];
  const out = poolOutSizes('avgPool2d', input.shape, [H, W], a, opts.ceilMode ?? false);
  const plan = avgPoolPlan(H, W, out, a, opts.countIncludePad ?? true, div);
  return windowMeanCore(input, plan, { forward: 'avgPool2d', backward: 'avgPool2dBackward' });
}
defineOp('avgPool2d', 'differentiable');

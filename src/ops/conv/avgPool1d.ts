import { Tensor } from '../../tensor/tensor.js';
import { avgPoolPlan, checkPoolInput, poolArgs, poolOutSizes, windowMeanCore, poolSpecs } from './_pool.js';
import { reshape } from '../shape/reshape.js';
import { defineOp } from '../registry.js';
import { checkOptions } from '../../tensor/validate.js';

export interface AvgPool1dOptions {
  kernelSize: number | readonly [number];
  /** Defaults to kernelSize. */
  stride?: number | readonly [number] | null;
  padding?: number | readonly [number];
  ceilMode?: boolean;
  /** Count padding zeros in the divisor. Default true. */
  countIncludePad?: boolean;
}

/**
 * 1-D average pooling, as torch.nn.functional.avg_pool1d: out[n, c, t] = (1/D) sum_{k < K} in[n, c, t*s - p + k],
 * D as in avgPool2d. Shapes: input [N, C, L] or [C, L]; output [..., floor((L + 2p - K) / s) + 1].
 * @example avgPool1d(x, { kernelSize: 4 })
 */
export function avgPool1d(input: Tensor, opts: AvgPool1dOptions): Tensor {
  opts = checkOptions<AvgPool1dOptions>('avgPool1d', 2, opts, poolSpecs.avgPool1d);
  checkPoolInput('avgPool1d', input, 1, true);
  const a1 = poolArgs('avgPool1d', { ...opts, dilation: 1 }, 1);
  const L = input.shape[input.ndim - 1]!;
  const out = poolOutSizes('avgPool1d', input.shape, [L], a1, opts.ceilMode ?? false);
  const a = { kernel: [1, a1.kernel[0]!], stride: [1, a1.stride[0]!], pad: [0, a1.pad[0]!], dilation: [1, 1] };
  const plan = avgPoolPlan(1, L, [1, out[0]!], a, opts.countIncludePad ?? true);
  const x = reshape(input, [...input.shape.slice(0, -1), 1, L]);
  const y = windowMeanCore(x, plan, { forward: 'avgPool2d', backward: 'avgPool2dBackward' });
  return reshape(y, [...input.shape.slice(0, -1), out[0]!]);
}
defineOp('avgPool1d', 'differentiable');

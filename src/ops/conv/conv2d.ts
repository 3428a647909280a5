import { Tensor } from '../../tensor/tensor.js';
import { convCore, planConv, toParams, type SpatialArg } from './_conv.js';
import { reshape } from '../shape/reshape.js';
import { defineOp } from '../registry.js';

export interface Conv2dOptions {
  /** Step between windows: a number or [sH, sW]. Default 1. */
  stride?: SpatialArg;
  /** Zero padding on both sides: a number, [pH, pW], 'valid' (0) or 'same' (stride 1 only). Default 0. */
  padding?: SpatialArg | 'same' | 'valid';
  /** Spacing between kernel taps: a number or [dH, dW]. Default 1. */
  dilation?: SpatialArg;
  /** Channel groups: input and output channels are split into `groups` independent convolutions. Default 1. */
  groups?: number;
}

/**
 * 2-D convolution (cross-correlation), as torch.nn.functional.conv2d.
 *
 *   out[n, o, y, x] = b[o] + sum_{c, i, j} w[o, c, i, j] * in[n, g*C/groups + c, y*sH - pH + i*dH, x*sW - pW + j*dW]
 *
 * with g the group of output channel o. Shapes: input [N, C, H, W] (or unbatched [C, H, W]),
 * weight [O, C/groups, kH, kW], bias [O]; output [N, O, OH, OW] with
 * OH = floor((H + 2 pH - dH (kH - 1) - 1) / sH) + 1. groups = C gives a depthwise convolution.
 * Gradients: the input gradient is a transposed convolution, the weight gradient conv2dWeightGrad,
 * both differentiable again.
 * @example conv2d(randn([1, 3, 8, 8]), randn([16, 3, 3, 3]), null, { padding: 1 }) // [1, 16, 8, 8]
 */
export function conv2d(input: Tensor, weight: Tensor, bias: Tensor | null = null, opts: Conv2dOptions = {}): Tensor {
  const plan = planConv('conv2d', input, weight, bias, opts, 2);
  const x = plan.batched ? input : reshape(input, [1, ...input.shape]);
  const out = convCore(x, weight, bias, toParams(plan), plan.out[0]!, plan.out[1]!);
  return plan.batched ? out : reshape(out, out.shape.slice(1));
}
defineOp('conv2d', 'differentiable');

import { Tensor } from '../../tensor/tensor.js';
import { convTransposeCore, planConvTranspose, toParams, type SpatialArg } from './_conv.js';
import { reshape } from '../shape/reshape.js';
import { defineOp } from '../registry.js';

export interface ConvTranspose2dOptions {
  /** Stride of the convolution this op transposes: a number or [sH, sW]. Default 1. */
  stride?: SpatialArg;
  /** dilation * (kernel - 1) - padding zeros are added to both sides of the input. Default 0. */
  padding?: SpatialArg;
  /** Extra size added to one side of the output; must be smaller than stride or dilation. Default 0. */
  outputPadding?: SpatialArg;
  /** Spacing between kernel taps. Default 1. */
  dilation?: SpatialArg;
  /** Channel groups. Default 1. */
  groups?: number;
}

/**
 * 2-D transposed convolution ("deconvolution"), as torch.nn.functional.conv_transpose2d: the
 * gradient of conv2d with respect to its input, used as an op.
 *
 *   out[n, g*O/groups + o, y*sH - pH + i*dH, x*sW - pW + j*dW] += in[n, c, y, x] * w[c, o, i, j]   (+ b)
 *
 * for input channel c in group g. Shapes: input [N, C_in, H, W] (or [C_in, H, W]), weight
 * [C_in, O/groups, kH, kW], bias [O]; output [N, O, OH, OW] with
 * OH = (H - 1) sH - 2 pH + dH (kH - 1) + outputPaddingH + 1.
 * @example convTranspose2d(randn([1, 8, 4, 4]), randn([8, 3, 4, 4]), null, { stride: 2, padding: 1 }) // [1, 3, 8, 8]
 */
export function convTranspose2d(input: Tensor, weight: Tensor, bias: Tensor | null = null, opts: ConvTranspose2dOptions = {}): Tensor {
  const plan = planConvTranspose('convTranspose2d', input, weight, bias, opts, 2);
  const x = plan.batched ? input : reshape(input, [1, ...input.shape]);
  const out = convTransposeCore(x, weight, bias, toParams(plan), plan.out[0]!, plan.out[1]!);
  return plan.batched ? out : reshape(out, out.shape.slice(1));
}
defineOp('convTranspose2d', 'differentiable');

import { Tensor } from '../../tensor/tensor.js';
import { isFloat } from '../../tensor/dtype.js';
import { fmtShape } from '../../tensor/shape.js';
import { spatial, weightGradCore, type SpatialArg } from './_conv.js';
import { defineOp } from '../registry.js';
import { checkArg, checkOptions, checkTensor, type Spec } from '../../tensor/validate.js';

const weightGradSpec: Spec = { stride: 'ints', padding: 'ints', dilation: 'ints', groups: 'int' };

export interface Conv2dWeightGradOptions {
  stride?: SpatialArg;
  padding?: SpatialArg;
  dilation?: SpatialArg;
  groups?: number;
}

/**
 * The gradient of conv2d with respect to its weight, as torch.nn.grad.conv2d_weight:
 *
 *   dW[o, c, i, j] = sum_{n, y, x} gradOutput[n, o, y, x] * input[n, g*C/groups + c, y*sH - pH + i*dH, x*sW - pW + j*dW]
 *
 * Shapes: input [N, C, H, W], gradOutput [N, O, OH, OW] (the conv2d output shape for these
 * options), result weightSize = [O, C/groups, kH, kW]. It is bilinear in input and gradOutput and
 * differentiable in both (its own gradients are a transposed convolution and a convolution), which
 * is what makes conv2d twice differentiable.
 * @example conv2dWeightGrad(x, [16, 3, 3, 3], gy, { padding: 1 }) // same as the .grad conv2d(x, w, null, { padding: 1 }) gives w
 */
export function conv2dWeightGrad(
  input: Tensor,
  weightSize: readonly number[],
  gradOutput: Tensor,
  opts: Conv2dWeightGradOptions = {},
): Tensor {
  const op = 'conv2dWeightGrad';
  checkTensor(op, input);
  checkArg(op, 'argument 2 (weightSize)', weightSize, 'positiveInts');
  checkTensor(op, gradOutput, 'argument 3 (gradOutput)');
  checkOptions(op, 4, opts, weightGradSpec);
  const shapes = `input ${fmtShape(input.shape)}, gradOutput ${fmtShape(gradOutput.shape)}, weightSize ${fmtShape(weightSize)}`;
  if (input.ndim !== 4 || gradOutput.ndim !== 4 || weightSize.length !== 4) {
    throw new Error(`${op}: expected a 4-D input, a 4-D gradOutput and a weightSize of length 4, got ${shapes}`);
  }
  if (!isFloat(input.dtype) || gradOutput.dtype !== input.dtype) {
    throw new Error(
      `${op}: expected floating point input and gradOutput of the same dtype, got ${input.dtype} and ${gradOutput.dtype} (${shapes})`,
    );
  }
  const groups = opts.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1) throw new Error(`${op}: groups must be a positive integer, got ${groups}`);
  const [O, Cg, KH, KW] = weightSize as [number, number, number, number];
  const [N, C, H, W] = input.shape as [number, number, number, number];
  if (Cg * groups !== C || O % groups !== 0 || gradOutput.shape[1] !== O || gradOutput.shape[0] !== N) {
    throw new Error(`${op}: shapes do not match for groups=${groups}: ${shapes}`);
  }
  const stride = spatial(op, 'stride', opts.stride, 2, 1, 1);
  const pad = spatial(op, 'padding', opts.padding, 2, 0, 0);
  const dil = spatial(op, 'dilation', opts.dilation, 2, 1, 1);
  const expected = [H, W].map((s, i) => Math.floor((s + 2 * pad[i]! - dil[i]! * ([KH, KW][i]! - 1) - 1) / stride[i]!) + 1);
  if (expected[0]! <= 0 || expected[1]! <= 0 || gradOutput.shape[2] !== expected[0] || gradOutput.shape[3] !== expected[1]) {
    throw new Error(`${op}: gradOutput spatial size should be ${fmtShape(expected)} for these options, got ${shapes}`);
  }
  const params = { strideH: stride[0]!, strideW: stride[1]!, padH: pad[0]!, padW: pad[1]!, dilH: dil[0]!, dilW: dil[1]!, groups };
  return weightGradCore(input, gradOutput, params, KH, KW);
}
defineOp('conv2dWeightGrad', 'differentiable');

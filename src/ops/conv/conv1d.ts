import { Tensor } from '../../tensor/tensor.js';
import { convCore, planConv, toParams } from './_conv.js';
import { reshape } from '../shape/reshape.js';
import { defineOp } from '../registry.js';

export interface Conv1dOptions {
  /** Step between windows. Default 1. */
  stride?: number | readonly [number];
  /** Zero padding on both sides, 'valid' (0) or 'same' (stride 1 only). Default 0. */
  padding?: number | readonly [number] | 'same' | 'valid';
  /** Spacing between kernel taps. Default 1. */
  dilation?: number | readonly [number];
  /** Channel groups. Default 1. */
  groups?: number;
}

/**
 * 1-D convolution (cross-correlation), as torch.nn.functional.conv1d:
 *
 *   out[n, o, t] = b[o] + sum_{c, k} w[o, c, k] * in[n, g*C/groups + c, t*s - p + k*d]
 *
 * Shapes: input [N, C, L] (or unbatched [C, L]), weight [O, C/groups, K], bias [O];
 * output [N, O, floor((L + 2p - d (K - 1) - 1) / s) + 1]. A composite: a conv2d on a height-1 image.
 * @example conv1d(randn([2, 4, 50]), randn([8, 4, 5]), null, { dilation: 2 }) // [2, 8, 42]
 */
export function conv1d(input: Tensor, weight: Tensor, bias: Tensor | null = null, opts: Conv1dOptions = {}): Tensor {
  const plan = planConv('conv1d', input, weight, bias, opts, 1);
  const [N, C, L] = plan.batched ? input.shape : [1, ...input.shape];
  const x = reshape(input, [N!, C!, 1, L!]);
  const w = reshape(weight, [weight.shape[0]!, weight.shape[1]!, 1, weight.shape[2]!]);
  const out = convCore(x, w, bias, toParams(plan), 1, plan.out[0]!);
  return reshape(out, plan.batched ? [N!, out.shape[1]!, plan.out[0]!] : [out.shape[1]!, plan.out[0]!]);
}
defineOp('conv1d', 'differentiable');

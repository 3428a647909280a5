/**
 * Folding an evaluation-mode batch norm into the convolution before it, for inference. In eval
 * mode BN is an affine map per channel o: BN(y)_o = gamma_o (y_o - mu_o) / sqrt(var_o + eps) + beta_o,
 * and y = W * x + b is linear, so with s_o = gamma_o / sqrt(var_o + eps):
 *
 *   W'_o = s_o W_o,      b'_o = s_o (b_o - mu_o) + beta_o
 *
 * gives one convolution with the same output (up to float rounding), one pass over the data fewer.
 */
import { noGrad } from '../autograd/grad-mode.js';
import { describe } from '../tensor/validate.js';
import { Conv2d } from './layers/conv.js';
import { BatchNorm2d } from './layers/norm.js';

/**
 * A new Conv2d equal to `bn(conv(x))` with `bn` in evaluation mode (its running statistics). The
 * arguments are left unchanged.
 * @example const fused = fuseConvBn(block.conv1, block.bn1); // fused.forward(x) ~ bn1.eval().forward(conv1.forward(x))
 */
export function fuseConvBn(conv: Conv2d, bn: BatchNorm2d, ...extra: never[]): Conv2d {
  if (!(conv instanceof Conv2d)) throw new TypeError(`fuseConvBn: argument 1 (conv) must be an nn.Conv2d, got ${describe(conv)}`);
  if (!(bn instanceof BatchNorm2d)) throw new TypeError(`fuseConvBn: argument 2 (bn) must be an nn.BatchNorm2d, got ${describe(bn)}`);
  if (extra.length > 0) throw new TypeError(`fuseConvBn: unexpected argument 3 (${describe(extra[0])}); call fuseConvBn(conv, bn)`);
  if (bn.numFeatures !== conv.outChannels) {
    throw new Error(`fuseConvBn: the batch norm has ${bn.numFeatures} features but the convolution ${conv.outChannels} output channels`);
  }
  if (!bn.runningMean || !bn.runningVar) {
    throw new Error(
      'fuseConvBn: the batch norm tracks no running statistics (trackRunningStats: false), so it has no evaluation-mode form to fold',
    );
  }
  const dtype = conv.weight.dtype as 'float32' | 'float64';
  const fused = new Conv2d(conv.inChannels, conv.outChannels, conv.kernelSize, {
    stride: conv.stride,
    padding: conv.padding,
    dilation: conv.dilation,
    groups: conv.groups,
    bias: true,
    dtype,
  });
  noGrad(() => {
    const w = conv.weight.data;
    const b = conv.bias?.data;
    const mu = bn.runningMean!.data;
    const v = bn.runningVar!.data;
    const g = bn.weight?.data;
    const beta = bn.bias?.data;
    const fw = fused.weight.data as { [i: number]: number };
    const fb = fused.bias!.data as { [i: number]: number };
    const per = w.length / conv.outChannels;
    for (let o = 0; o < conv.outChannels; o++) {
      // s_o = gamma_o / sqrt(var_o + eps)
      const s = (g ? g[o]! : 1) / Math.sqrt(v[o]! + bn.eps);
      for (let i = o * per; i < (o + 1) * per; i++) fw[i] = s * w[i]!;
      fb[o] = s * ((b ? b[o]! : 0) - mu[o]!) + (beta ? beta[o]! : 0);
    }
  });
  return fused;
}

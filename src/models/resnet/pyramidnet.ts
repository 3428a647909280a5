/**
 * PyramidNet (Han, Kim & Kim 2017, "Deep Pyramidal Residual Networks", CVPR; arXiv:1610.02915):
 * instead of doubling the width at each downsampling stage, every block widens a little, so the
 * widths form a pyramid. Additive widening (eq. 2) over N = 3n blocks with widening factor alpha:
 *
 *   D_k = 16 + floor(k * alpha / N),  k = 1..N        (the last block ends at 16 + alpha channels)
 *
 * The reference code accumulates alpha/N and rounds instead of flooring; both give 16 + alpha at
 * the end and differ by at most one channel per block. The blocks (blocks.ts PyramidBlock) are
 * BN-conv-BN-ReLU-conv-BN with no ReLU after the addition; as the width changes in every block the
 * shortcut is the zero-padded identity (section 3.3, Fig. 5(b)), with 2x2 average pooling where the
 * block downsamples. Stem: conv3x3(16)-BN; head: BN-ReLU, global average pooling, linear.
 * Keys: conv1, bn1, layer1.0.{bn1, conv1, bn2, conv2, bn3}, bn_final, fc.
 * @example
 * const net = pyramidNet(110, 48, { inChannels: 1 }); // PyramidNet-110 (alpha = 48), 1.7M parameters
 */
/* eslint-disable prefer-rest-params -- constructors and builders hand their `arguments` to checkCtor (tensor/validate.ts), which also rejects arguments past the declared ones */
import type { Tensor } from '../../tensor/tensor.js';
import { relu } from '../../ops/elementwise/relu.js';
import { flatten } from '../../ops/shape/flatten.js';
import { Module } from '../../nn/module.js';
import { Sequential } from '../../nn/containers.js';
import { Conv2d } from '../../nn/layers/conv.js';
import { BatchNorm2d } from '../../nn/layers/norm.js';
import { Linear } from '../../nn/layers/linear.js';
import { AdaptiveAvgPool2d } from '../../nn/layers/pool.js';
import { PyramidBlock } from './blocks.js';
import { ZeroPadShortcut, checkBuilderArg, initCnn, modelOptions } from '../cnn/common.js';
import type { BuilderOptions } from './resnet.js';
import { checkCtor } from '../../tensor/validate.js';

const DEPTH_ALPHA = [
  ['depth', 'positiveInt'],
  ['alpha', 'nonNegativeInt'],
] as const;

/** Additive PyramidNet for 32x32-like inputs (CIFAR, Fashion-MNIST), basic blocks: depth 6n + 2. */
export class PyramidNet extends Module {
  readonly conv1: Conv2d;
  readonly bn1: BatchNorm2d;
  readonly stages: Sequential[] = [];
  readonly bnFinal: BatchNorm2d;
  readonly avgpool: AdaptiveAvgPool2d;
  readonly fc: Linear;
  /** Output channels of every block, in order (D_1 .. D_N). */
  readonly widths: number[] = [];

  constructor(
    readonly depth: number,
    readonly alpha: number,
    opts?: BuilderOptions,
  ) {
    super();
    checkCtor('PyramidNet', DEPTH_ALPHA, arguments, { numClasses: 'positiveInt', inChannels: 'positiveInt' });
    const o = modelOptions('PyramidNet', opts, { numClasses: 'positiveInt', inChannels: 'positiveInt' });
    checkBuilderArg(
      'PyramidNet',
      'argument 1 (depth)',
      depth,
      (d) => Number.isInteger(d) && d > 2 && (d - 2) % 6 === 0,
      '6n + 2 for a positive integer n',
    );
    checkBuilderArg(
      'PyramidNet',
      'argument 2 (alpha)',
      alpha,
      (a) => Number.isInteger(a) && a >= 0,
      'a non-negative integer (the widening factor)',
    );
    const n = (depth - 2) / 6;
    const total = 3 * n;
    this.conv1 = this.module('conv1', new Conv2d(o.inChannels ?? 3, 16, 3, { padding: 1, bias: false }));
    this.bn1 = this.module('bn1', new BatchNorm2d(16));
    let inplanes = 16;
    let k = 0;
    for (let s = 0; s < 3; s++) {
      const blocks = new Sequential();
      for (let b = 0; b < n; b++) {
        k++;
        // D_k = 16 + floor(k * alpha / N): the width grows by alpha / N per block.
        const out = 16 + Math.floor((k * alpha) / total);
        const stride = b === 0 && s > 0 ? 2 : 1;
        const downsample = stride !== 1 || out !== inplanes ? new ZeroPadShortcut(inplanes, out, stride, 'avg') : null;
        blocks.append(new PyramidBlock(inplanes, out, { stride, downsample }));
        this.widths.push(out);
        inplanes = out;
      }
      this.stages.push(this.module(`layer${s + 1}`, blocks));
    }
    this.bnFinal = this.module('bn_final', new BatchNorm2d(inplanes));
    this.avgpool = this.module('avgpool', new AdaptiveAvgPool2d([1, 1]));
    this.fc = this.module('fc', new Linear(inplanes, o.numClasses ?? 10));
    initCnn(this, { convMode: 'fan_out', linear: 'zeroBias' });
  }

  forward(x: Tensor): Tensor {
    let h = this.bn1.forward(this.conv1.forward(x));
    for (const s of this.stages) h = s.forward(h);
    h = relu(this.bnFinal.forward(h));
    return this.fc.forward(flatten(this.avgpool.forward(h), 1));
  }
}

/** PyramidNet with depth 6n + 2 and additive widening alpha (the paper's CIFAR networks: 110 with alpha 48 or 270). */
export function pyramidNet(depth: number, alpha: number, opts?: BuilderOptions): PyramidNet {
  checkCtor('pyramidNet', DEPTH_ALPHA, arguments, { numClasses: 'positiveInt', inChannels: 'positiveInt' });
  return new PyramidNet(depth, alpha, opts);
}

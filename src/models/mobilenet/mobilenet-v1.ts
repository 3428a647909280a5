/**
 * MobileNet v1 (Howard et al. 2017, "MobileNets: Efficient Convolutional Neural Networks for
 * Mobile Vision Applications", arXiv:1704.04861). A standard convolution with a D_K x D_K kernel
 * from M to N channels on a D_F x D_F map costs (section 3.1, eq. 2)
 *
 *   D_K * D_K * M * N * D_F * D_F                                  multiply-adds;
 *
 * a depthwise separable convolution (a D_K x D_K depthwise conv per channel, then a 1x1 pointwise
 * conv mixing channels) costs (eq. 5)
 *
 *   D_K * D_K * M * D_F * D_F  +  M * N * D_F * D_F,
 *
 * a fraction 1/N + 1/D_K^2 of the standard one: 8 to 9 times less with 3x3 kernels. The width
 * multiplier alpha thins every layer (M -> alpha M, N -> alpha N: cost ~ alpha^2, section 3.3) and
 * the resolution multiplier rho shrinks the input (D_F -> rho D_F: cost ~ rho^2, section 3.4; the
 * network takes 224 rho pixels). `mobilenetV1Cost` evaluates these formulas for the whole body,
 * Table 1's 28 layers: 569M multiply-adds and 4.2M parameters at alpha = 1, rho = 1 (Table 4).
 *
 * Keys (ours; torchvision has no v1): features.0 is the stem conv-BN-ReLU ('0' conv, '1' BN),
 * features.i (i = 1..13) a depthwise separable block: features.i.0 the depthwise conv-BN-ReLU,
 * features.i.1 the pointwise conv-BN-ReLU; classifier.1 the linear layer after dropout.
 * @example
 * const net = mobilenetV1({ alpha: 0.5 });        // 224 x 224 input, 1000 classes
 */
/* eslint-disable prefer-rest-params -- constructors and builders hand their `arguments` to checkCtor (tensor/validate.ts), which also rejects arguments past the declared ones */
import type { Tensor } from '../../tensor/tensor.js';
import { flatten } from '../../ops/shape/flatten.js';
import { adaptiveAvgPool2d } from '../../ops/conv/adaptiveAvgPool2d.js';
import { Module } from '../../nn/module.js';
import { Sequential } from '../../nn/containers.js';
import { Linear } from '../../nn/layers/linear.js';
import { Dropout } from '../../nn/layers/basic.js';
import { checkCtor } from '../../tensor/validate.js';
import { convBnAct, initCnn, inRange, modelOptions } from '../cnn/common.js';

/** The body of Table 1 after the stem: [output channels, stride] of the 13 depthwise separable blocks. */
export const MOBILENET_V1_BLOCKS: readonly (readonly [number, number])[] = [
  [64, 1],
  [128, 2],
  [128, 1],
  [256, 2],
  [256, 1],
  [512, 2],
  [512, 1],
  [512, 1],
  [512, 1],
  [512, 1],
  [512, 1],
  [1024, 2],
  [1024, 1],
];

/** A depthwise separable convolution: depthwise D_K x D_K conv-BN-ReLU ('0'), then pointwise 1x1 conv-BN-ReLU ('1'). */
export function depthwiseSeparable(inChannels: number, outChannels: number, stride = 1, kernel = 3): Sequential {
  checkCtor(
    'depthwiseSeparable',
    [
      ['inChannels', 'positiveInt'],
      ['outChannels', 'positiveInt'],
      ['stride', 'positiveInt', true],
      ['kernel', 'positiveInt', true],
    ],
    arguments,
  );
  return new Sequential(convBnAct(inChannels, inChannels, kernel, { stride, groups: inChannels }), convBnAct(inChannels, outChannels, 1));
}

export interface MobileNetV1Options {
  /** Width multiplier alpha in (0, 1] (the paper's 1, 0.75, 0.5, 0.25): every layer has round(alpha * c) channels. Default 1. */
  alpha?: number;
  /** Stride of the stem convolution; 1 keeps small inputs (28 x 28) from shrinking too early. Default 2. */
  stemStride?: number;
  /** Strides of the 13 blocks (default Table 1's). */
  strides?: readonly number[];
  /** Dropout before the classifier. Default 0.001 (the paper trains with little regularisation). */
  dropout?: number;
  numClasses?: number;
  inChannels?: number;
}

const V1_SPEC = {
  alpha: 'number',
  stemStride: 'positiveInt',
  strides: 'positiveInts',
  dropout: 'number',
  numClasses: 'positiveInt',
  inChannels: 'positiveInt',
} as const;

/** Channels of a layer of nominal width c at width multiplier alpha (at least 8). */
function thin(c: number, alpha: number): number {
  return Math.max(8, Math.round(c * alpha));
}

/** MobileNet v1; see the file header. */
export class MobileNetV1 extends Module {
  readonly features: Sequential;
  readonly classifier: Sequential;
  readonly lastChannel: number;

  constructor(opts: MobileNetV1Options = {}) {
    super();
    checkCtor('MobileNetV1', [], arguments, V1_SPEC);
    modelOptions('MobileNetV1', opts, V1_SPEC, {
      alpha: (v: number) => (v > 0 && v <= 4 ? null : 'must be in (0, 4]'),
      strides: (v: readonly number[]) =>
        Array.isArray(v) && v.length === MOBILENET_V1_BLOCKS.length ? null : `must list ${MOBILENET_V1_BLOCKS.length} strides`,
      dropout: inRange(0, 1, true),
    });
    const alpha = opts.alpha ?? 1;
    const strides = opts.strides ?? MOBILENET_V1_BLOCKS.map(([, s]) => s);
    let c = thin(32, alpha);
    this.features = this.module('features', new Sequential(convBnAct(opts.inChannels ?? 3, c, 3, { stride: opts.stemStride ?? 2 })));
    MOBILENET_V1_BLOCKS.forEach(([out], i) => {
      const n = thin(out, alpha);
      this.features.append(depthwiseSeparable(c, n, strides[i]!));
      c = n;
    });
    this.lastChannel = c;
    this.classifier = this.module('classifier', new Sequential(new Dropout(opts.dropout ?? 0.001), new Linear(c, opts.numClasses ?? 1000)));
    initCnn(this, { convMode: 'fan_out', linear: 'normal' });
  }

  forward(x: Tensor): Tensor {
    const h = this.features.forward(x);
    return this.classifier.forward(flatten(adaptiveAvgPool2d(h, [1, 1]), 1));
  }
}

/** MobileNet v1 at width multiplier alpha (Howard et al. 2017, Table 1 scaled by section 3.3). */
export function mobilenetV1(opts?: MobileNetV1Options): MobileNetV1 {
  checkCtor('mobilenetV1', [], arguments, V1_SPEC);
  return new MobileNetV1(opts);
}

export interface MobileNetCost {
  /** Multiply-adds of the convolutions and the classifier, the paper's count. */
  multAdds: number;
  /** Weights of the convolutions and the classifier (batch norms folded away, as the paper counts). */
  params: number;
}

/**
 * The cost of MobileNet v1 by the paper's formulas: the stem D_K^2 * M * N * D_F^2, each block
 * D_K^2 * M * D_F^2 + M * N * D_F^2 (eq. 5) with M, N scaled by alpha and D_F by rho, and the
 * classifier 1024 alpha * classes. `summary()` on the built network counts the same layers one by one.
 */
export function mobilenetV1Cost(opts: { alpha?: number; rho?: number; numClasses?: number } = {}): MobileNetCost {
  checkCtor('mobilenetV1Cost', [], arguments, { alpha: 'number', rho: 'number', numClasses: 'positiveInt' });
  const o = modelOptions(
    'mobilenetV1Cost',
    opts,
    { alpha: 'number', rho: 'number', numClasses: 'positiveInt' },
    {
      alpha: (v: number) => (v > 0 && v <= 4 ? null : 'must be in (0, 4]'),
      rho: (v: number) => (v > 0 && v <= 4 ? null : 'must be in (0, 4]'),
    },
  );
  const alpha = o.alpha ?? 1;
  const classes = o.numClasses ?? 1000;
  // D_F: the input is 224 rho pixels; the stem and every stride-2 block halve it (rounding up, padding 1).
  let df = Math.round(224 * (o.rho ?? 1));
  const dk = 3;
  df = Math.ceil(df / 2);
  let m = thin(32, alpha);
  let multAdds = dk * dk * 3 * m * df * df;
  let params = dk * dk * 3 * m;
  for (const [out, stride] of MOBILENET_V1_BLOCKS) {
    const n = thin(out, alpha);
    if (stride === 2) df = Math.ceil(df / 2);
    // D_K * D_K * M * D_F * D_F (depthwise) + M * N * D_F * D_F (pointwise)
    multAdds += dk * dk * m * df * df + m * n * df * df;
    params += dk * dk * m + m * n;
    m = n;
  }
  multAdds += m * classes;
  params += m * classes + classes;
  return { multAdds, params };
}

/**
 * MobileNet v2 (Sandler, Howard, Zhu, Zhmoginov & Chen 2018, "MobileNetV2: Inverted Residuals and
 * Linear Bottlenecks", CVPR; arXiv:1801.04381). The block inverts ResNet's bottleneck: a thin
 * input of k channels is expanded t times by a 1x1 conv (ReLU6), filtered by a 3x3 depthwise conv
 * (ReLU6), and projected back to k' channels by a 1x1 conv with no activation (the linear
 * bottleneck: a ReLU on a low-dimensional code would destroy information, section 3.2). The
 * residual connects the thin ends when stride = 1 and k = k'. Cost per block on an h x w map
 * (section 3.3): h * w * k * t * (k + 9 + k').
 *
 * Table 2's body, rows (t, c, n, s): expansion, output channels, repeats, first stride. The width
 * multiplier scales every c, rounded to a multiple of 8 as torchvision's `_make_divisible` does;
 * the last 1x1 conv keeps 1280 channels unless the multiplier exceeds 1. Keys are torchvision's
 * (features.0.0 stem conv, features.1.conv.0.0 ..., features.18.0, classifier.1), so
 * `mobilenetV2()` loads its state dict by name: 3,504,872 parameters at 1000 classes.
 */
/* eslint-disable prefer-rest-params -- constructors and builders hand their `arguments` to checkCtor (tensor/validate.ts), which also rejects arguments past the declared ones */
import type { Tensor } from '../../tensor/tensor.js';
import { add } from '../../ops/elementwise/add.js';
import { flatten } from '../../ops/shape/flatten.js';
import { adaptiveAvgPool2d } from '../../ops/conv/adaptiveAvgPool2d.js';
import { Module } from '../../nn/module.js';
import { Sequential } from '../../nn/containers.js';
import { Conv2d } from '../../nn/layers/conv.js';
import { BatchNorm2d } from '../../nn/layers/norm.js';
import { Linear } from '../../nn/layers/linear.js';
import { Dropout } from '../../nn/layers/basic.js';
import { checkCtor } from '../../tensor/validate.js';
import { convBnAct, initCnn, inRange, modelOptions } from '../cnn/common.js';

/** Table 2 of Sandler et al. 2018: [t, c, n, s] after the 32-channel stem. */
export const MOBILENET_V2_SETTING: readonly (readonly [number, number, number, number])[] = [
  [1, 16, 1, 1],
  [6, 24, 2, 2],
  [6, 32, 3, 2],
  [6, 64, 4, 2],
  [6, 96, 3, 1],
  [6, 160, 3, 2],
  [6, 320, 1, 1],
];

/** v rounded to the nearest multiple of `divisor`, at least `divisor`, never more than 10% below v (torchvision's _make_divisible). */
export function makeDivisible(v: number, divisor: number): number {
  checkCtor(
    'makeDivisible',
    [
      ['v', 'number'],
      ['divisor', 'positiveInt'],
    ],
    arguments,
  );
  let out = Math.max(divisor, Math.floor((v + divisor / 2) / divisor) * divisor);
  if (out < 0.9 * v) out += divisor;
  return out;
}

/** Inverted residual: [expand 1x1 (t > 1)] - depthwise 3x3 (stride) - linear 1x1 projection, + x when shapes allow. */
export class InvertedResidual extends Module {
  readonly conv: Sequential;
  readonly useResidual: boolean;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    readonly stride: number,
    readonly expandRatio: number,
  ) {
    super();
    checkCtor(
      'InvertedResidual',
      [
        ['inChannels', 'positiveInt'],
        ['outChannels', 'positiveInt'],
        ['stride', 'positiveInt'],
        ['expandRatio', 'positiveInt'],
      ],
      arguments,
    );
    const hidden = Math.round(inChannels * expandRatio);
    this.useResidual = stride === 1 && inChannels === outChannels;
    const layers: Module[] = [];
    if (expandRatio !== 1) layers.push(convBnAct(inChannels, hidden, 1, { act: 'relu6' }));
    layers.push(convBnAct(hidden, hidden, 3, { stride, groups: hidden, act: 'relu6' }));
    // The linear bottleneck: project without an activation.
    layers.push(new Conv2d(hidden, outChannels, 1, { bias: false }), new BatchNorm2d(outChannels));
    this.conv = this.module('conv', new Sequential(...layers));
  }

  forward(x: Tensor): Tensor {
    const f = this.conv.forward(x);
    return this.useResidual ? add(x, f) : f;
  }
}

export interface MobileNetV2Options {
  /** Width multiplier (torchvision's width_mult). Default 1. */
  widthMult?: number;
  /** Rows [t, c, n, s] (default Table 2's). */
  invertedResidualSetting?: readonly (readonly number[])[];
  /** Channel counts are rounded to multiples of this (torchvision's round_nearest). Default 8. */
  roundNearest?: number;
  /** Stride of the stem convolution (1 for 28 x 28 inputs). Default 2. */
  stemStride?: number;
  /** Dropout before the classifier. Default 0.2. */
  dropout?: number;
  numClasses?: number;
  inChannels?: number;
}

const V2_SPEC = {
  widthMult: 'number',
  invertedResidualSetting: 'any',
  roundNearest: 'positiveInt',
  stemStride: 'positiveInt',
  dropout: 'number',
  numClasses: 'positiveInt',
  inChannels: 'positiveInt',
} as const;

/** MobileNet v2; see the file header. */
export class MobileNetV2 extends Module {
  readonly features: Sequential;
  readonly classifier: Sequential;
  readonly lastChannel: number;

  constructor(opts: MobileNetV2Options = {}) {
    super();
    checkCtor('MobileNetV2', [], arguments, V2_SPEC);
    modelOptions('MobileNetV2', opts, V2_SPEC, {
      widthMult: (v: number) => (v > 0 && v <= 4 ? null : 'must be in (0, 4]'),
      invertedResidualSetting: (v: readonly (readonly number[])[]) =>
        Array.isArray(v) &&
        v.length > 0 &&
        v.every((r) => Array.isArray(r) && r.length === 4 && r.every((e) => Number.isInteger(e) && e > 0))
          ? null
          : 'must be a non-empty list of [t, c, n, s] rows of positive integers',
      dropout: inRange(0, 1, true),
    });
    const wm = opts.widthMult ?? 1;
    const rn = opts.roundNearest ?? 8;
    const setting = opts.invertedResidualSetting ?? MOBILENET_V2_SETTING;
    let c = makeDivisible(32 * wm, rn);
    this.lastChannel = makeDivisible(1280 * Math.max(1, wm), rn);
    this.features = this.module(
      'features',
      new Sequential(convBnAct(opts.inChannels ?? 3, c, 3, { stride: opts.stemStride ?? 2, act: 'relu6' })),
    );
    for (const [t, ch, n, s] of setting as number[][]) {
      const out = makeDivisible(ch! * wm, rn);
      for (let i = 0; i < n!; i++) {
        this.features.append(new InvertedResidual(c, out, i === 0 ? s! : 1, t!));
        c = out;
      }
    }
    this.features.append(convBnAct(c, this.lastChannel, 1, { act: 'relu6' }));
    this.classifier = this.module(
      'classifier',
      new Sequential(new Dropout(opts.dropout ?? 0.2), new Linear(this.lastChannel, opts.numClasses ?? 1000)),
    );
    initCnn(this, { convMode: 'fan_out', linear: 'normal' });
  }

  forward(x: Tensor): Tensor {
    const h = this.features.forward(x);
    return this.classifier.forward(flatten(adaptiveAvgPool2d(h, [1, 1]), 1));
  }
}

/** MobileNet v2 (Sandler et al. 2018, Table 2), torchvision's `mobilenet_v2`. */
export function mobilenetV2(opts?: MobileNetV2Options): MobileNetV2 {
  checkCtor('mobilenetV2', [], arguments, V2_SPEC);
  return new MobileNetV2(opts);
}

/**
 * DenseNet (Huang, Liu, van der Maaten & Weinberger 2017, "Densely Connected Convolutional
 * Networks", CVPR; arXiv:1608.06993). Inside a dense block, layer l sees the feature maps of every
 * layer before it, concatenated (eq. 2):
 *
 *   x_l = H_l([x_0, x_1, ..., x_{l-1}])
 *
 * and adds k new maps (the growth rate), so a block of L layers on k_0 input maps ends with
 * k_0 + L*k. H_l is BN-ReLU-conv3x3; DenseNet-B puts a bottleneck BN-ReLU-conv1x1 to bnSize*k maps
 * first (the paper's 4k), DenseNet-C compresses the maps between blocks: a transition layer
 * BN-ReLU-conv1x1 to floor(theta * m) maps, then 2x2 average pooling; DenseNet-BC does both
 * (theta = 0.5). Reusing features instead of relearning them is why a DenseNet-BC with k = 12
 * matches a ResNet with far more parameters (0.8M vs 10.2M for ResNet-1001 at similar CIFAR error, Table 2).
 *
 * Keys are torchvision's (features.conv0, features.norm0, features.denseblock1.denselayer1.norm1,
 * .conv1, .norm2, .conv2, features.transition1.norm/.conv, features.norm5, classifier), so
 * `densenet121()` loads torchvision's state dict by name. The CIFAR stem (a 3x3 conv, no pooling)
 * is the paper's section 3 "Implementation details" network.
 */
/* eslint-disable prefer-rest-params -- constructors and builders hand their `arguments` to checkCtor (tensor/validate.ts), which also rejects arguments past the declared ones */
import type { Tensor } from '../../tensor/tensor.js';
import { cat } from '../../ops/shape/cat.js';
import { relu } from '../../ops/elementwise/relu.js';
import { flatten } from '../../ops/shape/flatten.js';
import { dropout } from '../../ops/elementwise/dropout.js';
import { Module } from '../../nn/module.js';
import { Conv2d } from '../../nn/layers/conv.js';
import { BatchNorm2d } from '../../nn/layers/norm.js';
import { Linear } from '../../nn/layers/linear.js';
import { ReLU } from '../../nn/layers/activation.js';
import { MaxPool2d, AvgPool2d } from '../../nn/layers/pool.js';
import { adaptiveAvgPool2d } from '../../ops/conv/adaptiveAvgPool2d.js';
import { checkCtor } from '../../tensor/validate.js';
import { NamedSequential, checkBuilderArg, inRange, initCnn, modelOptions, positiveList } from '../cnn/common.js';

/** One layer of a dense block: [BN-ReLU-conv1x1(bnSize*k)]-BN-ReLU-conv3x3(k), on the concatenation of its inputs. */
export class DenseLayer extends Module<[Tensor[]], Tensor> {
  readonly norm1: BatchNorm2d;
  readonly conv1: Conv2d;
  readonly norm2: BatchNorm2d | null;
  readonly conv2: Conv2d | null;

  constructor(
    inChannels: number,
    readonly growthRate: number,
    readonly bnSize: number,
    readonly dropRate: number,
  ) {
    super();
    checkCtor(
      'DenseLayer',
      [
        ['inChannels', 'positiveInt'],
        ['growthRate', 'positiveInt'],
        ['bnSize', 'nonNegativeInt'],
        ['dropRate', 'number'],
      ],
      arguments,
    );
    this.norm1 = this.module('norm1', new BatchNorm2d(inChannels));
    if (bnSize > 0) {
      this.conv1 = this.module('conv1', new Conv2d(inChannels, bnSize * growthRate, 1, { bias: false }));
      this.norm2 = this.module('norm2', new BatchNorm2d(bnSize * growthRate));
      this.conv2 = this.module('conv2', new Conv2d(bnSize * growthRate, growthRate, 3, { padding: 1, bias: false }));
    } else {
      // No bottleneck (plain DenseNet): H_l is BN-ReLU-conv3x3 alone.
      this.conv1 = this.module('conv1', new Conv2d(inChannels, growthRate, 3, { padding: 1, bias: false }));
      this.norm2 = null;
      this.conv2 = null;
    }
  }

  forward(inputs: Tensor[]): Tensor {
    // x_l = H_l([x_0, ..., x_{l-1}])
    const x = inputs.length === 1 ? inputs[0]! : cat(inputs, 1);
    let h = this.conv1.forward(relu(this.norm1.forward(x)));
    if (this.norm2 && this.conv2) h = this.conv2.forward(relu(this.norm2.forward(h)));
    return this.dropRate > 0 ? dropout(h, this.dropRate, { training: this.training }) : h;
  }
}

/** A dense block: numLayers DenseLayers, each adding growthRate maps; output k_0 + numLayers * k maps. */
export class DenseBlock extends Module {
  readonly layers: DenseLayer[] = [];
  readonly outChannels: number;

  constructor(numLayers: number, inChannels: number, growthRate: number, bnSize: number, dropRate: number) {
    super();
    checkCtor(
      'DenseBlock',
      [
        ['numLayers', 'positiveInt'],
        ['inChannels', 'positiveInt'],
        ['growthRate', 'positiveInt'],
        ['bnSize', 'nonNegativeInt'],
        ['dropRate', 'number'],
      ],
      arguments,
    );
    for (let i = 0; i < numLayers; i++) {
      const layer = new DenseLayer(inChannels + i * growthRate, growthRate, bnSize, dropRate);
      this.module(`denselayer${i + 1}`, layer);
      this.layers.push(layer);
    }
    this.outChannels = inChannels + numLayers * growthRate;
  }

  forward(x: Tensor): Tensor {
    const features = [x];
    for (const layer of this.layers) features.push(layer.forward(features));
    return cat(features, 1);
  }
}

/** Transition between dense blocks: BN-ReLU-conv1x1 to floor(theta * m) maps, 2x2 average pooling. */
export function transition(inChannels: number, outChannels: number): NamedSequential {
  checkCtor(
    'transition',
    [
      ['inChannels', 'positiveInt'],
      ['outChannels', 'positiveInt'],
    ],
    arguments,
  );
  return new NamedSequential([
    ['norm', new BatchNorm2d(inChannels)],
    ['relu', new ReLU()],
    ['conv', new Conv2d(inChannels, outChannels, 1, { bias: false })],
    ['pool', new AvgPool2d(2, { stride: 2 })],
  ]);
}

export interface DenseNetOptions {
  /** k, the maps each layer adds. Default 32. */
  growthRate?: number;
  /** Layers per dense block. Default [6, 12, 24, 16] (DenseNet-121). */
  blockConfig?: readonly number[];
  /** Maps out of the stem. Default 64 (2k is the paper's choice for DenseNet-BC). */
  numInitFeatures?: number;
  /** Bottleneck width as a multiple of k (DenseNet-B); 0 for no bottleneck. Default 4. */
  bnSize?: number;
  /** theta: a transition keeps floor(theta * m) of its m maps (DenseNet-C: 0.5). Default 0.5. */
  compression?: number;
  /** Dropout after each layer's last convolution. Default 0. */
  dropRate?: number;
  /** 'imagenet': conv7x7/2-BN-ReLU-maxpool3x3/2; 'cifar': conv3x3/1 only. Default 'imagenet'. */
  stem?: 'imagenet' | 'cifar';
  numClasses?: number;
  inChannels?: number;
}

const DENSENET_SPEC = {
  growthRate: 'positiveInt',
  blockConfig: 'positiveInts',
  numInitFeatures: 'positiveInt',
  bnSize: 'nonNegativeInt',
  compression: 'number',
  dropRate: 'number',
  stem: ['imagenet', 'cifar'],
  numClasses: 'positiveInt',
  inChannels: 'positiveInt',
} as const;
const DEPTH_K = [
  ['depth', 'positiveInt'],
  ['k', 'positiveInt'],
] as const;
const CIFAR_SPEC = { numClasses: 'positiveInt', inChannels: 'positiveInt', dropRate: 'number' } as const;

/** DenseNet / DenseNet-B / -C / -BC; see the file header. */
export class DenseNet extends Module {
  readonly features: NamedSequential;
  readonly classifier: Linear;
  readonly numFeatures: number;

  constructor(opts: DenseNetOptions = {}) {
    super();
    checkCtor('DenseNet', [], arguments, DENSENET_SPEC);
    modelOptions('DenseNet', opts, DENSENET_SPEC, {
      blockConfig: positiveList(),
      compression: (v: number) => (v > 0 && v <= 1 ? null : 'must be in (0, 1]'),
      dropRate: inRange(0, 1, true),
    });
    const k = opts.growthRate ?? 32;
    const blocks = [...(opts.blockConfig ?? [6, 12, 24, 16])];
    const init = opts.numInitFeatures ?? 64;
    const bnSize = opts.bnSize ?? 4;
    const theta = opts.compression ?? 0.5;
    const drop = opts.dropRate ?? 0;
    const inC = opts.inChannels ?? 3;
    const named: [string, Module][] =
      (opts.stem ?? 'imagenet') === 'imagenet'
        ? [
            ['conv0', new Conv2d(inC, init, 7, { stride: 2, padding: 3, bias: false })],
            ['norm0', new BatchNorm2d(init)],
            ['relu0', new ReLU()],
            ['pool0', new MaxPool2d(3, { stride: 2, padding: 1 })],
          ]
        : [['conv0', new Conv2d(inC, init, 3, { padding: 1, bias: false })]];
    let m = init;
    blocks.forEach((n, i) => {
      const block = new DenseBlock(n, m, k, bnSize, drop);
      named.push([`denseblock${i + 1}`, block]);
      m = block.outChannels;
      if (i < blocks.length - 1) {
        const out = Math.floor(theta * m);
        named.push([`transition${i + 1}`, transition(m, out)]);
        m = out;
      }
    });
    named.push(['norm5', new BatchNorm2d(m)]);
    this.features = this.module('features', new NamedSequential(named));
    this.numFeatures = m;
    this.classifier = this.module('classifier', new Linear(m, opts.numClasses ?? 1000));
    initCnn(this, { convMode: 'fan_in', linear: 'zeroBias' });
  }

  forward(x: Tensor): Tensor {
    const h = relu(this.features.forward(x));
    return this.classifier.forward(flatten(adaptiveAvgPool2d(h, [1, 1]), 1));
  }
}

/** DenseNet-121 (Huang et al. 2017, Table 1): k = 32, blocks [6, 12, 24, 16], BC with 64 stem maps; 7,978,856 parameters. */
export function densenet121(opts?: { numClasses?: number; inChannels?: number }): DenseNet {
  checkCtor('densenet121', [], arguments, { numClasses: 'positiveInt', inChannels: 'positiveInt' });
  const o = modelOptions('densenet121', opts, { numClasses: 'positiveInt', inChannels: 'positiveInt' });
  return new DenseNet({ ...o, growthRate: 32, blockConfig: [6, 12, 24, 16], numInitFeatures: 64 });
}

/**
 * DenseNet-BC for CIFAR (Huang et al. 2017, section 3 and Table 2): three dense blocks of
 * n = (L - 4) / 6 bottleneck layers, a 3x3 stem of 2k maps, theta = 0.5. L = 100, k = 12: 0.8M
 * parameters; L = 250, k = 24: 15.3M; L = 190, k = 40: 25.6M.
 */
export function densenetBC(depth: number, k: number, opts?: { numClasses?: number; inChannels?: number; dropRate?: number }): DenseNet {
  checkCtor('densenetBC', DEPTH_K, arguments, CIFAR_SPEC);
  const o = modelOptions('densenetBC', opts, { numClasses: 'positiveInt', inChannels: 'positiveInt', dropRate: 'number' });
  checkBuilderArg(
    'densenetBC',
    'argument 1 (depth)',
    depth,
    (d) => Number.isInteger(d) && d > 4 && (d - 4) % 6 === 0,
    '6n + 4 for a positive integer n',
  );
  checkBuilderArg('densenetBC', 'argument 2 (k)', k, (v) => Number.isInteger(v) && v > 0, 'a positive integer (the growth rate)');
  const n = (depth - 4) / 6;
  return new DenseNet({
    growthRate: k,
    blockConfig: [n, n, n],
    numInitFeatures: 2 * k,
    bnSize: 4,
    compression: 0.5,
    stem: 'cifar',
    dropRate: o.dropRate ?? 0,
    numClasses: o.numClasses ?? 10,
    inChannels: o.inChannels ?? 3,
  });
}

/** Plain DenseNet for CIFAR (Table 2: L = 40, k = 12: 1.0M parameters): (L - 4) / 3 layers per block, no bottleneck, no compression, 16 stem maps. */
export function densenetCifar(depth: number, k: number, opts?: { numClasses?: number; inChannels?: number; dropRate?: number }): DenseNet {
  checkCtor('densenetCifar', DEPTH_K, arguments, CIFAR_SPEC);
  const o = modelOptions('densenetCifar', opts, { numClasses: 'positiveInt', inChannels: 'positiveInt', dropRate: 'number' });
  checkBuilderArg(
    'densenetCifar',
    'argument 1 (depth)',
    depth,
    (d) => Number.isInteger(d) && d > 4 && (d - 4) % 3 === 0,
    '3n + 4 for a positive integer n',
  );
  checkBuilderArg('densenetCifar', 'argument 2 (k)', k, (v) => Number.isInteger(v) && v > 0, 'a positive integer (the growth rate)');
  const n = (depth - 4) / 3;
  return new DenseNet({
    growthRate: k,
    blockConfig: [n, n, n],
    numInitFeatures: 16,
    bnSize: 0,
    compression: 1,
    stem: 'cifar',
    dropRate: o.dropRate ?? 0,
    numClasses: o.numClasses ?? 10,
    inChannels: o.inChannels ?? 3,
  });
}

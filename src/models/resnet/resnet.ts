/**
 * ResNet (He et al. 2016, "Deep Residual Learning for Image Recognition", CVPR; arXiv:1512.03385)
 * and its pre-activation form (He et al. 2016b, "Identity Mappings in Deep Residual Networks",
 * ECCV; arXiv:1603.05027), built from the blocks of blocks.ts: H(x) = F(x) + x.
 *
 * One options object covers both the ImageNet networks (7x7/2 stem + 3x3/2 max-pool, four stages
 * of 64-128-256-512 planes, Table 1) and the CIFAR networks of section 4.2 (a 3x3 stem, three stages
 * of 16-32-64 planes with n blocks each, depth 6n + 2). Wide ResNets (Zagoruyko & Komodakis 2016,
 * arXiv:1605.07146) are the CIFAR pre-activation network at widths 16k-32k-64k with dropout in
 * the blocks: depth d = 6n + 4 counts the stem, the final layer and one projection per stage.
 *
 * The builders hold only their paper's configuration, as torchvision's resnet.py: resnet18/34/50
 * and wideResnet50_2 (torchvision's `wide_resnet50_2`: bottleneck width doubled), resnet20/32/44/56/110
 * (CIFAR, option A shortcuts as the paper's CIFAR runs), preactResnet110/164 (CIFAR, He et al.
 * 2016b Table 2), wideResnet(d, k). Keys are torchvision's (conv1, bn1, layer1.0.conv1,
 * layer1.0.downsample.0, fc), so `resnet18().loadStateDict(torchvisionStateDict)` loads by name.
 * Inputs [N, C, H, W] (any H, W: the head pools adaptively); outputs logits [N, numClasses].
 * @example
 * const net = resnet20({ inChannels: 1 });   // Fashion-MNIST: [N, 1, 28, 28] -> [N, 10]
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
import { MaxPool2d, AdaptiveAvgPool2d } from '../../nn/layers/pool.js';
import { BasicBlock, Bottleneck, PreActBlock, PreActBottleneck, type BlockOptions, type ResidualBlock } from './blocks.js';
import { checkCtor } from '../../tensor/validate.js';
import { ZeroPadShortcut, conv1x1, checkBuilderArg, initCnn, inRange, modelOptions, positiveList } from '../cnn/common.js';

export interface ResNetOptions {
  /** Blocks per stage, e.g. [2, 2, 2, 2] (ResNet-18) or [3, 3, 3] (CIFAR ResNet-20). Required. */
  layers: readonly number[];
  /** 'basic' (two 3x3) or 'bottleneck' (1x1-3x3-1x1, 4x expansion). Default 'basic'. */
  block?: 'basic' | 'bottleneck';
  /** Planes of each stage (a bottleneck stage outputs 4x). Default [64, 128, 256, 512] cut to the number of stages. */
  widths?: readonly number[];
  /** Output channels of the stem convolution. Default widths[0]. */
  stemWidth?: number;
  /** 'imagenet': conv7x7/2 + BN + ReLU + maxpool3x3/2; 'cifar': conv3x3/1 (+ BN + ReLU in v1). Default 'imagenet'. */
  stem?: 'imagenet' | 'cifar';
  /** Shortcut where a block changes size: 'A' zero-padded identity, 'B' 1x1 projection. Default 'B'. */
  shortcut?: 'A' | 'B';
  /** Pre-activation blocks (ResNet v2) with a final BN-ReLU before the pooling. Default false. */
  preActivation?: boolean;
  /** Dropout between a pre-activation block's convolutions (WideResNet). Default 0. */
  dropRate?: number;
  /** Groups and channels per group of the bottleneck's 3x3 (ResNeXt, Wide ResNet-50-2). Defaults 1, 64. */
  groups?: number;
  widthPerGroup?: number;
  /** Classes (default 1000) and input channels (default 3). */
  numClasses?: number;
  inChannels?: number;
}

const SPEC = {
  layers: 'positiveInts',
  block: ['basic', 'bottleneck'],
  widths: 'positiveInts',
  stemWidth: 'positiveInt',
  stem: ['imagenet', 'cifar'],
  shortcut: ['A', 'B'],
  preActivation: 'boolean',
  dropRate: 'number',
  groups: 'positiveInt',
  widthPerGroup: 'positiveInt',
  numClasses: 'positiveInt',
  inChannels: 'positiveInt',
} as const;

type BlockClass = new (inplanes: number, planes: number, opts: BlockOptions) => ResidualBlock;

/** ResNet v1 or v2 with basic or bottleneck blocks; see the file header. */
export class ResNet extends Module {
  readonly conv1: Conv2d;
  readonly bn1: BatchNorm2d | null;
  readonly maxpool: MaxPool2d | null;
  readonly stages: Sequential[] = [];
  readonly bnFinal: BatchNorm2d | null;
  readonly avgpool: AdaptiveAvgPool2d;
  readonly fc: Linear;
  readonly options: Readonly<Required<Omit<ResNetOptions, 'widths' | 'layers'>>> & { layers: number[]; widths: number[] };

  constructor(opts: ResNetOptions) {
    super();
    checkCtor('ResNet', [], arguments, SPEC);
    if (opts === undefined) throw new TypeError('ResNet: options { layers, ... } are required');
    modelOptions('ResNet', opts, SPEC, { layers: positiveList(), widths: positiveList(), dropRate: inRange(0, 1, true) });
    if (!Array.isArray(opts.layers)) throw new TypeError("ResNet: option 'layers' (blocks per stage) is required");
    const layers = [...opts.layers];
    const widths = [...(opts.widths ?? [64, 128, 256, 512].slice(0, layers.length))];
    if (widths.length !== layers.length) {
      throw new Error(`ResNet: option 'widths' has ${widths.length} entries for ${layers.length} stages (option 'layers')`);
    }
    const o = {
      block: opts.block ?? 'basic',
      stemWidth: opts.stemWidth ?? widths[0]!,
      stem: opts.stem ?? 'imagenet',
      shortcut: opts.shortcut ?? 'B',
      preActivation: opts.preActivation ?? false,
      dropRate: opts.dropRate ?? 0,
      groups: opts.groups ?? 1,
      widthPerGroup: opts.widthPerGroup ?? 64,
      numClasses: opts.numClasses ?? 1000,
      inChannels: opts.inChannels ?? 3,
      layers,
      widths,
    };
    if (o.dropRate > 0 && !(o.preActivation && o.block === 'basic')) {
      throw new Error("ResNet: option 'dropRate' applies to pre-activation basic blocks (WideResNet) only");
    }
    this.options = o;
    const pre = o.preActivation;
    const Block: BlockClass = o.block === 'basic' ? (pre ? PreActBlock : BasicBlock) : pre ? PreActBottleneck : Bottleneck;
    const expansion = o.block === 'basic' ? 1 : 4;

    const imagenet = o.stem === 'imagenet';
    this.conv1 = this.module(
      'conv1',
      new Conv2d(o.inChannels, o.stemWidth, imagenet ? 7 : 3, { stride: imagenet ? 2 : 1, padding: imagenet ? 3 : 1, bias: false }),
    );
    // A pre-activation CIFAR network starts its first block with BN-ReLU, so its stem is the conv alone.
    this.bn1 = this.module('bn1', pre && !imagenet ? null : new BatchNorm2d(o.stemWidth));
    this.maxpool = this.module('maxpool', imagenet ? new MaxPool2d(3, { stride: 2, padding: 1 }) : null);

    let inplanes = o.stemWidth;
    layers.forEach((n, i) => {
      const planes = widths[i]!;
      const blocks = new Sequential();
      for (let b = 0; b < n; b++) {
        const stride = b === 0 && i > 0 ? 2 : 1;
        const out = planes * expansion;
        let downsample: Module | null = null;
        if (stride !== 1 || inplanes !== out) {
          if (o.shortcut === 'A') downsample = new ZeroPadShortcut(inplanes, out, stride);
          else if (pre) downsample = new Sequential(conv1x1(inplanes, out, stride));
          else downsample = new Sequential(conv1x1(inplanes, out, stride), new BatchNorm2d(out));
        }
        const block = new Block(inplanes, planes, {
          stride,
          downsample,
          groups: o.groups,
          baseWidth: o.widthPerGroup,
          ...(o.dropRate > 0 ? { dropRate: o.dropRate } : {}),
        });
        blocks.append(block);
        inplanes = block.outChannels;
      }
      this.stages.push(this.module(`layer${i + 1}`, blocks));
    });
    this.bnFinal = this.module('bn_final', pre ? new BatchNorm2d(inplanes) : null);
    this.avgpool = this.module('avgpool', new AdaptiveAvgPool2d([1, 1]));
    this.fc = this.module('fc', new Linear(inplanes, o.numClasses));
    initCnn(this, { convMode: 'fan_out', linear: 'default' });
  }

  /** Features before the classifier: [N, C, H', W'] after the last stage (and the final BN-ReLU in v2). */
  features(x: Tensor): Tensor {
    let h = this.conv1.forward(x);
    if (this.bn1) h = relu(this.bn1.forward(h));
    if (this.maxpool) h = this.maxpool.forward(h);
    for (const s of this.stages) h = s.forward(h);
    if (this.bnFinal) h = relu(this.bnFinal.forward(h));
    return h;
  }

  forward(x: Tensor): Tensor {
    return this.fc.forward(flatten(this.avgpool.forward(this.features(x)), 1));
  }
}

/** What a builder lets a caller change: the head and the input, never the architecture. */
export interface BuilderOptions {
  numClasses?: number;
  inChannels?: number;
}
const BUILDER_SPEC = { numClasses: 'positiveInt', inChannels: 'positiveInt' } as const;

function builder(fn: string, opts: BuilderOptions | undefined, extraSpec: Record<string, unknown> = {}): BuilderOptions {
  return modelOptions(fn, opts, { ...BUILDER_SPEC, ...extraSpec } as never);
}

/** ResNet-18 (He et al. 2016, Table 1): basic blocks [2, 2, 2, 2]; 11,689,512 parameters at 1000 classes. */
export function resnet18(opts?: BuilderOptions): ResNet {
  checkCtor('resnet18', [], arguments, BUILDER_SPEC);
  return new ResNet({ ...builder('resnet18', opts), layers: [2, 2, 2, 2] });
}

/** ResNet-34 (Table 1): basic blocks [3, 4, 6, 3]. */
export function resnet34(opts?: BuilderOptions): ResNet {
  checkCtor('resnet34', [], arguments, BUILDER_SPEC);
  return new ResNet({ ...builder('resnet34', opts), layers: [3, 4, 6, 3] });
}

/** ResNet-50 (Table 1): bottleneck blocks [3, 4, 6, 3], stride on the 3x3 (torchvision's v1.5). */
export function resnet50(opts?: BuilderOptions): ResNet {
  checkCtor('resnet50', [], arguments, BUILDER_SPEC);
  return new ResNet({ ...builder('resnet50', opts), block: 'bottleneck', layers: [3, 4, 6, 3] });
}

/** Wide ResNet-50-2 (torchvision's wide_resnet50_2; Zagoruyko & Komodakis 2016): ResNet-50 with the bottleneck's inner width doubled. */
export function wideResnet50_2(opts?: BuilderOptions): ResNet {
  checkCtor('wideResnet50_2', [], arguments, BUILDER_SPEC);
  return new ResNet({ ...builder('wideResnet50_2', opts), block: 'bottleneck', layers: [3, 4, 6, 3], widthPerGroup: 128 });
}

export interface CifarResNetOptions extends BuilderOptions {
  /** Shortcut where the size changes: 'A' zero-padded identity (the paper's CIFAR choice, default) or 'B' projection. */
  shortcut?: 'A' | 'B';
  /** Pre-activation blocks (ResNet v2). Default false. */
  preActivation?: boolean;
  /** 'basic' (depth 6n + 2, default) or 'bottleneck' (depth 9n + 2, widths 16-32-64 expanded 4x). */
  block?: 'basic' | 'bottleneck';
}

/**
 * The CIFAR ResNet of He et al. 2016, section 4.2: a 3x3 conv with 16 filters, three stages on
 * 32x32, 16x16, 8x8 maps with 16, 32, 64 filters and n blocks each, global average pooling and a
 * 10-way fully connected layer. Depth 6n + 2 (basic) or 9n + 2 (bottleneck, He et al. 2016b).
 */
export function cifarResnet(depth: number, opts?: CifarResNetOptions): ResNet {
  checkCtor('cifarResnet', [['depth', 'positiveInt']], arguments, {
    ...BUILDER_SPEC,
    shortcut: ['A', 'B'],
    preActivation: 'boolean',
    block: ['basic', 'bottleneck'],
  });
  const o = builder('cifarResnet', opts, {
    shortcut: ['A', 'B'],
    preActivation: 'boolean',
    block: ['basic', 'bottleneck'],
  }) as CifarResNetOptions;
  const per = o.block === 'bottleneck' ? 9 : 6;
  checkBuilderArg(
    'cifarResnet',
    'argument 1 (depth)',
    depth,
    (d) => Number.isInteger(d) && d > 2 && (d - 2) % per === 0,
    `${per}n + 2 for a positive integer n`,
  );
  const n = (depth - 2) / per;
  return new ResNet({
    layers: [n, n, n],
    widths: [16, 32, 64],
    block: o.block ?? 'basic',
    stem: 'cifar',
    shortcut: o.shortcut ?? 'A',
    preActivation: o.preActivation ?? false,
    numClasses: o.numClasses ?? 10,
    inChannels: o.inChannels ?? 3,
  });
}

/** ResNet-20 for CIFAR (He et al. 2016, Table 6: 0.27M parameters, n = 3). */
export function resnet20(opts?: Omit<CifarResNetOptions, 'block'>): ResNet {
  checkCtor('resnet20', [], arguments, { ...BUILDER_SPEC, shortcut: ['A', 'B'], preActivation: 'boolean' });
  return cifarResnet(20, builder('resnet20', opts, { shortcut: ['A', 'B'], preActivation: 'boolean' }));
}
/** ResNet-32 for CIFAR (Table 6: 0.46M parameters). */
export function resnet32(opts?: Omit<CifarResNetOptions, 'block'>): ResNet {
  checkCtor('resnet32', [], arguments, { ...BUILDER_SPEC, shortcut: ['A', 'B'], preActivation: 'boolean' });
  return cifarResnet(32, builder('resnet32', opts, { shortcut: ['A', 'B'], preActivation: 'boolean' }));
}
/** ResNet-44 for CIFAR (Table 6: 0.66M parameters). */
export function resnet44(opts?: Omit<CifarResNetOptions, 'block'>): ResNet {
  checkCtor('resnet44', [], arguments, { ...BUILDER_SPEC, shortcut: ['A', 'B'], preActivation: 'boolean' });
  return cifarResnet(44, builder('resnet44', opts, { shortcut: ['A', 'B'], preActivation: 'boolean' }));
}
/** ResNet-56 for CIFAR (Table 6: 0.85M parameters). */
export function resnet56(opts?: Omit<CifarResNetOptions, 'block'>): ResNet {
  checkCtor('resnet56', [], arguments, { ...BUILDER_SPEC, shortcut: ['A', 'B'], preActivation: 'boolean' });
  return cifarResnet(56, builder('resnet56', opts, { shortcut: ['A', 'B'], preActivation: 'boolean' }));
}
/** ResNet-110 for CIFAR (Table 6: 1.7M parameters). */
export function resnet110(opts?: Omit<CifarResNetOptions, 'block'>): ResNet {
  checkCtor('resnet110', [], arguments, { ...BUILDER_SPEC, shortcut: ['A', 'B'], preActivation: 'boolean' });
  return cifarResnet(110, builder('resnet110', opts, { shortcut: ['A', 'B'], preActivation: 'boolean' }));
}

/** Pre-activation ResNet-110 for CIFAR (He et al. 2016b, Table 2/3: 1.7M parameters), projection shortcuts. */
export function preactResnet110(opts?: BuilderOptions): ResNet {
  checkCtor('preactResnet110', [], arguments, BUILDER_SPEC);
  return cifarResnet(110, { ...builder('preactResnet110', opts), preActivation: true, shortcut: 'B' });
}
/** Pre-activation ResNet-164 for CIFAR (He et al. 2016b, Table 3: bottleneck, 1.7M parameters). */
export function preactResnet164(opts?: BuilderOptions): ResNet {
  checkCtor('preactResnet164', [], arguments, BUILDER_SPEC);
  return cifarResnet(164, { ...builder('preactResnet164', opts), preActivation: true, shortcut: 'B', block: 'bottleneck' });
}

export interface WideResNetOptions extends BuilderOptions {
  /** Dropout between the convolutions of each block (the paper's 0.3 on CIFAR; default 0). */
  dropRate?: number;
}

/**
 * WRN-d-k (Zagoruyko & Komodakis 2016, Table 1): a 3x3 stem of 16 channels, three stages of
 * n = (d - 4) / 6 pre-activation B(3,3) blocks at 16k, 32k and 64k channels, 1x1 projections where
 * the width or size changes, BN-ReLU, pooling, linear. Parameters grow as k^2 and as d: WRN-16-4
 * (2.7M) is as wide as ResNet-1001 is deep (10.2M) and trains several times faster.
 */
export function wideResnet(depth: number, k: number, opts?: WideResNetOptions): ResNet {
  checkCtor(
    'wideResnet',
    [
      ['depth', 'positiveInt'],
      ['k', 'positiveInt'],
    ],
    arguments,
    { ...BUILDER_SPEC, dropRate: 'number' },
  );
  const o = builder('wideResnet', opts, { dropRate: 'number' }) as WideResNetOptions;
  checkBuilderArg(
    'wideResnet',
    'argument 1 (depth)',
    depth,
    (d) => Number.isInteger(d) && d > 4 && (d - 4) % 6 === 0,
    '6n + 4 for a positive integer n',
  );
  checkBuilderArg('wideResnet', 'argument 2 (k)', k, (v) => Number.isInteger(v) && v > 0, 'a positive integer (the widening factor)');
  const n = (depth - 4) / 6;
  return new ResNet({
    layers: [n, n, n],
    widths: [16 * k, 32 * k, 64 * k],
    stemWidth: 16,
    stem: 'cifar',
    shortcut: 'B',
    preActivation: true,
    dropRate: o.dropRate ?? 0,
    numClasses: o.numClasses ?? 10,
    inChannels: o.inChannels ?? 3,
  });
}

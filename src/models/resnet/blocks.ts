/**
 * The residual blocks of the ResNet family. Every block learns a residual F and adds its input:
 *
 *   H(x) = F(x) + x          (He et al. 2016, "Deep Residual Learning for Image Recognition", eq. 1)
 *
 * so a block that should be the identity only has to push F to zero, and the gradient reaches early
 * layers through the "+ x" unchanged. When the block changes the size (stride 2, more channels) the
 * "x" goes through a shortcut: a 1x1 projection with batch norm (option B, torchvision's
 * `downsample`) or the parameter-free zero-padded identity (option A, `ZeroPadShortcut`).
 *
 *   BasicBlock            conv3x3-BN-ReLU-conv3x3-BN, + shortcut, ReLU            (v1, ResNet-18/34, CIFAR ResNet-20...)
 *   Bottleneck            conv1x1-BN-ReLU-conv3x3-BN-ReLU-conv1x1(4x)-BN, + shortcut, ReLU  (v1, ResNet-50...)
 *   PreActBlock           BN-ReLU-conv3x3-BN-ReLU-[dropout]-conv3x3, + shortcut    (v2, He et al. 2016b; WideResNet)
 *   PreActBottleneck      BN-ReLU-conv1x1-BN-ReLU-conv3x3-BN-ReLU-conv1x1, + shortcut
 *   PyramidBlock          BN-conv3x3-BN-ReLU-conv3x3-BN, + zero-padded shortcut  (Han et al. 2017, Fig. 6(d))
 *
 * The bottleneck's point is cost: for d input and output channels around a 3x3 at width w = d/4,
 * 1x1 (d*w) + 3x3 (9*w*w) + 1x1 (w*d) weights = d^2/4 + 9d^2/16 + d^2/4 = 17d^2/16 per pixel, against
 * 2 * 9 * w'^2 for two 3x3 convolutions at width w': the 256-channel bottleneck of ResNet-50 costs
 * about what a 64-channel basic block costs (69,632 vs 73,728 weights), while carrying 4x the channels.
 *
 * Pre-activation (He et al. 2016b, "Identity Mappings in Deep Residual Networks", eq. 3-5): with
 * BN and ReLU moved in front of each convolution, nothing follows the addition, so
 * x_L = x_l + sum_{i=l}^{L-1} F(x_i): every block sees a clean identity path to every other.
 *
 * Module names follow torchvision (conv1, bn1, conv2, bn2, conv3, bn3, downsample.0, downsample.1),
 * so its state dicts load by name.
 */
/* eslint-disable prefer-rest-params -- constructors and builders hand their `arguments` to checkCtor (tensor/validate.ts), which also rejects arguments past the declared ones */
import type { Tensor } from '../../tensor/tensor.js';
import { add } from '../../ops/elementwise/add.js';
import { relu } from '../../ops/elementwise/relu.js';
import { Module } from '../../nn/module.js';
import { Dropout } from '../../nn/layers/basic.js';
import { BatchNorm2d } from '../../nn/layers/norm.js';
import type { Conv2d } from '../../nn/layers/conv.js';
import { checkCtor } from '../../tensor/validate.js';
import { conv1x1, conv3x3 } from '../cnn/common.js';

/** What a block does with its input on the "+ x" path: nothing (null), or a shortcut module. */
export type Shortcut = Module | null;

export interface BlockOptions {
  stride?: number;
  /** The shortcut when the block changes the size (torchvision's `downsample`); null for the identity. */
  downsample?: Shortcut;
  /** Channel groups of the 3x3 convolution (ResNeXt); bottleneck only. Default 1. */
  groups?: number;
  /** Channels per group of the bottleneck's 3x3 at planes = 64 (128 for Wide ResNet-50-2). Default 64. */
  baseWidth?: number;
  /** Dropout probability between the two convolutions (WideResNet). Default 0. */
  dropRate?: number;
}

/** A residual block: its output channels are planes * expansion. */
export interface ResidualBlock extends Module {
  readonly outChannels: number;
}

/** BasicBlock: y = ReLU(BN(conv(ReLU(BN(conv(x))))) + shortcut(x)). Expansion 1. */
export class BasicBlock extends Module implements ResidualBlock {
  static readonly expansion = 1;
  readonly conv1: Conv2d;
  readonly bn1: BatchNorm2d;
  readonly conv2: Conv2d;
  readonly bn2: BatchNorm2d;
  readonly downsample: Shortcut;
  readonly outChannels: number;

  constructor(inplanes: number, planes: number, opts: BlockOptions = {}) {
    super();
    checkCtor(
      'BasicBlock',
      [
        ['inplanes', 'positiveInt'],
        ['planes', 'positiveInt'],
      ],
      arguments,
      { stride: 'positiveInt', downsample: 'any', groups: 'positiveInt', baseWidth: 'positiveInt', dropRate: 'number' },
    );
    this.conv1 = this.module('conv1', conv3x3(inplanes, planes, opts.stride ?? 1));
    this.bn1 = this.module('bn1', new BatchNorm2d(planes));
    this.conv2 = this.module('conv2', conv3x3(planes, planes));
    this.bn2 = this.module('bn2', new BatchNorm2d(planes));
    this.downsample = this.module('downsample', opts.downsample ?? null);
    this.outChannels = planes;
  }

  forward(x: Tensor): Tensor {
    const identity = this.downsample ? this.downsample.forward(x) : x;
    const f = this.bn2.forward(this.conv2.forward(relu(this.bn1.forward(this.conv1.forward(x)))));
    // H(x) = F(x) + x, then the ReLU after the addition (v1).
    return relu(add(f, identity));
  }
}

/**
 * Bottleneck: 1x1 reduces to `width` channels, 3x3 (stride, groups) at that width, 1x1 expands to
 * planes * 4. width = floor(planes * baseWidth / 64) * groups. torchvision (v1.5) puts the stride
 * on the 3x3, as here.
 */
export class Bottleneck extends Module implements ResidualBlock {
  static readonly expansion = 4;
  readonly conv1: Conv2d;
  readonly bn1: BatchNorm2d;
  readonly conv2: Conv2d;
  readonly bn2: BatchNorm2d;
  readonly conv3: Conv2d;
  readonly bn3: BatchNorm2d;
  readonly downsample: Shortcut;
  readonly outChannels: number;

  constructor(inplanes: number, planes: number, opts: BlockOptions = {}) {
    super();
    checkCtor(
      'Bottleneck',
      [
        ['inplanes', 'positiveInt'],
        ['planes', 'positiveInt'],
      ],
      arguments,
      { stride: 'positiveInt', downsample: 'any', groups: 'positiveInt', baseWidth: 'positiveInt', dropRate: 'number' },
    );
    const groups = opts.groups ?? 1;
    const width = Math.floor((planes * (opts.baseWidth ?? 64)) / 64) * groups;
    this.outChannels = planes * Bottleneck.expansion;
    this.conv1 = this.module('conv1', conv1x1(inplanes, width));
    this.bn1 = this.module('bn1', new BatchNorm2d(width));
    this.conv2 = this.module('conv2', conv3x3(width, width, opts.stride ?? 1, groups));
    this.bn2 = this.module('bn2', new BatchNorm2d(width));
    this.conv3 = this.module('conv3', conv1x1(width, this.outChannels));
    this.bn3 = this.module('bn3', new BatchNorm2d(this.outChannels));
    this.downsample = this.module('downsample', opts.downsample ?? null);
  }

  forward(x: Tensor): Tensor {
    const identity = this.downsample ? this.downsample.forward(x) : x;
    let f = relu(this.bn1.forward(this.conv1.forward(x)));
    f = relu(this.bn2.forward(this.conv2.forward(f)));
    f = this.bn3.forward(this.conv3.forward(f));
    return relu(add(f, identity));
  }
}

/**
 * Pre-activation basic block (ResNet v2): x_{l+1} = x_l + F(x_l) with F = conv(ReLU(BN(conv(ReLU(BN(x)))))).
 * A projection shortcut reads the pre-activated input, as in the paper's code, so BN-ReLU runs
 * once for both paths. With dropRate > 0 it is WideResNet's B(3,3) block (Zagoruyko & Komodakis
 * 2016, section 2.4): dropout between the two convolutions.
 */
export class PreActBlock extends Module implements ResidualBlock {
  static readonly expansion = 1;
  readonly bn1: BatchNorm2d;
  readonly conv1: Conv2d;
  readonly bn2: BatchNorm2d;
  readonly dropout: Dropout | null;
  readonly conv2: Conv2d;
  readonly downsample: Shortcut;
  readonly outChannels: number;

  constructor(inplanes: number, planes: number, opts: BlockOptions = {}) {
    super();
    checkCtor(
      'PreActBlock',
      [
        ['inplanes', 'positiveInt'],
        ['planes', 'positiveInt'],
      ],
      arguments,
      { stride: 'positiveInt', downsample: 'any', groups: 'positiveInt', baseWidth: 'positiveInt', dropRate: 'number' },
    );
    this.bn1 = this.module('bn1', new BatchNorm2d(inplanes));
    this.conv1 = this.module('conv1', conv3x3(inplanes, planes, opts.stride ?? 1));
    this.bn2 = this.module('bn2', new BatchNorm2d(planes));
    this.dropout = this.module('dropout', (opts.dropRate ?? 0) > 0 ? new Dropout(opts.dropRate) : null);
    this.conv2 = this.module('conv2', conv3x3(planes, planes));
    this.downsample = this.module('downsample', opts.downsample ?? null);
    this.outChannels = planes;
  }

  forward(x: Tensor): Tensor {
    const pre = relu(this.bn1.forward(x));
    // Zero-padded (parameter-free) shortcuts carry x itself; projections read the activated input.
    const identity = this.downsample ? this.downsample.forward(hasParameters(this.downsample) ? pre : x) : x;
    let f = relu(this.bn2.forward(this.conv1.forward(pre)));
    if (this.dropout) f = this.dropout.forward(f);
    f = this.conv2.forward(f);
    // x_{l+1} = x_l + F(x_l): nothing after the addition.
    return add(f, identity);
  }
}

/** Pre-activation bottleneck (ResNet v2, ResNet-164): BN-ReLU-conv1x1, BN-ReLU-conv3x3, BN-ReLU-conv1x1(4x). */
export class PreActBottleneck extends Module implements ResidualBlock {
  static readonly expansion = 4;
  readonly bn1: BatchNorm2d;
  readonly conv1: Conv2d;
  readonly bn2: BatchNorm2d;
  readonly conv2: Conv2d;
  readonly bn3: BatchNorm2d;
  readonly conv3: Conv2d;
  readonly downsample: Shortcut;
  readonly outChannels: number;

  constructor(inplanes: number, planes: number, opts: BlockOptions = {}) {
    super();
    checkCtor(
      'PreActBottleneck',
      [
        ['inplanes', 'positiveInt'],
        ['planes', 'positiveInt'],
      ],
      arguments,
      { stride: 'positiveInt', downsample: 'any', groups: 'positiveInt', baseWidth: 'positiveInt', dropRate: 'number' },
    );
    const groups = opts.groups ?? 1;
    const width = Math.floor((planes * (opts.baseWidth ?? 64)) / 64) * groups;
    this.outChannels = planes * PreActBottleneck.expansion;
    this.bn1 = this.module('bn1', new BatchNorm2d(inplanes));
    this.conv1 = this.module('conv1', conv1x1(inplanes, width));
    this.bn2 = this.module('bn2', new BatchNorm2d(width));
    this.conv2 = this.module('conv2', conv3x3(width, width, opts.stride ?? 1, groups));
    this.bn3 = this.module('bn3', new BatchNorm2d(width));
    this.conv3 = this.module('conv3', conv1x1(width, this.outChannels));
    this.downsample = this.module('downsample', opts.downsample ?? null);
  }

  forward(x: Tensor): Tensor {
    const pre = relu(this.bn1.forward(x));
    const identity = this.downsample ? this.downsample.forward(hasParameters(this.downsample) ? pre : x) : x;
    let f = this.conv1.forward(pre);
    f = this.conv2.forward(relu(this.bn2.forward(f)));
    f = this.conv3.forward(relu(this.bn3.forward(f)));
    return add(f, identity);
  }
}

/**
 * PyramidNet's block (Han et al. 2017, "Deep Pyramidal Residual Networks", section 3.2, Fig. 6(d)):
 * BN-conv3x3-BN-ReLU-conv3x3-BN, no ReLU after the addition (it was found to hurt), and the first
 * ReLU removed, so the block starts with BN. The widths grow block by block, so the shortcut is
 * always a zero-padded identity (2x2 average pooling where the block downsamples).
 */
export class PyramidBlock extends Module implements ResidualBlock {
  readonly bn1: BatchNorm2d;
  readonly conv1: Conv2d;
  readonly bn2: BatchNorm2d;
  readonly conv2: Conv2d;
  readonly bn3: BatchNorm2d;
  readonly downsample: Shortcut;

  constructor(
    inplanes: number,
    readonly outChannels: number,
    opts: { stride?: number; downsample?: Shortcut } = {},
  ) {
    super();
    checkCtor(
      'PyramidBlock',
      [
        ['inplanes', 'positiveInt'],
        ['outChannels', 'positiveInt'],
      ],
      arguments,
      { stride: 'positiveInt', downsample: 'any' },
    );
    this.bn1 = this.module('bn1', new BatchNorm2d(inplanes));
    this.conv1 = this.module('conv1', conv3x3(inplanes, outChannels, opts.stride ?? 1));
    this.bn2 = this.module('bn2', new BatchNorm2d(outChannels));
    this.conv2 = this.module('conv2', conv3x3(outChannels, outChannels));
    this.bn3 = this.module('bn3', new BatchNorm2d(outChannels));
    this.downsample = this.module('downsample', opts.downsample ?? null);
  }

  forward(x: Tensor): Tensor {
    let f = this.conv1.forward(this.bn1.forward(x));
    f = this.conv2.forward(relu(this.bn2.forward(f)));
    f = this.bn3.forward(f);
    return add(f, this.downsample ? this.downsample.forward(x) : x);
  }
}

function hasParameters(m: Module): boolean {
  return m.parameters().length > 0;
}

/**
 * Pieces the convolutional families (resnet/, densenet/, mobilenet/) share: the conv-BN-activation
 * stack of torchvision's Conv2dNormActivation (a Sequential, so its keys are '0' conv, '1' BN), the
 * parameter-free zero-padded identity shortcut (He et al. 2016 option A; PyramidNet), the
 * initialisations torchvision applies, and the options check every model constructor runs.
 */
import type { Tensor } from '../../tensor/tensor.js';
import { zeros } from '../../tensor/creation.js';
import { checkOptions, isKind, describe, type Spec } from '../../tensor/validate.js';
import { slice } from '../../ops/shape/slice.js';
import { cat } from '../../ops/shape/cat.js';
import { avgPool2d } from '../../ops/conv/avgPool2d.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { Module } from '../../nn/module.js';
import { Sequential } from '../../nn/containers.js';
import { Conv2d } from '../../nn/layers/conv.js';
import { BatchNorm2d } from '../../nn/layers/norm.js';
import { Linear } from '../../nn/layers/linear.js';
import { ReLU, ReLU6 } from '../../nn/layers/activation.js';
import { constant_, kaimingNormal_, normal_, zeros_ } from '../../nn/init.js';

/** Checks a model's options object: unknown keys, wrong kinds; `checks` adds range checks by key. */
export function modelOptions<T extends object>(
  fn: string,
  opts: T | undefined,
  spec: Spec,
  checks: Record<string, (v: never) => string | null> = {},
): T {
  const o = checkOptions(fn, 'options', opts, spec);
  for (const [key, check] of Object.entries(checks)) {
    const v = (o as Record<string, unknown>)[key];
    if (v === undefined || v === null) continue;
    const why = check(v as never);
    if (why) throw new RangeError(`${fn}: option '${key}' ${why}, got ${describe(v)}`);
  }
  return o;
}

/** An option check: a list of positive integers of the given length (or any length when undefined). */
export function positiveList(len?: number): (v: readonly number[]) => string | null {
  return (v) => {
    const ok = Array.isArray(v) && v.length > 0 && v.every((e) => isKind(e, 'positiveInt')) && (len === undefined || v.length === len);
    return ok ? null : `must be a list of ${len ?? 'one or more'} positive integers`;
  };
}

/** An option check: a number in [lo, hi] (hi exclusive when `open`). */
export function inRange(lo: number, hi: number, open = false): (v: number) => string | null {
  return (v) => (v >= lo && (open ? v < hi : v <= hi) ? null : `must be in [${lo}, ${hi}${open ? ')' : ']'}`);
}

/** Checks one positional argument of a builder (a depth, a widening factor). */
export function checkBuilderArg(fn: string, name: string, v: unknown, ok: (v: number) => boolean, want: string): number {
  if (typeof v !== 'number' || !ok(v)) throw new RangeError(`${fn}: ${name} must be ${want}, got ${describe(v)}`);
  return v;
}

export type Activation = 'relu' | 'relu6' | null;

/** conv(k, stride, padding (k-1)/2, groups, no bias) -> BatchNorm2d -> activation, as one Sequential ('0', '1', '2'). */
export function convBnAct(
  inChannels: number,
  outChannels: number,
  kernel: number,
  opts: { stride?: number; groups?: number; act?: Activation } = {},
): Sequential {
  const layers: Module[] = [
    new Conv2d(inChannels, outChannels, kernel, {
      stride: opts.stride ?? 1,
      padding: (kernel - 1) >> 1,
      groups: opts.groups ?? 1,
      bias: false,
    }),
    new BatchNorm2d(outChannels),
  ];
  const act = opts.act === undefined ? 'relu' : opts.act;
  if (act === 'relu') layers.push(new ReLU());
  if (act === 'relu6') layers.push(new ReLU6());
  return new Sequential(...layers);
}

/** 3x3 convolution, padding 1, no bias (torchvision's conv3x3). */
export function conv3x3(inChannels: number, outChannels: number, stride = 1, groups = 1): Conv2d {
  return new Conv2d(inChannels, outChannels, 3, { stride, padding: 1, groups, bias: false });
}

/** 1x1 convolution, no bias (torchvision's conv1x1). */
export function conv1x1(inChannels: number, outChannels: number, stride = 1): Conv2d {
  return new Conv2d(inChannels, outChannels, 1, { stride, bias: false });
}

/**
 * The parameter-free shortcut for a block that changes size: subsample by `stride` (taking every
 * stride-th pixel, He et al. 2016 option A, or 2x2 average pooling as PyramidNet's code does), then
 * append zero channels up to `outChannels`. y = [x_s ; 0].
 */
export class ZeroPadShortcut extends Module {
  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    readonly stride: number,
    readonly pool: 'subsample' | 'avg' = 'subsample',
  ) {
    super();
    if (outChannels < inChannels) {
      throw new Error(`ZeroPadShortcut: outChannels ${outChannels} must be at least inChannels ${inChannels} (it only pads)`);
    }
  }

  forward(x: Tensor): Tensor {
    let y = x;
    if (this.stride !== 1) {
      y =
        this.pool === 'avg'
          ? avgPool2d(x, { kernelSize: this.stride, stride: this.stride, ceilMode: true })
          : slice(slice(x, 2, null, null, this.stride), 3, null, null, this.stride);
    }
    const extra = this.outChannels - this.inChannels;
    if (extra === 0) return y;
    const [n, , h, w] = y.shape as [number, number, number, number];
    return cat([y, zeros([n, extra, h, w], { dtype: y.dtype })], 1);
  }

  override extraRepr(): string {
    return `${this.inChannels}, ${this.outChannels}, stride=${this.stride}, pool=${this.pool}`;
  }
}

/**
 * torchvision's initialisation of its CNNs: convolutions He-normal (fan_out for ResNet and
 * MobileNet, fan_in for DenseNet), batch norms weight 1 and bias 0, linear layers either left at
 * PyTorch's default or N(0, 0.01) with zero bias (MobileNet v2), conv biases zero.
 */
export function initCnn(model: Module, opts: { convMode: 'fan_in' | 'fan_out'; linear: 'default' | 'normal' | 'zeroBias' }): void {
  noGrad(() => {
    for (const m of model.modules()) {
      if (m instanceof Conv2d) {
        kaimingNormal_(m.weight, { mode: opts.convMode, nonlinearity: 'relu' });
        if (m.bias) zeros_(m.bias);
      } else if (m instanceof BatchNorm2d) {
        if (m.weight) constant_(m.weight, 1);
        if (m.bias) zeros_(m.bias);
      } else if (m instanceof Linear) {
        if (opts.linear === 'normal') normal_(m.weight, 0, 0.01);
        if (opts.linear !== 'default' && m.bias) zeros_(m.bias);
      }
    }
  });
}

/**
 * A Sequential whose children have names ('conv0', 'denseblock1', ...), as torch.nn.Sequential
 * built from an OrderedDict: the keys of torchvision's DenseNet `features`.
 */
export class NamedSequential extends Module {
  private readonly layers: Module[] = [];

  constructor(named: readonly (readonly [string, Module])[]) {
    super();
    for (const [name, m] of named) {
      this.module(name, m);
      this.layers.push(m);
    }
  }

  forward(x: Tensor): Tensor {
    let h = x;
    for (const m of this.layers) h = m.forward(h);
    return h;
  }
}

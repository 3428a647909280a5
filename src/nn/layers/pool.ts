/** Pooling layers (torch.nn.MaxPool2d, MaxUnpool2d, AvgPool2d, AdaptiveAvgPool2d). */
/* eslint-disable prefer-rest-params -- constructors hand their `arguments` to checkCtor (tensor/validate.ts), which also rejects arguments past the declared ones; rest parameters would hide the declared signature */
import type { Tensor } from '../../tensor/tensor.js';
import { Module } from '../module.js';
import { maxPool2d, type MaxPool2dOptions, type PoolWithIndices } from '../../ops/conv/maxPool2d.js';
import { maxUnpool2d, type MaxUnpool2dOptions } from '../../ops/conv/maxUnpool2d.js';
import { avgPool2d, type AvgPool2dOptions } from '../../ops/conv/avgPool2d.js';
import { adaptiveAvgPool2d } from '../../ops/conv/adaptiveAvgPool2d.js';
import { checkCtor, describe, type Param } from '../../tensor/validate.js';

const kernel: readonly Param[] = [['kernelSize', 'positiveInts']];

type Spatial = number | readonly number[];
const show = (v: Spatial | null | undefined): string => (v == null ? 'None' : typeof v === 'number' ? String(v) : `(${v.join(', ')})`);

/** Max pooling; forward returns values (use forwardWithIndices for SegNet-style unpooling). */
export class MaxPool2d extends Module {
  readonly opts: MaxPool2dOptions;

  constructor(kernelSize: Spatial, opts: Omit<MaxPool2dOptions, 'kernelSize' | 'returnIndices'> = {}) {
    super();
    checkCtor('nn.MaxPool2d', kernel, arguments, { stride: 'ints', padding: 'ints', dilation: 'ints', ceilMode: 'boolean' });
    this.opts = { ...opts, kernelSize };
  }

  forward(x: Tensor): Tensor {
    return maxPool2d(x, { ...this.opts, returnIndices: false });
  }

  /** Values and the flat argmax index of each window in its H*W plane. */
  forwardWithIndices(x: Tensor): PoolWithIndices {
    return maxPool2d(x, { ...this.opts, returnIndices: true });
  }

  override extraRepr(): string {
    const o = this.opts;
    return `kernel_size=${show(o.kernelSize)}, stride=${show(o.stride ?? o.kernelSize)}, padding=${show(o.padding ?? 0)}, dilation=${show(o.dilation ?? 1)}, ceil_mode=${o.ceilMode ? 'True' : 'False'}`;
  }
}

/** Inverse of max pooling: puts each value back at its argmax, zeros elsewhere. */
export class MaxUnpool2d extends Module<[Tensor, Tensor, (readonly number[])?]> {
  readonly opts: MaxUnpool2dOptions;

  constructor(kernelSize: Spatial, opts: Omit<MaxUnpool2dOptions, 'kernelSize' | 'outputSize'> = {}) {
    super();
    checkCtor('nn.MaxUnpool2d', kernel, arguments, { stride: 'ints', padding: 'ints' });
    this.opts = { ...opts, kernelSize };
  }

  forward(x: Tensor, indices: Tensor, outputSize?: readonly number[]): Tensor {
    return maxUnpool2d(x, indices, outputSize ? { ...this.opts, outputSize } : this.opts);
  }

  override extraRepr(): string {
    const o = this.opts;
    return `kernel_size=${show(o.kernelSize)}, stride=${show(o.stride ?? o.kernelSize)}, padding=${show(o.padding ?? 0)}`;
  }
}

export class AvgPool2d extends Module {
  readonly opts: AvgPool2dOptions;

  constructor(kernelSize: Spatial, opts: Omit<AvgPool2dOptions, 'kernelSize'> = {}) {
    super();
    checkCtor('nn.AvgPool2d', kernel, arguments, {
      stride: 'ints',
      padding: 'ints',
      ceilMode: 'boolean',
      countIncludePad: 'boolean',
      divisorOverride: 'number',
    });
    this.opts = { ...opts, kernelSize };
  }

  forward(x: Tensor): Tensor {
    return avgPool2d(x, this.opts);
  }

  override extraRepr(): string {
    const o = this.opts;
    return `kernel_size=${show(o.kernelSize)}, stride=${show(o.stride ?? o.kernelSize)}, padding=${show(o.padding ?? 0)}`;
  }
}

export class AdaptiveAvgPool2d extends Module {
  constructor(readonly outputSize: number | readonly (number | null)[]) {
    super();
    checkCtor('nn.AdaptiveAvgPool2d', [['outputSize', 'any']], arguments);
    if (typeof outputSize !== 'number' && !Array.isArray(outputSize)) {
      throw new TypeError(`nn.AdaptiveAvgPool2d: outputSize must be a number or a list [OH, OW], got ${describe(outputSize)}`);
    }
  }

  forward(x: Tensor): Tensor {
    return adaptiveAvgPool2d(x, this.outputSize);
  }

  override extraRepr(): string {
    return `output_size=${typeof this.outputSize === 'number' ? this.outputSize : `(${this.outputSize.map((v) => v ?? 'None').join(', ')})`}`;
  }
}

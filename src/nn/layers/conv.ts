/** Convolution layers (torch.nn.Conv1d, Conv2d, ConvTranspose2d) with PyTorch's layouts and default init. */
/* eslint-disable prefer-rest-params -- constructors hand their `arguments` to checkCtor (tensor/validate.ts), which also rejects arguments past the declared ones; rest parameters would hide the declared signature */
import type { Tensor } from '../../tensor/tensor.js';
import { zeros } from '../../tensor/creation.js';
import { Module } from '../module.js';
import type { Parameter } from '../parameter.js';
import { calculateFans, kaimingUniform_, uniform_ } from '../init.js';
import { conv1d } from '../../ops/conv/conv1d.js';
import { conv2d } from '../../ops/conv/conv2d.js';
import { convTranspose2d } from '../../ops/conv/convTranspose2d.js';
import { checkCtor } from '../../tensor/validate.js';

type Pair = number | readonly [number, number];

export interface ConvOptions {
  stride?: Pair;
  padding?: Pair | 'same' | 'valid';
  dilation?: Pair;
  groups?: number;
  bias?: boolean;
  dtype?: 'float32' | 'float64';
}

const pair = (v: Pair): [number, number] => (typeof v === 'number' ? [v, v] : [v[0], v[1]]);
const fmt = (v: readonly number[]): string => `(${v.join(', ')})`;

/** Kaiming-uniform weight (a = sqrt(5)) and U(-1/sqrt(fan_in), 1/sqrt(fan_in)) bias, as PyTorch's conv layers. */
function initConv(m: { weight: Tensor; bias: Tensor | null }): void {
  kaimingUniform_(m.weight, { a: Math.sqrt(5) });
  if (m.bias) {
    const { fanIn } = calculateFans(m.weight);
    const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    uniform_(m.bias, -bound, bound);
  }
}

function checkGroups(layer: string, inC: number, outC: number, groups: number): void {
  if (!Number.isInteger(groups) || groups < 1 || inC % groups !== 0 || outC % groups !== 0) {
    throw new Error(`${layer}: in_channels ${inC} and out_channels ${outC} must both be divisible by groups ${groups}`);
  }
}

/** 2-D convolution: weight [out, in/groups, kh, kw], bias [out]. */
export class Conv2d extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number] | 'same' | 'valid';
  readonly dilation: [number, number];
  readonly groups: number;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    kernelSize: Pair,
    opts: ConvOptions = {},
  ) {
    super();
    checkCtor(
      'nn.Conv2d',
      [
        ['inChannels', 'positiveInt'],
        ['outChannels', 'positiveInt'],
        ['kernelSize', 'positiveInts'],
      ],
      arguments,
      { stride: 'ints', padding: 'padding', dilation: 'ints', groups: 'int', bias: 'boolean', dtype: ['float32', 'float64'] },
    );
    this.groups = opts.groups ?? 1;
    checkGroups('Conv2d', inChannels, outChannels, this.groups);
    this.kernelSize = pair(kernelSize);
    this.stride = pair(opts.stride ?? 1);
    this.padding = typeof opts.padding === 'string' ? opts.padding : pair(opts.padding ?? 0);
    this.dilation = pair(opts.dilation ?? 1);
    const dtype = opts.dtype ?? 'float32';
    this.weight = this.param('weight', zeros([outChannels, inChannels / this.groups, ...this.kernelSize], { dtype }));
    this.bias = this.param('bias', opts.bias === false ? null : zeros([outChannels], { dtype }));
    initConv(this);
  }

  forward(x: Tensor): Tensor {
    return conv2d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups });
  }

  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${fmt(this.kernelSize)}, stride=${fmt(this.stride)}`;
    if (this.padding === 'same' || this.padding === 'valid') s += `, padding=${this.padding}`;
    else if (this.padding[0] || this.padding[1]) s += `, padding=${fmt(this.padding)}`;
    if (this.dilation[0] !== 1 || this.dilation[1] !== 1) s += `, dilation=${fmt(this.dilation)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (!this.bias) s += ', bias=False';
    return s;
  }
}

export interface Conv1dLayerOptions {
  stride?: number;
  padding?: number | 'same' | 'valid';
  dilation?: number;
  groups?: number;
  bias?: boolean;
  dtype?: 'float32' | 'float64';
}

/** 1-D convolution: weight [out, in/groups, k], bias [out]. */
export class Conv1d extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  readonly stride: number;
  readonly padding: number | 'same' | 'valid';
  readonly dilation: number;
  readonly groups: number;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    readonly kernelSize: number,
    opts: Conv1dLayerOptions = {},
  ) {
    super();
    checkCtor(
      'nn.Conv1d',
      [
        ['inChannels', 'positiveInt'],
        ['outChannels', 'positiveInt'],
        ['kernelSize', 'positiveInt'],
      ],
      arguments,
      { stride: 'int', padding: 'padding', dilation: 'int', groups: 'int', bias: 'boolean', dtype: ['float32', 'float64'] },
    );
    this.groups = opts.groups ?? 1;
    checkGroups('Conv1d', inChannels, outChannels, this.groups);
    this.stride = opts.stride ?? 1;
    this.padding = opts.padding ?? 0;
    this.dilation = opts.dilation ?? 1;
    const dtype = opts.dtype ?? 'float32';
    this.weight = this.param('weight', zeros([outChannels, inChannels / this.groups, kernelSize], { dtype }));
    this.bias = this.param('bias', opts.bias === false ? null : zeros([outChannels], { dtype }));
    initConv(this);
  }

  forward(x: Tensor): Tensor {
    return conv1d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups });
  }

  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=(${this.kernelSize},), stride=(${this.stride},)`;
    if (this.padding !== 0) s += `, padding=${typeof this.padding === 'string' ? this.padding : `(${this.padding},)`}`;
    if (this.dilation !== 1) s += `, dilation=(${this.dilation},)`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (!this.bias) s += ', bias=False';
    return s;
  }
}

export interface ConvTransposeOptions {
  stride?: Pair;
  padding?: Pair;
  outputPadding?: Pair;
  dilation?: Pair;
  groups?: number;
  bias?: boolean;
  dtype?: 'float32' | 'float64';
}

/** Transposed 2-D convolution: weight [in, out/groups, kh, kw], bias [out]. */
export class ConvTranspose2d extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly outputPadding: [number, number];
  readonly dilation: [number, number];
  readonly groups: number;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    kernelSize: Pair,
    opts: ConvTransposeOptions = {},
  ) {
    super();
    checkCtor(
      'nn.ConvTranspose2d',
      [
        ['inChannels', 'positiveInt'],
        ['outChannels', 'positiveInt'],
        ['kernelSize', 'positiveInts'],
      ],
      arguments,
      {
        stride: 'ints',
        padding: 'ints',
        outputPadding: 'ints',
        dilation: 'ints',
        groups: 'int',
        bias: 'boolean',
        dtype: ['float32', 'float64'],
      },
    );
    this.groups = opts.groups ?? 1;
    checkGroups('ConvTranspose2d', inChannels, outChannels, this.groups);
    this.kernelSize = pair(kernelSize);
    this.stride = pair(opts.stride ?? 1);
    this.padding = pair(opts.padding ?? 0);
    this.outputPadding = pair(opts.outputPadding ?? 0);
    this.dilation = pair(opts.dilation ?? 1);
    const dtype = opts.dtype ?? 'float32';
    this.weight = this.param('weight', zeros([inChannels, outChannels / this.groups, ...this.kernelSize], { dtype }));
    this.bias = this.param('bias', opts.bias === false ? null : zeros([outChannels], { dtype }));
    initConv(this);
  }

  forward(x: Tensor, outputSize?: readonly number[]): Tensor {
    let outputPadding = this.outputPadding;
    if (outputSize) {
      // Choose output padding so the result has the requested spatial size (torch's output_size argument).
      const [h, w] = [outputSize[outputSize.length - 2]!, outputSize[outputSize.length - 1]!];
      const base = [0, 1].map(
        (i) => (x.shape[x.ndim - 2 + i]! - 1) * this.stride[i]! - 2 * this.padding[i]! + this.dilation[i]! * (this.kernelSize[i]! - 1) + 1,
      );
      outputPadding = [h - base[0]!, w - base[1]!];
    }
    return convTranspose2d(x, this.weight, this.bias, {
      stride: this.stride,
      padding: this.padding,
      outputPadding,
      dilation: this.dilation,
      groups: this.groups,
    });
  }

  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${fmt(this.kernelSize)}, stride=${fmt(this.stride)}`;
    if (this.padding[0] || this.padding[1]) s += `, padding=${fmt(this.padding)}`;
    if (this.outputPadding[0] || this.outputPadding[1]) s += `, output_padding=${fmt(this.outputPadding)}`;
    if (this.dilation[0] !== 1 || this.dilation[1] !== 1) s += `, dilation=${fmt(this.dilation)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (!this.bias) s += ', bias=False';
    return s;
  }
}

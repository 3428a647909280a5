/** Normalisation layers (torch.nn.BatchNorm1d/2d, LayerNorm, GroupNorm, InstanceNorm2d). */
/* eslint-disable prefer-rest-params -- constructors hand their `arguments` to checkCtor (tensor/validate.ts), which also rejects arguments past the declared ones; rest parameters would hide the declared signature */
import type { Tensor } from '../../tensor/tensor.js';
import { fmtShape } from '../../tensor/shape.js';
import { ones, zeros, scalar } from '../../tensor/creation.js';
import { Module } from '../module.js';
import type { Parameter } from '../parameter.js';
import { batchNorm, groupNorm, instanceNorm, layerNorm } from '../functional.js';
import { checkCtor } from '../../tensor/validate.js';

export interface BatchNormOptions {
  eps?: number;
  /** Weight of the newest batch in the running statistics (null: cumulative average). */
  momentum?: number | null;
  affine?: boolean;
  trackRunningStats?: boolean;
  dtype?: 'float32' | 'float64';
}

abstract class BatchNormBase extends Module {
  readonly weight: Parameter | null;
  readonly bias: Parameter | null;
  readonly runningMean: Tensor | null;
  readonly runningVar: Tensor | null;
  readonly numBatchesTracked: Tensor | null;
  readonly eps: number;
  readonly momentum: number | null;
  protected abstract readonly ranks: number[];

  constructor(
    readonly numFeatures: number,
    opts: BatchNormOptions = {},
  ) {
    super();
    checkCtor(`nn.${this.constructor.name}`, [['numFeatures', 'positiveInt']], arguments, {
      eps: 'number',
      momentum: 'number',
      affine: 'boolean',
      trackRunningStats: 'boolean',
      dtype: ['float32', 'float64'],
    });
    this.eps = opts.eps ?? 1e-5;
    this.momentum = opts.momentum === undefined ? 0.1 : opts.momentum;
    const dtype = opts.dtype ?? 'float32';
    const affine = opts.affine ?? true;
    this.weight = this.param('weight', affine ? ones([numFeatures], { dtype }) : null);
    this.bias = this.param('bias', affine ? zeros([numFeatures], { dtype }) : null);
    const track = opts.trackRunningStats ?? true;
    this.runningMean = this.buffer('running_mean', track ? zeros([numFeatures], { dtype }) : null);
    this.runningVar = this.buffer('running_var', track ? ones([numFeatures], { dtype }) : null);
    this.numBatchesTracked = this.buffer('num_batches_tracked', track ? scalar(0, { dtype: 'int32' }) : null);
  }

  forward(x: Tensor): Tensor {
    if (!this.ranks.includes(x.ndim) || x.shape[1] !== this.numFeatures) {
      throw new Error(
        `${this.constructor.name}: expected input of rank ${this.ranks.join(' or ')} with ${this.numFeatures} channels in dim 1, got shape ${fmtShape(x.shape)}`,
      );
    }
    let momentum = this.momentum ?? 0;
    if (this.training && this.numBatchesTracked) {
      const n = this.numBatchesTracked;
      n.storage[n.offset] = n.storage[n.offset]! + 1;
      if (this.momentum === null) momentum = 1 / this.numBatchesTracked.item();
    }
    const useBatchStats = this.training || !this.runningMean;
    return batchNorm(x, this.runningMean, this.runningVar, this.weight, this.bias, { training: useBatchStats, momentum, eps: this.eps });
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}, affine=${this.weight ? 'True' : 'False'}, track_running_stats=${this.runningMean ? 'True' : 'False'}`;
  }
}

/** Batch normalisation over [N, C] or [N, C, L]. */
export class BatchNorm1d extends BatchNormBase {
  protected readonly ranks = [2, 3];
}

/** Batch normalisation over [N, C, H, W]. */
export class BatchNorm2d extends BatchNormBase {
  protected readonly ranks = [4];
}

/** Layer normalisation over the trailing `normalizedShape` dims, with elementwise affine weight and bias. */
export class LayerNorm extends Module {
  readonly weight: Parameter | null;
  readonly bias: Parameter | null;
  readonly normalizedShape: number[];

  constructor(
    normalizedShape: number | readonly number[],
    /** bias: false keeps the weight but no bias (PyTorch 2.1's LayerNorm(bias=False)). */
    readonly opts: { eps?: number; elementwiseAffine?: boolean; bias?: boolean; dtype?: 'float32' | 'float64' } = {},
  ) {
    super();
    checkCtor('nn.LayerNorm', [['normalizedShape', 'positiveInts']], arguments, {
      eps: 'number',
      elementwiseAffine: 'boolean',
      bias: 'boolean',
      dtype: ['float32', 'float64'],
    });
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    const affine = opts.elementwiseAffine ?? true;
    const dtype = opts.dtype ?? 'float32';
    this.weight = this.param('weight', affine ? ones(this.normalizedShape, { dtype }) : null);
    this.bias = this.param('bias', affine && (opts.bias ?? true) ? zeros(this.normalizedShape, { dtype }) : null);
  }

  forward(x: Tensor): Tensor {
    return layerNorm(x, this.normalizedShape, this.weight, this.bias, this.opts.eps ?? 1e-5);
  }

  override extraRepr(): string {
    return `(${this.normalizedShape.join(', ')},), eps=${this.opts.eps ?? 1e-5}, elementwise_affine=${this.weight ? 'True' : 'False'}`;
  }
}

/** Group normalisation with per-channel affine weight and bias. */
export class GroupNorm extends Module {
  readonly weight: Parameter | null;
  readonly bias: Parameter | null;

  constructor(
    readonly numGroups: number,
    readonly numChannels: number,
    readonly opts: { eps?: number; affine?: boolean; dtype?: 'float32' | 'float64' } = {},
  ) {
    super();
    checkCtor(
      'nn.GroupNorm',
      [
        ['numGroups', 'positiveInt'],
        ['numChannels', 'positiveInt'],
      ],
      arguments,
      { eps: 'number', affine: 'boolean', dtype: ['float32', 'float64'] },
    );
    if (numChannels % numGroups !== 0) throw new Error(`GroupNorm: ${numChannels} channels are not divisible into ${numGroups} groups`);
    const affine = opts.affine ?? true;
    const dtype = opts.dtype ?? 'float32';
    this.weight = this.param('weight', affine ? ones([numChannels], { dtype }) : null);
    this.bias = this.param('bias', affine ? zeros([numChannels], { dtype }) : null);
  }

  forward(x: Tensor): Tensor {
    return groupNorm(x, this.numGroups, this.weight, this.bias, this.opts.eps ?? 1e-5);
  }

  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${this.opts.eps ?? 1e-5}, affine=${this.weight ? 'True' : 'False'}`;
  }
}

/** Instance normalisation over [N, C, H, W] (PyTorch defaults: affine=false, no running stats). */
export class InstanceNorm2d extends Module {
  readonly weight: Parameter | null;
  readonly bias: Parameter | null;

  constructor(
    readonly numFeatures: number,
    readonly opts: { eps?: number; affine?: boolean; dtype?: 'float32' | 'float64' } = {},
  ) {
    super();
    checkCtor('nn.InstanceNorm2d', [['numFeatures', 'positiveInt']], arguments, {
      eps: 'number',
      affine: 'boolean',
      dtype: ['float32', 'float64'],
    });
    const affine = opts.affine ?? false;
    const dtype = opts.dtype ?? 'float32';
    this.weight = this.param('weight', affine ? ones([numFeatures], { dtype }) : null);
    this.bias = this.param('bias', affine ? zeros([numFeatures], { dtype }) : null);
  }

  forward(x: Tensor): Tensor {
    if (x.ndim !== 4 || x.shape[1] !== this.numFeatures) {
      throw new Error(`InstanceNorm2d: expected [N, ${this.numFeatures}, H, W], got shape ${fmtShape(x.shape)}`);
    }
    return instanceNorm(x, this.weight, this.bias, this.opts.eps ?? 1e-5);
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.opts.eps ?? 1e-5}, affine=${this.weight ? 'True' : 'False'}`;
  }
}

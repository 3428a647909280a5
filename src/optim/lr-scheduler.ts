/**
 * Learning-rate schedules (torch.optim.lr_scheduler). Each scheduler sets every group's lr from
 * its base lr and the epoch counter; call step() once per epoch (or per iteration, as you choose).
 */
/* eslint-disable prefer-rest-params -- constructors hand their `arguments` to checkCtor (tensor/validate.ts), which also rejects arguments past the declared ones; rest parameters would hide the declared signature */
import { Optimizer } from './optimizer.js';
import { checkCtor, checkOptions, describe, type Param } from '../tensor/validate.js';

const optimizerParam: Param = ['optimizer', 'any'];

function checkOptimizer(cls: string, opt: unknown): void {
  if (!(opt instanceof Optimizer)) throw new TypeError(`optim.${cls}: argument 1 (optimizer) must be an Optimizer, got ${describe(opt)}`);
}

export abstract class LRScheduler {
  /** Number of step() calls so far. */
  lastEpoch = 0;
  readonly baseLrs: number[];

  constructor(protected readonly optimizer: Optimizer<any>) {
    checkOptimizer(new.target.name, optimizer);
    this.baseLrs = optimizer.lrs;
  }

  /** Sets the epoch-0 learning rates; subclasses call it once their own fields are set. */
  protected start(): void {
    this.apply();
  }

  /** The lr of group i at epoch t. */
  protected abstract lrAt(t: number, base: number, i: number): number;

  step(): void {
    this.lastEpoch += 1;
    this.apply();
  }

  private apply(): void {
    this.optimizer.paramGroups.forEach((g, i) => {
      g.options['lr'] = this.lrAt(this.lastEpoch, this.baseLrs[i]!, i);
    });
  }

  get lastLr(): number[] {
    return this.optimizer.lrs;
  }

  stateDict(): { lastEpoch: number; baseLrs: number[] } {
    return { lastEpoch: this.lastEpoch, baseLrs: [...this.baseLrs] };
  }

  loadStateDict(s: { lastEpoch: number; baseLrs: number[] }): void {
    this.lastEpoch = s.lastEpoch;
    this.baseLrs.splice(0, this.baseLrs.length, ...s.baseLrs);
    this.apply();
  }
}

/** lr = base * gamma^floor(t / stepSize). */
export class StepLR extends LRScheduler {
  constructor(
    opt: Optimizer<any>,
    readonly stepSize: number,
    readonly gamma = 0.1,
  ) {
    super(opt);
    checkCtor(`optim.${new.target.name}`, [optimizerParam, ['stepSize', 'positiveInt'], ['gamma', 'number', true]], arguments);
    this.start();
  }
  protected lrAt(t: number, base: number): number {
    return base * this.gamma ** Math.floor(t / this.stepSize);
  }
}

/** lr = base * gamma^(number of milestones <= t). */
export class MultiStepLR extends LRScheduler {
  constructor(
    opt: Optimizer<any>,
    readonly milestones: number[],
    readonly gamma = 0.1,
  ) {
    super(opt);
    checkCtor(`optim.${new.target.name}`, [optimizerParam, ['milestones', 'ints'], ['gamma', 'number', true]], arguments);
    this.start();
  }
  protected lrAt(t: number, base: number): number {
    return base * this.gamma ** this.milestones.filter((m) => m <= t).length;
  }
}

/** lr = base * gamma^t. */
export class ExponentialLR extends LRScheduler {
  constructor(
    opt: Optimizer<any>,
    readonly gamma: number,
  ) {
    super(opt);
    checkCtor(`optim.${new.target.name}`, [optimizerParam, ['gamma', 'number']], arguments);
    this.start();
  }
  protected lrAt(t: number, base: number): number {
    return base * this.gamma ** t;
  }
}

/** lr = etaMin + (base - etaMin) (1 + cos(pi t / TMax)) / 2 (the closed form of torch's CosineAnnealingLR). */
export class CosineAnnealingLR extends LRScheduler {
  constructor(
    opt: Optimizer<any>,
    readonly tMax: number,
    readonly etaMin = 0,
  ) {
    super(opt);
    checkCtor(`optim.${new.target.name}`, [optimizerParam, ['tMax', 'positiveInt'], ['etaMin', 'number', true]], arguments);
    this.start();
  }
  protected lrAt(t: number, base: number): number {
    return this.etaMin + ((base - this.etaMin) * (1 + Math.cos((Math.PI * t) / this.tMax))) / 2;
  }
}

/** Linear warm-up: the factor goes from startFactor to endFactor over totalIters steps, then stays. */
export class LinearLR extends LRScheduler {
  constructor(
    opt: Optimizer<any>,
    readonly startFactor = 1 / 3,
    readonly endFactor = 1,
    readonly totalIters = 5,
  ) {
    super(opt);
    checkCtor(
      `optim.${new.target.name}`,
      [optimizerParam, ['startFactor', 'number', true], ['endFactor', 'number', true], ['totalIters', 'positiveInt', true]],
      arguments,
    );
    this.start();
  }
  protected lrAt(t: number, base: number): number {
    const k = Math.min(t, this.totalIters) / this.totalIters;
    return base * (this.startFactor + (this.endFactor - this.startFactor) * k);
  }
}

/** lr = base * f(t) for a user function f. */
export class LambdaLR extends LRScheduler {
  constructor(
    opt: Optimizer<any>,
    readonly f: (epoch: number) => number,
  ) {
    super(opt);
    checkCtor(`optim.${new.target.name}`, [optimizerParam, ['f', 'function']], arguments);
    this.start();
  }
  protected lrAt(t: number, base: number): number {
    return base * this.f(t);
  }
}

export interface PlateauOptions {
  mode?: 'min' | 'max';
  factor?: number;
  patience?: number;
  threshold?: number;
  thresholdMode?: 'rel' | 'abs';
  cooldown?: number;
  minLr?: number;
  eps?: number;
}

/** ReduceLROnPlateau's state; best is null before the first metric (JSON has no Infinity). */
export interface PlateauState {
  best: number | null;
  badEpochs: number;
  cooldownLeft: number;
}

/** Multiplies the lr by factor when a metric has not improved for `patience` epochs (torch's ReduceLROnPlateau). */
export class ReduceLROnPlateau {
  private best: number;
  private badEpochs = 0;
  private cooldownLeft = 0;
  private readonly o: Required<PlateauOptions>;

  constructor(
    private readonly optimizer: Optimizer<any>,
    opts: PlateauOptions = {},
  ) {
    checkOptimizer('ReduceLROnPlateau', optimizer);
    checkOptions('optim.ReduceLROnPlateau', 2, opts, {
      mode: ['min', 'max'],
      factor: 'number',
      patience: 'nonNegativeInt',
      threshold: 'number',
      thresholdMode: ['rel', 'abs'],
      cooldown: 'nonNegativeInt',
      minLr: 'number',
      eps: 'number',
    });
    this.o = { mode: 'min', factor: 0.1, patience: 10, threshold: 1e-4, thresholdMode: 'rel', cooldown: 0, minLr: 0, eps: 1e-8, ...opts };
    if (this.o.factor >= 1) throw new Error(`ReduceLROnPlateau: factor must be < 1, got ${this.o.factor}`);
    this.best = this.o.mode === 'min' ? Infinity : -Infinity;
  }

  private better(a: number): boolean {
    const { mode, threshold, thresholdMode } = this.o;
    if (mode === 'min') return thresholdMode === 'rel' ? a < this.best * (1 - threshold) : a < this.best - threshold;
    return thresholdMode === 'rel' ? a > this.best * (1 + threshold) : a > this.best + threshold;
  }

  step(metric: number): void {
    if (this.better(metric)) {
      this.best = metric;
      this.badEpochs = 0;
    } else this.badEpochs += 1;
    if (this.cooldownLeft > 0) {
      this.cooldownLeft -= 1;
      this.badEpochs = 0;
    }
    if (this.badEpochs > this.o.patience) {
      for (const g of this.optimizer.paramGroups) {
        const old = g.options['lr'] as number;
        const next = Math.max(old * this.o.factor, this.o.minLr);
        if (old - next > this.o.eps) g.options['lr'] = next;
      }
      this.cooldownLeft = this.o.cooldown;
      this.badEpochs = 0;
    }
  }

  get lastLr(): number[] {
    return this.optimizer.lrs;
  }

  /** The plateau bookkeeping (best metric, bad epochs, cooldown), for checkpoints. */
  stateDict(): PlateauState {
    return { best: Number.isFinite(this.best) ? this.best : null, badEpochs: this.badEpochs, cooldownLeft: this.cooldownLeft };
  }

  loadStateDict(s: PlateauState): void {
    this.best = s.best ?? (this.o.mode === 'min' ? Infinity : -Infinity);
    this.badEpochs = s.badEpochs;
    this.cooldownLeft = s.cooldownLeft;
  }
}

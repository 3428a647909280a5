/**
 * The one training loop. A recipe hands the Trainer a TrainTask: the modules and optimizers to
 * save, and a `trainStep` that does one step however it likes (one optimizer or two, data from a
 * loader or collected from an environment). The Trainer owns what every run shares: the
 * epoch/step counters, running metrics, evaluation (every epoch and/or every N steps), the
 * per-epoch learning-rate schedules (ReduceLROnPlateau included), early stopping, the stop at the
 * first non-finite loss, checkpoint moments, and a snapshot from which a run continues bit for
 * bit. What varies between front ends (progress bars, files, plots, samples) plugs in as callbacks.
 * Browser-safe: no Node API here; src/node/train-callbacks.ts writes the files.
 */
import { Tensor } from '../tensor/tensor.js';
import { defaultGenerator } from '../tensor/random.js';
import type { Module } from '../nn/module.js';
import type { Optimizer, OptimizerStateDict } from '../optim/optimizer.js';
import { LRScheduler, ReduceLROnPlateau, type PlateauState } from '../optim/lr-scheduler.js';
import { rejectUnknownKeys } from './options.js';
import { describe } from '../tensor/validate.js';

/** Where the loop is when it asks for a step. */
export interface StepContext {
  /** 0-based epoch in progress. */
  epoch: number;
  /** 0-based index of this step within the epoch. */
  batch: number;
  /** Steps completed before this one, over the whole run. */
  step: number;
}

/** What one training step reports. */
export interface StepOutput {
  /** Mean loss of the step (a number: call .item() on the loss tensor). */
  loss: number;
  /** Examples (or tokens) the step consumed; weights `loss` in the epoch mean (default 1). */
  examples?: number;
  /** Per-step totals summed over the epoch and divided by its examples, e.g. { accuracy: correct }. */
  totals?: Record<string, number>;
}

/** A task's own state for checkpoints: tensors (e.g. a carried hidden state) and JSON. */
export interface TaskState {
  tensors?: Record<string, Tensor>;
  json?: unknown;
}

/** A learning-rate schedule stepped once per epoch. */
export type EpochScheduler = LRScheduler | ReduceLROnPlateau;

/** What a recipe (or a hand-written loop) gives the Trainer. */
export interface TrainTask {
  /** Modules saved in snapshots under their names (the classifier's 'model' -> tensors model.<key>). */
  modules?: Record<string, Module<any, any>>;
  /** Optimizers saved in snapshots (a GAN has two). */
  optimizers?: Record<string, Optimizer<any>>;
  /** Schedules stepped after each epoch's evaluation; ReduceLROnPlateau reads the monitored metric. */
  schedulers?: Record<string, EpochScheduler>;
  /** Steps in one epoch. */
  stepsPerEpoch: number;
  /** One training step. */
  trainStep(ctx: StepContext): StepOutput;
  /** Held-out metrics, e.g. { validLoss, validPpl }; called at epoch ends and every evalEvery steps. */
  evaluate?(): Record<string, number>;
  /** Final metrics after the last epoch (e.g. the best model on the test split). */
  finish?(): Record<string, number>;
  /** State of the task beyond modules and optimizers (RNGs, carried states, best model...). */
  saveState?(): TaskState;
  loadState?(s: TaskState): void;
}

export interface StepInfo {
  epoch: number;
  /** Steps of this epoch done, including this one. */
  batch: number;
  batches: number;
  /** Steps done over the run, including this one. */
  step: number;
  loss: number;
  /** Running means over this epoch so far. */
  epochLoss: number;
  epochTotals: Record<string, number>;
  /** Examples seen in this epoch so far. */
  examples: number;
}

/** An evaluation: the task's metrics at a step. */
export interface EvalRecord {
  step: number;
  epoch: number;
  metrics: Record<string, number>;
}

/** A finished epoch: train means (trainLoss, train<Total>), the evaluation's metrics, the lr used. */
export interface EpochRecord {
  /** Epochs completed (1 after the first). */
  epoch: number;
  step: number;
  /** Learning rate of each optimizer's first group during the epoch. */
  lr: Record<string, number>;
  trainLoss: number;
  /** Train totals averaged per example, e.g. trainAccuracy. */
  train: Record<string, number>;
  eval: Record<string, number>;
  /** Seconds of this epoch in this process (0 when it was resumed part way). */
  seconds: number;
}

/** A point of the running training loss (logEvery steps per point). */
export interface LogPoint {
  step: number;
  /** Fractional epochs. */
  epoch: number;
  loss: number;
  /** Means per example of the steps' totals over the same window (e.g. a GAN's lossD and lossG), when the steps report totals. */
  totals?: Record<string, number>;
}

export interface FitResult {
  /** True when the run reached its last epoch or stopped early; false when a callback stopped it. */
  finished: boolean;
  stoppedEarly: boolean;
  final: Record<string, number>;
}

export interface Callback {
  onFitStart?(t: Trainer): void | Promise<void>;
  /**
   * After every step, once its evaluation, epoch end and checkpoint are done (so t.snapshot() here
   * is a clean point); return 'stop' to end fit() there (the trainer stays resumable).
   */
  onStep?(t: Trainer, s: StepInfo): void | 'stop';
  onEval?(t: Trainer, r: EvalRecord): void | Promise<void>;
  onEpochEnd?(t: Trainer, r: EpochRecord): void | Promise<void>;
  /** A moment to save: every checkpointEvery steps and after each epoch. Call t.snapshot(). */
  onCheckpoint?(t: Trainer, reason: 'step' | 'epoch'): void | Promise<void>;
  onFitEnd?(t: Trainer, r: FitResult): void | Promise<void>;
}
const CALLBACK_HOOKS = ['onFitStart', 'onStep', 'onEval', 'onEpochEnd', 'onCheckpoint', 'onFitEnd'];

export interface EarlyStoppingOptions {
  /** Evaluations without improvement of the monitored metric before stopping (default: never). */
  patience?: number;
  /** Stop as soon as the monitored metric reaches this (<= for mode min, >= for max). */
  target?: number;
}

export interface TrainerOptions {
  epochs: number;
  /** Also evaluate every this many steps (default 0: at epoch ends only). */
  evalEvery?: number;
  /** Evaluate once before the first step (default false). */
  evalAtStart?: boolean;
  /** The metric schedulers and early stopping watch, a key of evaluate()'s result. */
  monitor?: string;
  /** Whether lower (default) or higher is better for the monitored metric. */
  mode?: 'min' | 'max';
  earlyStopping?: EarlyStoppingOptions;
  /** Offer a checkpoint every this many steps (default 0: at epoch ends only). */
  checkpointEvery?: number;
  /** Steps per point of the running-loss log (default: a tenth of an epoch). */
  logEvery?: number;
  callbacks?: Callback[];
  /** JSON saved with every snapshot (e.g. the recipe and its options). */
  info?: Record<string, unknown>;
}
const TRAINER_KEYS = [
  'epochs',
  'evalEvery',
  'evalAtStart',
  'monitor',
  'mode',
  'earlyStopping',
  'checkpointEvery',
  'logEvery',
  'callbacks',
  'info',
];

/** Thrown at the first non-finite loss; parameters are those after the step that produced it. */
export class NonFiniteLossError extends Error {
  constructor(
    readonly step: number,
    readonly epoch: number,
    readonly batch: number,
    readonly loss: number,
  ) {
    super(
      `Trainer: the loss became ${loss} at step ${step} (epoch ${epoch + 1}, batch ${batch + 1}); training stopped. ` +
        'Try a lower learning rate or gradient clipping.',
    );
    this.name = 'NonFiniteLossError';
  }
}

/** Snapshot of a trainer: tensors by name and JSON (see encodeSnapshot for the file layout). */
export interface TrainerSnapshot {
  tensors: Record<string, Tensor>;
  meta: SnapshotMeta;
}

export interface SnapshotMeta {
  info: Record<string, unknown>;
  step: number;
  epoch: number;
  batch: number;
  stopped: boolean;
  rng: number[];
  optimizers: Record<string, { steps: Record<string, number>; paramGroups: OptimizerStateDict['paramGroups'] }>;
  schedulers: Record<string, unknown>;
  task: unknown;
  acc: Accumulators;
  early: { best: number | null; bad: number };
  history: EpochRecord[];
  evals: EvalRecord[];
  log: LogPoint[];
}

interface Accumulators {
  loss: number;
  examples: number;
  totals: Record<string, number>;
  windowLoss: number;
  windowExamples: number;
  windowTotals: Record<string, number>;
}

const freshAcc = (): Accumulators => ({ loss: 0, examples: 0, totals: {}, windowLoss: 0, windowExamples: 0, windowTotals: {} });

function checkCount(who: string, name: string, v: unknown, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min)
    throw new Error(`${who}: ${name} must be an integer >= ${min}, got ${describe(v)}`);
  return v;
}

export class Trainer {
  readonly task: TrainTask;
  readonly epochs: number;
  readonly callbacks: Callback[];
  readonly info: Record<string, unknown>;
  /** Steps completed. */
  step = 0;
  /** 0-based epoch in progress (equals epochs when done). */
  epoch = 0;
  /** Steps of the current epoch completed. */
  batch = 0;
  /** True once early stopping ended the run. */
  stopped = false;
  history: EpochRecord[] = [];
  evals: EvalRecord[] = [];
  log: LogPoint[] = [];
  private acc: Accumulators = freshAcc();
  private early: { best: number | null; bad: number } = { best: null, bad: 0 };
  private readonly o: Required<Omit<TrainerOptions, 'callbacks' | 'info' | 'monitor' | 'earlyStopping'>> &
    Pick<TrainerOptions, 'monitor' | 'earlyStopping'>;

  constructor(task: TrainTask, options: TrainerOptions) {
    const who = 'Trainer';
    if (!task || typeof task.trainStep !== 'function')
      throw new Error(`${who}: task must have a trainStep(ctx) function, got ${describe(task)}`);
    rejectUnknownKeys(`${who} options`, options, TRAINER_KEYS);
    checkCount(who, 'task.stepsPerEpoch', task.stepsPerEpoch, 1);
    this.task = task;
    this.epochs = checkCount(who, 'epochs', options.epochs, 1);
    const mode = options.mode ?? 'min';
    if (mode !== 'min' && mode !== 'max') throw new Error(`${who}: mode must be 'min' or 'max', got ${describe(mode)}`);
    if (options.earlyStopping) rejectUnknownKeys(`${who} earlyStopping`, options.earlyStopping, ['patience', 'target']);
    const needsMonitor = options.earlyStopping || Object.values(task.schedulers ?? {}).some((s) => s instanceof ReduceLROnPlateau);
    if (needsMonitor && !options.monitor)
      throw new Error(`${who}: early stopping and ReduceLROnPlateau need a monitor (a metric name of task.evaluate())`);
    if (needsMonitor && !task.evaluate) throw new Error(`${who}: monitor '${options.monitor}' needs task.evaluate()`);
    for (const [name, s] of Object.entries(task.schedulers ?? {})) {
      if (!(s instanceof LRScheduler) && !(s instanceof ReduceLROnPlateau))
        throw new Error(`${who}: scheduler '${name}' must be an LRScheduler or a ReduceLROnPlateau`);
    }
    this.callbacks = options.callbacks ?? [];
    this.callbacks.forEach((c, i) => rejectUnknownKeys(`${who} callbacks[${i}]`, c, CALLBACK_HOOKS));
    this.info = options.info ?? {};
    this.o = {
      epochs: this.epochs,
      evalEvery: checkCount(who, 'evalEvery', options.evalEvery ?? 0, 0),
      evalAtStart: options.evalAtStart ?? false,
      mode,
      checkpointEvery: checkCount(who, 'checkpointEvery', options.checkpointEvery ?? 0, 0),
      logEvery: checkCount(who, 'logEvery', options.logEvery ?? Math.max(1, Math.floor(task.stepsPerEpoch / 10)), 1),
      ...(options.monitor !== undefined ? { monitor: options.monitor } : {}),
      ...(options.earlyStopping !== undefined ? { earlyStopping: options.earlyStopping } : {}),
    };
  }

  get done(): boolean {
    return this.stopped || this.epoch >= this.epochs;
  }

  /** Steps of the whole run (when it is not stopped early). */
  get totalSteps(): number {
    return this.epochs * this.task.stepsPerEpoch;
  }

  /** Trains until the last epoch, early stopping, or a callback's 'stop'. */
  async fit(): Promise<FitResult> {
    for (const c of this.callbacks) await c.onFitStart?.(this);
    if (this.o.evalAtStart && this.step === 0 && this.evals.length === 0 && this.task.evaluate) await this.runEval();
    let epochStart = performance.now();
    let epochFromStart = this.batch === 0;
    while (!this.done) {
      const ctx: StepContext = { epoch: this.epoch, batch: this.batch, step: this.step };
      const out = this.task.trainStep(ctx);
      if (!Number.isFinite(out.loss)) throw new NonFiniteLossError(this.step + 1, this.epoch, this.batch, out.loss);
      this.step++;
      this.batch++;
      this.accumulate(out);
      const info = this.stepInfo(out.loss);
      const evalNow = this.o.evalEvery > 0 && this.step % this.o.evalEvery === 0 && this.task.evaluate;
      if (evalNow) await this.runEval();
      if (this.batch === this.task.stepsPerEpoch) {
        await this.endEpoch(epochFromStart ? (performance.now() - epochStart) / 1000 : 0);
        epochStart = performance.now();
        epochFromStart = true;
      } else if (this.o.checkpointEvery > 0 && this.step % this.o.checkpointEvery === 0) {
        for (const c of this.callbacks) await c.onCheckpoint?.(this, 'step');
      }
      // After the step's evaluation, epoch end and checkpoint: a snapshot taken here is a clean point.
      let verdict: void | 'stop' = undefined;
      for (const c of this.callbacks) if (c.onStep?.(this, info) === 'stop') verdict = 'stop';
      if (verdict === 'stop' && !this.done) return { finished: false, stoppedEarly: false, final: {} };
      // Let timers (progress redraws) and signals in now and then.
      if (this.step % 20 === 0) await new Promise((r) => setTimeout(r, 0));
    }
    const final = this.task.finish?.() ?? {};
    const result: FitResult = { finished: true, stoppedEarly: this.stopped, final };
    for (const c of this.callbacks) await c.onFitEnd?.(this, result);
    return result;
  }

  private accumulate(out: StepOutput): void {
    const n = out.examples ?? 1;
    const a = this.acc;
    a.loss += out.loss * n;
    a.examples += n;
    for (const [k, v] of Object.entries(out.totals ?? {})) {
      a.totals[k] = (a.totals[k] ?? 0) + v;
      a.windowTotals[k] = (a.windowTotals[k] ?? 0) + v;
    }
    a.windowLoss += out.loss * n;
    a.windowExamples += n;
    if (this.step % this.o.logEvery === 0 || this.batch === this.task.stepsPerEpoch) {
      const p: LogPoint = {
        step: this.step,
        epoch: this.epoch + this.batch / this.task.stepsPerEpoch,
        loss: a.windowLoss / a.windowExamples,
      };
      const keys = Object.keys(a.windowTotals);
      if (keys.length > 0) p.totals = Object.fromEntries(keys.map((k) => [k, a.windowTotals[k]! / a.windowExamples]));
      this.log.push(p);
      a.windowLoss = 0;
      a.windowExamples = 0;
      a.windowTotals = {};
    }
  }

  private stepInfo(loss: number): StepInfo {
    const a = this.acc;
    const epochTotals: Record<string, number> = {};
    for (const [k, v] of Object.entries(a.totals)) epochTotals[k] = v / a.examples;
    return {
      epoch: this.epoch,
      batch: this.batch,
      batches: this.task.stepsPerEpoch,
      step: this.step,
      loss,
      epochLoss: a.loss / a.examples,
      epochTotals,
      examples: a.examples,
    };
  }

  /** The learning rate of each optimizer's first group. */
  lrs(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [k, o] of Object.entries(this.task.optimizers ?? {})) out[k] = o.paramGroups[0]!.options['lr'] as number;
    return out;
  }

  private async runEval(): Promise<Record<string, number>> {
    const metrics = this.task.evaluate!();
    const r: EvalRecord = { step: this.step, epoch: this.epoch + this.batch / this.task.stepsPerEpoch, metrics };
    this.evals.push(r);
    this.watch(metrics);
    for (const c of this.callbacks) await c.onEval?.(this, r);
    return metrics;
  }

  /** Early stopping bookkeeping on a fresh evaluation. */
  private watch(metrics: Record<string, number>): void {
    const es = this.o.earlyStopping;
    if (!es || !this.o.monitor) return;
    const v = this.monitored(metrics);
    const min = this.o.mode === 'min';
    if (this.early.best === null || (min ? v < this.early.best : v > this.early.best)) {
      this.early.best = v;
      this.early.bad = 0;
    } else this.early.bad++;
    if (es.target !== undefined && (min ? v <= es.target : v >= es.target)) this.stopped = true;
    if (es.patience !== undefined && this.early.bad > es.patience) this.stopped = true;
  }

  private monitored(metrics: Record<string, number>): number {
    const v = metrics[this.o.monitor!];
    if (typeof v !== 'number')
      throw new Error(`Trainer: monitor '${this.o.monitor}' is not among the evaluation's metrics (${Object.keys(metrics).join(', ')})`);
    return v;
  }

  private async endEpoch(seconds: number): Promise<void> {
    const lr = this.lrs();
    const last = this.evals[this.evals.length - 1];
    let metrics: Record<string, number> = {};
    if (last && last.step === this.step) metrics = last.metrics;
    else if (this.task.evaluate) metrics = await this.runEval();
    for (const s of Object.values(this.task.schedulers ?? {})) {
      if (s instanceof ReduceLROnPlateau) s.step(this.monitored(metrics));
      else s.step();
    }
    const a = this.acc;
    const train: Record<string, number> = {};
    for (const [k, v] of Object.entries(a.totals)) train[`train${k[0]!.toUpperCase()}${k.slice(1)}`] = v / a.examples;
    const r: EpochRecord = { epoch: this.epoch + 1, step: this.step, lr, trainLoss: a.loss / a.examples, train, eval: metrics, seconds };
    this.history.push(r);
    this.acc = freshAcc();
    this.epoch++;
    this.batch = 0;
    for (const c of this.callbacks) await c.onEpochEnd?.(this, r);
    for (const c of this.callbacks) await c.onCheckpoint?.(this, 'epoch');
  }

  /** Everything needed to continue this run exactly: modules, optimizers, schedules, RNG, task, metrics. */
  snapshot(): TrainerSnapshot {
    const tensors: Record<string, Tensor> = {};
    for (const [name, m] of Object.entries(this.task.modules ?? {})) {
      for (const [k, t] of Object.entries(m.stateDict())) tensors[`${name}.${k}`] = t;
    }
    const optimizers: SnapshotMeta['optimizers'] = {};
    for (const [name, opt] of Object.entries(this.task.optimizers ?? {})) {
      const sd = opt.stateDict();
      const steps: Record<string, number> = {};
      for (const [i, st] of Object.entries(sd.state)) {
        steps[i] = st.step;
        for (const [b, buf] of Object.entries(st.buffers)) {
          // float32 when no value needs more (an optimizer over float32 parameters), else float64.
          const exact32 = buf.data.every((v) => Math.fround(v) === v || Number.isNaN(v));
          tensors[`optim.${name}.${i}.${b}`] = new Tensor(exact32 ? Float32Array.from(buf.data) : Float64Array.from(buf.data), buf.shape);
        }
      }
      optimizers[name] = { steps, paramGroups: sd.paramGroups };
    }
    const schedulers: Record<string, unknown> = {};
    for (const [name, s] of Object.entries(this.task.schedulers ?? {})) schedulers[name] = s.stateDict();
    const ts = this.task.saveState?.() ?? {};
    for (const [k, t] of Object.entries(ts.tensors ?? {})) tensors[`task.${k}`] = t;
    const meta: SnapshotMeta = {
      info: this.info,
      step: this.step,
      epoch: this.epoch,
      batch: this.batch,
      stopped: this.stopped,
      rng: defaultGenerator.getState(),
      optimizers,
      schedulers,
      task: ts.json ?? null,
      acc: structuredClone(this.acc),
      early: { ...this.early },
      history: structuredClone(this.history),
      evals: structuredClone(this.evals),
      log: structuredClone(this.log),
    };
    return { tensors, meta };
  }

  /** Continues from a snapshot of a trainer over the same task (same recipe, options and data). */
  restore(s: TrainerSnapshot): void {
    const who = 'Trainer.restore';
    const { tensors, meta } = s;
    for (const [name, m] of Object.entries(this.task.modules ?? {})) {
      const sd: Record<string, Tensor> = {};
      for (const [k, t] of Object.entries(tensors)) if (k.startsWith(`${name}.`)) sd[k.slice(name.length + 1)] = t;
      m.loadStateDict(sd);
    }
    for (const [name, opt] of Object.entries(this.task.optimizers ?? {})) {
      const saved = meta.optimizers[name];
      if (!saved)
        throw new Error(`${who}: the snapshot has no optimizer '${name}' (it has ${Object.keys(meta.optimizers).join(', ') || 'none'})`);
      const state: OptimizerStateDict['state'] = {};
      for (const [i, step] of Object.entries(saved.steps)) {
        const buffers: Record<string, { shape: number[]; data: number[] }> = {};
        const prefix = `optim.${name}.${i}.`;
        for (const [k, t] of Object.entries(tensors))
          if (k.startsWith(prefix))
            buffers[k.slice(prefix.length)] = { shape: [...t.shape], data: Array.from(t.data as ArrayLike<number>) };
        state[Number(i)] = { step, buffers };
      }
      opt.loadStateDict({ state, paramGroups: saved.paramGroups });
    }
    for (const [name, sch] of Object.entries(this.task.schedulers ?? {})) {
      const saved = meta.schedulers[name];
      if (saved === undefined) throw new Error(`${who}: the snapshot has no scheduler '${name}'`);
      if (sch instanceof ReduceLROnPlateau) sch.loadStateDict(saved as PlateauState);
      else sch.loadStateDict(saved as { lastEpoch: number; baseLrs: number[] });
    }
    // An LRScheduler's loadStateDict re-applies its closed form, so a resumed run that extends
    // --epochs follows the longer schedule; ReduceLROnPlateau keeps the optimizer's saved lr.
    if (this.task.loadState) {
      const tt: Record<string, Tensor> = {};
      for (const [k, t] of Object.entries(tensors)) if (k.startsWith('task.')) tt[k.slice(5)] = t;
      this.task.loadState({ tensors: tt, json: meta.task });
    }
    defaultGenerator.setState(meta.rng);
    this.step = meta.step;
    this.epoch = meta.epoch;
    this.batch = meta.batch;
    this.stopped = meta.stopped;
    // Snapshots written before the running window kept totals have no windowTotals.
    this.acc = { ...structuredClone(meta.acc), windowTotals: structuredClone(meta.acc.windowTotals ?? {}) };
    this.early = { ...meta.early };
    this.history = structuredClone(meta.history);
    this.evals = structuredClone(meta.evals);
    this.log = structuredClone(meta.log);
  }
}

/**
 * The training loop of the Fashion-MNIST recipes: seeded model init, shuffled mini-batches, Adam
 * on cross entropy, evaluation after every epoch, and checkpoints from which a run continues
 * bit for bit (model, optimizer moments, RNG, data loader position and the metric accumulators).
 * Runs anywhere (no Node API); the `shinsou train` command adds files, progress bar and plots.
 */
import { Tensor } from '../../tensor/tensor.js';
import { defaultGenerator, manualSeed } from '../../tensor/random.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { backward } from '../../autograd/engine.js';
import { crossEntropy } from '../../ops/loss/crossEntropy.js';
import { Adam } from '../../optim/adam.js';
import { CosineAnnealingLR } from '../../optim/lr-scheduler.js';
import type { Sequential } from '../../nn/containers.js';
import { TensorDataset, gatherRows } from '../../data/dataset.js';
import { DataLoader } from '../../data/dataloader.js';
import { normalize } from '../../data/transforms.js';
import { accuracy, addConfusion, confusionMatrix, predictions } from '../../metrics/classification.js';
import type { Checkpoint } from '../../io/checkpoint.js';
import { FASHION_MEAN, FASHION_STD, getRecipe, type RecipeName } from './recipes.js';

export interface TrainOptions {
  recipe: RecipeName;
  epochs: number;
  batchSize: number;
  lr: number;
  seed: number;
  /** Use only the first `limit` training examples. */
  limit?: number;
}

export interface LabeledImages {
  /** float32 [N, 1, 28, 28] in [0, 1]. */
  images: Tensor;
  /** int32 [N]. */
  labels: Tensor;
}

export interface StepInfo {
  /** 0-based epoch in progress. */
  epoch: number;
  /** Batches of this epoch done, including this one. */
  batch: number;
  batches: number;
  /** Optimizer steps taken over the whole run. */
  step: number;
  loss: number;
  /** Running mean loss and accuracy over this epoch so far. */
  epochLoss: number;
  epochAccuracy: number;
  examples: number;
}

export interface EpochSummary {
  /** Epochs completed (1 after the first). */
  epoch: number;
  step: number;
  trainLoss: number;
  trainAccuracy: number;
  testLoss?: number;
  testAccuracy?: number;
  /** Seconds of training in this epoch (excluding evaluation); 0 when the epoch was resumed. */
  seconds: number;
}

/** A point of the training curves (fractional epochs for running train loss). */
export interface CurveRow {
  epoch: number;
  split: string;
  loss?: number;
  accuracy?: number;
}

export interface EvalResult {
  loss: number;
  accuracy: number;
  /** [10, 10] int32, rows are the true class. */
  confusion: Tensor<'int32'>;
}

export interface FitCallbacks {
  /** After every optimizer step; return 'stop' to end the run there (the state stays resumable). */
  onStep?(info: StepInfo): void | 'stop';
  /** After every epoch, once the test set has been evaluated (save checkpoints here). */
  onEpochEnd?(summary: EpochSummary): void | Promise<void>;
}

/** Mean cross entropy, accuracy and confusion matrix of a model on a labeled set, in eval mode. */
export function evaluate(model: Sequential, data: LabeledImages, batchSize = 1000): EvalResult {
  const wasTraining = model.training;
  model.eval();
  const n = data.labels.shape[0]!;
  let lossSum = 0;
  let correct = 0;
  const confusion = Tensor.empty([10, 10], 'int32');
  noGrad(() => {
    for (let at = 0; at < n; at += batchSize) {
      const idx = Array.from({ length: Math.min(batchSize, n - at) }, (_, i) => at + i);
      const x = gatherRows(data.images, idx);
      const y = gatherRows(data.labels, idx);
      const logits = model.forward(x);
      lossSum += crossEntropy(logits, y, { reduction: 'sum' }).item();
      correct += Math.round(accuracy(logits, y) * idx.length);
      addConfusion(confusion, confusionMatrix(logits, y, 10));
    }
  });
  model.train(wasTraining);
  return { loss: lossSum / n, accuracy: correct / n, confusion };
}

/** Images normalized with the Fashion-MNIST statistics (once, for the whole set). */
export function prepareImages(images: Tensor): Tensor {
  return normalize(FASHION_MEAN, FASHION_STD)(images);
}

/** The first `limit` examples of a set (all of them when limit is undefined). */
export function takeFirst(data: LabeledImages, limit?: number): LabeledImages {
  const n = data.labels.shape[0]!;
  if (limit === undefined || limit >= n) return data;
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`--limit must be a positive integer, got ${limit}`);
  const idx = Array.from({ length: limit }, (_, i) => i);
  return { images: gatherRows(data.images, idx), labels: gatherRows(data.labels, idx) };
}

/**
 * One training run of a recipe. Construct it (seeded init), optionally restore() a checkpoint,
 * then fit(). checkpoint() captures everything fit() needs to carry on exactly where it was.
 */
export class ClassifierTrainer {
  readonly model: Sequential;
  readonly optimizer: Adam;
  /** Cosine decay of the learning rate over the run, stepped once per epoch (derived from the epoch, so resumable). */
  readonly scheduler: CosineAnnealingLR;
  readonly loader: DataLoader<Tensor[], Tensor[]>;
  readonly train: LabeledImages;
  step = 0;
  history: EpochSummary[] = [];
  curves: CurveRow[] = [];
  /** Accumulators of the epoch in progress (part of the checkpoint, so resumed metrics match). */
  private acc = { loss: 0, correct: 0, count: 0, windowLoss: 0, windowCount: 0 };

  constructor(readonly options: TrainOptions, train: LabeledImages, readonly test?: LabeledImages) {
    const recipe = getRecipe(options.recipe);
    manualSeed(options.seed);
    this.model = recipe.build();
    this.optimizer = new Adam(this.model.parameters(), { lr: options.lr });
    this.scheduler = new CosineAnnealingLR(this.optimizer, options.epochs);
    const t = takeFirst(train, options.limit);
    this.train = { images: prepareImages(t.images), labels: t.labels };
    this.loader = new DataLoader<Tensor[], Tensor[]>(new TensorDataset(this.train.images, this.train.labels), {
      batchSize: options.batchSize,
      shuffle: true,
      seed: options.seed,
    });
  }

  /** Trains until options.epochs epochs are complete (or a callback says stop). Returns true when finished. */
  async fit(cb: FitCallbacks = {}): Promise<boolean> {
    const batches = this.loader.length;
    const window = Math.max(1, Math.floor(batches / 10));
    while (this.loader.epoch < this.options.epochs) {
      const epoch = this.loader.epoch;
      const resumedMidEpoch = this.loader.batchInEpoch > 0;
      const t0 = performance.now();
      this.model.train();
      for (const [x, y] of this.loader) {
        this.optimizer.zeroGrad();
        const logits = this.model.forward(x!);
        const loss = crossEntropy(logits, y!);
        backward([loss]);
        this.optimizer.step();
        this.step++;
        const l = loss.item();
        const n = y!.shape[0]!;
        this.acc.loss += l * n;
        this.acc.correct += Math.round(accuracy(logits.detach(), y!) * n);
        this.acc.count += n;
        this.acc.windowLoss += l * n;
        this.acc.windowCount += n;
        const b = this.loader.batchInEpoch;
        if (b % window === 0 || b === batches) {
          this.curves.push({ epoch: epoch + b / batches, split: 'train (running)', loss: this.acc.windowLoss / this.acc.windowCount });
          this.acc.windowLoss = 0;
          this.acc.windowCount = 0;
        }
        const verdict = cb.onStep?.({
          epoch,
          batch: b,
          batches,
          step: this.step,
          loss: l,
          epochLoss: this.acc.loss / this.acc.count,
          epochAccuracy: this.acc.correct / this.acc.count,
          examples: this.acc.count,
        });
        if (verdict === 'stop') return false;
        // Let timers (progress bar redraws) and signals in now and then.
        if (this.step % 20 === 0) await new Promise((r) => setTimeout(r, 0));
      }
      this.scheduler.step();
      const summary: EpochSummary = {
        epoch: epoch + 1,
        step: this.step,
        trainLoss: this.acc.count ? this.acc.loss / this.acc.count : NaN,
        trainAccuracy: this.acc.count ? this.acc.correct / this.acc.count : NaN,
        seconds: resumedMidEpoch ? 0 : (performance.now() - t0) / 1000,
      };
      this.acc = { loss: 0, correct: 0, count: 0, windowLoss: 0, windowCount: 0 };
      this.curves.push({ epoch: epoch + 1, split: 'train', loss: summary.trainLoss, accuracy: summary.trainAccuracy });
      if (this.test) {
        const r = evaluate(this.model, this.test);
        summary.testLoss = r.loss;
        summary.testAccuracy = r.accuracy;
        this.curves.push({ epoch: epoch + 1, split: 'test', loss: r.loss, accuracy: r.accuracy });
      }
      this.history.push(summary);
      await cb.onEpochEnd?.(summary);
    }
    return true;
  }

  /** Everything needed to continue this run exactly. */
  checkpoint(): Checkpoint {
    return {
      model: this.model.stateDict(),
      optimizer: this.optimizer.stateDict(),
      epoch: this.loader.epoch,
      step: this.step,
      rng: defaultGenerator.getState(),
      loader: this.loader.stateDict(),
      extra: {
        options: this.options,
        history: this.history,
        curves: this.curves,
        accumulators: this.acc,
      },
    };
  }

  /** Continues from a checkpoint saved by checkpoint() (same recipe and data). */
  restore(c: Checkpoint): void {
    const saved = c.extra?.['options'] as TrainOptions | undefined;
    if (saved && saved.recipe !== this.options.recipe) {
      throw new Error(`resume: the checkpoint is a '${saved.recipe}' run, this is '${this.options.recipe}'`);
    }
    this.model.loadStateDict(c.model);
    if (c.optimizer) this.optimizer.loadStateDict(c.optimizer);
    if (c.rng) defaultGenerator.setState(c.rng);
    if (c.loader) this.loader.loadStateDict(c.loader);
    // The schedule is a function of the epoch (and of options.lr, which a resumed run may change).
    this.scheduler.loadStateDict({ lastEpoch: this.loader.epoch, baseLrs: this.optimizer.paramGroups.map(() => this.options.lr) });
    this.step = c.step;
    this.history = (c.extra?.['history'] as EpochSummary[] | undefined) ?? [];
    this.curves = (c.extra?.['curves'] as CurveRow[] | undefined) ?? [];
    const acc = c.extra?.['accumulators'] as ClassifierTrainer['acc'] | undefined;
    if (acc) this.acc = { ...acc };
  }
}

/** Predicted classes of a model on images (eval mode, no graph). */
export function predict(model: Sequential, images: Tensor): Int32Array {
  model.eval();
  return noGrad(() => predictions(model.forward(images)));
}

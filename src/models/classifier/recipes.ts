/**
 * Image-classifier recipes on Fashion-MNIST, registered in the one registry (src/train):
 *   mlp: 784-256-128-10, 12 epochs of batch 128      cnn: conv16-pool-conv32-pool-128-10, 8 epochs of 64
 *   cnn-small: conv8-pool-conv16-pool-64-10, 4 epochs of 64 (alone; `distill` trains it from a teacher)
 * Both train with Adam on cross entropy, the learning rate following a cosine from lr to 0 over
 * the run (stepped per epoch), and are evaluated on the test set after every epoch.
 */
import type { Tensor } from '../../tensor/tensor.js';
import { crossEntropy } from '../../ops/index.js';
import { Adam } from '../../optim/adam.js';
import { CosineAnnealingLR } from '../../optim/lr-scheduler.js';
import { TensorDataset } from '../../data/dataset.js';
import { DataLoader, type DataLoaderState } from '../../data/dataloader.js';
import { accuracy } from '../../metrics/classification.js';
import { encodeSafetensors } from '../../io/safetensors.js';
import type { Sequential } from '../../nn/containers.js';
import { intOption, numberOption, type OptionValues } from '../../train/options.js';
import { registerRecipe, type Recipe, type RecipeRun } from '../../train/registry.js';
import { BatchStream } from '../../train/stream.js';
import { optimizeStep } from '../../train/step.js';
import { buildClassifier, type ClassifierName } from './models.js';
import { evaluate, prepareImages, takeFirst, type LabeledImages } from './evaluate.js';

/** What the classifier recipes train on: raw images in [0, 1] (normalized here) and labels. */
export interface ClassifierData {
  train: LabeledImages;
  test: LabeledImages;
}

export function classifierOptions(d: { epochs: number; batchSize: number; lr: number }) {
  return {
    epochs: intOption(d.epochs, 'passes over the training set', { min: 1, max: 100_000 }),
    batchSize: intOption(d.batchSize, 'mini-batch size', { min: 1, max: 1_000_000 }),
    lr: numberOption(d.lr, 'Adam learning rate at the start of the cosine decay', { min: 0, exclusiveMin: true }),
    seed: intOption(0, 'seed of the init and the shuffle', { max: 0xffffffff }),
    limit: intOption(0, 'use only the first n training examples (0: all)'),
  };
}
export type ClassifierSpec = ReturnType<typeof classifierOptions>;

/**
 * Soft targets for distillation (src/compress/distill.ts): the teacher's logits on the training
 * images and the loss that mixes them with the labels. Without them a classifier trains on the
 * labels alone (cross entropy).
 */
export interface SoftTargets {
  /** The frozen teacher's logits [N, C] for normalized training images [N, 1, 28, 28] (computed once). */
  teacherLogits: (images: Tensor) => Tensor;
  /** The training loss of a batch: student logits, the teacher's logits for the batch, labels. */
  loss: (studentLogits: Tensor, teacherLogits: Tensor, labels: Tensor) => Tensor;
}

/** What a compression recipe adds to a classifier's run (src/compress/recipes.ts). */
export interface ClassifierHooks {
  /** Train on soft targets from a teacher (distillation) instead of the labels alone. */
  soft?: SoftTargets;
  /** Before each step, with its epoch and batch (0-based): e.g. prune at the start of an epoch. */
  beforeStep?: (epoch: number, batch: number) => void;
  /** After each optimizer step: e.g. re-apply pruning masks. */
  afterStep?: () => void;
  /** More metrics at each evaluation (e.g. the sparsity). */
  evaluate?: () => Record<string, number>;
}

/**
 * The run of a classifier: Adam + cosine decay per epoch, test metrics per epoch. The model is
 * built by the caller right after the seed is set, so a distilled student starts from the same
 * weights and sees the same batches as the same student trained alone.
 */
export function prepareClassifierRun(
  model: Sequential,
  name: string,
  summary: string,
  o: OptionValues<ClassifierSpec>,
  data: ClassifierData,
  hooks: ClassifierHooks = {},
): RecipeRun {
  const soft = hooks.soft;
  const optimizer = new Adam(model.parameters(), { lr: o.lr });
  const scheduler = new CosineAnnealingLR(optimizer, o.epochs);
  const t = takeFirst(data.train, o.limit);
  const train = { images: prepareImages(t.images), labels: t.labels };
  const test = { images: prepareImages(data.test.images), labels: data.test.labels };
  const columns = soft ? [train.images, train.labels, soft.teacherLogits(train.images)] : [train.images, train.labels];
  const loader = new DataLoader<Tensor[], Tensor[]>(new TensorDataset(...columns), {
    batchSize: o.batchSize,
    shuffle: true,
    seed: o.seed,
  });
  const batches = new BatchStream(loader);
  const n = train.labels.shape[0]!;
  return {
    summary: `${summary}: ${model.numParameters()} parameters; ${n} training examples, ${test.labels.shape[0]} test`,
    task: {
      modules: { model },
      optimizers: { adam: optimizer },
      schedulers: { cosine: scheduler },
      stepsPerEpoch: loader.length,
      trainStep: ({ epoch, batch }) => {
        hooks.beforeStep?.(epoch, batch);
        model.train();
        const [x, y, zt] = batches.next();
        const logits = model.forward(x!);
        const loss = optimizeStep(optimizer, soft ? soft.loss(logits, zt!, y!) : crossEntropy(logits, y!));
        hooks.afterStep?.();
        const k = y!.shape[0]!;
        return { loss, examples: k, totals: { accuracy: Math.round(accuracy(logits.detach(), y!) * k) } };
      },
      evaluate: () => {
        const r = evaluate(model, test);
        return { testLoss: r.loss, testAccuracy: r.accuracy, ...hooks.evaluate?.() };
      },
      saveState: () => ({ json: batches.state() }),
      loadState: (s) => batches.load(s.json as DataLoaderState),
    },
    trainer: { epochs: o.epochs },
    artifacts: () => ({ 'model.safetensors': encodeSafetensors(model.stateDict(), { format: 'pt', recipe: name }) }),
  };
}

function classifierRecipe(
  name: ClassifierName,
  description: string,
  d: { epochs: number; batchSize: number; lr: number },
): Recipe<ClassifierSpec, ClassifierData, Sequential> {
  return {
    name,
    family: 'classifier',
    description,
    data: { id: 'fashion-mnist', description: 'Fashion-MNIST images (Debian dataset-fashion-mnist, or downloaded)' },
    options: classifierOptions(d),
    model: () => buildClassifier(name),
    prepare: (o, data) => prepareClassifierRun(buildClassifier(name), name, description, o, data),
  };
}

export const MLP_RECIPE = registerRecipe(
  classifierRecipe('mlp', 'MLP 784-256-128-10, ReLU, Adam with cosine learning-rate decay', { epochs: 12, batchSize: 128, lr: 1e-3 }),
);
export const CNN_RECIPE = registerRecipe(
  classifierRecipe('cnn', 'CNN conv3x3(16)-pool-conv3x3(32)-pool-128-10, ReLU, Adam with cosine learning-rate decay', {
    epochs: 8,
    batchSize: 64,
    lr: 1e-3,
  }),
);
export const CNN_SMALL_RECIPE = registerRecipe(
  classifierRecipe('cnn-small', 'small CNN conv3x3(8)-pool-conv3x3(16)-pool-64-10, ReLU, Adam with cosine learning-rate decay', {
    epochs: 4,
    batchSize: 64,
    lr: 3e-3,
  }),
);

/**
 * Image-classifier recipes on Fashion-MNIST, registered in the one registry (src/train):
 *   mlp: 784-256-128-10, 12 epochs of batch 128      cnn: conv16-pool-conv32-pool-128-10, 8 epochs of 64
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

function classifierOptions(d: { epochs: number; batchSize: number; lr: number }) {
  return {
    epochs: intOption(d.epochs, 'passes over the training set', { min: 1, max: 100_000 }),
    batchSize: intOption(d.batchSize, 'mini-batch size', { min: 1, max: 1_000_000 }),
    lr: numberOption(d.lr, 'Adam learning rate at the start of the cosine decay', { min: 0, exclusiveMin: true }),
    seed: intOption(0, 'seed of the init and the shuffle', { max: 0xffffffff }),
    limit: intOption(0, 'use only the first n training examples (0: all)'),
  };
}
type ClassifierSpec = ReturnType<typeof classifierOptions>;

/** The run of a classifier recipe: Adam + cosine decay per epoch, test metrics per epoch. */
function prepareClassifier(name: ClassifierName, description: string, o: OptionValues<ClassifierSpec>, data: ClassifierData): RecipeRun {
  const model: Sequential = buildClassifier(name);
  const optimizer = new Adam(model.parameters(), { lr: o.lr });
  const scheduler = new CosineAnnealingLR(optimizer, o.epochs);
  const t = takeFirst(data.train, o.limit);
  const train = { images: prepareImages(t.images), labels: t.labels };
  const test = { images: prepareImages(data.test.images), labels: data.test.labels };
  const loader = new DataLoader<Tensor[], Tensor[]>(new TensorDataset(train.images, train.labels), {
    batchSize: o.batchSize,
    shuffle: true,
    seed: o.seed,
  });
  const batches = new BatchStream(loader);
  const n = train.labels.shape[0]!;
  return {
    summary: `${description}: ${model.numParameters()} parameters; ${n} training examples, ${test.labels.shape[0]} test`,
    task: {
      modules: { model },
      optimizers: { adam: optimizer },
      schedulers: { cosine: scheduler },
      stepsPerEpoch: loader.length,
      trainStep: () => {
        model.train();
        const [x, y] = batches.next();
        const logits = model.forward(x!);
        const loss = optimizeStep(optimizer, crossEntropy(logits, y!));
        const k = y!.shape[0]!;
        return { loss, examples: k, totals: { accuracy: Math.round(accuracy(logits.detach(), y!) * k) } };
      },
      evaluate: () => {
        const r = evaluate(model, test);
        return { testLoss: r.loss, testAccuracy: r.accuracy };
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
    prepare: (o, data) => prepareClassifier(name, description, o, data),
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

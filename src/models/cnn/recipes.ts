/**
 * Fashion-MNIST recipes for the convolutional families (docs/cnn.md), adapted to 28 x 28 grey
 * images: the CIFAR-style 3x3 stem at stride 1 and three stages (28 -> 14 -> 7), or MobileNet's
 * strides moved so the maps end at 4 x 4 instead of vanishing.
 *   resnet20       ResNet-20 (option A), SGD 0.1, wd 1e-4       preact-resnet  pre-activation ResNet-20 (option B)
 *   wrn-16-4       WRN-16-4, dropout 0.3, Nesterov, wd 5e-4      pyramidnet     PyramidNet-20, additive alpha 48
 *   densenet-bc    DenseNet-BC L = 40, k = 12, batch 64          mobilenet-v1   alpha 0.5, stem stride 1
 *   mobilenet-v2   width 0.5, stem stride 1
 * All train with SGD + momentum 0.9 on cross entropy (the papers' optimiser, except MobileNet's
 * RMSprop), the learning rate following a cosine from lr to 0 over the run (stepped per epoch),
 * with augmentation on each batch: random crop 28 from the image zero-padded by 2, horizontal
 * flip, and random erasing (Zhong et al. 2020, who report it on Fashion-MNIST), drawn from the
 * loader's per-epoch generator, so a resumed run sees the same batches. Evaluated on the test set
 * after every epoch.
 */
/* eslint-disable prefer-rest-params -- constructors and builders hand their `arguments` to checkCtor (tensor/validate.ts), which also rejects arguments past the declared ones */
import type { Tensor } from '../../tensor/tensor.js';
import { checkCtor } from '../../tensor/validate.js';
import type { Module } from '../../nn/module.js';
import { crossEntropy } from '../../ops/loss/crossEntropy.js';
import { SGD } from '../../optim/sgd.js';
import { CosineAnnealingLR } from '../../optim/lr-scheduler.js';
import { TensorDataset } from '../../data/dataset.js';
import { DataLoader, type DataLoaderState } from '../../data/dataloader.js';
import { compose, normalize, randomCrop, randomErasing, randomHorizontalFlip, type Transform } from '../../data/transforms.js';
import { accuracy } from '../../metrics/classification.js';
import { encodeSafetensors } from '../../io/safetensors.js';
import { booleanOption, choiceOption, intOption, numberOption, type OptionsSpec, type OptionValues } from '../../train/options.js';
import { registerRecipe, type Recipe, type RecipeRun } from '../../train/registry.js';
import { BatchStream } from '../../train/stream.js';
import { optimizeStep } from '../../train/step.js';
import { evaluate, prepareImages, takeFirst, FASHION_MEAN, FASHION_STD } from '../classifier/evaluate.js';
import type { ClassifierData } from '../classifier/recipes.js';
import { cifarResnet, wideResnet } from '../resnet/resnet.js';
import { pyramidNet } from '../resnet/pyramidnet.js';
import { densenetBC } from '../densenet/densenet.js';
import { mobilenetV1 } from '../mobilenet/mobilenet-v1.js';
import { mobilenetV2 } from '../mobilenet/mobilenet-v2.js';

interface TrainingDefaults {
  epochs: number;
  batchSize: number;
  lr: number;
  weightDecay: number;
  nesterov: boolean;
}

function trainingOptions(d: TrainingDefaults) {
  return {
    epochs: intOption(d.epochs, 'passes over the training set', { min: 1, max: 100_000 }),
    batchSize: intOption(d.batchSize, 'mini-batch size', { min: 1, max: 1_000_000 }),
    lr: numberOption(d.lr, 'SGD learning rate at the start of the cosine decay', { min: 0, exclusiveMin: true }),
    momentum: numberOption(0.9, 'SGD momentum', { min: 0, max: 1 }),
    weightDecay: numberOption(d.weightDecay, 'L2 weight decay', { min: 0 }),
    nesterov: booleanOption(d.nesterov, 'Nesterov momentum'),
    augment: choiceOption(['none', 'crop-flip', 'crop-flip-erase'] as const, 'crop-flip-erase', 'augmentation of each training batch'),
    seed: intOption(0, 'seed of the init, the shuffle and the augmentation', { max: 0xffffffff }),
    limit: intOption(0, 'use only the first n training examples (0: all)'),
    testLimit: intOption(0, 'evaluate on the first n test examples only (0: all 10,000), for quick checks'),
  };
}
type TrainingSpec = ReturnType<typeof trainingOptions>;

/** The batch augmentation: pad-2 random crop and flip on pixels in [0, 1], then normalize, then random erasing (to the mean, 0). */
export function fashionAugmentation(kind: 'none' | 'crop-flip' | 'crop-flip-erase'): Transform {
  checkCtor('fashionAugmentation', [['kind', ['none', 'crop-flip', 'crop-flip-erase']]], arguments);
  const steps: Transform[] = [];
  if (kind !== 'none') steps.push(randomCrop(28, { padding: 2 }), randomHorizontalFlip(0.5));
  steps.push(normalize(FASHION_MEAN, FASHION_STD));
  if (kind === 'crop-flip-erase') steps.push(randomErasing({ p: 0.5 }));
  return compose(...steps);
}

interface CnnRecipeDef<M extends OptionsSpec> {
  name: string;
  description: string;
  training: TrainingDefaults;
  modelOptions: M;
  build: (o: OptionValues<M>) => Module;
}

function prepareCnn<M extends OptionsSpec>(def: CnnRecipeDef<M>, all: OptionValues<TrainingSpec & M>, data: ClassifierData): RecipeRun {
  const model = def.build(all);
  const o = all as unknown as OptionValues<TrainingSpec>;
  const optimizer = new SGD(model.parameters(), { lr: o.lr, momentum: o.momentum, weightDecay: o.weightDecay, nesterov: o.nesterov });
  const scheduler = new CosineAnnealingLR(optimizer, o.epochs);
  const train = takeFirst(data.train, o.limit);
  const t = takeFirst(data.test, o.testLimit);
  const test = { images: prepareImages(t.images), labels: t.labels };
  const augment = fashionAugmentation(o.augment);
  const loader = new DataLoader<Tensor[], Tensor[]>(new TensorDataset(train.images, train.labels), {
    batchSize: o.batchSize,
    shuffle: true,
    seed: o.seed,
    batchTransform: ([x, y], g) => [augment(x!, g), y!],
  });
  const batches = new BatchStream(loader);
  const n = train.labels.shape[0]!;
  return {
    summary: `${def.description}: ${model.numParameters()} parameters; ${n} training examples, ${test.labels.shape[0]} test; augmentation ${o.augment}`,
    task: {
      modules: { model },
      optimizers: { sgd: optimizer },
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
        const r = evaluate(model, test, 500);
        return { testLoss: r.loss, testAccuracy: r.accuracy };
      },
      saveState: () => ({ json: batches.state() }),
      loadState: (s) => batches.load(s.json as DataLoaderState),
    },
    trainer: { epochs: o.epochs },
    artifacts: () => ({ 'model.safetensors': encodeSafetensors(model.stateDict(), { format: 'pt', recipe: def.name }) }),
  };
}

function cnnRecipe<M extends OptionsSpec>(def: CnnRecipeDef<M>): Recipe<TrainingSpec & M, ClassifierData, Module> {
  return {
    name: def.name,
    family: 'cnn',
    description: def.description,
    data: { id: 'fashion-mnist', description: 'Fashion-MNIST images (Debian dataset-fashion-mnist, or downloaded)' },
    options: { ...trainingOptions(def.training), ...def.modelOptions },
    model: (o) => def.build(o),
    prepare: (o, data) => prepareCnn(def, o, data),
  };
}

const grey = { inChannels: 1, numClasses: 10 } as const;

export const RESNET20_RECIPE = registerRecipe(
  cnnRecipe({
    name: 'resnet20',
    description: 'ResNet-20 (He et al. 2016, CIFAR layout, option A shortcuts), SGD, cosine decay, crop/flip/erase augmentation',
    training: { epochs: 30, batchSize: 128, lr: 0.1, weightDecay: 1e-4, nesterov: false },
    modelOptions: {
      depth: intOption(20, 'depth 6n + 2', { min: 8, max: 1202 }),
      shortcut: choiceOption(['A', 'B'] as const, 'A', "shortcut where the size changes: 'A' zero-padded identity, 'B' projection"),
    },
    build: (o) => cifarResnet(o.depth, { ...grey, shortcut: o.shortcut }),
  }),
);

export const PREACT_RESNET_RECIPE = registerRecipe(
  cnnRecipe({
    name: 'preact-resnet',
    description: 'pre-activation ResNet-20 (He et al. 2016b), projection shortcuts, SGD, cosine decay, crop/flip/erase augmentation',
    training: { epochs: 30, batchSize: 128, lr: 0.1, weightDecay: 1e-4, nesterov: false },
    modelOptions: { depth: intOption(20, 'depth 6n + 2', { min: 8, max: 1202 }) },
    build: (o) => cifarResnet(o.depth, { ...grey, preActivation: true, shortcut: 'B' }),
  }),
);

export const WRN_RECIPE = registerRecipe(
  cnnRecipe({
    name: 'wrn-16-4',
    description: 'WRN-16-4 (Zagoruyko & Komodakis 2016), dropout 0.3, SGD (Nesterov), cosine decay, crop/flip/erase augmentation',
    training: { epochs: 20, batchSize: 128, lr: 0.1, weightDecay: 5e-4, nesterov: true },
    modelOptions: {
      depth: intOption(16, 'depth 6n + 4', { min: 10, max: 1000 }),
      widen: intOption(4, 'widening factor k', { min: 1, max: 64 }),
      dropRate: numberOption(0.3, 'dropout between the convolutions', { min: 0, max: 0.99 }),
    },
    build: (o) => wideResnet(o.depth, o.widen, { ...grey, dropRate: o.dropRate }),
  }),
);

export const PYRAMIDNET_RECIPE = registerRecipe(
  cnnRecipe({
    name: 'pyramidnet',
    description: 'PyramidNet-20, additive alpha 48 (Han et al. 2017), SGD (Nesterov), cosine decay, crop/flip/erase augmentation',
    training: { epochs: 30, batchSize: 128, lr: 0.1, weightDecay: 1e-4, nesterov: true },
    modelOptions: {
      depth: intOption(20, 'depth 6n + 2', { min: 8, max: 1202 }),
      alpha: intOption(48, 'additive widening factor alpha (the last block has 16 + alpha channels)', { min: 0, max: 1000 }),
    },
    build: (o) => pyramidNet(o.depth, o.alpha, grey),
  }),
);

export const DENSENET_BC_RECIPE = registerRecipe(
  cnnRecipe({
    name: 'densenet-bc',
    description: 'DenseNet-BC L = 40, k = 12 (Huang et al. 2017), SGD (Nesterov), cosine decay, batch 64, crop/flip/erase augmentation',
    training: { epochs: 20, batchSize: 64, lr: 0.1, weightDecay: 1e-4, nesterov: true },
    modelOptions: {
      depth: intOption(40, 'depth 6n + 4', { min: 10, max: 1000 }),
      growth: intOption(12, 'growth rate k', { min: 1, max: 256 }),
    },
    build: (o) => densenetBC(o.depth, o.growth, grey),
  }),
);

export const MOBILENET_V1_RECIPE = registerRecipe(
  cnnRecipe({
    name: 'mobilenet-v1',
    description: 'MobileNet v1 alpha 0.5 (Howard et al. 2017), stem stride 1, SGD, cosine decay, crop/flip/erase augmentation',
    training: { epochs: 30, batchSize: 128, lr: 0.1, weightDecay: 4e-5, nesterov: false },
    modelOptions: { alpha: numberOption(0.5, 'width multiplier alpha', { min: 0, max: 4, exclusiveMin: true }) },
    // 28 -> 28 (stem) -> 14 -> 7 -> 4: Table 1's stride-2 blocks 2 and 4 kept, 6 moved to stride 1.
    build: (o) => mobilenetV1({ ...grey, alpha: o.alpha, stemStride: 1, strides: [1, 2, 1, 2, 1, 1, 1, 1, 1, 1, 1, 2, 1] }),
  }),
);

export const MOBILENET_V2_RECIPE = registerRecipe(
  cnnRecipe({
    name: 'mobilenet-v2',
    description: 'MobileNet v2 width 0.5 (Sandler et al. 2018), stem stride 1, SGD, cosine decay, crop/flip/erase augmentation',
    training: { epochs: 30, batchSize: 128, lr: 0.1, weightDecay: 4e-5, nesterov: false },
    modelOptions: { widthMult: numberOption(0.5, 'width multiplier', { min: 0, max: 4, exclusiveMin: true }) },
    // Table 2 with the stem and the 24-channel stage at stride 1: 28 -> 28 -> 28 -> 14 -> 7 -> 7 -> 4.
    build: (o) =>
      mobilenetV2({
        ...grey,
        widthMult: o.widthMult,
        stemStride: 1,
        invertedResidualSetting: [
          [1, 16, 1, 1],
          [6, 24, 2, 1],
          [6, 32, 3, 2],
          [6, 64, 4, 2],
          [6, 96, 3, 1],
          [6, 160, 3, 2],
          [6, 320, 1, 1],
        ],
      }),
  }),
);

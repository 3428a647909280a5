/**
 * Fashion-MNIST classifiers, as recipes: a model builder plus the training settings that go with it.
 *   mlp: 784-256-128-10 with ReLU (the Fashion-MNIST benchmark's MLP, 256-128-100, in spirit)
 *   cnn: two 3x3 conv + ReLU + 2x2 max-pool stages (16 and 32 channels), then 1568-128-10
 * Both train with Adam on cross entropy, the learning rate decaying along a cosine to 0 over the run.
 * Inputs are images [N, 1, 28, 28] normalized with the training set's mean and std.
 */
import { Sequential, Flatten, Linear, ReLU, Conv2d, MaxPool2d } from '../../nn/index.js';

export type RecipeName = 'mlp' | 'cnn';

export interface RecipeDefaults {
  epochs: number;
  batchSize: number;
  lr: number;
}

export interface Recipe {
  name: RecipeName;
  description: string;
  defaults: RecipeDefaults;
  build(): Sequential;
}

/** Mean and standard deviation of the Fashion-MNIST training pixels (in [0, 1]). */
export const FASHION_MEAN = 0.2860;
export const FASHION_STD = 0.3530;

export const RECIPES: Record<RecipeName, Recipe> = {
  mlp: {
    name: 'mlp',
    description: 'MLP 784-256-128-10, ReLU, Adam with cosine learning-rate decay',
    defaults: { epochs: 12, batchSize: 128, lr: 1e-3 },
    build: () => new Sequential(new Flatten(), new Linear(784, 256), new ReLU(), new Linear(256, 128), new ReLU(), new Linear(128, 10)),
  },
  cnn: {
    name: 'cnn',
    description: 'CNN conv3x3(16)-pool-conv3x3(32)-pool-128-10, ReLU, Adam with cosine learning-rate decay',
    defaults: { epochs: 8, batchSize: 64, lr: 1e-3 },
    build: () =>
      new Sequential(
        new Conv2d(1, 16, 3, { padding: 1 }),
        new ReLU(),
        new MaxPool2d(2),
        new Conv2d(16, 32, 3, { padding: 1 }),
        new ReLU(),
        new MaxPool2d(2),
        new Flatten(),
        new Linear(32 * 7 * 7, 128),
        new ReLU(),
        new Linear(128, 10),
      ),
  },
};

export function getRecipe(name: string): Recipe {
  const r = RECIPES[name as RecipeName];
  if (!r) throw new Error(`unknown recipe '${name}': expected one of ${Object.keys(RECIPES).join(', ')}`);
  return r;
}

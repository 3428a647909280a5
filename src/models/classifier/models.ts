/**
 * The image classifiers of the zoo, for 28x28 grey images (Fashion-MNIST) and 10 classes:
 *   mlp: 784-256-128-10 with ReLU (the Fashion-MNIST benchmark's MLP, 256-128-100, in spirit)
 *   cnn: two 3x3 conv + ReLU + 2x2 max-pool stages (16 and 32 channels), then 1568-128-10
 *   cnn-small: the same shape with half the channels (8 and 16), then 784-64-10: 4x fewer
 *     parameters, the distillation student (src/compress/distill.ts); also the shape that L1
 *     channel pruning of the cnn by half gives (src/compress/prune.ts)
 * Inputs are images [N, 1, 28, 28]; outputs are logits [N, 10]. Keys follow nn.Sequential's
 * numbering ('0.weight', ...), as torch.nn.Sequential names them.
 */
import { Sequential, Flatten, Linear, ReLU, Conv2d, MaxPool2d } from '../../nn/index.js';

export type ClassifierName = 'mlp' | 'cnn' | 'cnn-small';

/** MLP 784-256-128-10 with ReLU. */
export function mlp(): Sequential {
  return new Sequential(new Flatten(), new Linear(784, 256), new ReLU(), new Linear(256, 128), new ReLU(), new Linear(128, 10));
}

/** CNN conv3x3(16)-pool-conv3x3(32)-pool-128-10 with ReLU. */
export function cnn(): Sequential {
  return new Sequential(
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
  );
}

/** CNN conv3x3(8)-pool-conv3x3(16)-pool-64-10 with ReLU: 52,138 parameters, the distillation student. */
export function cnnSmall(): Sequential {
  return new Sequential(
    new Conv2d(1, 8, 3, { padding: 1 }),
    new ReLU(),
    new MaxPool2d(2),
    new Conv2d(8, 16, 3, { padding: 1 }),
    new ReLU(),
    new MaxPool2d(2),
    new Flatten(),
    new Linear(16 * 7 * 7, 64),
    new ReLU(),
    new Linear(64, 10),
  );
}

/** The classifier of that name. */
export function buildClassifier(name: ClassifierName): Sequential {
  if (name === 'mlp') return mlp();
  if (name === 'cnn') return cnn();
  if (name === 'cnn-small') return cnnSmall();
  throw new Error(`buildClassifier: name must be 'mlp', 'cnn' or 'cnn-small', got ${String(name)}`);
}

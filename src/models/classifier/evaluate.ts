/** Evaluating and feeding the image classifiers: normalization, subsets, accuracy and confusion. */
import { Tensor } from '../../tensor/tensor.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { crossEntropy } from '../../ops/index.js';
import type { Module } from '../../nn/module.js';
import { gatherRows } from '../../data/dataset.js';
import { normalize } from '../../data/transforms.js';
import { accuracy, addConfusion, confusionMatrix, predictions } from '../../metrics/classification.js';

/** Mean and standard deviation of the Fashion-MNIST training pixels (in [0, 1]). */
export const FASHION_MEAN = 0.286;
export const FASHION_STD = 0.353;

export interface LabeledImages {
  /** float32 [N, 1, 28, 28]. */
  images: Tensor;
  /** int32 [N]. */
  labels: Tensor;
}

export interface EvalResult {
  loss: number;
  accuracy: number;
  /** [10, 10] int32, rows are the true class. */
  confusion: Tensor<'int32'>;
}

/** Mean cross entropy, accuracy and confusion matrix of a model on a labeled set, in eval mode. */
export function evaluate(model: Module<[Tensor], Tensor>, data: LabeledImages, batchSize = 1000): EvalResult {
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

/** The first `limit` examples of a set (all of them when limit is undefined or 0). */
export function takeFirst(data: LabeledImages, limit?: number): LabeledImages {
  const n = data.labels.shape[0]!;
  if (limit === undefined || limit === 0 || limit >= n) return data;
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`takeFirst: limit must be a positive integer, got ${limit}`);
  const idx = Array.from({ length: limit }, (_, i) => i);
  return { images: gatherRows(data.images, idx), labels: gatherRows(data.labels, idx) };
}

/** Predicted classes of a model on images (eval mode, no graph). */
export function predict(model: Module<[Tensor], Tensor>, images: Tensor): Int32Array {
  model.eval();
  return noGrad(() => predictions(model.forward(images)));
}

/**
 * Sample quality of a generator on Fashion-MNIST, measured with a classifier trained by this
 * project (the `cnn` recipe's network, src/models/classifier):
 *  - a Frechet distance (src/metrics/frechet.ts) between the Gaussians fitted to the classifier's
 *    penultimate activations (the 128 ReLU units before its last linear layer) on the samples
 *    and on the real test images: the "FID" of Heusel et al. (2017) with a Fashion-MNIST
 *    classifier in place of Inception, so its values are not comparable with Inception FIDs;
 *  - class coverage: the classifier's label histogram over the samples, as fractions (a
 *    generator that collapsed onto a few modes leaves classes near 0).
 * One extractor serves every generator (ours and scripts/dcgan_torch.py's samples), so the
 * distances are comparable with each other.
 */
import { Tensor } from '../../tensor/tensor.js';
import { randn } from '../../tensor/creation.js';
import { Generator } from '../../tensor/random.js';
import { fmtShape } from '../../tensor/shape.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { add, cat, mul } from '../../ops/index.js';
import { gatherRows } from '../../data/dataset.js';
import type { Sequential } from '../../nn/containers.js';
import { predictions } from '../../metrics/classification.js';
import { featureStatistics, frechetDistance, type FeatureStatistics } from '../../metrics/frechet.js';
import { prepareImages } from '../classifier/evaluate.js';
import { checkRest, checkTensor, describe } from '../../tensor/validate.js';
import { rejectUnknownKeys } from '../../train/options.js';
import type { GanGenerator } from './models.js';
import { generate } from './recipes.js';

/** Fashion-MNIST's ten classes (T-shirt/top ... ankle boot). */
const FASHION_CLASSES = 10;

/** The classifier's penultimate activations and predicted labels for a batch of images. */
export interface ClassifierFeatures {
  /** [N, d] float32, d the width of the layer before the classifier's last (128 for `cnn`). */
  features: Tensor;
  /** argmax of the logits, one class per image. */
  labels: Int32Array;
}

function checkImages(who: string, images: unknown): asserts images is Tensor {
  checkTensor(who, images, 'argument 2 (images)');
  if (images.ndim !== 4 || images.shape[1] !== 1 || images.shape[2] !== 28 || images.shape[3] !== 28 || images.shape[0] === 0)
    throw new Error(`${who}: images must be [N, 1, 28, 28] with N > 0, got shape ${fmtShape(images.shape)}`);
}

/**
 * Penultimate features and labels of `classifier` (a Sequential whose last layer gives the
 * logits, e.g. classifier.cnn()) for images [N, 1, 28, 28] with pixels in [0, 1]; normalized as
 * the classifier recipes train (prepareImages), run in eval mode in batches of 500.
 * @example const { features, labels } = classifierFeatures(cnn, testImages);
 */
export function classifierFeatures(classifier: Sequential, images: Tensor, ...extra: never[]): ClassifierFeatures {
  const who = 'classifierFeatures';
  if (!classifier || typeof classifier.at !== 'function' || classifier.length < 2)
    throw new TypeError(`${who}: argument 1 (classifier) must be a Sequential of at least two layers, got ${describe(classifier)}`);
  checkImages(who, images);
  checkRest(who, extra, 2, 'classifierFeatures(classifier, images [N, 1, 28, 28] in [0, 1])');
  const wasTraining = classifier.training;
  classifier.eval();
  const n = images.shape[0]!;
  const chunks: Tensor[] = [];
  const labels = new Int32Array(n);
  const last = classifier.at(-1);
  try {
    noGrad(() => {
      for (let at = 0; at < n; at += 500) {
        const idx = Array.from({ length: Math.min(500, n - at) }, (_, i) => at + i);
        let h = prepareImages(gatherRows(images, idx));
        for (let i = 0; i < classifier.length - 1; i++) h = classifier.at(i).forward(h) as Tensor;
        chunks.push(h.contiguous());
        labels.set(predictions(last.forward(h) as Tensor), at);
      }
    });
  } finally {
    classifier.train(wasTraining);
  }
  return { features: chunks.length === 1 ? chunks[0]! : cat(chunks, 0), labels };
}

/** Fractions of the labels in each of `numClasses` classes (they sum to 1). */
export function classCoverage(labels: Int32Array, numClasses: number, ...extra: never[]): number[] {
  if (!(labels instanceof Int32Array) || labels.length === 0)
    throw new TypeError(`classCoverage: argument 1 (labels) must be a non-empty Int32Array, got ${describe(labels)}`);
  if (!Number.isInteger(numClasses) || numClasses < 1)
    throw new TypeError(`classCoverage: argument 2 (numClasses) must be a positive integer, got ${describe(numClasses)}`);
  checkRest('classCoverage', extra, 2, 'classCoverage(labels, numClasses)');
  const counts = new Array<number>(numClasses).fill(0);
  for (const l of labels) {
    if (l < 0 || l >= numClasses) throw new Error(`classCoverage: label ${l} is outside [0, ${numClasses})`);
    counts[l]!++;
  }
  return counts.map((c) => c / labels.length);
}

/** Frechet distance and class coverage of a set of samples against real images. */
export interface SampleQuality {
  /** Frechet distance between the samples' and the real images' feature Gaussians. */
  fid: number;
  /** Fraction of the samples the classifier puts in each class. */
  coverage: number[];
  /** The smallest entry of coverage. */
  minCoverage: number;
  samples: number;
}

/**
 * The quality of `samples` (G's output, pixels in [-1, 1], [N, 1, 28, 28]) against the real
 * images' feature statistics (`realStatistics`: featureStatistics of classifierFeatures on the
 * test set, computed once and shared between generators).
 * @example sampleQuality(cnn, samples, featureStatistics(classifierFeatures(cnn, test.images).features))
 */
export function sampleQuality(
  classifier: Sequential,
  samples: Tensor,
  realStatistics: FeatureStatistics,
  ...extra: never[]
): SampleQuality {
  checkImages('sampleQuality', samples);
  checkRest('sampleQuality', extra, 3, 'sampleQuality(classifier, samples [N, 1, 28, 28] in [-1, 1], realStatistics)');
  if (realStatistics === null || typeof realStatistics !== 'object' || !(realStatistics.mean instanceof Float64Array))
    throw new TypeError(
      `sampleQuality: argument 3 (realStatistics) must be featureStatistics(...) of the real images' features, got ${describe(realStatistics)}`,
    );
  // G's range [-1, 1] back to pixels in [0, 1]: x = (s + 1) / 2.
  const f = classifierFeatures(
    classifier,
    noGrad(() => mul(add(samples, 1), 0.5)),
  );
  const fid = frechetDistance(featureStatistics(f.features), realStatistics);
  const coverage = classCoverage(f.labels, FASHION_CLASSES);
  return { fid, coverage, minCoverage: Math.min(...coverage), samples: samples.shape[0]! };
}

export interface SampleGeneratorOptions {
  /** Images to draw (default 10,000). */
  count?: number;
  /** Seed of the latents z ~ N(0, I) (default 0); its own generator, the global one is untouched. */
  seed?: number;
}

/** `count` images of G in eval mode from seeded latents, in batches of 1000: [count, 1, 28, 28] in [-1, 1]. */
export function sampleGenerator(g: GanGenerator, opts: SampleGeneratorOptions = {}, ...extra: never[]): Tensor {
  rejectUnknownKeys('sampleGenerator', opts, ['count', 'seed']);
  checkRest('sampleGenerator', extra, 2, 'sampleGenerator(generator, {count, seed})');
  const count = opts.count ?? 10_000;
  const seed = opts.seed ?? 0;
  if (!Number.isInteger(count) || count < 1)
    throw new TypeError(`sampleGenerator: option 'count' must be a positive integer, got ${describe(count)}`);
  if (!Number.isInteger(seed) || seed < 0)
    throw new TypeError(`sampleGenerator: option 'seed' must be an integer >= 0, got ${describe(seed)}`);
  const rng = new Generator(seed);
  const parts: Tensor[] = [];
  for (let at = 0; at < count; at += 1000) parts.push(generate(g, randn([Math.min(1000, count - at), g.latent], { generator: rng })));
  return parts.length === 1 ? parts[0]! : cat(parts, 0);
}

/**
 * Quantizing a trained image-classifier run (`shinsou quantize RUN`): rebuild the recipe's network
 * from the run's metrics.json, load model.safetensors, calibrate on the first N training images
 * (optionally fine-tune with quantization-aware training through the one training loop), and
 * write the int8 model beside half-precision copies of the float weights, with a report of test
 * accuracy, file sizes and single-batch latency of float32 and int8.
 */
import { join } from 'node:path';
import { Tensor } from '../tensor/tensor.js';
import { noGrad } from '../autograd/grad-mode.js';
import { decodeSafetensors, encodeSafetensors } from '../io/safetensors.js';
import type { Module } from '../nn/module.js';
import { crossEntropy } from '../ops/index.js';
import { Adam } from '../optim/adam.js';
import { TensorDataset } from '../data/dataset.js';
import { DataLoader } from '../data/dataloader.js';
import { Trainer } from '../train/trainer.js';
import { BatchStream } from '../train/stream.js';
import { optimizeStep } from '../train/step.js';
import { getRecipe, recipeOptions } from '../train/registry.js';
import { prepareImages } from '../models/classifier/evaluate.js';
import '../models/index.js'; // registers the recipes whose networks loadRunModel rebuilds
import type { ClassifierData } from '../models/classifier/recipes.js';
import { quantizeModel, encodeQuantized, type QuantizedModel, type QuantizeOptions } from '../compress/qmodel.js';
import { QatModel } from '../compress/qat.js';
import { checkOptions } from '../tensor/validate.js';
import { readFileLimited, readTextFileLimited, writeFileAtomic } from './files.js';
import { loadRecipeData } from './recipe-data.js';

export interface QuantizeRunOptions extends Omit<QuantizeOptions, 'batchSize'> {
  /** Calibration images, the first of the training set (default 1000). */
  calib?: number;
  /** Epochs of quantization-aware training before converting (default 0: post-training only). */
  qatEpochs?: number;
  /** QAT learning rate (Adam; default 1e-4). */
  qatLr?: number;
  /** QAT: training images used (default 0: all). */
  qatLimit?: number;
  /** Output file of the int8 model (default RUN/model-int8.safetensors). */
  out?: string;
  /** Test images evaluated (default 0: all 10,000). */
  testLimit?: number;
  dataDir?: string;
  log?: (line: string) => void;
}

export interface QuantizeRunReport {
  recipe: string;
  method: string;
  qatEpochs: number;
  floatAccuracy: number;
  int8Accuracy: number;
  bytes: { float32: number; float16: number; bfloat16: number; int8: number };
  /** Median milliseconds for one batch of 64 test images, on the threads in use. */
  latencyMs: { float32: number; int8: number; batch: number };
  files: { int8: string; float16: string; bfloat16: string };
}

const SPEC = {
  method: ['minmax', 'percentile', 'mse'],
  percentile: 'number',
  perChannel: 'boolean',
  activationRange: ['reduced', 'full'],
  calib: 'positiveInt',
  qatEpochs: 'nonNegativeInt',
  qatLr: 'number',
  qatLimit: 'nonNegativeInt',
  out: 'string',
  testLimit: 'nonNegativeInt',
  dataDir: 'string',
  log: 'function',
} as const;

/** Top-1 accuracy of a forward function over images [N, ...] and int32 labels, in batches of 500. */
export function classifierAccuracy(forward: (x: Tensor) => Tensor, images: Tensor, labels: Tensor): number {
  const n = labels.shape[0]!;
  const y = labels.data;
  let correct = 0;
  noGrad(() => {
    for (let s = 0; s < n; s += 500) {
      const k = Math.min(500, n - s);
      const out = forward(images.narrow(0, s, k)).contiguous().data;
      const c = out.length / k;
      for (let i = 0; i < k; i++) {
        let best = 0;
        for (let j = 1; j < c; j++) if (out[i * c + j]! > out[i * c + best]!) best = j;
        if (best === y[s + i]) correct++;
      }
    }
  });
  return correct / n;
}

/** Median wall time in ms of `f` over `reps` calls after one warm-up call. */
export function medianMs(f: () => unknown, reps: number): number {
  f();
  const t: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    f();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(reps / 2)]!;
}

/** The trained network of a run folder (metrics.json names the recipe and its options). */
export function loadRunModel(run: string): { model: Module; recipe: string } {
  const metrics = JSON.parse(readTextFileLimited(join(run, 'metrics.json'), 64 << 20, 'metrics.json')) as {
    recipe?: string;
    options?: Record<string, unknown>;
  };
  if (typeof metrics.recipe !== 'string') throw new Error(`quantizeRun: ${join(run, 'metrics.json')} names no recipe`);
  const recipe = getRecipe(metrics.recipe);
  if (recipe.data.id !== 'fashion-mnist') {
    throw new Error(
      `quantizeRun: recipe '${recipe.name}' trains on '${recipe.data.id}'; quantization runs image classifiers on Fashion-MNIST`,
    );
  }
  const model = recipe.model(recipeOptions(recipe, metrics.options ?? {}) as never, null) as Module;
  const file = join(run, 'model.safetensors');
  const { tensors } = decodeSafetensors(readFileLimited(file, 1 << 30, 'model.safetensors'), file);
  model.loadStateDict(tensors);
  model.eval();
  return { model, recipe: recipe.name };
}

function qatFineTune(
  model: Module,
  data: ClassifierData,
  o: { epochs: number; lr: number; limit: number; calib: Tensor; qo: QuantizeRunOptions },
): Promise<QuantizedModel> {
  const qat = new QatModel(model, {
    ...(o.qo.perChannel !== undefined ? { perChannel: o.qo.perChannel } : {}),
    ...(o.qo.activationRange ? { activationRange: o.qo.activationRange } : {}),
  });
  const n = o.limit > 0 ? Math.min(o.limit, data.train.labels.shape[0]!) : data.train.labels.shape[0]!;
  const images = prepareImages(data.train.images.narrow(0, 0, n));
  const loader = new DataLoader<Tensor[], Tensor[]>(new TensorDataset(images, data.train.labels.narrow(0, 0, n)), {
    batchSize: 64,
    shuffle: true,
    seed: 0,
  });
  const batches = new BatchStream(loader);
  const adam = new Adam(qat.parameters(), { lr: o.lr });
  // Ranges start from the calibration images, then follow the training batches.
  qat.eval();
  noGrad(() => qat.forward(o.calib));
  const trainer = new Trainer(
    {
      modules: { qat },
      optimizers: { adam },
      stepsPerEpoch: loader.length,
      trainStep: () => {
        qat.train();
        const [x, y] = batches.next();
        const loss = optimizeStep(adam, crossEntropy(qat.forward(x!), y!));
        return { loss, examples: y!.shape[0]! };
      },
    },
    { epochs: o.epochs },
  );
  return trainer.fit().then(() => {
    qat.eval();
    return qat.toQuantized();
  });
}

/**
 * Quantizes the trained run in folder `run` (see the file header) and writes the int8 model,
 * model-f16.safetensors and model-bf16.safetensors; returns the measured report.
 * @example const r = await quantizeRun('runs/cnn', { calib: 1000, method: 'mse' }); r.int8Accuracy
 */
export async function quantizeRun(run: string, opts: QuantizeRunOptions = {}): Promise<QuantizeRunReport> {
  if (typeof run !== 'string') throw new TypeError(`quantizeRun: argument 1 (run) must be a run folder path, got ${typeof run}`);
  const o = checkOptions<QuantizeRunOptions>('quantizeRun', 2, opts, SPEC);
  const log = o.log ?? (() => {});
  const { model, recipe } = loadRunModel(run);
  const data = (await loadRecipeData('fashion-mnist', {
    ...(o.dataDir !== undefined ? { dataDir: o.dataDir } : {}),
    log,
  })) as ClassifierData;
  const calibN = Math.min(o.calib ?? 1000, data.train.labels.shape[0]!);
  const calib = prepareImages(data.train.images.narrow(0, 0, calibN));
  const testN = o.testLimit ? Math.min(o.testLimit, data.test.labels.shape[0]!) : data.test.labels.shape[0]!;
  const test = { images: prepareImages(data.test.images.narrow(0, 0, testN)), labels: data.test.labels.narrow(0, 0, testN) };
  const qo: QuantizeOptions = {
    ...(o.method ? { method: o.method } : {}),
    ...(o.percentile !== undefined ? { percentile: o.percentile } : {}),
    ...(o.perChannel !== undefined ? { perChannel: o.perChannel } : {}),
    ...(o.activationRange ? { activationRange: o.activationRange } : {}),
  };
  const qatEpochs = o.qatEpochs ?? 0;
  log(
    `quantize: ${recipe} from ${run}; calibration on ${calibN} training images (${o.method ?? 'minmax'})${qatEpochs ? `, then ${qatEpochs} QAT epoch(s)` : ''}`,
  );
  const qm =
    qatEpochs > 0
      ? await qatFineTune(model, data, { epochs: qatEpochs, lr: o.qatLr ?? 1e-4, limit: o.qatLimit ?? 0, calib, qo: o })
      : quantizeModel(model, calib, qo);
  const floatAccuracy = classifierAccuracy((x) => model.forward(x), test.images, test.labels);
  const int8Accuracy = classifierAccuracy((x) => qm.forward(x), test.images, test.labels);
  const sd = model.stateDict();
  const files = {
    int8: o.out ?? join(run, 'model-int8.safetensors'),
    float16: join(run, 'model-f16.safetensors'),
    bfloat16: join(run, 'model-bf16.safetensors'),
  };
  const int8Bytes = encodeQuantized(qm, { recipe });
  const f16 = encodeSafetensors(sd, { format: 'pt', recipe }, { floats: 'F16' });
  const bf16 = encodeSafetensors(sd, { format: 'pt', recipe }, { floats: 'BF16' });
  writeFileAtomic(files.int8, int8Bytes);
  writeFileAtomic(files.float16, f16);
  writeFileAtomic(files.bfloat16, bf16);
  const batch = 64;
  const x = test.images.narrow(0, 0, Math.min(batch, testN)).contiguous();
  const latencyMs = {
    float32: noGrad(() => medianMs(() => model.forward(x), 15)),
    int8: medianMs(() => qm.forward(x), 15),
    batch: x.shape[0]!,
  };
  return {
    recipe,
    method: qatEpochs > 0 ? 'qat' : (o.method ?? 'minmax'),
    qatEpochs,
    floatAccuracy,
    int8Accuracy,
    bytes: { float32: encodeSafetensors(sd).length, float16: f16.length, bfloat16: bf16.length, int8: int8Bytes.length },
    latencyMs,
    files,
  };
}

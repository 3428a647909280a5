/**
 * Compression recipes on Fashion-MNIST, in the one registry (src/train), each starting from a
 * trained run (read by the Node data loaders, src/node/recipe-data.ts):
 *   distill  a student classifier (default cnn-small) trained on the distillation loss against the
 *            frozen teacher of --teacher RUN; with --alpha 0 it is the student trained alone, step
 *            for step (same init, same batches)
 *   prune    iterative global magnitude pruning of --model RUN with fine-tuning: each epoch prunes
 *            to the next sparsity of the schedule, then fine-tunes with the masks held
 * Both train with Adam and a cosine learning-rate decay, like the classifier recipes.
 */
import type { Tensor } from '../tensor/tensor.js';
import { zerosLike } from '../tensor/creation.js';
import { noGrad } from '../autograd/grad-mode.js';
import { cat } from '../ops/index.js';
import { Module } from '../nn/module.js';
import { checkArg, checkRest, checkTensor, describe } from '../tensor/validate.js';
import { gatherRows } from '../data/dataset.js';
import { choiceOption, numberOption, stringOption, type OptionValues } from '../train/options.js';
import { Sequential } from '../nn/containers.js';
import { evaluate, prepareImages } from '../models/classifier/evaluate.js';
import { registerRecipe } from '../train/registry.js';
import { buildClassifier, classifierOptions, prepareClassifierRun, type ClassifierData } from '../models/classifier/index.js';
import { distillationLoss } from './distill.js';
import { addMasks, applyMasks, channelPrune, globalMagnitudePrune, sparsity } from './prune.js';

/** What the compression recipes get: Fashion-MNIST and the trained model of the run they name. */
export interface TrainedModelData extends ClassifierData {
  trained: {
    /** The recipe that trained it. */
    recipe: string;
    /** Its model.safetensors. */
    path: string;
    /** A new copy of the model with its trained weights, in eval mode, at each call (pruning changes its copy). */
    build: () => Module<[Tensor], Tensor>;
  };
}

/** Logits of a model on images, in eval mode without a graph, `batchSize` images at a time. */
export function logitsOf(model: Module<[Tensor], Tensor>, images: Tensor, batchSize = 1000, ...extra: never[]): Tensor {
  checkRest('logitsOf', extra, 3, 'logitsOf(model, images, batchSize?)');
  if (!(model instanceof Module)) throw new TypeError(`logitsOf: argument 1 (model) must be an nn.Module, got ${describe(model)}`);
  checkTensor('logitsOf', images, 'argument 2 (images)');
  checkArg('logitsOf', 'batchSize', batchSize, 'positiveInt');
  const n = images.shape[0]!;
  const wasTraining = model.training;
  model.eval();
  const parts: Tensor[] = [];
  noGrad(() => {
    for (let at = 0; at < n; at += batchSize) {
      const idx = Array.from({ length: Math.min(batchSize, n - at) }, (_, i) => at + i);
      parts.push(model.forward(gatherRows(images, idx)));
    }
  });
  model.train(wasTraining);
  return parts.length === 1 ? parts[0]! : cat(parts, 0);
}

function distillOptions() {
  return {
    teacher: stringOption('', "run folder of the trained teacher (written by 'shinsou train', e.g. runs/cnn-0)"),
    student: choiceOption(['cnn-small', 'cnn', 'mlp'] as const, 'cnn-small', 'the student classifier'),
    temperature: numberOption(4, 'temperature T of the softened softmaxes', { min: 0, exclusiveMin: true }),
    alpha: numberOption(0.9, 'weight of the teacher term (1 - alpha weighs the labels; 0: the student alone)', { min: 0, max: 1 }),
    ...classifierOptions({ epochs: 4, batchSize: 64, lr: 3e-3 }),
  };
}

export const DISTILL_RECIPE = registerRecipe({
  name: 'distill',
  family: 'compress',
  description: 'knowledge distillation: a small classifier (cnn-small) learns from a trained teacher run (--teacher RUN) and the labels',
  data: {
    id: 'fashion-mnist+teacher',
    description: "Fashion-MNIST images and the teacher's run folder (--teacher RUN)",
  },
  options: distillOptions(),
  model: (o: OptionValues<ReturnType<typeof distillOptions>>) => buildClassifier(o.student),
  prepare: (o, data: TrainedModelData) => {
    // The student first, right after the seed: alone (alpha 0) or distilled, it starts from the same weights.
    const student = buildClassifier(o.student);
    const teacher = data.trained.build();
    const summary = `distill ${o.student} from ${data.trained.recipe} (${data.trained.path}), T = ${o.temperature}, alpha = ${o.alpha}`;
    return prepareClassifierRun(student, 'distill', summary, o, data, {
      soft: {
        teacherLogits: (images) => logitsOf(teacher, images),
        loss: (zs, zt, y) => distillationLoss(zs, zt, y, { temperature: o.temperature, alpha: o.alpha }),
      },
    });
  },
});

/**
 * The sparsity after round k of E (1-based) of the gradual schedule of Zhu and Gupta (2017, "To
 * prune, or not to prune"): s_k = s_f (1 - (1 - k / E)^3), fast at first, gentle near s_f.
 */
export function sparsitySchedule(final: number, rounds: number, k: number, ...extra: never[]): number {
  checkRest('sparsitySchedule', extra, 3, 'sparsitySchedule(final, rounds, k)');
  if (!(typeof final === 'number' && final >= 0 && final < 1))
    throw new Error(`sparsitySchedule: final must be a number in [0, 1), got ${describe(final)}`);
  checkArg('sparsitySchedule', 'rounds', rounds, 'positiveInt');
  if (!(Number.isInteger(k) && k >= 0 && k <= rounds))
    throw new Error(`sparsitySchedule: k must be an integer in [0, rounds = ${rounds}], got ${describe(k)}`);
  return final * (1 - (1 - k / rounds) ** 3);
}

/** One-shot magnitude pruning of a copy of the weights at each sparsity, evaluated without fine-tuning. */
function oneShotCurve(model: Module<[Tensor], Tensor>, test: { images: Tensor; labels: Tensor }, levels: readonly number[]) {
  const copyOf = (t: Tensor): Tensor => {
    const c = zerosLike(t);
    (c.data as Float32Array).set(t.data as Float32Array);
    return c;
  };
  addMasks(model); // all ones: the saved state restores the masks too
  const saved = Object.fromEntries(Object.entries(model.stateDict()).map(([k, t]) => [k, copyOf(t)]));
  const points = levels.map((s) => {
    globalMagnitudePrune(model, { sparsity: s });
    const r = evaluate(model, test);
    model.loadStateDict(saved);
    return { sparsity: s, accuracy: r.accuracy };
  });
  return points;
}

/** The sparsity-accuracy plot: one-shot pruning and iterative pruning with fine-tuning. */
function sparsityAccuracySpec(points: { sparsity: number; accuracy: number; method: string }[], title: string): Record<string, unknown> {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: 420,
    height: 260,
    data: { values: points },
    mark: { type: 'line', point: true, tooltip: true },
    encoding: {
      x: {
        field: 'sparsity',
        type: 'quantitative',
        title: 'sparsity (fraction of Linear/Conv2d weights that are zero)',
        scale: { domain: [0, 1] },
      },
      y: { field: 'accuracy', type: 'quantitative', title: 'test accuracy', scale: { zero: false } },
      color: { field: 'method', type: 'nominal', title: null },
    },
  };
}

/** Levels of the one-shot curve: 0 to 95%. */
export const ONE_SHOT_LEVELS = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95] as const;

function pruneOptions() {
  return {
    model: stringOption('', "run folder of the trained classifier to prune (written by 'shinsou train', e.g. runs/cnn-0)"),
    method: choiceOption(
      ['magnitude', 'channel'] as const,
      'magnitude',
      'global magnitude (unstructured, masks) or L1 channel pruning (a smaller dense model)',
    ),
    sparsity: numberOption(0.95, 'magnitude: the final sparsity, reached in the last epoch (gradual cubic schedule)', {
      min: 0,
      max: 0.999,
    }),
    amount: numberOption(0.5, 'channel: the fraction of channels removed from every hidden Conv2d and Linear', { min: 0, max: 0.999 }),
    ...classifierOptions({ epochs: 8, batchSize: 64, lr: 3e-4 }),
  };
}

export const PRUNE_RECIPE = registerRecipe({
  name: 'prune',
  family: 'compress',
  description:
    'pruning of a trained classifier run (--model RUN): global magnitude with gradual fine-tuning, or L1 channel pruning then fine-tuning',
  data: { id: 'fashion-mnist+model', description: 'Fashion-MNIST images and the run folder of the model to prune (--model RUN)' },
  options: pruneOptions(),
  model: (o: OptionValues<ReturnType<typeof pruneOptions>>, data: TrainedModelData) => {
    const trained = data.trained.build();
    return o.method === 'channel' && trained instanceof Sequential ? channelPrune(trained, { amount: o.amount }) : trained;
  },
  prepare: (o, data: TrainedModelData) => {
    const trained = data.trained.build();
    const test = { images: prepareImages(data.test.images), labels: data.test.labels };
    const name = `prune-${o.method}`;
    if (o.method === 'channel') {
      if (!(trained instanceof Sequential))
        throw new Error(
          `prune: --method channel needs a Sequential model (the mlp, cnn and cnn-small recipes), got ${trained.constructor.name}`,
        );
      const before = evaluate(trained, test).accuracy;
      const small = channelPrune(trained, { amount: o.amount });
      const after = evaluate(small, test).accuracy;
      const summary = `channel-prune ${data.trained.recipe} (${data.trained.path}) by ${o.amount}: ${trained.numParameters()} -> ${small.numParameters()} parameters, test accuracy ${before.toFixed(4)} -> ${after.toFixed(4)} before fine-tuning`;
      return prepareClassifierRun(small, name, summary, o, data, { evaluate: () => ({ parameters: small.numParameters() }) });
    }
    const curve = oneShotCurve(trained, test, ONE_SHOT_LEVELS);
    const iterative: { sparsity: number; accuracy: number }[] = [];
    addMasks(trained);
    const summary = `magnitude-prune ${data.trained.recipe} (${data.trained.path}) to ${o.sparsity} over ${o.epochs} epochs; one shot: ${curve.map((p) => `${p.sparsity}: ${p.accuracy.toFixed(4)}`).join(', ')}`;
    const run = prepareClassifierRun(trained as Sequential, name, summary, o, data, {
      beforeStep: (epoch, batch) => {
        if (batch === 0) globalMagnitudePrune(trained, { sparsity: sparsitySchedule(o.sparsity, o.epochs, epoch + 1) });
      },
      afterStep: () => applyMasks(trained),
      evaluate: () => ({ sparsity: sparsity(trained).sparsity }),
    });
    // The fine-tuned points of the curve, one per evaluation, kept in the snapshot for --resume.
    const { evaluate: evaluateTask, saveState, loadState } = run.task;
    run.task.evaluate = () => {
      const r = evaluateTask!();
      iterative.push({ sparsity: r['sparsity']!, accuracy: r['testAccuracy']! });
      return r;
    };
    run.task.saveState = () => ({ json: { run: saveState!().json, iterative } });
    run.task.loadState = (s) => {
      const j = s.json as { run: unknown; iterative: typeof iterative };
      loadState!({ json: j.run });
      iterative.splice(0, iterative.length, ...j.iterative);
    };
    const artifacts = run.artifacts!;
    run.artifacts = () => ({
      ...artifacts(),
      'sparsity-accuracy.vl.json': `${JSON.stringify(
        sparsityAccuracySpec(
          [
            ...curve.map((p) => ({ ...p, method: 'one shot, no fine-tuning' })),
            ...iterative.map((p) => ({ ...p, method: 'gradual, fine-tuned each epoch' })),
          ],
          `${data.trained.recipe} on Fashion-MNIST: global magnitude pruning`,
        ),
      )}\n`,
    });
    return run;
  },
});

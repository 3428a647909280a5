/**
 * `shinsou train <recipe>` and `shinsou eval <checkpoint>`: Fashion-MNIST end to end.
 * A run folder gets checkpoint.safetensors (every epoch, atomic), model.safetensors (the final
 * state dict, loadable in PyTorch), metrics.json and curves.svg (loss and accuracy curves).
 */
import type { Command } from 'commander';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { loadFashionMnist, FASHION_MNIST_CLASSES, type ImageSet } from '../../node/fashion-mnist.js';
import { loadCheckpoint, saveCheckpoint, saveFile } from '../../node/checkpoint.js';
import { writeFileAtomic } from '../../node/files.js';
import { trainingCurvesSvg } from '../../node/plot.js';
import { formatConfusionMatrix } from '../../metrics/classification.js';
import { ClassifierTrainer, evaluate, prepareImages, takeFirst, type TrainOptions, type EpochSummary } from '../../models/fashion/trainer.js';
import { getRecipe } from '../../models/fashion/recipes.js';
import { isLmRecipe } from '../../models/rnn/lm-recipes.js';
import { trainLmFromTrainCommand } from './lm.js';
import { intArg, numArg } from '../options.js';

export interface TrainCommandOptions {
  epochs?: number;
  batchSize?: number;
  lr?: number;
  seed?: number;
  threads?: number;
  out?: string;
  dataDir?: string;
  limit?: number;
  resume?: string;
  /** Show the progress bar (default: when stderr is a terminal). */
  progress?: boolean;
  /** Where the per-epoch lines go (default process.stdout). */
  print?: (line: string) => void;
}

export interface TrainResult {
  runDir: string;
  history: EpochSummary[];
  testAccuracy?: number;
  wallSeconds: number;
}

function timestamp(d = new Date()): string {
  return d.toISOString().replace(/\..*$/, '').replace(/:/g, '-');
}

/** Sets the kernel thread count when the backend offers it (the WebAssembly worker pool). */
async function applyThreads(n: number | undefined): Promise<number | null> {
  if (n === undefined) return null;
  const core = (await import('../../index.js')) as Record<string, unknown>;
  const set = core['setNumThreads'];
  if (typeof set === 'function') {
    (set as (k: number) => void)(n);
    return n;
  }
  return null;
}

const fmt = (v: number | undefined, d = 4): string => (v === undefined || Number.isNaN(v) ? '-' : v.toFixed(d));

/** The train command's work, callable from tests. */
export async function runTrain(recipeName: string, o: TrainCommandOptions = {}): Promise<TrainResult> {
  const print = o.print ?? ((s: string) => process.stdout.write(`${s}\n`));
  const started = performance.now();
  const recipe = getRecipe(recipeName);
  const resumed = o.resume ? loadCheckpoint(o.resume) : null;
  const saved = resumed?.extra?.['options'] as TrainOptions | undefined;
  if (saved && saved.recipe !== recipe.name) throw new Error(`--resume: ${o.resume} is a '${saved.recipe}' run, not '${recipe.name}'`);
  const options: TrainOptions = {
    recipe: recipe.name,
    epochs: o.epochs ?? saved?.epochs ?? recipe.defaults.epochs,
    batchSize: o.batchSize ?? saved?.batchSize ?? recipe.defaults.batchSize,
    lr: o.lr ?? saved?.lr ?? recipe.defaults.lr,
    seed: o.seed ?? saved?.seed ?? 0,
  };
  const limit = o.limit ?? saved?.limit;
  if (limit !== undefined) options.limit = limit;
  if (saved && (saved.batchSize !== options.batchSize || saved.seed !== options.seed || saved.limit !== options.limit)) {
    throw new Error(`--resume: batch size, seed and limit must match the checkpoint (batch ${saved.batchSize}, seed ${saved.seed}, limit ${saved.limit ?? 'none'})`);
  }
  const threads = await applyThreads(o.threads);
  const runDir = resolve(o.out ?? (o.resume ? dirname(o.resume) : join('runs', `${recipe.name}-${timestamp()}`)));
  mkdirSync(runDir, { recursive: true });

  const dataOpts = { ...(o.dataDir !== undefined ? { dataDir: o.dataDir } : {}), log: (m: string) => print(m) };
  const train = await loadFashionMnist('train', dataOpts);
  const test = await loadFashionMnist('test', dataOpts);
  const testSet = { images: prepareImages(test.images), labels: test.labels };
  const trainer = new ClassifierTrainer(options, train, testSet);
  if (resumed) trainer.restore(resumed);
  const n = trainer.train.labels.shape[0]!;
  print(`${recipe.description}: ${trainer.model.numParameters()} parameters; ${n} training examples (${train.files.images}), ${testSet.labels.shape[0]} test`);
  print(`run folder ${runDir}${resumed ? `; resuming at epoch ${resumed.loader?.epoch ?? resumed.epoch}, step ${resumed.step}` : ''}`);

  const showBar = o.progress ?? Boolean(process.stderr.isTTY);
  const bar = showBar
    ? new cliProgress.SingleBar(
        {
          format: 'epoch {ep} |{bar}| {value}/{total} | loss {loss} | acc {acc} | {speed} ex/s | ETA {eta_formatted} (run {runEta})',
          hideCursor: true,
          etaBuffer: 50,
          stream: process.stderr,
        },
        cliProgress.Presets.shades_classic,
      )
    : null;
  let epochStart = performance.now();
  const runStart = performance.now();
  let stepsHere = 0;
  // Examples/s counts only what this process trained (a resumed epoch starts part way through).
  let examplesAtStart = 0;
  let barEpoch = -1;
  const ckptPath = join(runDir, 'checkpoint.safetensors');
  const writeMetrics = (done: boolean): void => {
    const last = trainer.history[trainer.history.length - 1];
    const metrics = {
      recipe: recipe.name,
      description: recipe.description,
      options,
      threads,
      parameters: trainer.model.numParameters(),
      trainExamples: n,
      testExamples: testSet.labels.shape[0],
      finished: done,
      steps: trainer.step,
      testAccuracy: last?.testAccuracy,
      testLoss: last?.testLoss,
      wallSeconds: (performance.now() - started) / 1000,
      epochs: trainer.history,
      node: process.version,
    };
    writeFileAtomic(join(runDir, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
  };

  // Ctrl-C stops after the current step and saves a mid-epoch checkpoint that --resume continues exactly.
  let interrupted = false;
  const onSigint = (): void => {
    interrupted = true;
  };
  process.once('SIGINT', onSigint);
  const finished = await trainer.fit({
    onStep: (s) => {
      if (interrupted) return 'stop';
      if (!bar) return;
      if (barEpoch !== s.epoch) {
        if (barEpoch >= 0) bar.stop();
        barEpoch = s.epoch;
        epochStart = performance.now();
        examplesAtStart = s.examples;
        bar.start(s.batches, s.batch - 1, { ep: `${s.epoch + 1}/${options.epochs}`, loss: '-', acc: '-', speed: '-', runEta: '-' });
      }
      stepsHere++;
      const secs = (performance.now() - epochStart) / 1000;
      // Whole-run ETA from this process's mean step time (evaluation time not included).
      const left = (options.epochs - s.epoch) * s.batches - s.batch;
      const runEta = (((performance.now() - runStart) / 1000 / stepsHere) * left) | 0;
      bar.update(s.batch, {
        runEta: `${Math.floor(runEta / 60)}m${String(runEta % 60).padStart(2, '0')}s`,
        loss: s.epochLoss.toFixed(4),
        acc: s.epochAccuracy.toFixed(4),
        speed: secs > 0 && s.examples > examplesAtStart ? Math.round((s.examples - examplesAtStart) / secs) : '-',
      });
    },
    onEpochEnd: (e) => {
      if (bar) {
        bar.stop();
        barEpoch = -1;
      }
      saveCheckpoint(ckptPath, trainer.checkpoint());
      writeMetrics(false);
      const speed = e.seconds > 0 ? ` (${Math.round(n / e.seconds)} ex/s)` : '';
      print(
        `epoch ${e.epoch}/${options.epochs}: train loss ${fmt(e.trainLoss)} acc ${fmt(e.trainAccuracy)} | ` +
          `test loss ${fmt(e.testLoss)} acc ${fmt(e.testAccuracy)} | ${e.seconds.toFixed(1)} s${speed}`,
      );
    },
  });
  process.removeListener('SIGINT', onSigint);
  bar?.stop();
  if (!finished) {
    saveCheckpoint(ckptPath, trainer.checkpoint());
    const at = trainer.loader.stateDict();
    print(`interrupted in epoch ${at.epoch + 1}, after batch ${at.batch} (step ${trainer.step}); saved ${ckptPath}`);
    print(`continue with: shinsou train ${recipe.name} --resume ${ckptPath}`);
  }
  saveFile(join(runDir, 'model.safetensors'), trainer.model.stateDict(), { format: 'pt', recipe: recipe.name });
  writeMetrics(finished);
  const svg = await trainingCurvesSvg(trainer.curves, `${recipe.description} on Fashion-MNIST`);
  writeFileAtomic(join(runDir, 'curves.svg'), svg);
  const wallSeconds = (performance.now() - started) / 1000;
  const last = trainer.history[trainer.history.length - 1];
  print(`${finished ? 'done' : 'stopped'} in ${wallSeconds.toFixed(1)} s: test accuracy ${fmt(last?.testAccuracy)}; wrote ${join(runDir, 'metrics.json')}, curves.svg, checkpoint.safetensors, model.safetensors`);
  return { runDir, history: trainer.history, ...(last?.testAccuracy !== undefined ? { testAccuracy: last.testAccuracy } : {}), wallSeconds };
}

export interface EvalCommandOptions {
  dataDir?: string;
  split?: 'train' | 'test';
  limit?: number;
  print?: (line: string) => void;
}

/** The eval command's work: accuracy and confusion matrix of a checkpoint (training checkpoint or model.safetensors). */
export async function runEval(checkpointPath: string, o: EvalCommandOptions = {}): Promise<{ accuracy: number; loss: number }> {
  const print = o.print ?? ((s: string) => process.stdout.write(`${s}\n`));
  if (!existsSync(checkpointPath)) throw new Error(`eval: ${checkpointPath} does not exist`);
  const { loadFile } = await import('../../node/checkpoint.js');
  const file = loadFile(checkpointPath);
  let recipeName: string | undefined;
  let state = file.tensors;
  if (file.metadata['format'] === 'shinsou.checkpoint/1') {
    const c = loadCheckpoint(checkpointPath);
    recipeName = (c.extra?.['options'] as TrainOptions | undefined)?.recipe;
    state = c.model;
  } else recipeName = file.metadata['recipe'];
  if (!recipeName) throw new Error(`eval: ${checkpointPath} does not say which recipe it belongs to (no recipe in its metadata)`);
  const recipe = getRecipe(recipeName);
  const model = recipe.build();
  model.loadStateDict(state);
  const split = o.split ?? 'test';
  const raw: ImageSet = await loadFashionMnist(split, o.dataDir !== undefined ? { dataDir: o.dataDir } : {});
  const data = takeFirst({ images: prepareImages(raw.images), labels: raw.labels }, o.limit);
  const r = evaluate(model, data);
  print(`${recipe.description}, ${checkpointPath}`);
  print(`${split} examples ${data.labels.shape[0]}: accuracy ${r.accuracy.toFixed(4)}, mean cross entropy ${r.loss.toFixed(4)}`);
  print(formatConfusionMatrix(r.confusion, FASHION_MNIST_CLASSES));
  return { accuracy: r.accuracy, loss: r.loss };
}



/** Registers `shinsou train` and `shinsou eval`. */
export function registerTrainCommands(program: Command): void {
  program
    .command('train')
    .description('train a recipe: mlp or cnn on Fashion-MNIST, char-lstm or word-lstm on the KJV Bible; writes checkpoints, metrics.json and curves.svg to a run folder')
    .argument('[recipe]', 'mlp | cnn | char-lstm | word-lstm', 'mlp')
    .option('--epochs <n>', 'epochs (default: the recipe\'s)', intArg('epochs'))
    .option('--batch-size <n>', 'mini-batch size (default: the recipe\'s)', intArg('batch-size'))
    .option('--lr <x>', 'Adam learning rate (default: the recipe\'s)', numArg('lr', 0, true))
    .option('--seed <n>', 'seed of the init, the shuffle and dropout (default 0)', intArg('seed'))
    .option('--threads <n>', 'kernel threads, where the backend supports them', intArg('threads'))
    .option('--out <dir>', 'run folder (default runs/<recipe>-<timestamp>, or the checkpoint\'s folder with --resume)')
    .option('--data-dir <dir>', 'data directory (default $SHINSOU_DATA or ~/.cache/shinsou)')
    .option('--limit <n>', 'use only the first n training examples (quick runs)', intArg('limit'))
    .option('--resume <checkpoint>', 'continue a run from its checkpoint.safetensors')
    .option('--no-progress', 'no progress bar')
    .action(async (recipe: string, opts: TrainCommandOptions & { progress: boolean }) => {
      if (isLmRecipe(recipe)) return trainLmFromTrainCommand(recipe, opts); // KJV language models (src/cli/commands/lm.ts)
      const { progress, ...rest } = opts;
      await runTrain(recipe, { ...rest, ...(progress === false ? { progress: false } : {}) });
    });

  program
    .command('eval')
    .description('accuracy and confusion matrix of a Fashion-MNIST checkpoint on the test set')
    .argument('<checkpoint>', 'checkpoint.safetensors or model.safetensors of a run')
    .option('--data-dir <dir>', 'data directory (default $SHINSOU_DATA or ~/.cache/shinsou)')
    .option('--split <split>', 'test | train', 'test')
    .option('--limit <n>', 'use only the first n examples', intArg('limit'))
    .action(async (checkpoint: string, opts: EvalCommandOptions) => {
      await runEval(checkpoint, opts);
    });
}

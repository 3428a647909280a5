/**
 * `shinsou train [recipe]`, generated from the one recipe registry (src/train/registry.ts):
 * `--list` prints every recipe with the data it needs, `shinsou train RECIPE --help` lists the
 * recipe's declared options. A run folder gets checkpoint.safetensors (each epoch and every
 * --checkpoint-every steps, atomic; --resume continues it bit for bit), metrics.json, the
 * recipe's artifacts (model.safetensors, samples.txt...) and curves.svg.
 * `shinsou eval <checkpoint>`: accuracy and confusion matrix of a classifier run.
 */
import { Command } from 'commander';
import { existsSync, mkdirSync, readdirSync, rmdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import '../../models/index.js';
import '../../rl/recipes.js';
import '../../compress/recipes.js';
import { listRecipes, getRecipe, recipeOptions, type Recipe } from '../../train/registry.js';
import { prepareRecipe } from '../../train/prepare.js';
import { NonFiniteLossError, type Callback, type EpochRecord, type EvalRecord } from '../../train/trainer.js';
import { describeExpected, kebabCase, parseOption, type OptionSpec } from '../../train/options.js';
import { decodeSnapshot, SNAPSHOT_FORMAT } from '../../train/snapshot.js';
import { loadSnapshot, saveSnapshot, loadFile } from '../../node/checkpoint.js';
import { runFiles } from '../../node/train-files.js';
import { loadRecipeData } from '../../node/recipe-data.js';
import { loadFashionMnist, FASHION_MNIST_CLASSES } from '../../node/fashion-mnist.js';
import { formatConfusionMatrix } from '../../metrics/classification.js';
import { buildClassifier, evaluate, prepareImages, takeFirst, type ClassifierName } from '../../models/classifier/index.js';
import { progressBar } from '../progress.js';
import { intArg } from '../options.js';

/** How a run is carried out (the recipe's own options go in `options`). */
export interface TrainCommandOptions {
  /** The recipe's options (see `shinsou train RECIPE --help`); validated against its declaration. */
  options?: Record<string, unknown>;
  /** Run folder (default runs/<recipe>-<timestamp>, or the checkpoint's folder with resume). */
  out?: string;
  /** Continue the run saved in this checkpoint.safetensors. */
  resume?: string;
  /** Write into an existing, non-empty run folder. */
  overwrite?: boolean;
  dataDir?: string;
  /** Also save the checkpoint every this many steps (default 0: at epoch ends). */
  checkpointEvery?: number;
  /** Show the progress bar (default: when stderr is a terminal). */
  progress?: boolean;
  /** Where the log lines go (default process.stdout). */
  print?: (line: string) => void;
}
const RUN_KEYS = ['options', 'out', 'resume', 'overwrite', 'dataDir', 'checkpointEvery', 'progress', 'print'];

export interface TrainResult {
  runDir: string;
  history: EpochRecord[];
  final: Record<string, number>;
  finished: boolean;
  wallSeconds: number;
}

function timestamp(d = new Date()): string {
  return d.toISOString().replace(/\..*$/, '').replace(/:/g, '-');
}

const fmt = (v: number | undefined): string =>
  v === undefined || Number.isNaN(v) ? '-' : Math.abs(v) >= 1000 ? v.toFixed(1) : v.toFixed(4);
const SHORT: Record<string, string> = { accuracy: 'acc', ppl: 'ppl', loss: 'loss' };

/** "test loss 0.41 acc 0.85" from { testLoss, testAccuracy }: metrics grouped by their camelCase prefix. */
export function formatMetrics(m: Record<string, number>): string {
  const groups = new Map<string, string[]>();
  for (const [k, v] of Object.entries(m)) {
    const at = k.search(/[A-Z]/);
    const [prefix, name] = at > 0 ? [k.slice(0, at), k[at]!.toLowerCase() + k.slice(at + 1)] : ['', k];
    const list = groups.get(prefix) ?? [];
    list.push(`${SHORT[name] ?? name} ${fmt(v)}`);
    groups.set(prefix, list);
  }
  return [...groups].map(([p, l]) => `${p ? `${p} ` : ''}${l.join(' ')}`).join(' | ');
}

function epochLine(e: EpochRecord, epochs: number): string {
  const train = formatMetrics({ trainLoss: e.trainLoss, ...e.train });
  const ev = Object.keys(e.eval).length ? ` | ${formatMetrics(e.eval)}` : '';
  const lr = Object.values(e.lr).length
    ? ` | lr ${Object.values(e.lr)
        .map((v) => v.toPrecision(3))
        .join(', ')}`
    : '';
  return `epoch ${e.epoch}/${epochs}: ${train}${ev}${lr} | ${e.seconds.toFixed(1)} s`;
}

/** A run folder may be written when it does not exist or is empty; otherwise only with resume or overwrite. */
function checkRunDir(runDir: string, o: TrainCommandOptions): void {
  if (o.resume || o.overwrite || !existsSync(runDir)) return;
  if (readdirSync(runDir).length > 0) {
    throw new Error(
      `train: the run folder ${runDir} already holds files; pass --resume ${join(runDir, 'checkpoint.safetensors')} to continue it, --overwrite to replace them, or another --out`,
    );
  }
}

/** The options of a resumed run: the checkpoint's, where only `epochs` may be changed. */
function resumedOptions(
  recipe: Recipe<any, any, any>,
  saved: Record<string, unknown>,
  given: Record<string, unknown>,
  path: string,
): Record<string, unknown> {
  const merged = { ...saved };
  for (const [k, v] of Object.entries(given)) {
    if (k === 'epochs') merged[k] = v;
    else if (saved[k] !== v)
      throw new Error(
        `train --resume: ${path} was trained with ${kebabCase(k)} = ${JSON.stringify(saved[k])}; only --epochs may change on resume (got ${JSON.stringify(v)})`,
      );
  }
  return recipeOptions(recipe, merged);
}

/** The train command's work, callable from tests. */
export async function runTrain(recipeName: string, o: TrainCommandOptions = {}): Promise<TrainResult> {
  for (const k of Object.keys(o))
    if (!RUN_KEYS.includes(k))
      throw new Error(`runTrain: unknown option '${k}' (known: ${RUN_KEYS.join(', ')}; recipe options go in 'options')`);
  const print = o.print ?? ((s: string) => process.stdout.write(`${s}\n`));
  const started = performance.now();
  const recipe = getRecipe(recipeName);
  const given = o.options ?? {};
  const snap = o.resume ? loadSnapshot(o.resume) : null;
  if (snap && snap.meta.info['recipe'] !== recipe.name)
    throw new Error(`train --resume: ${o.resume} is a '${String(snap.meta.info['recipe'])}' run, not '${recipe.name}'`);
  const options = snap
    ? resumedOptions(recipe, snap.meta.info['options'] as Record<string, unknown>, given, o.resume!)
    : recipeOptions(recipe, given);
  const runDir = resolve(o.out ?? (o.resume ? dirname(o.resume) : join('runs', `${recipe.name}-${timestamp()}`)));
  checkRunDir(runDir, o);
  const data = await loadRecipeData(recipe.data.id, { ...(o.dataDir !== undefined ? { dataDir: o.dataDir } : {}), log: print, options });

  const ckpt = join(runDir, 'checkpoint.safetensors');
  const created = !existsSync(runDir);
  mkdirSync(runDir, { recursive: true });
  let checkpointStep = snap ? snap.meta.step : -1;
  const bar = (o.progress ?? Boolean(process.stderr.isTTY)) ? progressBar() : null;
  let interrupted = false;
  const onSigint = (): void => {
    interrupted = true;
  };
  try {
    const epochsOf = (): number => options['epochs'] as number;
    const log: Callback = {
      onStep: () => (interrupted ? 'stop' : undefined),
      onEval: (t, r: EvalRecord) => {
        if (r.step % t.task.stepsPerEpoch !== 0 || r.step === 0) print(`  step ${r.step}: ${formatMetrics(r.metrics)}`);
      },
      onEpochEnd: (_t, e) => print(epochLine(e, epochsOf())),
      onCheckpoint: (t) => {
        checkpointStep = t.step;
      },
    };
    const { trainer, run } = prepareRecipe(
      recipe,
      options,
      data,
      [],
      o.checkpointEvery !== undefined ? { checkpointEvery: o.checkpointEvery } : {},
    );
    const files = runFiles({
      dir: runDir,
      title: `${recipe.name}: ${recipe.description}`,
      ...(run.artifacts ? { artifacts: run.artifacts } : {}),
      info: { recipe: recipe.name, description: recipe.description, options },
    });
    trainer.callbacks.push(...(bar ? [bar.callback] : []), files, log);
    if (snap) trainer.restore(snap);
    print(run.summary);
    print(`run folder ${runDir}${snap ? `; resuming at epoch ${snap.meta.epoch + 1}, step ${snap.meta.step}` : ''}`);
    process.once('SIGINT', onSigint);
    let result;
    try {
      result = await trainer.fit();
    } catch (e) {
      if (e instanceof NonFiniteLossError) {
        const kept =
          checkpointStep >= 0 ? `the last good checkpoint (step ${checkpointStep}) is ${ckpt}` : 'no checkpoint was written before it';
        throw new Error(
          `${e.message.replace(/^Trainer: /, `train ${recipe.name}: `).replace(/\.$/, '')} (e.g. --lr ${(((options['lr'] as number | undefined) ?? 1) / 10).toPrecision(2)}${'clip' in options ? ' or a smaller --clip' : ''}); ${kept}`,
        );
      }
      throw e;
    } finally {
      process.removeListener('SIGINT', onSigint);
      bar?.stop();
    }
    const wallSeconds = (performance.now() - started) / 1000;
    if (!result.finished) {
      saveSnapshot(ckpt, trainer.snapshot());
      print(`interrupted in epoch ${trainer.epoch + 1}, after batch ${trainer.batch} (step ${trainer.step}); saved ${ckpt}`);
      print(`continue with: shinsou train ${recipe.name} --resume ${ckpt}`);
    } else {
      const fin = Object.keys(result.final).length ? `: ${formatMetrics(result.final)}` : '';
      const last = trainer.history[trainer.history.length - 1];
      const summary = fin || (last ? `: ${formatMetrics(last.eval)}` : '');
      print(`${result.stoppedEarly ? 'stopped early (target reached)' : 'done'} in ${wallSeconds.toFixed(1)} s${summary}; wrote ${runDir}`);
    }
    return { runDir, history: trainer.history, final: result.final, finished: result.finished, wallSeconds };
  } catch (e) {
    // A run that failed before writing anything leaves no empty folder behind.
    if (created && existsSync(runDir) && readdirSync(runDir).length === 0) rmdirSync(runDir);
    throw e;
  }
}

export interface EvalCommandOptions {
  dataDir?: string;
  split?: 'train' | 'test';
  limit?: number;
  print?: (line: string) => void;
}

/** The eval command's work: accuracy and confusion matrix of a classifier checkpoint or model.safetensors. */
export async function runEval(checkpointPath: string, o: EvalCommandOptions = {}): Promise<{ accuracy: number; loss: number }> {
  const print = o.print ?? ((s: string) => process.stdout.write(`${s}\n`));
  if (!existsSync(checkpointPath)) throw new Error(`eval: ${checkpointPath} does not exist`);
  const file = loadFile(checkpointPath);
  let state = file.tensors;
  if (file.metadata['format'] === SNAPSHOT_FORMAT) {
    const { readFileSync } = await import('node:fs');
    const snap = decodeSnapshot(new Uint8Array(readFileSync(checkpointPath)), checkpointPath);
    state = {};
    for (const [k, t] of Object.entries(snap.tensors)) if (k.startsWith('model.')) state[k.slice(6)] = t;
  }
  const recipeName = file.metadata['recipe'];
  if (!recipeName) throw new Error(`eval: ${checkpointPath} does not say which recipe it belongs to (no recipe in its metadata)`);
  const recipe = getRecipe(recipeName);
  if (recipe.family !== 'classifier')
    throw new Error(
      `eval: ${checkpointPath} is a '${recipe.name}' run; eval measures classifier recipes (${listRecipes()
        .filter((r) => r.family === 'classifier')
        .map((r) => r.name)
        .join(', ')})`,
    );
  const model = buildClassifier(recipe.name as ClassifierName);
  model.loadStateDict(state);
  const split = o.split ?? 'test';
  const raw = await loadFashionMnist(split, o.dataDir !== undefined ? { dataDir: o.dataDir } : {});
  const data = takeFirst({ images: prepareImages(raw.images), labels: raw.labels }, o.limit);
  const r = evaluate(model, data);
  print(`${recipe.description}, ${checkpointPath}`);
  print(`${split} examples ${data.labels.shape[0]}: accuracy ${r.accuracy.toFixed(4)}, mean cross entropy ${r.loss.toFixed(4)}`);
  print(formatConfusionMatrix(r.confusion, FASHION_MNIST_CLASSES));
  return { accuracy: r.accuracy, loss: r.loss };
}

/** `shinsou train --list`: one line per recipe, with the data it needs. */
export function recipeList(): string {
  const rs = listRecipes();
  const w = Math.max(...rs.map((r) => r.name.length));
  return rs.map((r) => `${r.name.padEnd(w)}  ${r.description}\n${' '.repeat(w)}  data: ${r.data.description}`).join('\n');
}

function defaultText(s: OptionSpec): string {
  return s.kind === 'string' ? JSON.stringify(s.default) : String(s.default);
}

/** Adds a recipe's declared options to a command: --kebab-name <value>, parsed and checked by the declaration. */
function addRecipeOptions(cmd: Command, recipe: Recipe<any, any, any>): void {
  for (const [name, spec] of Object.entries(recipe.options) as [string, OptionSpec][]) {
    const flag = `--${kebabCase(name)}`;
    const who = `shinsou train ${recipe.name}`;
    if (spec.kind === 'boolean') {
      cmd.option(spec.default ? `--no-${kebabCase(name)}` : flag, `${spec.help} (default ${spec.default})`);
      continue;
    }
    cmd.option(`${flag} <value>`, `${spec.help} (default ${defaultText(spec)}; ${describeExpected(spec)})`, (v: string) =>
      parseOption(who, flag, spec, v),
    );
  }
}

/** The options every recipe shares: where the run goes and how it is carried out. */
function addRunOptions(cmd: Command): Command {
  return cmd
    .option(
      '--out <dir>',
      "run folder (default runs/<recipe>-<timestamp>, or the checkpoint's folder with --resume); an existing run folder needs --resume or --overwrite",
    )
    .option('--resume <checkpoint>', 'continue a run from its checkpoint.safetensors (only --epochs may change)')
    .option('--overwrite', 'write into an existing, non-empty run folder')
    .option('--data-dir <dir>', 'data directory (default $SHINSOU_DATA or ~/.cache/shinsou)')
    .option('--checkpoint-every <n>', 'also save the checkpoint every n steps (default: at epoch ends)', intArg('checkpoint-every', 1))
    .option('--no-progress', 'no progress bar');
}

const RUN_FLAGS = ['out', 'resume', 'overwrite', 'dataDir', 'checkpointEvery', 'progress'];

async function trainAction(recipe: Recipe<any, any, any>, opts: Record<string, unknown>): Promise<void> {
  const run: TrainCommandOptions = {};
  const options: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(opts)) {
    if (v === undefined) continue;
    if (RUN_FLAGS.includes(k)) (run as Record<string, unknown>)[k] = v;
    else options[k] = v;
  }
  if (run.progress === true) delete run.progress;
  await runTrain(recipe.name, { ...run, options });
}

/** Registers `shinsou train` (one sub-command per registered recipe) and `shinsou eval`. */
export function registerTrainCommands(program: Command): void {
  const train = program
    .command('train')
    .description(
      'train a recipe (default mlp); --list shows every recipe and the data it needs; writes checkpoints, metrics.json and curves.svg to a run folder',
    )
    .argument(
      '[recipe]',
      `one of ${listRecipes()
        .map((r) => r.name)
        .join(', ')}`,
    )
    .option('--list', 'list the recipes with a one-line description and the data each needs')
    .allowExcessArguments(false);
  for (const recipe of listRecipes()) {
    const cmd = train.command(recipe.name).description(`${recipe.description}\ndata: ${recipe.data.description}`);
    addRecipeOptions(cmd, recipe);
    addRunOptions(cmd);
    cmd.action((opts: Record<string, unknown>) => trainAction(recipe, opts));
  }
  train.action(async (name: string | undefined, opts: { list?: boolean }) => {
    if (opts.list) {
      process.stdout.write(`${recipeList()}\n`);
      return;
    }
    if (name !== undefined) getRecipe(name); // an unknown name: the error lists every recipe
    await runTrain(name ?? 'mlp', {});
  });

  program
    .command('eval')
    .description('accuracy and confusion matrix of a classifier run (mlp, cnn) on Fashion-MNIST')
    .argument('<checkpoint>', 'checkpoint.safetensors or model.safetensors of a run')
    .option('--data-dir <dir>', 'data directory (default $SHINSOU_DATA or ~/.cache/shinsou)')
    .option('--split <split>', 'test | train', 'test')
    .option('--limit <n>', 'use only the first n examples', intArg('limit', 1))
    .action(async (checkpoint: string, opts: EvalCommandOptions) => {
      await runEval(checkpoint, opts);
    });
}

/**
 * A trained run read back from disk: the recipe that trained it, its options, and its model with
 * the trained weights. Used by `shinsou export`, and as the teacher of `distill` and the model of
 * `prune` (both given as `--teacher RUN` / `--model RUN`).
 *
 * A run is a run folder (metrics.json + model.safetensors, as `shinsou train` writes it), or a
 * model.safetensors inside one. The recipe name and options come from metrics.json; a language
 * model's safetensors also records its model options (`model` in the metadata), which rebuild it
 * without the text it was trained on. A distill or prune run is rebuilt from the run it names
 * (--teacher / --model): the student's shape, or the pruned shape with its masks.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Module, StateDict } from '../nn/module.js';
import { getRecipe, recipeOptions, type Recipe } from '../train/registry.js';
import type { OptionValues } from '../train/options.js';
import { RNNLanguageModel, type LanguageModelOptions } from '../models/rnn/lm.js';
import { checkOptions, checkRest } from '../tensor/validate.js';
import { loadFile } from './checkpoint.js';
import { loadPrunedState } from '../compress/prune.js';

export interface TrainedRun {
  /** The run folder. */
  dir: string;
  /** model.safetensors of the run. */
  modelFile: string;
  recipe: Recipe<any, any, any>;
  /** The recipe's options as the run used them (metrics.json). */
  options: Record<string, unknown>;
  /** The weights, as saved. */
  state: StateDict;
  /** The safetensors metadata (recipe, and the model options of a language model). */
  metadata: Record<string, string>;
}

/** The run folder and model file a path names (a folder, or a file inside one). */
function runPaths(path: string): { dir: string; modelFile: string } {
  if (!existsSync(path)) throw new Error(`loadTrainedRun: ${path} does not exist (expected a run folder written by 'shinsou train')`);
  if (statSync(path).isDirectory()) return { dir: path, modelFile: join(path, 'model.safetensors') };
  const dir = dirname(path);
  return { dir, modelFile: basename(path) === 'checkpoint.safetensors' ? join(dir, 'model.safetensors') : path };
}

/**
 * Reads a trained run: recipe, options and weights.
 * @example const run = loadTrainedRun('runs/cnn-0'); const model = buildTrainedModel(run);
 */
export function loadTrainedRun(path: string, ...extra: never[]): TrainedRun {
  checkRest('loadTrainedRun', extra, 1, 'loadTrainedRun(path)');
  if (typeof path !== 'string' || path === '')
    throw new Error(`loadTrainedRun: path must be a run folder or a file in one, got ${String(path)}`);
  const { dir, modelFile } = runPaths(path);
  const metricsFile = join(dir, 'metrics.json');
  if (!existsSync(modelFile)) throw new Error(`loadTrainedRun: ${modelFile} is missing (a run writes it after its first epoch)`);
  if (!existsSync(metricsFile))
    throw new Error(`loadTrainedRun: ${metricsFile} is missing (expected a run folder written by 'shinsou train')`);
  const info = JSON.parse(readFileSync(metricsFile, 'utf8')) as { recipe?: unknown; options?: unknown };
  if (typeof info.recipe !== 'string') throw new Error(`loadTrainedRun: ${metricsFile} names no recipe`);
  const recipe = getRecipe(info.recipe);
  const options = recipeOptions(recipe, (info.options ?? {}) as Record<string, unknown>);
  const file = loadFile(modelFile);
  return { dir, modelFile, recipe, options, state: file.tensors, metadata: file.metadata ?? {} };
}

export interface BuildTrainedModelOptions {
  /** The data the recipe's model needs for its sizes (most need none; the language models carry theirs in the metadata). */
  data?: unknown;
}

/**
 * The run's model with its trained weights loaded, in eval mode. A language model is rebuilt from
 * the model options in its safetensors metadata; every other recipe from `recipe.model(options)`.
 */
export function buildTrainedModel(run: TrainedRun, opts: BuildTrainedModelOptions = {}, ...extra: never[]): Module<any, any> {
  checkRest('buildTrainedModel', extra, 2, 'buildTrainedModel(run, { data? })');
  const o = checkOptions('buildTrainedModel', 2, opts, { data: 'any' });
  const meta = run.metadata['model'];
  // distill and prune runs name the run they started from: their model is built from it.
  const from =
    run.recipe.data.id === 'fashion-mnist+model'
      ? run.options['model']
      : run.recipe.data.id === 'fashion-mnist+teacher'
        ? run.options['teacher']
        : undefined;
  const data =
    typeof from === 'string' ? { trained: { recipe: '', path: from, build: () => buildTrainedModel(loadTrainedRun(from)) } } : o.data;
  const model: Module<any, any> =
    meta !== undefined && run.recipe.family === 'rnn'
      ? new RNNLanguageModel(JSON.parse(meta) as LanguageModelOptions)
      : (run.recipe.model(run.options as OptionValues<any>, data) as Module<any, any>);
  loadPrunedState(model, run.state); // a pruned run's masks come back with its weights
  return model.eval();
}

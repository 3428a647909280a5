/**
 * The one recipe registry. A recipe declares, once: its name and one-line description, the data
 * it needs, its options (typed, with defaults and help: src/train/options.ts), its model, and how
 * to prepare a run (the TrainTask and the Trainer's settings). Families register their recipes
 * from their own folders (src/models/classifier/recipes.ts, src/models/rnn/recipes.ts); the
 * `shinsou train` command iterates this registry for --list, --help and option parsing.
 */
import type { OptionsSpec, OptionValues } from './options.js';
import { resolveOptions } from './options.js';
import type { TrainTask, TrainerOptions } from './trainer.js';

/** What data a recipe needs; `id` selects the loader (the CLI maps ids to Node loaders). */
export interface DataRequirement {
  /** 'fashion-mnist', 'kjv', or 'generated' (made by the recipe, nothing to load). */
  id: string;
  /** One line for --list: what it is and where it comes from. */
  description: string;
}

/** A prepared run of a recipe. */
export interface RecipeRun {
  task: TrainTask;
  /** The Trainer's settings (epochs, evaluation, monitor, early stopping...); callbacks come from the caller. */
  trainer: Omit<TrainerOptions, 'callbacks' | 'info'>;
  /** One or two lines about the model and the data, for the log. */
  summary: string;
  /** Files the run produces (name -> contents), e.g. model.safetensors, samples.txt; written by the CLI. */
  artifacts?(): Record<string, string | Uint8Array>;
}

export interface Recipe<S extends OptionsSpec = OptionsSpec, D = any, M = unknown> {
  name: string;
  /** The model family folder under src/models. */
  family: string;
  description: string;
  data: DataRequirement;
  /** Every option; each must include `epochs` and `seed`. */
  options: S;
  /** The recipe's model for these options (data-dependent sizes, e.g. the vocabulary, come from `data`). */
  model(o: OptionValues<S>, data: D): M;
  /** Builds the run: call after manualSeed(o.seed) (prepareRecipe does both). */
  prepare(o: OptionValues<S>, data: D): RecipeRun;
}

const REGISTRY = new Map<string, Recipe<any, any, any>>();

/** Adds a recipe; a second recipe of the same name is refused. */
export function registerRecipe<S extends OptionsSpec, D, M>(r: Recipe<S, D, M>): Recipe<S, D, M> {
  if (!r || typeof r.name !== 'string' || !/^[a-z][a-z0-9-]*$/.test(r.name))
    throw new Error(`registerRecipe: name must be lower-case kebab-case, got ${String(r?.name)}`);
  if (REGISTRY.has(r.name))
    throw new Error(`registerRecipe: a recipe named '${r.name}' is already registered (family ${REGISTRY.get(r.name)!.family})`);
  for (const key of ['epochs', 'seed']) {
    if (!r.options[key]) throw new Error(`registerRecipe: recipe '${r.name}' must declare the '${key}' option`);
  }
  REGISTRY.set(r.name, r);
  return r;
}

/** Every registered recipe, in registration order. */
export function listRecipes(): Recipe<any, any, any>[] {
  return [...REGISTRY.values()];
}

/** The recipe of that name; an unknown name is refused with the full list. */
export function getRecipe(name: string): Recipe<any, any, any> {
  const r = REGISTRY.get(name);
  if (!r) throw new Error(`unknown recipe '${name}': expected one of ${[...REGISTRY.keys()].join(', ')}`);
  return r;
}

/** Validated options of a recipe: defaults overlaid with `given` (unknown keys and bad values refused). */
export function recipeOptions(r: Recipe<any, any, any>, given: Record<string, unknown> = {}): Record<string, unknown> {
  return resolveOptions(`recipe '${r.name}'`, r.options, given);
}

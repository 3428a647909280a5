/** From a recipe name and options to a ready Trainer: validate, seed, prepare, wire callbacks. */
import { manualSeed } from '../tensor/random.js';
import { getRecipe, recipeOptions, type Recipe, type RecipeRun } from './registry.js';
import { Trainer, type Callback } from './trainer.js';
import { rejectUnknownKeys } from './options.js';

/** How this run is carried out, beyond the recipe's own settings. */
export interface RunSettings {
  /** Offer a checkpoint every this many steps (default: at epoch ends only). */
  checkpointEvery?: number;
}

export interface PreparedRun {
  recipe: Recipe<any, any, any>;
  options: Record<string, unknown>;
  run: RecipeRun;
  trainer: Trainer;
}

/**
 * Validates `given` against the recipe's declaration, seeds the global generator with the
 * `seed` option (so the model's init is reproducible), prepares the run and wraps it in a Trainer
 * whose snapshots record the recipe and its options.
 * @example
 * const { trainer } = prepareRecipe('adding', { steps: 200 }, null);
 * await trainer.fit();
 */
export function prepareRecipe(
  recipe: string | Recipe<any, any, any>,
  given: Record<string, unknown>,
  data: unknown,
  callbacks: Callback[] = [],
  run: RunSettings = {},
): PreparedRun {
  rejectUnknownKeys('prepareRecipe run settings', run, ['checkpointEvery']);
  const r = typeof recipe === 'string' ? getRecipe(recipe) : recipe;
  const options = recipeOptions(r, given);
  manualSeed(options['seed'] as number);
  const prepared = r.prepare(options as never, data);
  const trainer = new Trainer(prepared.task, { ...prepared.trainer, ...run, callbacks, info: { recipe: r.name, options } });
  return { recipe: r, options, run: prepared, trainer };
}

/**
 * The loaders behind the recipes' data requirements (DataRequirement.id), for Node:
 *   fashion-mnist  -> ClassifierData (src/models/classifier/recipes.ts), with the class names for
 *                     the autoencoder/VAE pictures (ImageData, src/models/vae/recipes.ts)
 *   kjv            -> KjvData (src/models/rnn/recipes.ts)
 *   wesnoth        -> WesnothData (src/models/dialogue/recipes.ts)
 *   bible-es-en    -> TranslationData (src/models/translation/recipes.ts)
 *   generated      -> null (the recipe makes its own data)
 */
import { loadFashionMnist, FASHION_MNIST_CLASSES } from './fashion-mnist.js';
import { loadKjv, splitByBook } from './kjv.js';
import type { ClassifierData } from '../models/classifier/recipes.js';
import type { KjvData } from '../models/rnn/recipes.js';
import { loadWesnothDialogue } from './wesnoth.js';
import type { WesnothData } from '../models/dialogue/recipes.js';
import { loadBibleParallel } from './bible-parallel.js';
import type { TranslationData } from '../models/translation/recipes.js';

export interface RecipeDataOptions {
  /** Data directory (default $SHINSOU_DATA or ~/.cache/shinsou). */
  dataDir?: string;
  log?: (line: string) => void;
}

type Loader = (o: RecipeDataOptions) => Promise<unknown>;

async function fashion(o: RecipeDataOptions): Promise<ClassifierData & { source: string; classes: readonly string[] }> {
  const opts = { ...(o.dataDir !== undefined ? { dataDir: o.dataDir } : {}), ...(o.log ? { log: o.log } : {}) };
  const train = await loadFashionMnist('train', opts);
  const test = await loadFashionMnist('test', opts);
  return {
    train: { images: train.images, labels: train.labels },
    test: { images: test.images, labels: test.labels },
    source: train.files.images,
    classes: FASHION_MNIST_CLASSES,
  };
}

async function kjv(o: RecipeDataOptions): Promise<KjvData> {
  const { verses, source } = await loadKjv({
    ...(o.dataDir !== undefined ? { dataDir: o.dataDir } : {}),
    ...(o.log ? { log: o.log } : {}),
  });
  return { source, split: (b) => splitByBook(verses, { valid: b.valid, test: b.test, ...(b.train ? { train: b.train } : {}) }) };
}

async function wesnoth(o: RecipeDataOptions): Promise<WesnothData> {
  return loadWesnothDialogue({ ...(o.dataDir !== undefined ? { dataDir: o.dataDir } : {}), ...(o.log ? { log: o.log } : {}) });
}

async function bibleEsEn(o: RecipeDataOptions): Promise<TranslationData> {
  return loadBibleParallel({ ...(o.dataDir !== undefined ? { dataDir: o.dataDir } : {}), ...(o.log ? { log: o.log } : {}) });
}

export const RECIPE_DATA_LOADERS: Record<string, Loader> = {
  'fashion-mnist': fashion,
  kjv,
  wesnoth,
  'bible-es-en': bibleEsEn,
  generated: async () => null,
};

/** Loads what a recipe's data requirement names; an unknown id is refused with the known ones. */
export async function loadRecipeData(id: string, o: RecipeDataOptions = {}): Promise<unknown> {
  const load = RECIPE_DATA_LOADERS[id];
  if (!load) throw new Error(`loadRecipeData: no loader for data '${id}' (known: ${Object.keys(RECIPE_DATA_LOADERS).join(', ')})`);
  return load(o);
}

/**
 * The loaders behind the recipes' data requirements (DataRequirement.id), for Node:
 *   fashion-mnist  -> ClassifierData (src/models/classifier/recipes.ts), with the class names for
 *                     the autoencoder/VAE pictures (ImageData, src/models/vae/recipes.ts)
 *   kjv            -> KjvData (src/models/rnn/recipes.ts)
 *   wesnoth        -> WesnothData (src/models/dialogue/recipes.ts)
 *   bible-es-en    -> TranslationData (src/models/translation/recipes.ts)
 *   generated      -> null (the recipe makes its own data)
 *   fashion-mnist+teacher, fashion-mnist+model
 *                  -> ClassifierData with a trained model read from the run folder named by the
 *                     recipe's option `teacher` (distill) or `model` (prune): TrainedModelData,
 *                     src/compress/recipes.ts
 */
import { loadFashionMnist, FASHION_MNIST_CLASSES } from './fashion-mnist.js';
import { loadKjv, splitByBook } from './kjv.js';
import type { ClassifierData } from '../models/classifier/recipes.js';
import type { KjvData } from '../models/rnn/recipes.js';
import { loadWesnothDialogue } from './wesnoth.js';
import type { WesnothData } from '../models/dialogue/recipes.js';
import { loadBibleParallel } from './bible-parallel.js';
import type { TranslationData } from '../models/translation/recipes.js';
import type { TrainedModelData } from '../compress/recipes.js';
import { buildTrainedModel, loadTrainedRun } from './trained-run.js';

export interface RecipeDataOptions {
  /** Data directory (default $SHINSOU_DATA or ~/.cache/shinsou). */
  dataDir?: string;
  log?: (line: string) => void;
  /** The recipe's options (the loaders of trained models read the run folder they name). */
  options?: Record<string, unknown>;
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

/** Fashion-MNIST and the trained model of the run folder named by the recipe option `option`. */
function fashionWithModel(option: 'teacher' | 'model'): Loader {
  return async (o) => {
    const path = o.options?.[option];
    if (typeof path !== 'string' || path === '')
      throw new Error(`loadRecipeData: this recipe needs --${option} RUN, a run folder written by 'shinsou train' (e.g. runs/cnn-0)`);
    const run = loadTrainedRun(path);
    buildTrainedModel(run); // fails here, before the data loads, if the weights do not fit
    o.log?.(`${option}: ${run.recipe.name} from ${run.modelFile}`);
    const build = (): ReturnType<TrainedModelData['trained']['build']> =>
      buildTrainedModel(run) as ReturnType<TrainedModelData['trained']['build']>;
    const data: TrainedModelData = { ...(await fashion(o)), trained: { recipe: run.recipe.name, path: run.modelFile, build } };
    return data;
  };
}

export const RECIPE_DATA_LOADERS: Record<string, Loader> = {
  'fashion-mnist': fashion,
  kjv,
  wesnoth,
  'bible-es-en': bibleEsEn,
  generated: async () => null,
  'fashion-mnist+teacher': fashionWithModel('teacher'),
  'fashion-mnist+model': fashionWithModel('model'),
};

/** Loads what a recipe's data requirement names; an unknown id is refused with the known ones. */
export async function loadRecipeData(id: string, o: RecipeDataOptions = {}): Promise<unknown> {
  const load = RECIPE_DATA_LOADERS[id];
  if (!load) throw new Error(`loadRecipeData: no loader for data '${id}' (known: ${Object.keys(RECIPE_DATA_LOADERS).join(', ')})`);
  return load(o);
}

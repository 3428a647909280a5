/**
 * Autoencoder and VAE recipes on Fashion-MNIST, in the one registry (src/train):
 *   ae        dense autoencoder 784-512-latent-512-784                 20 epochs of batch 128
 *   conv-ae   conv autoencoder conv32-conv64-latent-deconv64-deconv32   10 epochs of batch 128
 *   vae       dense VAE 784-512-(mu, log sigma^2)-latent-512-784       20 epochs of batch 128
 *   conv-vae  conv VAE, the conv-ae's bodies with the VAE's heads      10 epochs of batch 128
 * All: Adam at a constant learning rate, pixel intensities in [0, 1] as the targets of a Bernoulli
 * decoder (or a Gaussian one with --decoder gaussian), the loss in nats per image averaged over
 * the batch, the test set evaluated after every epoch (the VAE: -ELBO, reconstruction and KL, one
 * Z per image drawn from a fixed-seed generator, so every evaluation sees the same eps).
 * `--latent 2` adds the latent scatter and the decoded manifold to the pictures.
 */
import type { Tensor } from '../../tensor/tensor.js';
import { Generator } from '../../tensor/random.js';
import { randn } from '../../tensor/creation.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { checkOptions, checkRest, describe } from '../../tensor/validate.js';
import { mean } from '../../ops/index.js';
import { Adam } from '../../optim/adam.js';
import { TensorDataset, gatherRows } from '../../data/dataset.js';
import { takeFirst } from '../classifier/evaluate.js';
import { DataLoader, type DataLoaderState } from '../../data/dataloader.js';
import { encodeSafetensors } from '../../io/safetensors.js';
import { choiceOption, intOption, numberOption, type OptionValues } from '../../train/options.js';
import { registerRecipe, type Recipe, type RecipeRun } from '../../train/registry.js';
import { BatchStream } from '../../train/stream.js';
import { optimizeStep } from '../../train/step.js';
import type { TaskState } from '../../train/trainer.js';
import { Autoencoder } from './autoencoder.js';
import { VAE, vaeLoss } from './vae.js';
import { reconstructionNll, type ReconstructionOptions } from './losses.js';
import type { Architecture } from './nets.js';
import { examplesPerClass, latentScatterSpec, manifoldPng, priorSamplesPng, reconstructionsPng, type PictureModel } from './pictures.js';

/** What these recipes train on: Fashion-MNIST images in [0, 1] with labels (labels only colour the scatter). */
export interface ImageData {
  train: { images: Tensor; labels: Tensor };
  test: { images: Tensor; labels: Tensor };
  /** Class names for the scatter's legend (src/node/recipe-data.ts gives Fashion-MNIST's). */
  classes?: readonly string[];
}

export type VaeRecipeName = 'ae' | 'conv-ae' | 'vae' | 'conv-vae';
const RECIPE_NAMES: readonly VaeRecipeName[] = ['ae', 'conv-ae', 'vae', 'conv-vae'];

function vaeOptions(d: { epochs: number }) {
  return {
    epochs: intOption(d.epochs, 'passes over the training set', { min: 1, max: 100_000 }),
    batchSize: intOption(128, 'mini-batch size', { min: 1, max: 1_000_000 }),
    lr: numberOption(1e-3, 'Adam learning rate (constant)', { min: 0, exclusiveMin: true }),
    latent: intOption(20, 'size of the latent Z (2 adds the latent scatter and the manifold pictures)', { min: 1, max: 4096 }),
    hidden: intOption(512, 'width of the dense hidden layer (dense models only)', { min: 1, max: 65536 }),
    decoder: choiceOption(['bernoulli', 'gaussian'] as const, 'bernoulli', "the decoder's likelihood p(x|Z)"),
    decoderStd: numberOption(0.1, "the Gaussian decoder's standard deviation", { min: 0, exclusiveMin: true }),
    seed: intOption(0, 'seed of the init, the shuffle and the eps of the reparameterisation', { max: 0xffffffff }),
    limit: intOption(0, 'use only the first n training examples (0: all)'),
  };
}
type VaeSpec = ReturnType<typeof vaeOptions>;
type VaeOptionValues = OptionValues<VaeSpec>;

/** The eps of the test evaluation and the pictures come from generators seeded apart from training's. */
const EVAL_SEED_OFFSET = 1_000_003;
const PICTURE_SEED_OFFSET = 2_000_003;
const EVAL_BATCH = 1000;

const archOf = (name: VaeRecipeName): Architecture => (name.startsWith('conv') ? 'conv' : 'dense');
const isVariational = (name: VaeRecipeName): boolean => name.endsWith('vae');

/**
 * The model of a recipe for these options (the VAE draws eps from `generator`, default the global one).
 * @example const vae = buildVaeModel('vae', { latent: 2 }); // the vae recipe's network, 784-512-2
 */
export function buildVaeModel(
  name: VaeRecipeName,
  o: { latent?: number; hidden?: number } = {},
  generator?: Generator,
  ...extra: never[]
): Autoencoder | VAE {
  if (!RECIPE_NAMES.includes(name))
    throw new Error(`buildVaeModel: name must be one of ${RECIPE_NAMES.map((n) => `'${n}'`).join(', ')}, got ${describe(name)}`);
  const opts = checkOptions('buildVaeModel', 2, o, { latent: 'positiveInt', hidden: 'positiveInt' });
  if (generator !== undefined && !(generator instanceof Generator))
    throw new TypeError(`buildVaeModel: argument 3 (generator) must be a Generator, got ${describe(generator)}`);
  checkRest('buildVaeModel', extra, 3, 'buildVaeModel(name, {latent, hidden}, generator?)');
  const base = { arch: archOf(name), latent: opts.latent ?? 20, hidden: opts.hidden ?? 512 };
  return isVariational(name) ? new VAE({ ...base, ...(generator ? { generator } : {}) }) : new Autoencoder(base);
}

/** Test metrics in nats per image: the autoencoder's reconstruction, or the VAE's -ELBO with its two terms. */
function evaluateModel(model: Autoencoder | VAE, images: Tensor, rec: ReconstructionOptions, seed: number): Record<string, number> {
  const was = model.training;
  model.eval();
  const n = images.shape[0]!;
  const g = new Generator(seed);
  let recon = 0;
  let kl = 0;
  noGrad(() => {
    for (let at = 0; at < n; at += EVAL_BATCH) {
      const idx = Array.from({ length: Math.min(EVAL_BATCH, n - at) }, (_, i) => at + i);
      const x = gatherRows(images, idx);
      if (model instanceof VAE) {
        const out = model.forward(x, randn([idx.length, model.latent], { generator: g }));
        const l = vaeLoss(out, x, rec);
        recon += l.recon.item() * idx.length;
        kl += l.kl.item() * idx.length;
      } else {
        recon += mean(reconstructionNll(model.forward(x).logits, x, rec)).item() * idx.length;
      }
    }
  });
  model.train(was);
  if (!(model instanceof VAE)) return { testLoss: recon / n };
  return { testLoss: (recon + kl) / n, testRecon: recon / n, testKl: kl / n };
}

function pictureModel(model: Autoencoder | VAE): PictureModel {
  return {
    latent: model.latent,
    module: model,
    decode: (z) => model.decode(z),
    embed: (x) => (model instanceof VAE ? model.encode(x).mu : model.encode(x)),
  };
}

/** The run of an autoencoder or VAE recipe. */
function prepareVae(name: VaeRecipeName, description: string, o: VaeOptionValues, data: ImageData): RecipeRun {
  const generator = new Generator(o.seed);
  const model = buildVaeModel(name, { latent: o.latent, hidden: o.hidden }, generator);
  const optimizer = new Adam(model.parameters(), { lr: o.lr });
  const rec: ReconstructionOptions = { decoder: o.decoder, decoderStd: o.decoderStd };
  const train = takeFirst(data.train, o.limit).images;
  const test = data.test;
  const loader = new DataLoader<Tensor[], Tensor[]>(new TensorDataset(train), { batchSize: o.batchSize, shuffle: true, seed: o.seed });
  const batches = new BatchStream(loader);
  const classes = data.classes ?? Array.from({ length: 10 }, (_, i) => String(i));
  const shown = examplesPerClass(test.labels, 10, 2);
  const pm = pictureModel(model);
  const title = `${name} on Fashion-MNIST, latent ${o.latent}`;
  return {
    summary: `${description}: ${model.numParameters()} parameters; ${train.shape[0]} training images, ${test.images.shape[0]} test; ${o.decoder} decoder`,
    task: {
      modules: { model },
      optimizers: { adam: optimizer },
      stepsPerEpoch: loader.length,
      trainStep: () => {
        model.train();
        const [x] = batches.next();
        const k = x!.shape[0]!;
        if (model instanceof VAE) {
          const l = vaeLoss(model.forward(x!), x!, rec);
          const loss = optimizeStep(optimizer, l.loss);
          return { loss, examples: k, totals: { recon: l.recon.item() * k, kl: l.kl.item() * k } };
        }
        const loss = optimizeStep(optimizer, mean(reconstructionNll(model.forward(x!).logits, x!, rec)));
        return { loss, examples: k };
      },
      evaluate: () => evaluateModel(model, test.images, rec, o.seed + EVAL_SEED_OFFSET),
      saveState: (): TaskState => ({ json: { batches: batches.state(), eps: generator.getState() } }),
      loadState: (s) => {
        const j = s.json as { batches: DataLoaderState; eps: number[] };
        batches.load(j.batches);
        generator.setState(j.eps);
      },
    },
    trainer: { epochs: o.epochs },
    artifacts: () => {
      const files: Record<string, string | Uint8Array> = {
        'model.safetensors': encodeSafetensors(model.stateDict(), { format: 'pt', recipe: name }),
        'reconstructions.png': reconstructionsPng(pm, test.images, shown, 10),
      };
      if (model instanceof VAE) files['samples.png'] = priorSamplesPng(pm, 64, o.seed + PICTURE_SEED_OFFSET);
      if (o.latent === 2) {
        const spec = latentScatterSpec(pm, test.images, test.labels, classes, { n: 3000, title: `${title}: test images` });
        files['latent.vl.json'] = `${JSON.stringify(spec)}\n`;
        if (model instanceof VAE) files['manifold.png'] = manifoldPng(pm);
      }
      return files;
    },
  };
}

function vaeRecipe(name: VaeRecipeName, description: string, epochs: number): Recipe<VaeSpec, ImageData, Autoencoder | VAE> {
  return {
    name,
    family: 'vae',
    description,
    data: { id: 'fashion-mnist', description: 'Fashion-MNIST images (Debian dataset-fashion-mnist, or downloaded)' },
    options: vaeOptions({ epochs }),
    model: (o) => buildVaeModel(name, { latent: o.latent, hidden: o.hidden }),
    prepare: (o, data) => prepareVae(name, description, o, data),
  };
}

export const AE_RECIPE = registerRecipe(vaeRecipe('ae', 'dense autoencoder 784-512-latent-512-784, ReLU, Adam', 20));
export const CONV_AE_RECIPE = registerRecipe(
  vaeRecipe('conv-ae', 'conv autoencoder conv4x4s2(32)-conv4x4s2(64)-latent-deconv(64->32)-deconv(32->1), ReLU, Adam', 10),
);
export const VAE_RECIPE = registerRecipe(
  vaeRecipe('vae', 'VAE 784-512-(mu, log sigma^2)-latent-512-784, reparameterised Z, -ELBO = reconstruction + KL, Adam', 20),
);
export const CONV_VAE_RECIPE = registerRecipe(
  vaeRecipe('conv-vae', "VAE with the conv-ae's encoder and decoder, reparameterised Z, -ELBO = reconstruction + KL, Adam", 10),
);

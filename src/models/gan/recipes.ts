/**
 * GAN recipes on Fashion-MNIST, in the one registry (src/train):
 *   gan     fully connected G (64-256-512-784, BN, ReLU, tanh) and D (784-512-256-1, LeakyReLU)
 *   dcgan   convolutional G (transposed convolutions) and D (strided convolutions), BatchNorm
 * Both alternate one D update and one G update per batch with two Adam optimizers (lr 2e-4,
 * betas (0.5, 0.999), the DCGAN paper's), on images scaled to [-1, 1]. After every epoch the run
 * writes a grid of G's samples from one fixed noise batch (samples-epochNN.png) and the
 * generator's weights (generator.safetensors); `shinsou gan-eval` measures a Frechet distance and
 * the class coverage of a generator (src/models/gan/quality.ts).
 */
import type { Tensor } from '../../tensor/tensor.js';
import { checkRest, checkTensor, describe } from '../../tensor/validate.js';
import { randn } from '../../tensor/creation.js';
import { Generator } from '../../tensor/random.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { add, mean, mul, sigmoid } from '../../ops/index.js';
import { Adam } from '../../optim/adam.js';
import { TensorDataset, gatherRows } from '../../data/dataset.js';
import { DataLoader, type DataLoaderState } from '../../data/dataloader.js';
import { encodeSafetensors } from '../../io/safetensors.js';
import { encodePng, imageGrid } from '../../io/image.js';
import { choiceOption, intOption, numberOption, type OptionValues } from '../../train/options.js';
import { registerRecipe, type Recipe, type RecipeRun } from '../../train/registry.js';
import { BatchStream } from '../../train/stream.js';
import { optimizeStep } from '../../train/step.js';
import { takeFirst } from '../classifier/evaluate.js';
import type { ClassifierData } from '../classifier/recipes.js';
import { GanDiscriminator, GanGenerator, type GanArchitecture } from './models.js';
import { discriminatorLoss, generatorLoss, GENERATOR_LOSS_KINDS } from './loss.js';

/** Pixels in [0, 1] to G's range [-1, 1]: x -> 2x - 1. */
export function toTanhRange(images: Tensor, ...extra: never[]): Tensor {
  checkTensor('toTanhRange', images, 'argument 1 (images)');
  checkRest('toTanhRange', extra, 1, 'toTanhRange(images)');
  return add(mul(images, 2), -1);
}

function ganOptions(d: { epochs: number; features: number }) {
  return {
    epochs: intOption(d.epochs, 'passes over the training set', { min: 1, max: 100_000 }),
    batchSize: intOption(64, 'mini-batch size (real images per D update, generated images per G update)', { min: 2, max: 1_000_000 }),
    lr: numberOption(2e-4, 'learning rate of both Adam optimizers', { min: 0, exclusiveMin: true }),
    beta1: numberOption(0.5, "Adam's beta1 for both optimizers", { min: 0, max: 0.999999 }),
    beta2: numberOption(0.999, "Adam's beta2 for both optimizers", { min: 0, max: 0.999999 }),
    latent: intOption(64, 'size of the latent z ~ N(0, I)', { min: 1 }),
    features: intOption(d.features, 'DCGAN channels f (stages of f and 2f); unused by the fully connected GAN', { min: 1 }),
    loss: choiceOption(
      GENERATOR_LOSS_KINDS,
      'non-saturating',
      "G's loss: 'minimax' (descend log(1 - D(G(z)))) or 'non-saturating' (ascend log D(G(z)))",
    ),
    seed: intOption(0, 'seed of the init, the shuffle and the noise', { max: 0xffffffff }),
    limit: intOption(0, 'use only the first n training images (0: all)'),
  };
}
type GanSpec = ReturnType<typeof ganOptions>;

/** G and D of a recipe's options (what `model()` and the run build). */
function buildGan(architecture: GanArchitecture, o: { latent: number; features: number }): { g: GanGenerator; d: GanDiscriminator } {
  const opts = { latent: o.latent, features: o.features };
  return { g: new GanGenerator(architecture, opts), d: new GanDiscriminator(architecture, opts) };
}

/** Images of G for latents z, in eval mode (BatchNorm's running statistics), without a graph. */
export function generate(g: GanGenerator, z: Tensor, ...extra: never[]): Tensor {
  if (!(g instanceof GanGenerator)) throw new TypeError(`generate: argument 1 (g) must be a GanGenerator, got ${describe(g)}`);
  checkTensor('generate', z, 'argument 2 (z)');
  checkRest('generate', extra, 2, 'generate(generator, z [N, latent])');
  const wasTraining = g.training;
  g.eval();
  try {
    return noGrad(() => g.forward(z));
  } finally {
    g.train(wasTraining);
  }
}

/** The metadata saved with a generator's weights, from which `loadGenerator` rebuilds it. */
function generatorMetadata(architecture: GanArchitecture, o: { latent: number; features: number }, recipe: string): Record<string, string> {
  return { format: 'pt', recipe, architecture, latent: String(o.latent), features: String(o.features) };
}

const SAMPLE_GRID = 64;
const EVAL_IMAGES = 1000;

function prepareGan(
  name: string,
  architecture: GanArchitecture,
  description: string,
  o: OptionValues<GanSpec>,
  data: ClassifierData,
): RecipeRun {
  const { g, d } = buildGan(architecture, o);
  const betas = { beta1: o.beta1, beta2: o.beta2 };
  const optG = new Adam(g.parameters(), { lr: o.lr, ...betas });
  const optD = new Adam(d.parameters(), { lr: o.lr, ...betas });
  const train = toTanhRange(takeFirst(data.train, o.limit).images);
  const n = train.shape[0]!;
  const evalReal = toTanhRange(
    gatherRows(
      data.test.images,
      Array.from({ length: Math.min(EVAL_IMAGES, data.test.images.shape[0]!) }, (_, i) => i),
    ),
  );
  // Fixed noise, drawn from its own generator so the global stream (init, training noise) is untouched:
  // the grid of every epoch shows the same z, and the D(G(z)) metric uses the same fakes.
  const noise = new Generator(o.seed + 1);
  const gridZ = randn([SAMPLE_GRID, o.latent], { generator: noise });
  const evalZ = randn([EVAL_IMAGES, o.latent], { generator: noise });
  const loader = new DataLoader<Tensor[], Tensor[]>(new TensorDataset(train), { batchSize: o.batchSize, shuffle: true, seed: o.seed });
  const batches = new BatchStream(loader);
  let epochsDone = 0;
  const meanProb = (logits: Tensor): number => mean(sigmoid(logits)).item();
  return {
    summary: `${description}: G ${g.numParameters()} parameters, D ${d.numParameters()}; ${n} training images; ` + `G's loss ${o.loss}`,
    task: {
      modules: { generator: g, discriminator: d },
      optimizers: { generator: optG, discriminator: optD },
      stepsPerEpoch: loader.length,
      trainStep: (ctx) => {
        g.train();
        d.train();
        const [real] = batches.next();
        const k = real!.shape[0]!;
        const fake = g.forward(randn([k, o.latent]));
        // D ascends V(D, G) = E_x[log D(x)] + E_z[log(1 - D(G(z)))]; G's images are constants here.
        const realLogits = d.forward(real!);
        const fakeLogits = d.forward(fake.detach());
        const lossD = optimizeStep(optD, discriminatorLoss(realLogits, fakeLogits));
        // G descends its loss through the updated D (D's gradients are cleared before D's next update).
        const lossG = optimizeStep(optG, generatorLoss(d.forward(fake), o.loss));
        if (ctx.batch === loader.length - 1) epochsDone = ctx.epoch + 1;
        const dReal = noGrad(() => meanProb(realLogits));
        const dFake = noGrad(() => meanProb(fakeLogits));
        return { loss: lossD + lossG, examples: k, totals: { lossD: lossD * k, lossG: lossG * k, dReal: dReal * k, dFake: dFake * k } };
      },
      evaluate: () => {
        // D's mean probability of "real" on held-out test images and on G's images of the fixed noise.
        const wasTraining = d.training;
        d.eval();
        try {
          const fakes = generate(g, evalZ);
          return noGrad(() => ({ testDReal: meanProb(d.forward(evalReal)), testDFake: meanProb(d.forward(fakes)) }));
        } finally {
          d.train(wasTraining);
        }
      },
      saveState: () => ({ json: { batches: batches.state(), epochsDone } }),
      loadState: (s) => {
        const j = s.json as { batches: DataLoaderState; epochsDone: number };
        batches.load(j.batches);
        epochsDone = j.epochsDone;
      },
    },
    trainer: { epochs: o.epochs },
    artifacts: () => {
      const grid = encodePng(imageGrid(generate(g, gridZ), { nrow: 8, range: [-1, 1] }));
      return {
        'generator.safetensors': encodeSafetensors(g.stateDict(), generatorMetadata(architecture, o, name)),
        'discriminator.safetensors': encodeSafetensors(d.stateDict(), generatorMetadata(architecture, o, name)),
        [`samples-epoch${String(epochsDone).padStart(2, '0')}.png`]: grid,
      };
    },
  };
}

function ganRecipe(
  name: string,
  architecture: GanArchitecture,
  description: string,
  d: { epochs: number; features: number },
): Recipe<GanSpec, ClassifierData, GanGenerator> {
  return {
    name,
    family: 'gan',
    description,
    data: { id: 'fashion-mnist', description: 'Fashion-MNIST images (Debian dataset-fashion-mnist, or downloaded)' },
    options: ganOptions(d),
    model: (o) => buildGan(architecture, o).g,
    prepare: (o, data) => prepareGan(name, architecture, description, o, data),
  };
}

export const GAN_RECIPE = registerRecipe(
  ganRecipe('gan', 'fc', 'GAN, fully connected: G 64-256-512-784 (BN, ReLU, tanh), D 784-512-256-1 (LeakyReLU 0.2)', {
    epochs: 1,
    features: 32,
  }),
);
export const DCGAN_RECIPE = registerRecipe(
  ganRecipe('dcgan', 'dcgan', 'DCGAN: G transposed convs 7x7 -> 14x14 -> 28x28 (BN, ReLU, tanh), D strided convs (BN, LeakyReLU 0.2)', {
    epochs: 2,
    features: 16,
  }),
);

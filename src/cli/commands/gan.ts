/**
 * `shinsou gan-eval`: the Frechet distance and class coverage (src/models/gan/quality.ts) of a
 * generator trained by `shinsou train gan|dcgan` (its generator.safetensors), or of a file of
 * samples (e.g. scripts/dcgan_torch.py's samples.safetensors), against the Fashion-MNIST test set,
 * with the features of a classifier trained by `shinsou train cnn` (its model.safetensors).
 */
import type { Command } from 'commander';
import { writeFileAtomic } from '../../node/files.js';
import { loadFile } from '../../node/checkpoint.js';
import { loadFashionMnist, FASHION_MNIST_CLASSES } from '../../node/fashion-mnist.js';
import { featureStatistics } from '../../metrics/frechet.js';
import { buildClassifier } from '../../models/classifier/index.js';
import { GanGenerator } from '../../models/gan/models.js';
import { classifierFeatures, sampleGenerator, sampleQuality, type SampleQuality } from '../../models/gan/quality.js';
import { rejectUnknownKeys } from '../../train/options.js';
import type { Tensor } from '../../tensor/tensor.js';
import { intArg } from '../options.js';

export interface GanEvalOptions {
  /** A generator.safetensors written by the gan/dcgan recipes (or by scripts/dcgan_torch.py). */
  generator?: string;
  /** A safetensors file with a tensor 'samples' [N, 1, 28, 28] in [-1, 1]. */
  samples?: string;
  /** model.safetensors of a classifier run (`shinsou train cnn`). */
  classifier: string;
  /** Samples drawn from the generator (default 10,000). */
  count?: number;
  /** Seed of the generator's latents (default 0). */
  seed?: number;
  dataDir?: string;
  /** Also write the result as JSON here. */
  out?: string;
  print?: (line: string) => void;
}

export interface GanEvalResult extends SampleQuality {
  source: string;
  classifier: string;
  /** The classifier's accuracy on the test set (how good the feature extractor is). */
  classifierTestAccuracy: number;
}

/** Loads a generator.safetensors: the architecture and sizes come from its metadata. */
export function loadGenerator(path: string): GanGenerator {
  const file = loadFile(path);
  const m = file.metadata;
  const arch = m['architecture'];
  if (arch !== 'fc' && arch !== 'dcgan')
    throw new Error(`gan-eval: ${path} is not a generator of the gan/dcgan recipes (metadata architecture ${String(arch)})`);
  const g = new GanGenerator(arch, { latent: Number(m['latent']), features: Number(m['features']) });
  g.loadStateDict(file.tensors);
  return g;
}

/** The work of `shinsou gan-eval`. */
export async function runGanEval(o: GanEvalOptions): Promise<GanEvalResult> {
  rejectUnknownKeys('gan-eval', o, ['generator', 'samples', 'classifier', 'count', 'seed', 'dataDir', 'out', 'print']);
  const print = o.print ?? ((s: string) => process.stdout.write(`${s}\n`));
  if ((o.generator === undefined) === (o.samples === undefined))
    throw new Error('gan-eval: give exactly one of --generator FILE and --samples FILE');
  const cfile = loadFile(o.classifier);
  const cname = cfile.metadata['recipe'];
  if (cname !== 'cnn' && cname !== 'mlp')
    throw new Error(
      `gan-eval: ${o.classifier} is not a classifier's model.safetensors (metadata recipe ${String(cname)}; train one with 'shinsou train cnn')`,
    );
  const classifier = buildClassifier(cname);
  classifier.loadStateDict(cfile.tensors);
  const test = await loadFashionMnist('test', o.dataDir !== undefined ? { dataDir: o.dataDir } : {});
  const real = classifierFeatures(classifier, test.images);
  const truth = test.labels.data as ArrayLike<number>;
  let correct = 0;
  for (let i = 0; i < real.labels.length; i++) if (real.labels[i] === truth[i]) correct++;
  const classifierTestAccuracy = correct / real.labels.length;
  let samples: Tensor;
  let source: string;
  if (o.generator !== undefined) {
    const g = loadGenerator(o.generator);
    samples = sampleGenerator(g, { count: o.count ?? 10_000, seed: o.seed ?? 0 });
    source = `${o.generator} (${samples.shape[0]} samples, seed ${o.seed ?? 0})`;
  } else {
    const file = loadFile(o.samples!);
    const s = file.tensors['samples'];
    if (!s) throw new Error(`gan-eval: ${o.samples} has no tensor 'samples' (it has ${Object.keys(file.tensors).join(', ')})`);
    samples = s;
    source = `${o.samples} (${samples.shape[0]} samples)`;
  }
  const q = sampleQuality(classifier, samples, featureStatistics(real.features));
  print(`samples: ${source}`);
  print(`features: the penultimate layer of ${o.classifier} ('${cname}', test accuracy ${classifierTestAccuracy.toFixed(4)})`);
  print(`Frechet distance to the ${real.labels.length} test images: ${q.fid.toFixed(3)}`);
  print(
    `class coverage: ${q.coverage.map((c, i) => `${FASHION_MNIST_CLASSES[i]} ${(100 * c).toFixed(1)}%`).join(', ')}; smallest ${(100 * q.minCoverage).toFixed(1)}%`,
  );
  const result: GanEvalResult = { ...q, source, classifier: o.classifier, classifierTestAccuracy };
  if (o.out !== undefined) writeFileAtomic(o.out, `${JSON.stringify(result, null, 2)}\n`);
  return result;
}

/** Registers `shinsou gan-eval`. */
export function registerGanCommands(program: Command): void {
  program
    .command('gan-eval')
    .description('Frechet distance and class coverage of a GAN generator (or of a samples file) on Fashion-MNIST')
    .option('--generator <file>', 'generator.safetensors of a gan/dcgan run')
    .option('--samples <file>', "safetensors with 'samples' [N, 1, 28, 28] in [-1, 1] (e.g. from scripts/dcgan_torch.py)")
    .requiredOption('--classifier <file>', "model.safetensors of a classifier run ('shinsou train cnn')")
    .option('--count <n>', 'samples drawn from the generator (default 10000)', intArg('count', 2))
    .option('--seed <n>', 'seed of the latents (default 0)', intArg('seed'))
    .option('--data-dir <dir>', 'Fashion-MNIST folder (default $SHINSOU_DATA or ~/.cache/shinsou, then Debian)')
    .option('--out <file>', 'also write the result as JSON')
    .action(async (opts: GanEvalOptions) => {
      await runGanEval(opts);
    });
}

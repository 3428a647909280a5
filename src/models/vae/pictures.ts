/**
 * The pictures of the autoencoder and VAE runs, as bytes (PNG through io.imageGrid + io.encodePng)
 * or as a Vega-Lite spec (the latent scatter; src/node/train-files.ts renders `*.vl.json`
 * artifacts to SVG). Browser-safe. Every picture draws its randomness from its own seeded
 * generator, so drawing one never moves a training stream.
 *   reconstructions  rows of test images, each row followed by its reconstructions sigmoid(Decoder(Encoder(x)))
 *   samples          sigmoid(Decoder(Z)) for Z ~ N(0, I): images the VAE makes from the prior
 *   manifold         sigmoid(Decoder(Z)) for Z on a grid over [-r, r]^2 (2-D latent; Kingma & Welling 2014, fig. 4)
 *   latent scatter   the encoder's mean of each test image, coloured by its class (2-D latent)
 */
import { Tensor } from '../../tensor/tensor.js';
import { randn } from '../../tensor/creation.js';
import { Generator } from '../../tensor/random.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { cat, sigmoid } from '../../ops/index.js';
import { gatherRows } from '../../data/dataset.js';
import { encodePng, imageGrid } from '../../io/image.js';
import type { Module } from '../../nn/module.js';

/** What the pictures need of a model: its decoder and an encoding to the latent point (mu for the VAE). */
export interface PictureModel {
  latent: number;
  decode(z: Tensor): Tensor;
  /** The latent point of each image: Z for the autoencoder, the mean mu of q(Z|x) for the VAE. */
  embed(x: Tensor): Tensor;
  module: Module<any, any>;
}

/** Runs f in eval mode without a graph, restoring the module's mode. */
function evalMode<T>(m: Module<any, any>, f: () => T): T {
  const was = m.training;
  m.eval();
  try {
    return noGrad(f);
  } finally {
    m.train(was);
  }
}

/** `perClass` examples of each class (the first ones in order), ordered by round then class. */
export function examplesPerClass(labels: Tensor, classes: number, perClass: number): number[] {
  const seen: number[][] = Array.from({ length: classes }, () => []);
  const y = labels.data;
  for (let i = 0; i < y.length; i++) {
    const c = Number(y[i]);
    if (c >= 0 && c < classes && seen[c]!.length < perClass) seen[c]!.push(i);
  }
  const out: number[] = [];
  for (let r = 0; r < perClass; r++) for (let c = 0; c < classes; c++) if (seen[c]![r] !== undefined) out.push(seen[c]![r]!);
  return out;
}

/** PNG: rows of `perRow` inputs, each followed by the row of their reconstructions. */
export function reconstructionsPng(m: PictureModel, images: Tensor, idx: readonly number[], perRow: number): Uint8Array {
  return evalMode(m.module, () => {
    const x = gatherRows(images, [...idx]);
    const y = sigmoid(m.decode(m.embed(x)));
    const rows: Tensor[] = [];
    for (let at = 0; at < idx.length; at += perRow) {
      const k = Array.from({ length: Math.min(perRow, idx.length - at) }, (_, i) => at + i);
      rows.push(gatherRows(x, k), gatherRows(y, k));
    }
    return encodePng(imageGrid(cat(rows, 0), { nrow: perRow }));
  });
}

/** PNG: n images decoded from Z ~ N(0, I), drawn from a generator seeded with `seed`. */
export function priorSamplesPng(m: PictureModel, n: number, seed: number, perRow = 8): Uint8Array {
  return evalMode(m.module, () => {
    const z = randn([n, m.latent], { generator: new Generator(seed) });
    return encodePng(imageGrid(sigmoid(m.decode(z)), { nrow: perRow }));
  });
}

/**
 * PNG: the decoded 2-D latent plane, steps x steps images for Z on an even grid over [-r, r]^2,
 * Z_1 growing to the right and Z_2 growing upwards.
 */
export function manifoldPng(m: PictureModel, steps = 20, r = 3): Uint8Array {
  if (m.latent !== 2) throw new Error(`manifoldPng: needs a 2-D latent, the model's has ${m.latent} dims`);
  return evalMode(m.module, () => {
    const z = new Float32Array(steps * steps * 2);
    const at = (i: number): number => -r + (2 * r * i) / (steps - 1);
    for (let row = 0; row < steps; row++)
      for (let col = 0; col < steps; col++) {
        z[(row * steps + col) * 2] = at(col);
        z[(row * steps + col) * 2 + 1] = at(steps - 1 - row);
      }
    return encodePng(imageGrid(sigmoid(m.decode(new Tensor(z, [steps * steps, 2]))), { nrow: steps, padding: 0 }));
  });
}

/** A Vega-Lite spec: the 2-D latent points of the first n images, one colour per class. */
export function latentScatterSpec(
  m: PictureModel,
  images: Tensor,
  labels: Tensor,
  classNames: readonly string[],
  o: { n: number; title: string },
): Record<string, unknown> {
  if (m.latent !== 2) throw new Error(`latentScatterSpec: needs a 2-D latent, the model's has ${m.latent} dims`);
  const n = Math.min(o.n, images.shape[0]!);
  const idx = Array.from({ length: n }, (_, i) => i);
  const z = evalMode(m.module, () => m.embed(gatherRows(images, idx))).data;
  const y = labels.data;
  const values = idx.map((i) => ({
    z1: Number(z[2 * i]!.toFixed(4)),
    z2: Number(z[2 * i + 1]!.toFixed(4)),
    class: classNames[Number(y[i])] ?? String(y[i]),
  }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: o.title,
    width: 480,
    height: 480,
    data: { values },
    mark: { type: 'circle', size: 12, opacity: 0.6 },
    encoding: {
      x: { field: 'z1', type: 'quantitative', title: 'Z_1' },
      y: { field: 'z2', type: 'quantitative', title: 'Z_2' },
      color: { field: 'class', type: 'nominal', sort: [...classNames], scale: { scheme: 'category10' }, title: 'class' },
    },
  };
}

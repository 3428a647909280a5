/**
 * The generator G and discriminator D of the two GANs, for 28x28 grey images in [-1, 1]
 * (Fashion-MNIST scaled by x -> 2x - 1) and a latent z ~ N(0, I) of size `latent`.
 *
 * Fully connected GAN (Goodfellow et al. 2014, "Generative Adversarial Nets", in spirit):
 *   G: z -> Linear(latent, 256) -> BN -> ReLU -> Linear(256, 512) -> BN -> ReLU -> Linear(512, 784) -> tanh
 *   D: x -> Linear(784, 512) -> LeakyReLU(0.2) -> Linear(512, 256) -> LeakyReLU(0.2) -> Linear(256, 1)
 *
 * DCGAN (Radford et al. 2016, "Unsupervised Representation Learning with Deep Convolutional
 * GANs"), with the curriculum's rules: no pooling (D downsamples with strided convolutions, G
 * upsamples with transposed convolutions), BatchNorm in both, ReLU in G and tanh at its output,
 * LeakyReLU in D, no fully connected hidden layer (G's first layer is a transposed convolution
 * of the 1x1 latent "image", D's last a 7x7 convolution to one logit). With f = features:
 *   G: z [N, latent, 1, 1] -> ConvT(latent, 2f, 7)         -> BN -> ReLU   [N, 2f, 7, 7]
 *                          -> ConvT(2f, f, 4, stride 2, pad 1) -> BN -> ReLU [N, f, 14, 14]
 *                          -> ConvT(f, 1, 4, stride 2, pad 1) -> tanh       [N, 1, 28, 28]
 *   D: x [N, 1, 28, 28]    -> Conv(1, f, 4, stride 2, pad 1)  -> LeakyReLU(0.2)        [N, f, 14, 14]
 *                          -> Conv(f, 2f, 4, stride 2, pad 1) -> BN -> LeakyReLU(0.2) [N, 2f, 7, 7]
 *                          -> Conv(2f, 1, 7)                                          [N, 1, 1, 1] -> logit [N]
 * (The paper's D has no BatchNorm on its input layer and G none on its output layer; so here.)
 *
 * Both networks give D's output as a logit l: D(x) = sigmoid(l), so the losses (loss.ts) use the
 * stable log-sigmoid forms. Weights are drawn from N(0, 0.02) and BatchNorm scales from N(1, 0.02),
 * as the DCGAN paper prescribes. Keys follow torch.nn.Sequential inside a `net` attribute
 * ('net.0.weight', ...), so scripts/dcgan_torch.py's modules load the same state dicts.
 */
import type { Tensor } from '../../tensor/tensor.js';
import { fmtShape } from '../../tensor/shape.js';
import { reshape } from '../../ops/index.js';
import { Module } from '../../nn/module.js';
import { Sequential } from '../../nn/containers.js';
import { Linear } from '../../nn/layers/linear.js';
import { Conv2d, ConvTranspose2d } from '../../nn/layers/conv.js';
import { BatchNorm1d, BatchNorm2d } from '../../nn/layers/norm.js';
import { LeakyReLU, ReLU, Tanh } from '../../nn/layers/activation.js';
import { constant_, normal_ } from '../../nn/init.js';
import { rejectUnknownKeys } from '../../train/options.js';
import { checkRest, describe } from '../../tensor/validate.js';

export type GanArchitecture = 'fc' | 'dcgan';

export interface GanNetOptions {
  /** Size of the latent z (default 64). */
  latent?: number;
  /** DCGAN: channels f of the first D and last G stage (the other stage has 2f); FC: unused (default 32). */
  features?: number;
  /** Slope of D's LeakyReLU for negative inputs (default 0.2, the DCGAN paper's). */
  negativeSlope?: number;
}

interface Resolved {
  latent: number;
  features: number;
  negativeSlope: number;
}

function resolve(who: string, o: GanNetOptions): Resolved {
  rejectUnknownKeys(who, o, ['latent', 'features', 'negativeSlope']);
  const latent = o.latent ?? 64;
  const features = o.features ?? 32;
  const negativeSlope = o.negativeSlope ?? 0.2;
  for (const [k, v] of [
    ['latent', latent],
    ['features', features],
  ] as const)
    if (!Number.isInteger(v) || v < 1) throw new Error(`${who}: option '${k}' must be a positive integer, got ${describe(v)}`);
  if (typeof negativeSlope !== 'number' || !(negativeSlope >= 0 && negativeSlope < 1))
    throw new Error(`${who}: option 'negativeSlope' must be a number in [0, 1), got ${describe(negativeSlope)}`);
  return { latent, features, negativeSlope };
}

/** DCGAN init: every conv/linear weight ~ N(0, 0.02), bias 0; BatchNorm scale ~ N(1, 0.02), shift 0. */
function dcganInit(net: Sequential): void {
  for (const m of net.children()) {
    if (m instanceof Conv2d || m instanceof ConvTranspose2d || m instanceof Linear) {
      normal_(m.weight, 0, 0.02);
      if (m.bias) constant_(m.bias, 0);
    } else if (m instanceof BatchNorm1d || m instanceof BatchNorm2d) {
      normal_(m.weight!, 1, 0.02);
      constant_(m.bias!, 0);
    }
  }
}

/** G: a latent batch z [N, latent] to images [N, 1, 28, 28] in (-1, 1). */
export class GanGenerator extends Module<[Tensor], Tensor> {
  readonly net: Sequential;
  readonly latent: number;

  constructor(
    readonly architecture: GanArchitecture,
    opts: GanNetOptions = {},
    ...extra: never[]
  ) {
    super();
    checkRest('GanGenerator', extra, 2, "new GanGenerator('fc' | 'dcgan', {latent, features, negativeSlope})");
    const o = resolve('GanGenerator', opts);
    this.latent = o.latent;
    const f = o.features;
    if (architecture === 'fc') {
      this.net = new Sequential(
        new Linear(o.latent, 256),
        new BatchNorm1d(256),
        new ReLU(),
        new Linear(256, 512),
        new BatchNorm1d(512),
        new ReLU(),
        new Linear(512, 784),
        new Tanh(),
      );
    } else if (architecture === 'dcgan') {
      this.net = new Sequential(
        new ConvTranspose2d(o.latent, 2 * f, 7, { bias: false }),
        new BatchNorm2d(2 * f),
        new ReLU(),
        new ConvTranspose2d(2 * f, f, 4, { stride: 2, padding: 1, bias: false }),
        new BatchNorm2d(f),
        new ReLU(),
        new ConvTranspose2d(f, 1, 4, { stride: 2, padding: 1 }),
        new Tanh(),
      );
    } else throw new Error(`GanGenerator: architecture must be 'fc' or 'dcgan', got ${describe(architecture)}`);
    this.module('net', this.net);
    dcganInit(this.net);
  }

  forward(z: Tensor): Tensor {
    if (z.ndim !== 2 || z.shape[1] !== this.latent)
      throw new Error(`GanGenerator: expected a latent batch [N, ${this.latent}], got shape ${fmtShape(z.shape)}`);
    const n = z.shape[0]!;
    const x = this.architecture === 'fc' ? z : reshape(z, [n, this.latent, 1, 1]);
    return reshape(this.net.forward(x), [n, 1, 28, 28]);
  }
}

/** D: images [N, 1, 28, 28] to logits l [N], with D(x) = sigmoid(l) the probability that x is real. */
export class GanDiscriminator extends Module<[Tensor], Tensor> {
  readonly net: Sequential;

  constructor(
    readonly architecture: GanArchitecture,
    opts: GanNetOptions = {},
    ...extra: never[]
  ) {
    super();
    checkRest('GanDiscriminator', extra, 2, "new GanDiscriminator('fc' | 'dcgan', {latent, features, negativeSlope})");
    const o = resolve('GanDiscriminator', opts);
    const f = o.features;
    const a = o.negativeSlope;
    if (architecture === 'fc') {
      this.net = new Sequential(new Linear(784, 512), new LeakyReLU(a), new Linear(512, 256), new LeakyReLU(a), new Linear(256, 1));
    } else if (architecture === 'dcgan') {
      this.net = new Sequential(
        new Conv2d(1, f, 4, { stride: 2, padding: 1 }),
        new LeakyReLU(a),
        new Conv2d(f, 2 * f, 4, { stride: 2, padding: 1, bias: false }),
        new BatchNorm2d(2 * f),
        new LeakyReLU(a),
        new Conv2d(2 * f, 1, 7),
      );
    } else throw new Error(`GanDiscriminator: architecture must be 'fc' or 'dcgan', got ${describe(architecture)}`);
    this.module('net', this.net);
    dcganInit(this.net);
  }

  forward(x: Tensor): Tensor {
    if (x.ndim !== 4 || x.shape[1] !== 1 || x.shape[2] !== 28 || x.shape[3] !== 28)
      throw new Error(`GanDiscriminator: expected images [N, 1, 28, 28], got shape ${fmtShape(x.shape)}`);
    const n = x.shape[0]!;
    const input = this.architecture === 'fc' ? reshape(x, [n, 784]) : x;
    return reshape(this.net.forward(input), [n]);
  }
}

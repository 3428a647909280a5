/**
 * The variational autoencoder (Kingma & Welling 2014, "Auto-Encoding Variational Bayes"). The
 * curriculum's VAE is the autoencoder with the latent variable assumed Z ~ N(0, 1): the Encoder
 * gives the parameters of q(Z|x) = N(mu, sigma^2), a Z is drawn from it with the
 * reparameterisation trick, and the Decoder gives p(x|Z):
 *   h = body(x);  mu = W_mu h + b_mu;  log sigma^2 = W_logvar h + b_logvar
 *   Z = mu + sigma * eps,  eps ~ N(0, I)        (sigma = exp(log sigma^2 / 2); eps carries no gradient)
 *   -ELBO(x) = -log p(x|Z) + KL(N(mu, sigma^2) || N(0, I))   (one sample of Z per image; losses.ts)
 * Keys: encoder.* (the body, nets.ts), mu.*, logvar.*, decoder.*: scripts/vae_torch.py's names.
 * @example
 * const vae = new VAE({ latent: 2, generator: new Generator(1) });
 * const out = vae.forward(images);            // eps drawn from the generator
 * const { loss, recon, kl } = vaeLoss(out, images);
 */
/* eslint-disable prefer-rest-params -- the constructor hands its `arguments` to checkCtor, which also rejects arguments past the options */
import type { Tensor } from '../../tensor/tensor.js';
import { randn } from '../../tensor/creation.js';
import { defaultGenerator, Generator } from '../../tensor/random.js';
import { checkCtor, checkOptions, checkRest, checkTensor, describe } from '../../tensor/validate.js';
import { add, exp, mean, mul } from '../../ops/index.js';
import { Module } from '../../nn/module.js';
import { Linear, type Sequential } from '../../nn/index.js';
import { decoderNet, encoderBody, type Architecture } from './nets.js';
import { gaussianKl, reconstructionNll, type ReconstructionOptions } from './losses.js';

export interface VAEOptions {
  /** 'dense' (default) or 'conv' (nets.ts). */
  arch?: Architecture;
  /** Size of Z (default 20). */
  latent?: number;
  /** Width of the dense hidden layer (default 512; unused by 'conv'). */
  hidden?: number;
  /** Where eps comes from when forward is not given one (default: the global generator). */
  generator?: Generator;
}

export interface VAEOutput {
  /** Decoder logits [N, 1, 28, 28]. */
  logits: Tensor;
  /** Mean of q(Z|x) [N, latent]. */
  mu: Tensor;
  /** log sigma^2 of q(Z|x) [N, latent]. */
  logvar: Tensor;
  /** The sampled Z [N, latent]. */
  z: Tensor;
}

const VAE_SPEC = { arch: ['dense', 'conv'], latent: 'positiveInt', hidden: 'positiveInt', generator: 'any' } as const;

export class VAE extends Module<[Tensor, Tensor?], VAEOutput> {
  readonly arch: Architecture;
  readonly latent: number;
  readonly hidden: number;
  readonly encoder: Sequential;
  readonly mu: Linear;
  readonly logvar: Linear;
  readonly decoder: Sequential;
  generator: Generator;

  constructor(opts: VAEOptions = {}) {
    super();
    checkCtor('VAE', [], arguments, VAE_SPEC);
    if (opts.generator !== undefined && !(opts.generator instanceof Generator))
      throw new TypeError(`VAE: option 'generator' must be a Generator, got ${describe(opts.generator)}`);
    this.arch = opts.arch ?? 'dense';
    this.latent = opts.latent ?? 20;
    this.hidden = opts.hidden ?? 512;
    this.generator = opts.generator ?? defaultGenerator;
    const { body, features } = encoderBody(this.arch, this.hidden);
    this.encoder = this.module('encoder', body);
    this.mu = this.module('mu', new Linear(features, this.latent));
    this.logvar = this.module('logvar', new Linear(features, this.latent));
    this.decoder = this.module('decoder', decoderNet(this.arch, this.latent, this.hidden));
  }

  /** The parameters of q(Z|x): mu and log sigma^2, each [N, latent]. */
  encode(x: Tensor): { mu: Tensor; logvar: Tensor } {
    const h = this.encoder.forward(x);
    return { mu: this.mu.forward(h), logvar: this.logvar.forward(h) };
  }

  /** Z = mu + sigma * eps, sigma = exp(log sigma^2 / 2); eps ~ N(0, I) from the generator unless given. */
  reparameterize(mu: Tensor, logvar: Tensor, eps?: Tensor): Tensor {
    const e = eps ?? randn(mu.shape, { generator: this.generator, dtype: mu.dtype as 'float32' });
    if (e.shape.join() !== mu.shape.join())
      throw new Error(`VAE.reparameterize: eps must have mu's shape [${mu.shape.join(', ')}], got [${e.shape.join(', ')}]`);
    // Z = mu + sigma * eps
    return add(mu, mul(exp(mul(logvar, 0.5)), e));
  }

  /** Decoder logits for Z: [N, latent] -> [N, 1, 28, 28]. */
  decode(z: Tensor): Tensor {
    return this.decoder.forward(z);
  }

  /** Encode, draw Z (with the given eps [N, latent], or fresh from the generator), decode. */
  forward(x: Tensor, eps?: Tensor): VAEOutput {
    const { mu, logvar } = this.encode(x);
    const z = this.reparameterize(mu, logvar, eps);
    return { logits: this.decode(z), mu, logvar, z };
  }
}

/** The VAE's loss terms, each a mean over the batch, in nats per image. */
export interface VAELoss {
  /** -ELBO = recon + kl. */
  loss: Tensor;
  /** -log p(x|Z). */
  recon: Tensor;
  /** KL(q(Z|x) || N(0, I)). */
  kl: Tensor;
}

/**
 * The negative ELBO of a VAE forward pass on x, averaged over the batch:
 *   -ELBO = mean_n [ -log p(x_n|Z_n) + KL(N(mu_n, sigma_n^2) || N(0, I)) ]
 * with the decoder's likelihood chosen by `decoder` ('bernoulli' or 'gaussian', see reconstructionNll).
 */
export function vaeLoss(out: VAEOutput, x: Tensor, opts?: ReconstructionOptions, ...extra: never[]): VAELoss {
  if (out === null || typeof out !== 'object' || !('logits' in out) || !('mu' in out) || !('logvar' in out))
    throw new TypeError(`vaeLoss: argument 1 must be a VAE forward output {logits, mu, logvar, z}, got ${describe(out)}`);
  checkTensor('vaeLoss', x, 'argument 2 (x)');
  checkRest('vaeLoss', extra, 3, 'vaeLoss(out, x, {decoder, decoderStd})');
  checkOptions('vaeLoss', 3, opts, { decoder: ['bernoulli', 'gaussian'], decoderStd: 'number' });
  const recon = mean(reconstructionNll(out.logits, x, opts));
  const kl = mean(gaussianKl(out.mu, out.logvar));
  return { loss: add(recon, kl), recon, kl };
}

/**
 * The autoencoder of the curriculum: an Encoder turns the input x into a latent variable Z, a
 * Decoder turns Z back into x; with dim Z < dim x it is a dimensionality reduction. Trained to
 * reconstruct: loss = -log p(x | Z = Encoder(x)) with the decoder's likelihood (losses.ts), so its
 * figure is in nats per image like the VAE's reconstruction term.
 *   Z = Encoder(x) = head(body(x))      x_hat = sigmoid(Decoder(Z))
 * Keys: encoder.* (the body, nets.ts, then the head Linear(features, latent) as its last entry)
 * and decoder.*, the same as scripts/vae_torch.py's torch.nn.Sequential stacks.
 * @example
 * const ae = new Autoencoder({ arch: 'dense', latent: 2 });
 * const { logits, z } = ae.forward(images); // images [N, 1, 28, 28] in [0, 1]
 */
/* eslint-disable prefer-rest-params -- the constructor hands its `arguments` to checkCtor, which also rejects arguments past the options */
import type { Tensor } from '../../tensor/tensor.js';
import { checkCtor } from '../../tensor/validate.js';
import { Module } from '../../nn/module.js';
import { Linear, type Sequential } from '../../nn/index.js';
import { decoderNet, encoderBody, type Architecture } from './nets.js';

export interface AutoencoderOptions {
  /** 'dense' (default) or 'conv' (nets.ts). */
  arch?: Architecture;
  /** Size of Z (default 20). */
  latent?: number;
  /** Width of the dense hidden layer (default 512; unused by 'conv'). */
  hidden?: number;
}

export interface AutoencoderOutput {
  /** Decoder logits [N, 1, 28, 28]. */
  logits: Tensor;
  /** The code Z [N, latent]. */
  z: Tensor;
}

export const AE_SPEC = { arch: ['dense', 'conv'], latent: 'positiveInt', hidden: 'positiveInt' } as const;

export class Autoencoder extends Module<[Tensor], AutoencoderOutput> {
  readonly arch: Architecture;
  readonly latent: number;
  readonly hidden: number;
  readonly encoder: Sequential;
  readonly decoder: Sequential;

  constructor(opts: AutoencoderOptions = {}) {
    super();
    checkCtor('Autoencoder', [], arguments, AE_SPEC);
    this.arch = opts.arch ?? 'dense';
    this.latent = opts.latent ?? 20;
    this.hidden = opts.hidden ?? 512;
    const { body, features } = encoderBody(this.arch, this.hidden);
    body.append(new Linear(features, this.latent));
    this.encoder = this.module('encoder', body);
    this.decoder = this.module('decoder', decoderNet(this.arch, this.latent, this.hidden));
  }

  /** Z = Encoder(x): [N, 1, 28, 28] -> [N, latent]. */
  encode(x: Tensor): Tensor {
    return this.encoder.forward(x);
  }

  /** Decoder logits for codes Z: [N, latent] -> [N, 1, 28, 28]. */
  decode(z: Tensor): Tensor {
    return this.decoder.forward(z);
  }

  forward(x: Tensor): AutoencoderOutput {
    const z = this.encode(x);
    return { logits: this.decode(z), z };
  }
}

/**
 * The encoder and decoder bodies shared by the autoencoders and the VAE, for 28x28 grey images
 * (Fashion-MNIST). Plain nn.Sequential stacks, so the state-dict keys are torch.nn.Sequential's
 * ('encoder.1.weight', 'decoder.3.weight', ...) and scripts/vae_torch.py builds the same stacks:
 *   dense:  encoder  Flatten - Linear(784, hidden) - ReLU
 *           decoder  Linear(latent, hidden) - ReLU - Linear(hidden, 784) - Unflatten(1, [1, 28, 28])
 *   conv:   encoder  Conv2d(1, 32, 4, s2, p1) - ReLU - Conv2d(32, 64, 4, s2, p1) - ReLU - Flatten   (28 -> 14 -> 7)
 *           decoder  Linear(latent, 3136) - ReLU - Unflatten(1, [64, 7, 7]) - ConvTranspose2d(64, 32, 4, s2, p1) - ReLU
 *                    - ConvTranspose2d(32, 1, 4, s2, p1)                                               (7 -> 14 -> 28)
 * The strided 4x4 convolutions halve the size exactly, and their transposes double it back.
 * The decoder ends in logits [N, 1, 28, 28]: sigmoid(logits) is the reconstructed image.
 */
import { Sequential, Flatten, Linear, ReLU, Conv2d, ConvTranspose2d, Unflatten } from '../../nn/index.js';

export type Architecture = 'dense' | 'conv';

/** Side of the images and pixels per image. */
export const IMAGE_SIDE = 28;
export const IMAGE_PIXELS = IMAGE_SIDE * IMAGE_SIDE;
/** Features out of the conv encoder: 64 channels of 7x7. */
export const CONV_FEATURES = 64 * 7 * 7;

/** The encoder body (without the latent head) and the width of its output. */
export function encoderBody(arch: Architecture, hidden: number): { body: Sequential; features: number } {
  if (arch === 'dense') return { body: new Sequential(new Flatten(), new Linear(IMAGE_PIXELS, hidden), new ReLU()), features: hidden };
  return {
    body: new Sequential(
      new Conv2d(1, 32, 4, { stride: 2, padding: 1 }),
      new ReLU(),
      new Conv2d(32, 64, 4, { stride: 2, padding: 1 }),
      new ReLU(),
      new Flatten(),
    ),
    features: CONV_FEATURES,
  };
}

/** The decoder: latent [N, latent] -> logits [N, 1, 28, 28]. */
export function decoderNet(arch: Architecture, latent: number, hidden: number): Sequential {
  if (arch === 'dense')
    return new Sequential(
      new Linear(latent, hidden),
      new ReLU(),
      new Linear(hidden, IMAGE_PIXELS),
      new Unflatten(1, [1, IMAGE_SIDE, IMAGE_SIDE]),
    );
  return new Sequential(
    new Linear(latent, CONV_FEATURES),
    new ReLU(),
    new Unflatten(1, [64, 7, 7]),
    new ConvTranspose2d(64, 32, 4, { stride: 2, padding: 1 }),
    new ReLU(),
    new ConvTranspose2d(32, 1, 4, { stride: 2, padding: 1 }),
  );
}

/**
 * The terms of the autoencoders' and the VAE's losses, per image, in nats (Kingma & Welling 2014,
 * "Auto-Encoding Variational Bayes", eq. 10 and appendix B). In the curriculum's words the Encoder
 * maps an image x to the latent variable Z, the Decoder maps Z back to an image, and the VAE assumes
 * Z ~ N(0, 1); the Encoder gives q(Z|x) = N(mu, sigma^2) and the loss is the negative ELBO
 *   -ELBO(x) = E_{q(Z|x)}[-log p(x|Z)] + KL(q(Z|x) || N(0, I))      (reconstruction + KL).
 * Everything is composed of public ops (no new op, so no new gradient to check).
 */
import type { Tensor } from '../../tensor/tensor.js';
import { add, binaryCrossEntropyWithLogits, exp, mul, sigmoid, square, sub, sum } from '../../ops/index.js';
import { checkOptions, checkRest, checkTensor } from '../../tensor/validate.js';

/** The decoder's likelihood p(x|Z): pixels as Bernoulli probabilities or as Gaussian means. */
export type DecoderKind = 'bernoulli' | 'gaussian';

export interface ReconstructionOptions {
  /** 'bernoulli' (default): binary cross entropy with logits; 'gaussian': N(x; sigmoid(logits), decoderStd^2). */
  decoder?: DecoderKind;
  /** The Gaussian decoder's fixed standard deviation (default 0.1); unused by the Bernoulli decoder. */
  decoderStd?: number;
}

const RECON_SPEC = { decoder: ['bernoulli', 'gaussian'], decoderStd: 'number' } as const;

/**
 * KL(N(mu, sigma^2) || N(0, I)) per row, in closed form (Kingma & Welling, appendix B):
 *   KL = -1/2 * sum_j (1 + log sigma_j^2 - mu_j^2 - sigma_j^2),  with logvar = log sigma^2.
 * mu, logvar: [N, J] (or any shape whose first dim is the batch) -> [N].
 * @example gaussianKl(zeros([4, 2]), zeros([4, 2])) // [0, 0, 0, 0]: q is already the prior
 */
export function gaussianKl(mu: Tensor, logvar: Tensor, ...extra: never[]): Tensor {
  checkTensor('gaussianKl', mu, 'argument 1 (mu)');
  checkTensor('gaussianKl', logvar, 'argument 2 (logvar)');
  checkRest('gaussianKl', extra, 2, 'gaussianKl(mu, logvar)');
  if (mu.shape.length < 2 || mu.shape.join() !== logvar.shape.join())
    throw new Error(
      `gaussianKl: mu and logvar must have the same shape [N, J, ...], got [${mu.shape.join(', ')}] and [${logvar.shape.join(', ')}]`,
    );
  const dims = mu.shape.slice(1).map((_, i) => i + 1);
  // -1/2 * sum_j (1 + log sigma_j^2 - mu_j^2 - sigma_j^2)
  const inner = sub(sub(add(logvar, 1), square(mu)), exp(logvar));
  return mul(sum(inner, dims), -0.5);
}

/**
 * -log p(x|Z) per image, summed over pixels (nats). The decoder outputs logits; x holds pixel
 * intensities in [0, 1].
 *   Bernoulli: -sum_i [x_i log y_i + (1 - x_i) log(1 - y_i)],  y = sigmoid(logits) (computed on the logits, stably)
 *   Gaussian:  sum_i [(x_i - y_i)^2 / (2 s^2) + 1/2 log(2 pi s^2)],  s = decoderStd
 * logits, x: [N, ...] of the same shape -> [N].
 */
export function reconstructionNll(logits: Tensor, x: Tensor, opts?: ReconstructionOptions, ...extra: never[]): Tensor {
  checkTensor('reconstructionNll', logits, 'argument 1 (logits)');
  checkTensor('reconstructionNll', x, 'argument 2 (x)');
  checkRest('reconstructionNll', extra, 3, 'reconstructionNll(logits, x, {decoder, decoderStd})');
  const o = checkOptions('reconstructionNll', 3, opts, RECON_SPEC);
  if (logits.shape.join() !== x.shape.join() || logits.shape.length < 2)
    throw new Error(
      `reconstructionNll: logits and x must have the same shape [N, ...], got [${logits.shape.join(', ')}] and [${x.shape.join(', ')}]`,
    );
  const s = o.decoderStd ?? 0.1;
  if (!(s > 0)) throw new Error(`reconstructionNll: option 'decoderStd' must be > 0, got ${s}`);
  const dims = x.shape.slice(1).map((_, i) => i + 1);
  const decoder = o.decoder ?? 'bernoulli';
  if (decoder === 'bernoulli') return sum(binaryCrossEntropyWithLogits(logits, x, { reduction: 'none' }), dims);
  const pixels = x.shape.slice(1).reduce((a, b) => a * b, 1);
  const sq = sum(square(sub(x, sigmoid(logits))), dims);
  return add(mul(sq, 1 / (2 * s * s)), (pixels / 2) * Math.log(2 * Math.PI * s * s));
}

/**
 * The GAN objectives, in the curriculum's notation (the two-player minimax game):
 *
 *   min_G max_D V(D, G) = E_{x ~ p_data(x)}[log D(x)] + E_{z ~ p_z(z)}[log(1 - D(G(z)))]
 *
 * D is given as a logit l with D(x) = sigmoid(l), so every log is a stable softplus:
 *   log D(x) = log sigmoid(l) = -softplus(-l),   log(1 - D(x)) = log sigmoid(-l) = -softplus(l).
 * Expectations are batch means.
 */
import type { Tensor } from '../../tensor/tensor.js';
import { add, mean, neg, softplus } from '../../ops/index.js';
import { checkRest, checkTensor, describe } from '../../tensor/validate.js';

/** How G is trained: 'minimax' descends V itself; 'non-saturating' ascends log D(G(z)) instead. */
export type GeneratorLossKind = 'minimax' | 'non-saturating';
export const GENERATOR_LOSS_KINDS: readonly GeneratorLossKind[] = ['minimax', 'non-saturating'];

/**
 * D's loss, -V(D, G) (D ascends V): -E_x[log D(x)] - E_z[log(1 - D(G(z)))]
 *   = mean softplus(-l_real) + mean softplus(l_fake).
 * Equals binary cross entropy with target 1 on real images and 0 on generated ones.
 * @example discriminatorLoss(d.forward(real), d.forward(fake.detach()))
 */
export function discriminatorLoss(realLogits: Tensor, fakeLogits: Tensor, ...extra: never[]): Tensor {
  checkTensor('discriminatorLoss', realLogits, 'argument 1 (realLogits)');
  checkTensor('discriminatorLoss', fakeLogits, 'argument 2 (fakeLogits)');
  checkRest('discriminatorLoss', extra, 2, 'discriminatorLoss(realLogits, fakeLogits)');
  // -E_x[log D(x)] - E_z[log(1 - D(G(z)))]
  return add(mean(softplus(neg(realLogits))), mean(softplus(fakeLogits)));
}

/**
 * G's loss on D's logits for generated images.
 *  - 'minimax': the term of V that depends on G, E_z[log(1 - D(G(z)))] = -mean softplus(l_fake).
 *    Its gradient vanishes where D rejects the samples confidently (early in training), so G
 *    learns slowly from a bad start: Goodfellow et al. (2014), section 3.
 *  - 'non-saturating': -E_z[log D(G(z))] = mean softplus(-l_fake); the same fixed point, strong
 *    gradients when D(G(z)) is near 0. The usual choice and the default of the recipes.
 * @example generatorLoss(d.forward(fake), 'non-saturating')
 */
export function generatorLoss(fakeLogits: Tensor, kind: GeneratorLossKind = 'non-saturating', ...extra: never[]): Tensor {
  checkTensor('generatorLoss', fakeLogits, 'argument 1 (fakeLogits)');
  checkRest('generatorLoss', extra, 2, "generatorLoss(fakeLogits, 'minimax' | 'non-saturating')");
  if (kind === 'minimax') {
    // E_z[log(1 - D(G(z)))]
    return neg(mean(softplus(fakeLogits)));
  }
  if (kind === 'non-saturating') {
    // -E_z[log D(G(z))]
    return mean(softplus(neg(fakeLogits)));
  }
  throw new Error(`generatorLoss: kind must be 'minimax' or 'non-saturating', got ${describe(kind)}`);
}

/** The supervised step most recipes share: zero the gradients, backward, clip, update. */
import type { Tensor } from '../tensor/tensor.js';
import { backward } from '../autograd/engine.js';
import type { Optimizer } from '../optim/optimizer.js';
import { clipGradNorm } from '../optim/clip.js';
import { rejectUnknownKeys } from './options.js';
import { describe } from '../tensor/validate.js';

export interface OptimizeOptions {
  /** Clip the global gradient norm to this (default 0: no clipping). */
  clip?: number;
}

/**
 * One update of `opt` on `loss`: zeroGrad, backward, optional clipGradNorm over the optimizer's
 * parameters, step. Returns loss.item(). A non-finite loss is returned without touching the
 * parameters (the Trainer then stops with a NonFiniteLossError), so the last good state survives.
 * @example
 * trainStep: () => ({ loss: optimizeStep(opt, crossEntropy(model.forward(x), y), { clip: 1 }) })
 */
export function optimizeStep(opt: Optimizer<any>, loss: Tensor, o: OptimizeOptions = {}): number {
  rejectUnknownKeys('optimizeStep', o, ['clip']);
  const clip = o.clip ?? 0;
  if (typeof clip !== 'number' || !(clip >= 0)) throw new Error(`optimizeStep: clip must be a number >= 0, got ${describe(clip)}`);
  if (loss.numel() !== 1) throw new Error(`optimizeStep: loss must hold one value, got shape [${loss.shape.join(', ')}]`);
  const l = loss.item();
  if (!Number.isFinite(l)) return l;
  opt.zeroGrad();
  backward([loss]);
  if (clip > 0)
    clipGradNorm(
      opt.paramGroups.flatMap((g) => g.params),
      clip,
    );
  opt.step();
  return l;
}

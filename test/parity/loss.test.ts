import { test } from 'node:test';
import {
  crossEntropy,
  nllLoss,
  mseLoss,
  l1Loss,
  smoothL1Loss,
  huberLoss,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  klDiv,
  type Reduction,
  type Tensor,
} from '../../src/index.js';
import { checkCase, loadCases } from './_harness.js';

type Impl = (x: Tensor[], kw: Record<string, unknown>) => Tensor;
const smoothing =
  (reduction: Reduction): Impl =>
  ([x, t, w]) =>
    crossEntropy(x!, t!, { weight: w!, ignoreIndex: -100, labelSmoothing: 0.2, reduction });
const impl: Record<string, Impl> = {
  'cross_entropy basic': ([x, t]) => crossEntropy(x!, t!),
  'cross_entropy smoothing ignore weight mean': smoothing('mean'),
  'cross_entropy smoothing ignore weight sum': smoothing('sum'),
  'cross_entropy smoothing ignore weight none': smoothing('none'),
  'cross_entropy ignore valid class': ([x, t]) => crossEntropy(x!, t!, { ignoreIndex: 2, labelSmoothing: 0.1 }),
  'cross_entropy 4d segmentation': ([x, t, w]) => crossEntropy(x!, t!, { weight: w!, ignoreIndex: 255 }),
  'cross_entropy 4d smoothing none': ([x, t, w]) =>
    crossEntropy(x!, t!, { weight: w!, ignoreIndex: 255, labelSmoothing: 0.15, reduction: 'none' }),
  'cross_entropy 3d sum': ([x, t]) => crossEntropy(x!, t!, { reduction: 'sum' }),
  'cross_entropy unbatched': ([x, t]) => crossEntropy(x!, t!),
  'cross_entropy prob target smoothing weight': ([x, p, w]) => crossEntropy(x!, p!, { weight: w!, labelSmoothing: 0.1 }),
  'cross_entropy prob target 4d none': ([x, p]) => crossEntropy(x!, p!, { reduction: 'none' }),
  'nll_loss weight ignore': ([x, t, w]) => nllLoss(x!, t!, { weight: w! }),
  'nll_loss none 3d': ([x, t]) => nllLoss(x!, t!, { reduction: 'none', ignoreIndex: 1 }),
  'nll_loss sum': ([x, t]) => nllLoss(x!, t!, { reduction: 'sum' }),
  mse_loss: ([a, b]) => mseLoss(a!, b!),
  'mse_loss none transposed': ([a, b]) => mseLoss(a!, b!, { reduction: 'none' }),
  l1_loss: ([a, b]) => l1Loss(a!, b!),
  'l1_loss sum': ([a, b]) => l1Loss(a!, b!, { reduction: 'sum' }),
  'smooth_l1_loss beta': ([a, b]) => smoothL1Loss(a!, b!, { beta: 0.5 }),
  'smooth_l1_loss default none': ([a, b]) => smoothL1Loss(a!, b!, { reduction: 'none' }),
  'huber_loss delta': ([a, b]) => huberLoss(a!, b!, { delta: 1.5 }),
  'binary_cross_entropy weight': ([p, t, w]) => binaryCrossEntropy(p!, t!, { weight: w! }),
  'binary_cross_entropy hard targets sum': ([p, t]) => binaryCrossEntropy(p!, t!, { reduction: 'sum' }),
  'binary_cross_entropy clamp': ([p, t]) => binaryCrossEntropy(p!, t!, { reduction: 'none' }),
  bce_with_logits: ([x, t]) => binaryCrossEntropyWithLogits(x!, t!),
  'bce_with_logits weight pos_weight': ([x, t, w, pw]) => binaryCrossEntropyWithLogits(x!, t!, { weight: w!, posWeight: pw! }),
  'bce_with_logits large none': ([x, t]) => binaryCrossEntropyWithLogits(x!, t!, { reduction: 'none' }),
  'kl_div batchmean': ([x, t]) => klDiv(x!, t!, { reduction: 'batchmean' }),
  'kl_div mean': ([x, t]) => klDiv(x!, t!),
  'kl_div log_target sum': ([x, t]) => klDiv(x!, t!, { reduction: 'sum', logTarget: true }),
  'kl_div none zero target': ([x, t]) => klDiv(x!, t!, { reduction: 'none' }),
};

for (const c of loadCases('loss')) {
  test(`parity loss: ${c.name}`, () => {
    const f = impl[c.name];
    if (!f) throw new Error(`no shinsou implementation mapped for fixture case '${c.name}'`);
    checkCase(c, f);
  });
}

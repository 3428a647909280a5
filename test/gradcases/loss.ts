import {
  Generator,
  randn,
  rand,
  tensor,
  transpose,
  softmax,
  logSoftmax,
  crossEntropy,
  nllLoss,
  mseLoss,
  l1Loss,
  smoothL1Loss,
  huberLoss,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  klDiv,
  type Tensor,
} from '../../src/index.js';
import type { GradCase } from './_types.js';

const g = new Generator(23);
const r = (...shape: number[]): Tensor => randn(shape, { dtype: 'float64', generator: g, requiresGrad: true });
const c = (...shape: number[]): Tensor => randn(shape, { dtype: 'float64', generator: g });
const prob = (...shape: number[]): Tensor => rand(shape, { dtype: 'float64', generator: g }).mul(0.8).add(0.1);
const idx = (v: number[] | number[][] | number[][][]): Tensor => tensor(v, { dtype: 'int32' });
const w = (...v: number[]): Tensor => tensor(v, { dtype: 'float64' });

export const cases: GradCase[] = [
  {
    name: 'crossEntropy weights + ignoreIndex + labelSmoothing',
    ops: ['crossEntropy'],
    inputs: () => [r(6, 5)],
    fn: (x) => crossEntropy(x, idx([0, 4, -100, 2, 2, 1]), { weight: w(0.5, 1, 2, 1.5, 0.7), labelSmoothing: 0.2 }),
    gradgrad: true,
  },
  {
    name: 'crossEntropy 4-d segmentation ignore 255',
    ops: ['crossEntropy'],
    inputs: () => [r(2, 3, 2, 3)],
    fn: (x) =>
      crossEntropy(
        x,
        idx([
          [
            [0, 2, 1],
            [255, 1, 0],
          ],
          [
            [2, 2, 0],
            [1, 255, 1],
          ],
        ]),
        { ignoreIndex: 255, reduction: 'sum' },
      ),
    gradgrad: true,
  },
  {
    name: 'crossEntropy probability target, both grads',
    ops: ['crossEntropy', 'softmax'],
    inputs: () => [r(3, 4), r(3, 4)],
    fn: (x, t) => crossEntropy(x, softmax(t, 1), { labelSmoothing: 0.1, weight: w(1, 2, 0.5, 1) }),
    gradgrad: true,
  },
  {
    name: 'nllLoss none with weight, transposed input',
    ops: ['nllLoss', 'logSoftmax'],
    inputs: () => [r(4, 5)],
    fn: (x) => nllLoss(logSoftmax(transpose(x), 1), idx([3, 0, 2, 3, 1]), { weight: w(1, 0.5, 2, 3), reduction: 'none' }),
    gradgrad: true,
  },
  {
    name: 'nllLoss mean 3-d',
    ops: ['nllLoss'],
    inputs: () => [r(2, 3, 4)],
    fn: (x) =>
      nllLoss(
        x,
        idx([
          [0, 1, 2, 1],
          [2, 2, 0, -100],
        ]),
      ),
  },
  { name: 'mseLoss both grads', ops: ['mseLoss'], inputs: () => [r(3, 5), r(3, 5)], fn: (a, b) => mseLoss(a, b), gradgrad: true },
  {
    name: 'mseLoss none transposed',
    ops: ['mseLoss'],
    inputs: () => [r(4, 3), c(3, 4)],
    fn: (a, b) => mseLoss(transpose(a), b, { reduction: 'none' }),
  },
  { name: 'l1Loss both grads', ops: ['l1Loss'], inputs: () => [r(2, 7), r(2, 7)], fn: (a, b) => l1Loss(a, b, { reduction: 'sum' }) },
  {
    name: 'smoothL1Loss beta 0.5',
    ops: ['smoothL1Loss'],
    inputs: () => [r(4, 5), r(4, 5)],
    fn: (a, b) => smoothL1Loss(a, b, { beta: 0.5 }),
  },
  {
    name: 'smoothL1Loss beta 0 is l1',
    ops: ['smoothL1Loss'],
    inputs: () => [r(6)],
    fn: (a) => smoothL1Loss(a, a.detach().mul(0), { beta: 0 }),
  },
  {
    name: 'huberLoss delta 1.5',
    ops: ['huberLoss'],
    inputs: () => [r(3, 5), r(3, 5)],
    fn: (a, b) => huberLoss(a.mul(2), b, { delta: 1.5, reduction: 'none' }),
  },
  {
    name: 'binaryCrossEntropy input and target grads with weight',
    ops: ['binaryCrossEntropy'],
    inputs: () => [prob(3, 4).requiresGrad_(true), prob(3, 4).requiresGrad_(true)],
    fn: (p, t) => binaryCrossEntropy(p, t, { weight: w(1, 2, 0.5, 1.5) }),
    gradgrad: true,
  },
  {
    name: 'binaryCrossEntropyWithLogits weight and posWeight, all grads',
    ops: ['binaryCrossEntropyWithLogits'],
    inputs: () => [
      r(4, 3).mul(3).detach().requiresGrad_(true),
      prob(4, 3).requiresGrad_(true),
      prob(4, 1).add(0.5).requiresGrad_(true),
      prob(3).add(0.5).requiresGrad_(true),
    ],
    fn: (x, t, wt, pw) => binaryCrossEntropyWithLogits(x, t, { weight: wt, posWeight: pw }),
    gradgrad: true,
  },
  {
    name: 'binaryCrossEntropyWithLogits none',
    ops: ['binaryCrossEntropyWithLogits'],
    inputs: () => [r(5)],
    fn: (x) => binaryCrossEntropyWithLogits(x, w(0, 1, 0.3, 1, 0), { reduction: 'none' }),
  },
  {
    name: 'klDiv batchmean both grads',
    ops: ['klDiv'],
    inputs: () => [r(3, 4), r(3, 4)],
    fn: (x, t) => klDiv(logSoftmax(x, 1), softmax(t, 1), { reduction: 'batchmean' }),
    gradgrad: true,
  },
  {
    name: 'klDiv logTarget none',
    ops: ['klDiv'],
    inputs: () => [r(2, 5), r(2, 5)],
    fn: (x, t) => klDiv(x, t, { logTarget: true, reduction: 'none' }),
    gradgrad: true,
  },
];

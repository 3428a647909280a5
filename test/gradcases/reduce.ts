import {
  Generator,
  randn,
  rand,
  tensor,
  permute,
  transpose,
  amax,
  amin,
  max,
  min,
  maxWithIndices,
  minWithIndices,
  variance,
  std,
  logsumexp,
  prod,
  cumsum,
  softmax,
  logSoftmax,
  dropout,
  type Tensor,
} from '../../src/index.js';
import type { GradCase } from './_types.js';

const g = new Generator(11);
const r = (...shape: number[]): Tensor => randn(shape, { dtype: 'float64', generator: g, requiresGrad: true });
const pos = (...shape: number[]): Tensor => rand(shape, { dtype: 'float64', generator: g }).add(0.5).requiresGrad_(true);
const leaf = (v: number[][]): Tensor => tensor(v, { dtype: 'float64', requiresGrad: true });

export const cases: GradCase[] = [
  {
    name: 'amax dims of permuted view',
    ops: ['amax', 'permute'],
    inputs: () => [r(3, 4, 5)],
    fn: (a) => amax(permute(a, [2, 0, 1]), { dim: [0, 2] }),
  },
  { name: 'amin dim -1 keepdim', ops: ['amin'], inputs: () => [r(2, 3, 7)], fn: (a) => amin(a, { dim: -1, keepdim: true }) },
  { name: 'max overall', ops: ['max'], inputs: () => [r(3, 5)], fn: (a) => max(a) },
  {
    name: 'max dim of transposed',
    ops: ['max', 'maxWithIndices'],
    inputs: () => [r(5, 3)],
    fn: (a) => max(transpose(a), { dim: 1 }).add(maxWithIndices(a, 0, true).values.sum()),
  },
  {
    name: 'min overall and dim',
    ops: ['min', 'minWithIndices'],
    inputs: () => [r(4, 3)],
    fn: (a) => min(a, { dim: 0 }).add(min(a)).add(minWithIndices(a, 1).values.sum()),
  },
  { name: 'variance dims', ops: ['variance'], inputs: () => [r(3, 4, 5)], fn: (a) => variance(a, { dim: [0, 2] }), gradgrad: true },
  { name: 'variance all correction 0', ops: ['variance'], inputs: () => [r(7)], fn: (a) => variance(a, { correction: 0 }) },
  {
    name: 'std dim of transposed',
    ops: ['std'],
    inputs: () => [r(5, 3)],
    fn: (a) => std(transpose(a), { dim: 1, keepdim: true }),
    gradgrad: true,
  },
  { name: 'std all unbiased false', ops: ['std'], inputs: () => [r(2, 3)], fn: (a) => std(a, { unbiased: false }) },
  { name: 'logsumexp dims', ops: ['logsumexp'], inputs: () => [r(3, 1, 5)], fn: (a) => logsumexp(a, { dim: [1, 2] }), gradgrad: true },
  {
    name: 'logsumexp all of permuted',
    ops: ['logsumexp'],
    inputs: () => [r(2, 3, 4)],
    fn: (a) => logsumexp(permute(a, [1, 2, 0]), { dim: 0 }),
  },
  { name: 'prod dim no zeros', ops: ['prod'], inputs: () => [pos(3, 5)], fn: (a) => prod(a, { dim: 1 }), gradgrad: true },
  {
    name: 'prod dims with one zero',
    ops: ['prod'],
    inputs: () => [
      leaf([
        [2, 0, 0.5],
        [1.5, -1, 3],
      ]),
    ],
    fn: (a) => prod(a),
    gradgrad: true,
  },
  {
    name: 'prod dim with zeros per row',
    ops: ['prod'],
    inputs: () => [
      leaf([
        [2, 0, 0.5, 1.2],
        [0, 0.7, 0, 3],
        [1.1, 0.9, -2, 0.3],
      ]),
    ],
    fn: (a) => prod(transpose(a), { dim: 0 }),
    gradgrad: true,
  },
  { name: 'cumsum dim 1 of transposed', ops: ['cumsum'], inputs: () => [r(4, 3)], fn: (a) => cumsum(transpose(a), 1) },
  { name: 'cumsum dim 0 of 3d', ops: ['cumsum'], inputs: () => [r(5, 1, 2)], fn: (a) => cumsum(a, 0).mul(cumsum(a, 0)) },
  { name: 'softmax dim 1', ops: ['softmax'], inputs: () => [r(3, 7)], fn: (a) => softmax(a, 1), gradgrad: true },
  {
    name: 'softmax dim 0 of transposed 3d',
    ops: ['softmax'],
    inputs: () => [r(2, 5, 3)],
    fn: (a) => softmax(transpose(a, 1, 2), 0),
    gradgrad: true,
  },
  { name: 'logSoftmax dim -1', ops: ['logSoftmax'], inputs: () => [r(2, 3, 5)], fn: (a) => logSoftmax(a, -1), gradgrad: true },
  {
    name: 'logSoftmax of transposed',
    ops: ['logSoftmax'],
    inputs: () => [r(5, 4)],
    fn: (a) => logSoftmax(transpose(a), 1),
    gradgrad: true,
  },
  {
    name: 'dropout fixed generator',
    ops: ['dropout'],
    inputs: () => [r(4, 7)],
    fn: (a) => dropout(a, 0.3, { generator: new Generator(5) }),
  },
];

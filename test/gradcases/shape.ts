import {
  Generator,
  randn,
  squeeze,
  unsqueeze,
  flatten,
  slice,
  sliceBackward,
  narrow,
  select,
  cat,
  stack,
  split,
  chunk,
  flip,
  repeat,
  roll,
  pad,
  unfold,
  unfoldBackward,
  transpose,
  permute,
  mul,
  type Tensor,
} from '../../src/index.js';
import type { GradCase } from './_types.js';

const g = new Generator(11);
const r = (...shape: number[]): Tensor => randn(shape, { dtype: 'float64', generator: g, requiresGrad: true });
/** A smooth nonlinearity so that second derivatives of linear shape ops are non-trivial. */
const sq = (t: Tensor): Tensor => mul(t, t);

export const cases: GradCase[] = [
  { name: 'squeeze all size-1 dims', ops: ['squeeze'], inputs: () => [r(3, 1, 5, 1)], fn: (a) => sq(squeeze(a)), gradgrad: true },
  { name: 'squeeze dim list of transposed', ops: ['squeeze'], inputs: () => [r(1, 3, 1)], fn: (a) => squeeze(transpose(a, 0, 2), [0, -1]) },
  {
    name: 'unsqueeze middle and end',
    ops: ['unsqueeze'],
    inputs: () => [r(3, 5)],
    fn: (a) => sq(unsqueeze(unsqueeze(a, 1), -1)),
    gradgrad: true,
  },
  {
    name: 'flatten middle dims of permuted',
    ops: ['flatten'],
    inputs: () => [r(2, 3, 5, 1)],
    fn: (a) => sq(flatten(permute(a, [3, 1, 0, 2]), 1, 2)),
    gradgrad: true,
  },
  {
    name: 'slice negative bounds step 2',
    ops: ['slice', 'sliceBackward'],
    inputs: () => [r(7, 3)],
    fn: (a) => sq(slice(a, 0, -6, 100, 2)),
    gradgrad: true,
  },
  { name: 'slice of transposed dim 1', ops: ['slice'], inputs: () => [r(5, 4)], fn: (a) => slice(transpose(a), 1, 1, -1, 3) },
  {
    name: 'sliceBackward directly',
    ops: ['sliceBackward'],
    inputs: () => [r(2, 3)],
    fn: (a) => sq(sliceBackward(a, [2, 7], 1, 1, 7, 2)),
    gradgrad: true,
  },
  { name: 'narrow negative start', ops: ['narrow'], inputs: () => [r(3, 7)], fn: (a) => sq(narrow(a, 1, -5, 3)), gradgrad: true },
  { name: 'select middle dim', ops: ['select'], inputs: () => [r(2, 5, 3)], fn: (a) => sq(select(a, 1, -2)), gradgrad: true },
  {
    name: 'cat of 3 along middle dim, one transposed',
    ops: ['cat'],
    inputs: () => [r(2, 3, 4), r(2, 1, 4), r(2, 4, 2)],
    fn: (a, b, c) => sq(cat([a, b, transpose(c, 1, 2)], 1)),
    gradgrad: true,
  },
  { name: 'cat 1-d pieces', ops: ['cat'], inputs: () => [r(3), r(1), r(5)], fn: (a, b, c) => cat([a, b, c]) },
  { name: 'stack at last dim', ops: ['stack'], inputs: () => [r(3, 2), r(3, 2)], fn: (a, b) => sq(stack([a, b], -1)), gradgrad: true },
  {
    name: 'split with list of sizes',
    ops: ['split'],
    inputs: () => [r(4, 7)],
    fn: (a) => {
      const [p, q, s] = split(a, [2, 4, 1], 1);
      return cat([sq(p!), q!.mul(3), s!], 1);
    },
    gradgrad: true,
  },
  {
    name: 'split by size with remainder',
    ops: ['split'],
    inputs: () => [r(5, 2)],
    fn: (a) => {
      const parts = split(a, 2);
      return cat(
        parts.map((t, i) => t.mul(i + 1)),
        0,
      );
    },
  },
  {
    name: 'chunk uneven',
    ops: ['chunk'],
    inputs: () => [r(3, 7)],
    fn: (a) => {
      const [p, q, s] = chunk(a, 3, -1);
      return cat([sq(p!), q!.mul(2), s!], 1);
    },
    gradgrad: true,
  },
  { name: 'flip over two dims', ops: ['flip'], inputs: () => [r(3, 2, 5)], fn: (a) => sq(flip(a, [0, -1])), gradgrad: true },
  { name: 'flip of transposed', ops: ['flip'], inputs: () => [r(4, 3)], fn: (a) => flip(transpose(a), [1]) },
  { name: 'repeat adding a leading dim', ops: ['repeat'], inputs: () => [r(3, 1)], fn: (a) => sq(repeat(a, [2, 2, 3])), gradgrad: true },
  { name: 'repeat of transposed', ops: ['repeat'], inputs: () => [r(2, 3)], fn: (a) => repeat(transpose(a), [1, 2]) },
  { name: 'roll two dims', ops: ['roll'], inputs: () => [r(3, 5)], fn: (a) => sq(roll(a, [1, -7], [0, 1])), gradgrad: true },
  { name: 'roll flattened', ops: ['roll'], inputs: () => [r(2, 3)], fn: (a) => roll(a, 4) },
  {
    name: 'pad constant 3-d with crop',
    ops: ['pad'],
    inputs: () => [r(2, 3, 5)],
    fn: (a) => sq(pad(a, [2, -1, 1, 1], { value: 0.5 })),
    gradgrad: true,
  },
  { name: 'pad reflect 4-d', ops: ['pad'], inputs: () => [r(1, 2, 4, 5)], fn: (a) => sq(pad(a, [3, 2, 1, 3], 'reflect')), gradgrad: true },
  { name: 'pad replicate 3-d', ops: ['pad'], inputs: () => [r(2, 3, 4)], fn: (a) => sq(pad(a, [3, 1], 'replicate')), gradgrad: true },
  {
    name: 'pad circular 4-d of transposed',
    ops: ['pad'],
    inputs: () => [r(1, 2, 3, 4)],
    fn: (a) => pad(transpose(a), [1, 2, 3, 0], 'circular'),
  },
  {
    name: 'unfold overlapping windows',
    ops: ['unfold', 'unfoldBackward'],
    inputs: () => [r(2, 7)],
    fn: (a) => sq(unfold(a, 1, 3, 2)),
    gradgrad: true,
  },
  { name: 'unfold of transposed dim 0', ops: ['unfold'], inputs: () => [r(3, 5)], fn: (a) => unfold(transpose(a), 0, 2, 1) },
  {
    name: 'unfoldBackward directly',
    ops: ['unfoldBackward'],
    inputs: () => [r(3, 2, 4)],
    fn: (a) => sq(unfoldBackward(a, [6, 2], 0, 4, 1)),
    gradgrad: true,
  },
];

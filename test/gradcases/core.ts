import {
  Generator,
  randn,
  rand,
  lstmLayer,
  gruLayer,
  normalize,
  add,
  sub,
  mul,
  div,
  neg,
  pow,
  exp,
  log,
  sqrt,
  where,
  sum,
  mean,
  reshape,
  view,
  expand,
  permute,
  transpose,
  cast,
  matmul,
  listBackends,
  type Tensor,
} from '../../src/index.js';
import type { GradCase } from './_types.js';

const g = new Generator(7);
const r = (...shape: number[]): Tensor => randn(shape, { dtype: 'float64', generator: g, requiresGrad: true });
/** A registered backend other than t's, to move to and back. */
const other = (t: Tensor): string => listBackends().find((n) => n !== t.device)!;
const pos = (...shape: number[]): Tensor => rand(shape, { dtype: 'float64', generator: g }).add(0.5).requiresGrad_(true);

export const cases: GradCase[] = [
  { name: 'add broadcast [3,1,5]+[4,1]', ops: ['add'], inputs: () => [r(3, 1, 5), r(4, 1)], fn: (a, b) => add(a, b) },
  { name: 'sub broadcast scalar tensor', ops: ['sub'], inputs: () => [r(2, 3), r()], fn: (a, b) => sub(a, b) },
  { name: 'mul broadcast', ops: ['mul'], inputs: () => [r(2, 3, 4), r(3, 1)], fn: (a, b) => mul(a, b), gradgrad: true },
  { name: 'div broadcast', ops: ['div'], inputs: () => [r(2, 5), pos(5)], fn: (a, b) => div(a, b), gradgrad: true },
  { name: 'neg', ops: ['neg'], inputs: () => [r(7)], fn: (a) => neg(a) },
  { name: 'pow tensor^number', ops: ['pow'], inputs: () => [pos(3, 2)], fn: (a) => pow(a, 2.5), gradgrad: true },
  { name: 'pow tensor^tensor', ops: ['pow'], inputs: () => [pos(3, 2), r(2)], fn: (a, b) => pow(a, b) },
  { name: 'exp', ops: ['exp'], inputs: () => [r(3, 3)], fn: (a) => exp(a), gradgrad: true },
  { name: 'log', ops: ['log'], inputs: () => [pos(4)], fn: (a) => log(a), gradgrad: true },
  { name: 'sqrt', ops: ['sqrt'], inputs: () => [pos(4)], fn: (a) => sqrt(a), gradgrad: true },
  {
    name: 'where broadcast',
    ops: ['where'],
    inputs: () => [r(3, 4), r(4)],
    fn: (a, b) =>
      where(
        a
          .detach()
          .eq(a.detach().sum({ dim: 1, keepdim: true }))
          .eq(0),
        a,
        b,
      ),
  },
  { name: 'sum dims keepdim', ops: ['sum'], inputs: () => [r(2, 3, 4)], fn: (a) => sum(a, { dim: [0, 2], keepdim: true }) },
  { name: 'sum all', ops: ['sum'], inputs: () => [r(3, 4)], fn: (a) => sum(a) },
  { name: 'mean dim -1', ops: ['mean'], inputs: () => [r(3, 5)], fn: (a) => mean(a, { dim: -1 }) },
  {
    name: 'reshape of transposed (copies)',
    ops: ['reshape', 'transpose'],
    inputs: () => [r(3, 4)],
    fn: (a) => reshape(transpose(a), [2, -1]),
  },
  { name: 'view', ops: ['view'], inputs: () => [r(2, 6)], fn: (a) => view(a, [3, 4]).mul(a.view(3, 4)) },
  { name: 'expand new dims', ops: ['expand'], inputs: () => [r(3, 1)], fn: (a) => expand(a, [2, 3, 4]) },
  { name: 'permute 3d', ops: ['permute'], inputs: () => [r(2, 3, 4)], fn: (a) => permute(a, [2, 0, 1]).mul(permute(a, [2, 0, 1])) },
  {
    name: 'toDevice to another backend and back',
    ops: ['toDevice'],
    inputs: () => [r(2, 3)],
    fn: (a) => mul(a.to(other(a)), a.to(other(a))).to(a.device),
    gradgrad: true,
  },
  {
    name: 'cast float64->float32->float64',
    ops: ['cast'],
    inputs: () => [r(4)],
    fn: (a) => cast(cast(a, 'float32'), 'float64'),
    atol: 1e-3,
    eps: 1e-3,
  },
  { name: 'matmul 2d', ops: ['matmul'], inputs: () => [r(3, 5), r(5, 2)], fn: (a, b) => matmul(a, b), gradgrad: true },
  { name: 'matmul batched broadcast', ops: ['matmul'], inputs: () => [r(2, 1, 3, 4), r(3, 4, 2)], fn: (a, b) => matmul(a, b) },
  {
    name: 'matmul vector cases',
    ops: ['matmul'],
    inputs: () => [r(4), r(4, 3), r(3)],
    fn: (v, m, w) => matmul(matmul(v, m), w).add(matmul(m, w).sum()),
  },
  {
    name: 'matmul transposed operands',
    ops: ['matmul'],
    inputs: () => [r(5, 3), r(2, 5)],
    fn: (a, b) => matmul(transpose(a), transpose(b)),
  },
  {
    name: 'lstmLayer fused sequence (T 3, B 2, H 3), forward and reverse',
    ops: ['lstmLayer'],
    inputs: () => [r(3, 2, 12), r(2, 3), r(2, 3), r(12, 3)],
    fn: (xp, h0, c0, w) => lstmLayer(xp, h0, c0, w).add(lstmLayer(xp, h0, c0, w.mul(0.5), true)),
    gradgrad: true,
  },
  {
    name: 'normalize trailing dims (layer norm)',
    ops: ['normalize'],
    inputs: () => [r(3, 2, 5)],
    fn: (a) => normalize(a, [1, 2]).mul(a),
    gradgrad: true,
  },
  {
    name: 'normalize around the channel dim (batch norm)',
    ops: ['normalize'],
    inputs: () => [r(3, 4, 2, 3)],
    fn: (a) => normalize(a, [0, 2, 3]).mul(a),
  },
  {
    name: 'normalize over dim 0 of [N, C] and over everything',
    ops: ['normalize'],
    inputs: () => [r(5, 3)],
    fn: (a) => normalize(a, [0]).add(normalize(a, [0, 1]).mul(a)),
  },
  {
    name: 'normalize over a non-contiguous layout (composed fallback), transposed input',
    ops: ['normalize'],
    inputs: () => [r(3, 4, 2, 5)],
    fn: (a) => normalize(a.transpose(0, 3), [1, 3]),
  },
  {
    name: 'gruLayer fused sequence (T 3, B 2, H 3), with and without b_hh, reversed',
    ops: ['gruLayer'],
    inputs: () => [r(3, 2, 9), r(2, 3), r(9, 3), r(9)],
    fn: (xp, h0, w, b) => gruLayer(xp, h0, w, b).add(gruLayer(xp, h0, w.mul(0.5), null, true)),
    gradgrad: true,
  },
];

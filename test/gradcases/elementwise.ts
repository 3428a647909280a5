import {
  Generator,
  randn,
  rand,
  tensor,
  transpose,
  permute,
  add,
  sub,
  mul,
  div,
  pow,
  where,
  rsqrt,
  abs,
  sign,
  clamp,
  maximum,
  minimum,
  square,
  reciprocal,
  sin,
  cos,
  log1p,
  expm1,
  floor,
  ceil,
  round,
  erf,
  relu,
  reluBackward,
  sigmoidBackward,
  tanhBackward,
  relu6,
  leakyRelu,
  elu,
  gelu,
  sigmoid,
  tanh,
  softplus,
  silu,
  hardtanh,
  gt,
  type Tensor,
} from '../../src/index.js';
import type { GradCase } from './_types.js';

const g = new Generator(11);
const r = (...shape: number[]): Tensor => randn(shape, { dtype: 'float64', generator: g, requiresGrad: true });
/** Uniform on [lo, hi). */
const u = (lo: number, hi: number, ...shape: number[]): Tensor =>
  rand(shape, { dtype: 'float64', generator: g })
    .mul(hi - lo)
    .add(lo)
    .requiresGrad_(true);
/** Standard normal pushed at least `gap` away from every point in `kinks` (for piecewise ops). */
const away = (kinks: number[], gap: number, ...shape: number[]): Tensor => {
  const t = randn(shape, { dtype: 'float64', generator: g }).mul(2);
  const s = t.storage;
  for (let i = 0; i < s.length; i++) {
    for (const k of kinks) if (Math.abs(s[i]! - k) < gap) s[i] = k + (s[i]! >= k ? gap : -gap);
  }
  return t.requiresGrad_(true);
};
/** Leaf b equal to a in some positions (ties for maximum/minimum), elsewhere different. */
const tiesWith = (a: Tensor): Tensor => {
  const b = a.detach().mul(1);
  const s = b.storage;
  for (let i = 0; i < s.length; i += 2) s[i] = s[i]! + 0.7;
  return b.requiresGrad_(true);
};

export const cases: GradCase[] = [
  { name: 'rsqrt transposed', ops: ['rsqrt'], inputs: () => [u(0.5, 2, 3, 4)], fn: (a) => rsqrt(transpose(a)), gradgrad: true },
  { name: 'abs away from 0', ops: ['abs'], inputs: () => [away([0], 0.05, 2, 5)], fn: (a) => abs(a) },
  {
    name: 'sign, floor, ceil, round have zero gradient',
    ops: ['sign', 'floor', 'ceil', 'round'],
    inputs: () => [away([-3, -2, -1, 0, 1, 2, 3, -2.5, -1.5, -0.5, 0.5, 1.5, 2.5], 0.05, 7)],
    fn: (a) => add(add(sign(a), floor(a)), add(ceil(a), round(a))).add(a.mul(0.5)),
  },
  { name: 'round decimals', ops: ['round'], inputs: () => [r(5)], fn: (a) => round(a, { decimals: 2 }).add(a) },
  {
    name: 'clamp both bounds, transposed',
    ops: ['clamp'],
    inputs: () => [away([-0.5, 0.7], 0.05, 3, 5)],
    fn: (a) => clamp(transpose(a), -0.5, 0.7),
  },
  { name: 'clamp min only', ops: ['clamp'], inputs: () => [away([0.2], 0.05, 11)], fn: (a) => clamp(a, 0.2) },
  { name: 'clamp max only', ops: ['clamp'], inputs: () => [away([-0.3], 0.05, 11)], fn: (a) => clamp(a, null, -0.3) },
  { name: 'maximum broadcast [3,1,5] vs [4,1]', ops: ['maximum'], inputs: () => [r(3, 1, 5), r(4, 1)], fn: (a, b) => maximum(a, b) },
  {
    name: 'minimum broadcast, transposed',
    ops: ['minimum'],
    inputs: () => [r(5, 3), r(3)],
    fn: (a, b) => minimum(transpose(a), b.reshape([3, 1])),
  },
  {
    name: 'maximum ties split the gradient',
    ops: ['maximum'],
    inputs: () => {
      const a = r(6);
      return [a, tiesWith(a)];
    },
    fn: (a, b) => maximum(a, b),
  },
  {
    name: 'minimum ties split the gradient',
    ops: ['minimum'],
    inputs: () => {
      const a = r(2, 3);
      return [a, tiesWith(a)];
    },
    fn: (a, b) => minimum(a, b),
  },
  { name: 'square', ops: ['square'], inputs: () => [r(3, 5)], fn: (a) => square(a), gradgrad: true },
  { name: 'reciprocal', ops: ['reciprocal'], inputs: () => [away([0], 0.3, 7)], fn: (a) => reciprocal(a), gradgrad: true },
  {
    name: 'sin cos permuted',
    ops: ['sin', 'cos'],
    inputs: () => [r(2, 3, 4)],
    fn: (a) => mul(sin(permute(a, [2, 0, 1])), cos(permute(a, [2, 0, 1]))),
    gradgrad: true,
  },
  { name: 'log1p', ops: ['log1p'], inputs: () => [u(-0.5, 3, 13)], fn: (a) => log1p(a), gradgrad: true },
  { name: 'expm1', ops: ['expm1'], inputs: () => [r(13)], fn: (a) => expm1(a), gradgrad: true },
  { name: 'erf', ops: ['erf'], inputs: () => [r(4, 5)], fn: (a) => erf(a), gradgrad: true },
  { name: 'relu transposed, away from 0', ops: ['relu'], inputs: () => [away([0], 0.05, 4, 3)], fn: (a) => relu(transpose(a)) },
  {
    name: 'reluBackward in g and x (a step in x), transposed g',
    ops: ['reluBackward'],
    inputs: () => [r(3, 4), away([0], 0.05, 4, 3)],
    fn: (gr, x) => reluBackward(transpose(gr), x).mul(x),
    gradgrad: true,
  },
  {
    name: 'sigmoidBackward in g and y, transposed g',
    ops: ['sigmoidBackward'],
    inputs: () => [r(3, 4), u(0.05, 0.95, 4, 3)],
    fn: (gr, y) => sigmoidBackward(transpose(gr), y),
    gradgrad: true,
  },
  {
    name: 'tanhBackward in g and y, transposed g',
    ops: ['tanhBackward'],
    inputs: () => [r(3, 4), u(-0.9, 0.9, 4, 3)],
    fn: (gr, y) => tanhBackward(transpose(gr), y),
    gradgrad: true,
  },
  {
    name: 'relu6 both kinks',
    ops: ['relu6'],
    inputs: () => [away([0, 6], 0.05, 17).mul(3).detach().requiresGrad_(true)],
    fn: (a) => relu6(a),
  },
  { name: 'leakyRelu slope 0.2', ops: ['leakyRelu'], inputs: () => [away([0], 0.05, 3, 4)], fn: (a) => leakyRelu(a, 0.2) },
  { name: 'elu alpha 1.3 away from 0', ops: ['elu'], inputs: () => [away([0], 0.05, 3, 4)], fn: (a) => elu(a, 1.3), gradgrad: true },
  { name: 'gelu exact', ops: ['gelu'], inputs: () => [r(3, 7)], fn: (a) => gelu(a), gradgrad: true },
  {
    name: 'gelu tanh approximation, transposed',
    ops: ['gelu'],
    inputs: () => [r(5, 3)],
    fn: (a) => gelu(transpose(a), { approximate: 'tanh' }),
    gradgrad: true,
  },
  { name: 'sigmoid', ops: ['sigmoid'], inputs: () => [r(2, 9)], fn: (a) => sigmoid(a.mul(2)), gradgrad: true },
  { name: 'tanh', ops: ['tanh'], inputs: () => [r(9, 2)], fn: (a) => tanh(transpose(a)), gradgrad: true },
  { name: 'softplus default', ops: ['softplus'], inputs: () => [r(11)], fn: (a) => softplus(a.mul(3)), gradgrad: true },
  {
    name: 'softplus beta 2 threshold 1 (both branches)',
    ops: ['softplus'],
    inputs: () => [away([0.5], 0.05, 13)],
    fn: (a) => softplus(a, { beta: 2, threshold: 1 }),
    gradgrad: true,
  },
  { name: 'silu', ops: ['silu'], inputs: () => [r(3, 1, 4)], fn: (a) => silu(a.mul(2)), gradgrad: true },
  {
    name: 'hardtanh custom range',
    ops: ['hardtanh'],
    inputs: () => [away([-0.5, 1.5], 0.05, 15)],
    fn: (a) => hardtanh(a, { minVal: -0.5, maxVal: 1.5 }),
  },
  // Core arithmetic with JS-number and integer operands (type promotion), not covered by core.ts.
  {
    name: 'number on the left: 2 - x, 3 / x, 2 ** x',
    ops: ['sub', 'div', 'pow'],
    inputs: () => [u(0.5, 2, 2, 3)],
    fn: (a) => add(add(sub(2, a), div(3, a)), pow(2, a)),
    gradgrad: true,
  },
  {
    name: 'float64 with int32 tensor operands (promotion)',
    ops: ['add', 'mul', 'div'],
    inputs: () => [r(2, 3)],
    fn: (a) => {
      const k = tensor([[1, -2, 3]], { dtype: 'int32' });
      return div(mul(add(a, k), k), tensor([2, 5, 7], { dtype: 'int32' }));
    },
  },
  {
    name: 'where with number branches and an activation mask',
    ops: ['where'],
    inputs: () => [away([0], 0.05, 4, 3)],
    fn: (a) => where(gt(a, 0), mul(a, a), -1).add(where(gt(a, 0), 0, a)),
  },
];

import { test } from 'node:test';
import {
  rsqrt, abs, sign, square, reciprocal, sin, cos, log1p, expm1, erf, floor, ceil, round, clamp, maximum, minimum,
  ne, lt, le, gt, ge, eq, logicalNot, logicalAnd, logicalOr, relu, relu6, leakyRelu, elu, gelu, sigmoid, tanh,
  softplus, silu, hardtanh, sub, div, pow, add, mul, where, type Tensor,
} from '../../src/index.js';
import { checkCase, loadCases } from './_harness.js';

type Impl = (x: Tensor[], kw: Record<string, unknown>) => Tensor;
const impl: Record<string, Impl> = {
  rsqrt: ([a]) => rsqrt(a!),
  'abs transposed': ([a]) => abs(a!),
  sign: ([a]) => sign(a!),
  square: ([a]) => square(a!),
  reciprocal: ([a]) => reciprocal(a!),
  sin: ([a]) => sin(a!),
  'cos transposed': ([a]) => cos(a!),
  log1p: ([a]) => log1p(a!),
  'log1p tiny': ([a]) => log1p(a!),
  expm1: ([a]) => expm1(a!),
  erf: ([a]) => erf(a!),
  floor: ([a]) => floor(a!),
  ceil: ([a]) => ceil(a!),
  'round half to even': ([a]) => round(a!),
  'round decimals 1': ([a]) => round(a!, { decimals: 1 }),
  'round decimals -1': ([a]) => round(a!, { decimals: -1 }),
  'floor int': ([a]) => floor(a!),
  'clamp both transposed': ([a]) => clamp(a!, -0.5, 0.7),
  'clamp min': ([a]) => clamp(a!, 0.2),
  'clamp max': ([a]) => clamp(a!, null, -0.3),
  'clamp int by float bound': ([a]) => clamp(a!, 0.5),
  'clamp min > max': ([a]) => clamp(a!, 1, -1),
  'maximum broadcast': ([a, b]) => maximum(a!, b!),
  'minimum transposed': ([a, b]) => minimum(a!, b!),
  'maximum ties': ([a, b]) => maximum(a!, b!),
  'minimum ties': ([a, b]) => minimum(a!, b!),
  'maximum int': ([a, b]) => maximum(a!, b!),
  'gt int vs float': ([a, b]) => gt(a!, b!),
  logical_not: ([a]) => logicalNot(a!),
  'logical_and mixed': ([a, b]) => logicalAnd(a!, b!),
  'logical_or mixed': ([a, b]) => logicalOr(a!, b!),
  'relu transposed': ([a]) => relu(a!),
  relu6: ([a]) => relu6(a!),
  'leaky_relu 0.2': ([a]) => leakyRelu(a!, 0.2),
  'leaky_relu default': ([a]) => leakyRelu(a!),
  'elu alpha 1.3': ([a]) => elu(a!, 1.3),
  'gelu exact': ([a]) => gelu(a!),
  'gelu tanh transposed': ([a]) => gelu(a!, { approximate: 'tanh' }),
  'sigmoid wide range': ([a]) => sigmoid(a!),
  'tanh wide range': ([a]) => tanh(a!),
  'softplus wide range': ([a]) => softplus(a!),
  'softplus beta 2 threshold 1': ([a]) => softplus(a!, { beta: 2, threshold: 1 }),
  silu: ([a]) => silu(a!),
  'hardtanh custom': ([a]) => hardtanh(a!, { minVal: -0.5, maxVal: 1.5 }),
  'number minus tensor': ([a]) => sub(2, a!),
  'number over tensor': ([a]) => div(3, a!),
  'number to tensor power': ([a]) => pow(2, a!),
  'float plus int tensor': ([a, b]) => add(a!, b!),
  'int tensor times float number': ([a]) => mul(a!, 0.5),
  'int over int tensor': ([a, b]) => div(a!, b!),
  'where number branches': ([c, a]) => where(c!, a!, -1),
};
const compare: Record<string, (a: Tensor, b: Tensor | number) => Tensor> = { ne, lt, le, gt, ge, eq };
for (const [name, f] of Object.entries(compare)) {
  impl[`${name} broadcast`] = ([a, b]) => f(a!, b!);
  impl[`${name} scalar`] = ([a]) => f(a!, 2);
}

for (const c of loadCases('elementwise')) {
  test(`parity elementwise: ${c.name}`, () => {
    const f = impl[c.name];
    if (!f) throw new Error(`no shinsou implementation mapped for fixture case '${c.name}'`);
    checkCase(c, f);
  });
}

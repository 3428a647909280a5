import { test } from 'node:test';
import {
  add,
  sub,
  mul,
  div,
  pow,
  exp,
  log,
  sqrt,
  neg,
  sum,
  mean,
  reshape,
  permute,
  expand,
  matmul,
  where,
  type Tensor,
} from '../../src/index.js';
import { checkCase, loadCases } from './_harness.js';

type Impl = (x: Tensor[], kw: Record<string, unknown>) => Tensor;
const impl: Record<string, Impl> = {
  'add broadcast': ([a, b]) => add(a!, b!),
  sub: ([a, b]) => sub(a!, b!),
  'mul transposed': ([a, b]) => mul(a!, b!),
  div: ([a, b]) => div(a!, b!),
  'pow scalar exponent': ([a]) => pow(a!, 3),
  'pow tensor exponent': ([a, b]) => pow(a!, b!),
  exp: ([a]) => exp(a!),
  log: ([a]) => log(a!),
  sqrt: ([a]) => sqrt(a!),
  neg: ([a]) => neg(a!),
  'sum dims': ([a]) => sum(a!, { dim: [0, 2], keepdim: true }),
  'sum transposed': ([a]) => sum(a!, { dim: 1 }),
  mean: ([a]) => mean(a!, { dim: -1 }),
  'reshape transposed': ([a]) => reshape(a!, [2, -1]),
  permute: ([a]) => permute(a!, [2, 0, 1]).mul(2),
  expand: ([a]) => expand(a!, [2, 3, 5]),
  'matmul 2d odd': ([a, b]) => matmul(a!, b!),
  'matmul batched broadcast': ([a, b]) => matmul(a!, b!),
  'matmul transposed lhs': ([a, b]) => matmul(a!, b!),
  'matmul vec-mat': ([a, b]) => matmul(a!, b!),
  'matmul mat-vec': ([a, b]) => matmul(a!, b!),
  'matmul dot': ([a, b]) => matmul(a!, b!),
  where: ([c, a, b]) => where(c!, a!, b!),
};

for (const c of loadCases('core')) {
  test(`parity core: ${c.name}`, () => {
    const f = impl[c.name];
    if (!f) throw new Error(`no shinsou implementation mapped for fixture case '${c.name}'`);
    checkCase(c, f);
  });
}

import { test } from 'node:test';
import {
  amax,
  amin,
  max,
  min,
  maxWithIndices,
  minWithIndices,
  argmax,
  argmin,
  variance,
  std,
  logsumexp,
  prod,
  cumsum,
  softmax,
  logSoftmax,
  type Tensor,
} from '../../src/index.js';
import { checkCase, loadCases } from './_harness.js';

type Impl = (x: Tensor[], kw: Record<string, unknown>) => Tensor;
const impl: Record<string, Impl> = {
  'amax dims transposed': ([a]) => amax(a!, { dim: [0, 2] }),
  'amax all': ([a]) => amax(a!),
  'amin dim -1 keepdim': ([a]) => amin(a!, { dim: -1, keepdim: true }),
  'amax ties': ([a]) => amax(a!, { dim: 1 }),
  'max all': ([a]) => max(a!),
  'max dim': ([a]) => max(a!, { dim: 1 }),
  'max dim indices': ([a]) => maxWithIndices(a!, 1).indices,
  'min dim keepdim': ([a]) => minWithIndices(a!, 0, true).values,
  'min all': ([a]) => min(a!),
  'argmax dim': ([a]) => argmax(a!, { dim: 0 }),
  'argmax flat': ([a]) => argmax(a!),
  'argmin dim keepdim': ([a]) => argmin(a!, { dim: -1, keepdim: true }),
  'var dims transposed': ([a]) => variance(a!, { dim: [0, 2] }),
  'var all': ([a]) => a!.var(),
  'var unbiased false keepdim': ([a]) => variance(a!, { dim: 1, unbiased: false, keepdim: true }),
  'var correction 2': ([a]) => variance(a!, { dim: 0, correction: 2 }),
  'std dim': ([a]) => std(a!, { dim: 1 }),
  'std all unbiased false': ([a]) => std(a!, { unbiased: false }),
  'logsumexp large': ([a]) => logsumexp(a!, { dim: 1 }),
  'logsumexp large negative': ([a]) => logsumexp(a!, { dim: 0 }),
  'logsumexp dims transposed': ([a]) => logsumexp(a!, { dim: [1, 2], keepdim: true }),
  'prod dim': ([a]) => prod(a!, { dim: 1 }),
  'prod dim with zeros': ([a]) => prod(a!, { dim: 1 }),
  'prod all one zero': ([a]) => prod(a!),
  'prod all two zeros': ([a]) => prod(a!),
  'prod dim transposed': ([a]) => prod(a!, { dim: 0, keepdim: true }),
  'cumsum transposed': ([a]) => cumsum(a!, 1),
  'cumsum dim 0': ([a]) => cumsum(a!, 0),
  'softmax dim 1': ([a]) => softmax(a!, 1),
  'softmax 3d last': ([a]) => softmax(a!, -1),
  'softmax large': ([a]) => softmax(a!, 1),
  'log_softmax dim 0 transposed': ([a]) => logSoftmax(a!, 0),
  'log_softmax dim 1': ([a]) => logSoftmax(a!, 1),
};

for (const c of loadCases('reduce')) {
  test(`parity reduce: ${c.name}`, () => {
    const f = impl[c.name];
    if (!f) throw new Error(`no shinsou implementation mapped for fixture case '${c.name}'`);
    checkCase(c, f);
  });
}

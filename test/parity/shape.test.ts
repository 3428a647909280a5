import { test } from 'node:test';
import {
  squeeze,
  unsqueeze,
  flatten,
  narrow,
  slice,
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
  type Tensor,
} from '../../src/index.js';
import { checkCase, loadCases } from './_harness.js';

type Impl = (x: Tensor[], kw: Record<string, unknown>) => Tensor;
const weighted = (parts: Tensor[], dim: number): Tensor =>
  cat(
    parts.map((p, i) => p.mul(i + 1)),
    dim,
  );
const impl: Record<string, Impl> = {
  'squeeze all': ([a]) => squeeze(a!).mul(2),
  'squeeze dim transposed': ([a]) => squeeze(a!, 1),
  unsqueeze: ([a]) => unsqueeze(a!, 1).mul(3),
  'flatten transposed': ([a]) => flatten(a!),
  'flatten middle': ([a]) => flatten(a!, 1, 2),
  narrow: ([a]) => narrow(a!, 1, 1, 3),
  'narrow transposed': ([a]) => a!.narrow(1, 2, 2),
  'slice step': ([a]) => slice(a!, 1, -6, null, 2),
  select: ([a]) => select(a!, 1, -1),
  'select transposed': ([a]) => a!.select(1, 1),
  'cat 3 middle dim': ([a, b, c]) => cat([a!, b!, c!], 1),
  'cat transposed': ([a, b]) => cat([a!, b!], 0),
  stack: ([a, b, c]) => stack([a!, b!, c!], 1),
  'split list': ([a]) => weighted(split(a!, [2, 4, 1], 1), 1),
  'split int': ([a]) => weighted(a!.split(2, 0), 0),
  chunk: ([a]) => weighted(chunk(a!, 3, -1), -1),
  'flip two dims': ([a]) => flip(a!, [0, 2]),
  'flip transposed': ([a]) => a!.flip(1),
  'repeat leading dim': ([a]) => repeat(a!, [2, 1, 3]),
  'repeat size-1': ([a]) => a!.repeat(3, 2),
  roll: ([a]) => roll(a!, [1, -2], [0, 1]),
  'roll flat': ([a]) => a!.roll(4),
  'pad constant 3d': ([a]) => pad(a!, [2, 1], { value: 0.5 }),
  'pad constant 4d crop': ([a]) => pad(a!, [1, -1, 2, 0]),
  'pad reflect 3d': ([a]) => pad(a!, [3, 2], { mode: 'reflect' }),
  'pad reflect 4d': ([a]) => pad(a!, [2, 1, 1, 2], 'reflect'),
  'pad replicate 3d': ([a]) => pad(a!, [2, 3], { mode: 'replicate' }),
  'pad replicate 4d transposed': ([a]) => pad(a!, [1, 2, 2, 1], 'replicate'),
  'pad circular 4d': ([a]) => pad(a!, [1, 2, 2, 1], 'circular'),
  'unfold overlapping': ([a]) => unfold(a!, 1, 3, 2),
  'unfold transposed': ([a]) => a!.unfold(0, 2, 1),
};

for (const c of loadCases('shape')) {
  test(`parity shape: ${c.name}`, () => {
    const f = impl[c.name];
    if (!f) throw new Error(`no shinsou implementation mapped for fixture case '${c.name}'`);
    checkCase(c, f);
  });
}

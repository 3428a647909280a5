import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gradcheck, gradgradcheck, listOps } from '../src/index.js';
import type { GradCase } from './gradcases/_types.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'gradcases');
const modules = readdirSync(dir).filter((f) => f.endsWith('.js') && !f.startsWith('_'));
const all: GradCase[] = [];
for (const f of modules.sort()) {
  const mod = (await import(pathToFileURL(join(dir, f)).href)) as { cases: GradCase[] };
  all.push(...mod.cases);
}

test('every differentiable op in the registry has a float64 gradcheck case', () => {
  const covered = new Set(all.flatMap((c) => c.ops));
  const missing = listOps()
    .filter((o) => o.grad === 'differentiable' && !covered.has(o.name))
    .map((o) => o.name);
  assert.deepEqual(missing, [], `ops without a gradcheck case: ${missing.join(', ')}`);
  const unknown = [...covered].filter((n) => !listOps().some((o) => o.name === n));
  assert.deepEqual(unknown, [], `gradcheck cases name ops that are not registered: ${unknown.join(', ')}`);
});

test('case names are unique', () => {
  const names = all.map((c) => c.name);
  assert.equal(new Set(names).size, names.length);
});

for (const c of all) {
  test(`gradcheck: ${c.name}`, () => {
    const opts = { eps: c.eps ?? 1e-6, atol: c.atol ?? 1e-5, rtol: c.rtol ?? 1e-3 };
    assert.equal(gradcheck(c.fn, c.inputs(), opts), true);
    if (c.gradgrad) assert.equal(gradgradcheck(c.fn, c.inputs(), opts), true);
  });
}

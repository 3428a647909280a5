import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { randn, matmul, add, sum, mul, exp, sub, noGrad, manualSeed, type Tensor } from '../src/index.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

test('a 10,000-step training loop keeps a flat memory footprint', () => {
  manualSeed(0);
  const w1 = randn([8, 32]).mul(0.3).requiresGrad_(true);
  const w2 = randn([32, 1]).mul(0.3).requiresGrad_(true);
  const x = randn([16, 8]);
  const target = randn([16, 1]);
  const params: Tensor[] = [w1, w2];
  const samples: number[] = [];
  let first = 0;
  let last = 0;
  for (let step = 0; step < 10_000; step++) {
    const h = exp(mul(matmul(x, w1), -0.1));
    const diff = sub(matmul(h, w2), target);
    const loss = sum(mul(diff, diff)).div(16);
    loss.backward();
    noGrad(() => {
      for (const p of params) {
        p.data.set(sub(p, mul(p.grad!, 0.01)).data);
        p.grad = null;
      }
    });
    if (step === 0) first = loss.item();
    last = loss.item();
    if (step % 1000 === 999) {
      gc();
      samples.push(process.memoryUsage().heapUsed);
    }
  }
  assert.ok(last < first, `loss should fall: ${first} -> ${last}`);
  const growth = samples[samples.length - 1]! - samples[1]!;
  assert.ok(
    growth < 4 * 1024 * 1024,
    `heap grew by ${(growth / 1048576).toFixed(2)} MiB over 8000 steps: ${samples.map((s) => (s / 1048576).toFixed(1)).join(', ')}`,
  );
  void add;
});

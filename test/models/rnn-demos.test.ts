import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Generator } from '../../src/index.js';
import { runClipping } from '../../examples/clipping-demo.js';
import { addingBatch, trainAdding } from '../../src/models/rnn/adding.js';

test('clipping demo: without clipping the large-weight ReLU RNN explodes, with clipGradNorm it trains', () => {
  const free = runClipping(null, 20);
  assert.ok(free.diverged || Math.max(...free.gradNorm) > 1e6, `no clipping: max norm ${Math.max(...free.gradNorm)}`);
  const clipped = runClipping(1, 60);
  assert.ok(!clipped.diverged);
  assert.ok(clipped.finalLoss < clipped.loss[0]!, `clipped loss ${clipped.loss[0]} -> ${clipped.finalLoss}`);
});

test('adding problem: data layout (two markers, one per half; target is their sum) and a short training run', async () => {
  const { x, y } = addingBatch(10, 3, new Generator(1));
  const xs = x.toArray() as number[][][];
  for (let b = 0; b < 3; b++) {
    const marked = xs.map((row, t) => [t, row[b]!] as const).filter(([, v]) => v[1] === 1);
    assert.equal(marked.length, 2);
    assert.ok(marked[0]![0] < 5 && marked[1]![0] >= 5);
    assert.ok(Math.abs(marked[0]![1][0]! + marked[1]![1][0]! - y.data[b]!) < 1e-6);
  }
  const r = await trainAdding({ cell: 'gru', T: 12, hidden: 8, steps: 40, evalEvery: 20, lr: 0.01 });
  assert.equal(r.curve.length, 3);
  assert.ok(r.finalMse < r.curve[0]!.mse);
});

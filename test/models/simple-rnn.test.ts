import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor, Generator } from '../../src/index.js';
import { SimpleRNN, type SimpleRNNOptions, type SimpleRNNParams } from '../../src/models/rnn/simple-rnn.js';
import { trainBinaryAddition } from '../../src/models/rnn/binary-addition.js';

function randomData(T: number, B: number, I: number, O: number, seed: number): { xs: Float64Array[]; ds: Float64Array[] } {
  const g = new Generator(seed);
  const xs = Array.from({ length: T }, () => Float64Array.from({ length: B * I }, () => g.normal()));
  const ds = Array.from({ length: T }, () => Float64Array.from({ length: B * O }, () => g.random()));
  return { xs, ds };
}

const variants: [string, Partial<SimpleRNNOptions>][] = [
  ['tanh hidden, sigmoid output, mse', { hidden: 'tanh', output: 'sigmoid', loss: 'mse' }],
  ['sigmoid hidden, identity output, mse', { hidden: 'sigmoid', output: 'identity', loss: 'mse' }],
  ['relu hidden, sigmoid output, bce', { hidden: 'relu', output: 'sigmoid', loss: 'bce' }],
];

for (const [name, v] of variants) {
  test(`SimpleRNN: explicit BPTT equals autograd to float64 precision (${name})`, () => {
    const [T, B, I, H, O] = [7, 3, 4, 5, 2];
    const net = new SimpleRNN({ inputSize: I, hiddenSize: H, outputSize: O, seed: 3, ...v });
    // Non-zero biases so every term matters.
    net.params.b.forEach((_, i) => (net.params.b[i] = 0.1 * (i - 2)));
    net.params.c.forEach((_, i) => (net.params.c[i] = -0.2 + 0.3 * i));
    const { xs, ds } = randomData(T, B, I, O, 11);
    const { loss, grads } = net.bptt(net.forward(xs, B), ds);
    const ps = net.parameterTensors();
    const x = tensor(Float64Array.from(xs.flatMap((a) => [...a])), { shape: [T, B, I], dtype: 'float64' });
    const d = tensor(Float64Array.from(ds.flatMap((a) => [...a])), { shape: [T, B, O], dtype: 'float64' });
    const out = net.forwardTensor(ps, x, d);
    assert.ok(Math.abs(out.loss.item() - loss) < 1e-12 * Math.max(1, Math.abs(loss)), `loss ${out.loss.item()} vs ${loss}`);
    out.loss.backward();
    for (const k of Object.keys(grads) as (keyof SimpleRNNParams)[]) {
      const a = ps[k].grad!.data;
      const e = grads[k];
      let maxErr = 0;
      for (let i = 0; i < e.length; i++) maxErr = Math.max(maxErr, Math.abs(a[i]! - e[i]!));
      assert.ok(maxErr < 1e-10, `${name}: dE/d${k} differs by ${maxErr}`);
    }
  });
}

test('SimpleRNN: binary addition reaches 100% on held-out pairs with explicit BPTT', async () => {
  const r = await trainBinaryAddition({ seed: 1, maxSteps: 4000 });
  assert.equal(r.heldOutAccuracy, 1, `held-out exact accuracy ${r.heldOutAccuracy} after ${r.steps} steps`);
  assert.ok(r.heldOutPairs > 4000);
});

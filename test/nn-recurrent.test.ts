import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nn, randn, gradcheck, manualSeed, narrow, sum, mul, cat, type Tensor } from '../src/index.js';

const f64 = { dtype: 'float64' as const };

test('LSTM with peepholes: parameter names, and float64 gradcheck of input, states and every parameter', () => {
  manualSeed(1);
  const lstm = new nn.LSTM(3, 4, { peephole: true, bidirectional: true, dtype: 'float64' });
  assert.deepEqual(Object.keys(lstm.stateDict()), [
    'weight_ih_l0',
    'weight_hh_l0',
    'bias_ih_l0',
    'bias_hh_l0',
    'weight_ci_l0',
    'weight_cf_l0',
    'weight_co_l0',
    'weight_ih_l0_reverse',
    'weight_hh_l0_reverse',
    'bias_ih_l0_reverse',
    'bias_hh_l0_reverse',
    'weight_ci_l0_reverse',
    'weight_cf_l0_reverse',
    'weight_co_l0_reverse',
  ]);
  // Peepholes start at zero; give them values so their gradients are exercised.
  for (const [k, p] of lstm.namedParameters()) if (/weight_c[ifo]/.test(k)) p.data.set(randn([4], f64).data);
  const x = randn([4, 2, 3], f64).requiresGrad_();
  const h0 = randn([2, 2, 4], f64).requiresGrad_();
  const c0 = randn([2, 2, 4], f64).requiresGrad_();
  const fn = (): Tensor => {
    const r = lstm.forward(x, { h: h0, c: c0 }, [4, 2]);
    return cat([r.output.flatten(), r.h.flatten(), mul(r.c, 0.5).flatten()]);
  };
  gradcheck(fn, [x, h0, c0, ...lstm.parameters()]);
});

test('GRU and RNN relu: float64 gradcheck through 2 layers', () => {
  manualSeed(2);
  for (const m of [
    new nn.GRU(2, 3, { numLayers: 2, dtype: 'float64' }),
    new nn.RNN(2, 3, { numLayers: 2, nonlinearity: 'relu', batchFirst: true, dtype: 'float64' }),
  ]) {
    const x = randn([3, 4, 2], f64).requiresGrad_();
    gradcheck(() => m.forward(x).output, [x, ...m.parameters()]);
  }
});

test('lengths: the final state is the state at the last valid step, outputs past it are zero', () => {
  manualSeed(3);
  const lstm = new nn.LSTM(3, 5, { numLayers: 2, bidirectional: true });
  const x = randn([6, 2, 3]);
  const r = lstm.forward(x, null, [6, 3]);
  const alone = lstm.forward(narrow(narrow(x, 1, 1, 1), 0, 0, 3));
  const close = (a: Tensor, b: Tensor, what: string): void => {
    const da = a.data;
    const db = b.data;
    for (let i = 0; i < da.length; i++) assert.ok(Math.abs(da[i]! - db[i]!) < 1e-5, `${what}: ${da[i]} vs ${db[i]}`);
  };
  close(narrow(r.h, 1, 1, 1), alone.h, 'h of the short sequence');
  close(narrow(r.c, 1, 1, 1), alone.c, 'c of the short sequence');
  close(narrow(narrow(r.output, 1, 1, 1), 0, 0, 3), alone.output, 'outputs of the short sequence');
  assert.equal(sum(narrow(narrow(r.output, 1, 1, 1), 0, 3, 3).abs()).item(), 0);
});

test('dropout between layers acts in training only; eval output is deterministic', () => {
  manualSeed(4);
  const gru = new nn.GRU(3, 4, { numLayers: 2, dropout: 0.5 });
  const x = randn([5, 2, 3]);
  gru.eval();
  const a = gru.forward(x).output.toList();
  const b = gru.forward(x).output.toList();
  assert.deepEqual(a, b);
  gru.train();
  const c = gru.forward(x).output.toList();
  assert.notDeepEqual(a, c);
});

test('recurrent layers: shapes, unbatched input and error messages', () => {
  const rnn = new nn.RNN(3, 4, { numLayers: 3, bidirectional: true, batchFirst: true });
  const r = rnn.forward(randn([2, 7, 3]));
  assert.deepEqual(r.output.shape, [2, 7, 8]);
  assert.deepEqual(r.h.shape, [6, 2, 4]);
  assert.deepEqual(new nn.GRU(3, 4).forward(randn([5, 3])).output.shape, [5, 4]);
  assert.throws(() => rnn.forward(randn([2, 7, 5])), /RNN: input shape \[2, 7, 5\] does not end in input_size=3/);
  assert.throws(
    () => new nn.LSTM(3, 4).forward(randn([5, 2, 3]), { h: randn([1, 3, 4]), c: randn([1, 2, 4]) }),
    /LSTM: expected h0 of shape \[1, 2, 4\], got \[1, 3, 4\]/,
  );
  assert.throws(() => new nn.GRU(3, 4).forward(randn([5, 2, 3]), null, [5, 6]), /GRU: sequence length 6 is not an integer in \[0, 5\]/);
  assert.throws(() => new nn.LSTMCell(3, 4).forward(randn([2, 4])), /LSTMCell: input shape \[2, 4\] does not end in input_size=3/);
  assert.equal(String(new nn.LSTM(3, 4, { numLayers: 2, batchFirst: true })), 'LSTM(3, 4, num_layers=2, batch_first=True)');
});

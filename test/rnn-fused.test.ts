// The fused LSTM and GRU layer ops (ops/recurrent/lstmLayer.ts, ops/recurrent/gruLayer.ts, backend/rnn.ts) against the
// same functions composed of public ops, on the wasm float32 path and the JS float64 path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Generator,
  grad,
  gruLayer,
  gruLayerReference,
  lstmLayer,
  lstmLayerReference,
  nn,
  randn,
  setNumThreads,
  getNumThreads,
  sum,
  mul,
  type Tensor,
} from '../src/index.js';
import { getKernelVariant } from '../src/backend/wasm/loader.js';

const gen = new Generator(5);
const leaf = (shape: number[], dtype: 'float32' | 'float64' = 'float32', scale = 1): Tensor =>
  randn(shape, { dtype, generator: gen }).mul(scale).detach().requiresGrad_(true);

function maxDiff(a: Tensor, b: Tensor): number {
  const x = a.contiguous().data;
  const y = b.contiguous().data;
  assert.deepEqual(a.shape, b.shape);
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  return m;
}

/** The fused op and its composed definition agree on the output and on every input's gradient. */
function agree(what: string, fused: Tensor, ref: Tensor, inputs: Tensor[], names: string[], gout: Tensor, tol: number): void {
  assert.ok(maxDiff(fused, ref) < tol, `forward ${what}: ${maxDiff(fused, ref)}`);
  const gf = grad([fused], inputs, { gradOutputs: [gout] });
  const gr = grad([ref], inputs, { gradOutputs: [gout] });
  names.forEach((name, i) => {
    const d = maxDiff(gf[i]!, gr[i]!);
    assert.ok(d < tol * 10, `d${name} ${what}: ${d}`);
  });
}

function compare(dtype: 'float32' | 'float64', T: number, B: number, H: number, reverse: boolean, tol: number): void {
  const xp = leaf([T, B, 4 * H], dtype);
  const h0 = leaf([B, H], dtype);
  const c0 = leaf([B, H], dtype);
  const w = leaf([4 * H, H], dtype, 1 / Math.sqrt(H));
  const gout = randn([T, B, 2 * H], { dtype, generator: gen });
  const what = `${dtype} T${T} B${B} H${H}${reverse ? ' reverse' : ''}`;
  agree(
    what,
    lstmLayer(xp, h0, c0, w, reverse),
    lstmLayerReference(xp, h0, c0, w, reverse),
    [xp, h0, c0, w],
    ['xp', 'h0', 'c0', 'wHh'],
    gout,
    tol,
  );
}

/** run() gives the same bits with 1 and 2 kernel threads. */
function sameOnThreads(run: () => Tensor[]): void {
  const saved = getNumThreads();
  const bits = (): Int32Array[] => run().map((t) => new Int32Array(Float32Array.from(t.data as Float32Array).buffer));
  try {
    setNumThreads(1);
    const one = bits();
    setNumThreads(2);
    const two = bits();
    one.forEach((a, i) => assert.deepEqual(a, two[i], `output ${i}`));
  } finally {
    setNumThreads(saved);
  }
}

test('lstmLayer: float32 (wasm SIMD kernels) and float64 (JS loops) match the composed ops, forward and every gradient', () => {
  assert.notEqual(getKernelVariant(), 'js');
  compare('float32', 7, 5, 8, false, 2e-5);
  compare('float32', 6, 3, 12, true, 2e-5);
  compare('float32', 4, 2, 5, false, 2e-5); // H not a multiple of 4: the JS loops in float32
  compare('float64', 5, 3, 4, false, 1e-12);
  compare('float64', 5, 3, 4, true, 1e-12);
});

test('lstmLayer: results are bitwise the same on 1 and 2 threads', () => {
  const xp = leaf([9, 32, 4 * 64]);
  const h0 = leaf([32, 64]);
  const c0 = leaf([32, 64]);
  const w = leaf([4 * 64, 64], 'float32', 0.1);
  sameOnThreads(() => {
    const out = lstmLayer(xp, h0, c0, w);
    return [out, ...grad([sum(mul(out, out))], [xp, h0, c0, w]).map((t) => t!)];
  });
});

test('lstmLayer: double backward goes through the composed ops', () => {
  const xp = leaf([3, 2, 8], 'float64');
  const h0 = leaf([2, 2], 'float64');
  const c0 = leaf([2, 2], 'float64');
  const w = leaf([8, 2], 'float64');
  const [gw] = grad([sum(lstmLayer(xp, h0, c0, w))], [w], { createGraph: true });
  const [gw2] = grad([sum(lstmLayerReference(xp, h0, c0, w))], [w], { createGraph: true });
  const a = grad([sum(mul(gw!, gw!))], [xp, w]);
  const b = grad([sum(mul(gw2!, gw2!))], [xp, w]);
  a.forEach((t, i) => assert.ok(maxDiff(t!, b[i]!) < 1e-12, `second derivative ${i}`));
});

test('lstmLayer: nn.LSTM uses it and keeps its outputs and final states', () => {
  const lstm = new nn.LSTM(6, 8, { numLayers: 2, bidirectional: true });
  const x = randn([5, 3, 6], { generator: gen });
  const { output, h, c } = lstm.forward(x);
  assert.deepEqual(output.shape, [5, 3, 16]);
  assert.deepEqual(h.shape, [4, 3, 8]);
  assert.deepEqual(c.shape, [4, 3, 8]);
  // The final forward-direction hidden state of the top layer is the output's last step there.
  const top = output.select(0, 4).narrow(1, 0, 8);
  assert.ok(maxDiff(top, h.select(0, 2)) === 0);
  // The reverse direction ends at t = 0.
  assert.ok(maxDiff(output.select(0, 0).narrow(1, 8, 8), h.select(0, 3)) === 0);
});

test('lstmLayer: shape and dtype errors name every operand', () => {
  const ok = [randn([2, 3, 8]), randn([3, 2]), randn([3, 2]), randn([8, 2])] as const;
  assert.throws(() => lstmLayer(randn([2, 3, 7]), ok[1], ok[2], ok[3]), /lstmLayer: xp must be \[T, B, 4H\] \(xp \[2, 3, 7\]/);
  assert.throws(
    () => lstmLayer(ok[0], randn([2, 2]), ok[2], ok[3]),
    /lstmLayer: shapes do not agree \(xp \[2, 3, 8\], h0 \[2, 2\], c0 \[3, 2\], wHh \[8, 2\]\)/,
  );
  assert.throws(
    () => lstmLayer(ok[0], ok[1], ok[2], randn([8, 2], { dtype: 'float64' })),
    /dtypes must be one float dtype, got float32, float32, float32, float64/,
  );
});

function compareGru(dtype: 'float32' | 'float64', T: number, B: number, H: number, reverse: boolean, bias: boolean, tol: number): void {
  const xp = leaf([T, B, 3 * H], dtype);
  const h0 = leaf([B, H], dtype);
  const w = leaf([3 * H, H], dtype, 1 / Math.sqrt(H));
  const b = bias ? leaf([3 * H], dtype) : null;
  const gout = randn([T, B, H], { dtype, generator: gen });
  const what = `GRU ${dtype} T${T} B${B} H${H}${reverse ? ' reverse' : ''}${bias ? '' : ' no bias'}`;
  const ins = b ? [xp, h0, w, b] : [xp, h0, w];
  agree(
    what,
    gruLayer(xp, h0, w, b, reverse),
    gruLayerReference(xp, h0, w, b, reverse),
    ins,
    ['xp', 'h0', 'wHh', 'bHh'].slice(0, ins.length),
    gout,
    tol,
  );
}

test('gruLayer: float32 (wasm SIMD kernels) and float64 (JS loops) match the composed ops, forward and every gradient', () => {
  compareGru('float32', 7, 5, 8, false, true, 2e-5);
  compareGru('float32', 6, 3, 12, true, true, 2e-5);
  compareGru('float32', 5, 2, 8, false, false, 2e-5);
  compareGru('float32', 4, 2, 5, true, true, 2e-5); // H not a multiple of 4: the JS loops in float32
  compareGru('float64', 5, 3, 4, false, true, 1e-12);
  compareGru('float64', 5, 3, 4, true, false, 1e-12);
});

test('gruLayer: bitwise the same on 1 and 2 threads; double backward through the composed ops; nn.GRU uses it', () => {
  const xp = leaf([6, 32, 3 * 64]);
  const h0 = leaf([32, 64]);
  const w = leaf([3 * 64, 64], 'float32', 0.1);
  const b = leaf([3 * 64]);
  sameOnThreads(() => {
    const out = gruLayer(xp, h0, w, b);
    return [out, ...grad([sum(mul(out, out))], [xp, h0, w, b]).map((t) => t!)];
  });
  const x64 = leaf([3, 2, 6], 'float64');
  const h64 = leaf([2, 2], 'float64');
  const w64 = leaf([6, 2], 'float64');
  const b64 = leaf([6], 'float64');
  const [gw] = grad([sum(gruLayer(x64, h64, w64, b64))], [w64], { createGraph: true });
  const [gw2] = grad([sum(gruLayerReference(x64, h64, w64, b64))], [w64], { createGraph: true });
  const a2 = grad([sum(mul(gw!, gw!))], [x64, b64]);
  const b2 = grad([sum(mul(gw2!, gw2!))], [x64, b64]);
  a2.forEach((t, i) => assert.ok(maxDiff(t!, b2[i]!) < 1e-12, `second derivative ${i}`));
  const gru = new nn.GRU(6, 8, { numLayers: 2, bidirectional: true });
  const { output, h } = gru.forward(randn([5, 3, 6], { generator: gen }));
  assert.deepEqual(output.shape, [5, 3, 16]);
  assert.ok(maxDiff(output.select(0, 4).narrow(1, 0, 8), h.select(0, 2)) === 0);
  assert.ok(maxDiff(output.select(0, 0).narrow(1, 8, 8), h.select(0, 3)) === 0);
  assert.throws(() => gruLayer(randn([2, 3, 7]), randn([3, 2]), randn([6, 2]), null), /gruLayer: xp must be \[T, B, 3H\]/);
  assert.throws(
    () => gruLayer(randn([2, 3, 6]), randn([3, 2]), randn([6, 2]), randn([5])),
    /gruLayer: shapes do not agree \(xp \[2, 3, 6\], h0 \[3, 2\], wHh \[6, 2\], bHh \[5\]\)/,
  );
});

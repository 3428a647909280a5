// Quantization (src/compress): affine grids, calibration ranges, the folded inference graph, the
// int8 model against its float model, saving it, and quantization-aware training's
// straight-through gradient.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Generator, Tensor, manualSeed, nn, randn, sum, mul, noGrad, io, optim, crossEntropy } from '../src/index.js';
import {
  affineParams,
  quantizeValue,
  quantizeWeight,
  dequantizeWeight,
  RangeObserver,
  inferenceGraph,
  runGraph,
  quantizeModel,
  encodeQuantized,
  decodeQuantized,
  fakeQuantize,
  fakeQuantizeWeight,
  QatModel,
} from '../src/compress/index.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { cnn } from '../src/models/classifier/models.js';
import { cifarResnet } from '../src/models/resnet/resnet.js';

function maxAbsDiff(a: Tensor, b: Tensor): number {
  const x = a.contiguous().data;
  const y = b.contiguous().data;
  assert.deepEqual(a.shape, b.shape);
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  return m;
}

function maxAbs(a: Tensor): number {
  let m = 0;
  for (const v of a.contiguous().data) m = Math.max(m, Math.abs(v));
  return m;
}

/** Random running statistics and affine parameters, so folding BatchNorm changes something. */
function randomizeNorms(m: nn.Module, g: Generator): void {
  noGrad(() => {
    for (const [name, t] of Object.entries(m.stateDict())) {
      const d = t.data as Float32Array;
      if (name.endsWith('running_var')) for (let i = 0; i < d.length; i++) d[i] = 0.5 + g.random();
      else if (name.endsWith('running_mean')) for (let i = 0; i < d.length; i++) d[i] = (g.random() - 0.5) * 0.4;
      else if (/bn\d?\.weight|downsample\.1\.weight/.test(name)) for (let i = 0; i < d.length; i++) d[i] = 0.6 + 0.8 * g.random();
    }
  });
}

test('affineParams: the range widened to hold 0, real 0 exact, round trip within s / 2', () => {
  const p = affineParams(-1, 3, 0, 127);
  assert.ok(Math.abs(p.scale - 4 / 127) < 1e-7);
  assert.equal(p.zeroPoint, 32);
  assert.equal(quantizeValue(0, p), p.zeroPoint, 'real 0 is the integer z');
  for (const x of [-1, -0.3, 0.01, 1.7, 3]) {
    const q = quantizeValue(x, p);
    assert.ok(Math.abs(p.scale * (q - p.zeroPoint) - x) <= p.scale / 2 + 1e-7, `x = ${x}`);
  }
  assert.equal(quantizeValue(100, p), 127, 'saturates');
  const pos = affineParams(0.5, 2, -128, 127);
  assert.equal(pos.zeroPoint, -128, 'a positive range starts at 0: z = qmin');
  assert.throws(() => affineParams(2, 1, 0, 127), /affineParams: expected finite min <= max, got min 2, max 1/);
  assert.throws(() => affineParams(0, 1, 5, 5), /expected qmin < qmax/);
  assert.equal(affineParams(0, 0, 0, 127).scale, 1, 'an all-zero range still gets a usable scale');
});

test('quantizeWeight: per-channel scales beat one per-tensor scale when channels differ in size', () => {
  const g = new Generator(3);
  const w = randn([4, 3, 3, 3], { generator: g });
  const d = w.data;
  for (let i = 0; i < 27; i++) d[i] = d[i]! * 20; // one large filter
  const pc = quantizeWeight(w, { perChannel: true });
  const pt = quantizeWeight(w, { perChannel: false });
  assert.equal(pc.scales.length, 4);
  assert.equal(pt.scales.length, 1);
  assert.ok(pc.values.every((v) => v >= -127 && v <= 127));
  const errPc = maxAbsDiff(dequantizeWeight(pc).narrow(0, 1, 3), w.narrow(0, 1, 3));
  const errPt = maxAbsDiff(dequantizeWeight(pt).narrow(0, 1, 3), w.narrow(0, 1, 3));
  assert.ok(errPc < errPt / 5, `per-channel error ${errPc} should be far below per-tensor ${errPt} on the small filters`);
  assert.ok(errPc <= Math.max(...pc.scales) / 2 + 1e-6);
});

test('RangeObserver: min-max keeps outliers, percentile clips them, MSE lowers the squared error on a long tail', () => {
  const g = new Generator(5);
  const values = Float32Array.from({ length: 20000 }, () => Math.abs(g.random() + g.random() + g.random() - 1.5));
  values[7] = 40; // one outlier
  const obs = (m: 'minmax' | 'percentile' | 'mse'): RangeObserver => {
    const o = new RangeObserver(m, 99.9);
    o.observe(values.subarray(0, 10000));
    o.observe(values.subarray(10000));
    if (o.needsHistogram) {
      o.observeHistogram(values.subarray(0, 10000));
      o.observeHistogram(values.subarray(10000));
    }
    return o;
  };
  const mse = (p: ReturnType<RangeObserver['params']>): number => {
    let e = 0;
    for (const v of values) e += (v - p.scale * (quantizeValue(v, p) - p.zeroPoint)) ** 2;
    return e / values.length;
  };
  const mm = obs('minmax').params(0, 127);
  const pc = obs('percentile').params(0, 127);
  const ms = obs('mse').params(0, 127);
  assert.ok(Math.abs(mm.scale * 127 - 40) < 1e-4, 'min-max spans the outlier');
  assert.ok(pc.scale * 127 < 3, `percentile range ${pc.scale * 127} drops the outlier`);
  assert.ok(mse(ms) <= mse(mm), 'the MSE search includes the min-max range');
  // A long (exponential) tail: clipping it costs less than the coarser grid the extremes need.
  const tail = Float32Array.from({ length: 20000 }, () => -Math.log(1 - g.random()));
  const fit = (m: 'minmax' | 'mse'): ReturnType<RangeObserver['params']> => {
    const o = new RangeObserver(m);
    o.observe(tail);
    if (o.needsHistogram) o.observeHistogram(tail);
    return o.params(0, 127);
  };
  const err = (p: ReturnType<RangeObserver['params']>): number => {
    let e = 0;
    for (const v of tail) e += (v - p.scale * (quantizeValue(v, p) - p.zeroPoint)) ** 2;
    return e;
  };
  const [a, b] = [fit('minmax'), fit('mse')];
  assert.ok(b.scale < a.scale, `MSE clips the tail: scale ${b.scale} < ${a.scale}`);
  assert.ok(err(b) < 0.95 * err(a), `MSE-optimal error ${err(b)} below min-max ${err(a)}`);
  assert.throws(() => new RangeObserver('minmax').params(0, 127), /no values were observed/);
  assert.throws(() => obsNoHist(), /needs the histogram pass/);
  function obsNoHist(): void {
    const o = new RangeObserver('mse');
    o.observe(values);
    o.params(0, 127);
  }
});

test('inferenceGraph folds BatchNorm and fuses ReLU without changing the outputs (CNN and ResNet)', () => {
  manualSeed(1);
  const model = cnn();
  const g1 = inferenceGraph(model);
  assert.deepEqual(
    g1.nodes.map((n) => n.kind),
    ['input', 'conv', 'maxpool', 'conv', 'maxpool', 'flatten', 'linear', 'linear'],
  );
  const x = randn([3, 1, 28, 28]);
  assert.ok(
    maxAbsDiff(
      noGrad(() => runGraph(g1, x)),
      noGrad(() => model.forward(x)),
    ) < 1e-5,
  );

  const res = cifarResnet(8, { inChannels: 1, numClasses: 10 });
  randomizeNorms(res, new Generator(2));
  res.eval();
  const g2 = inferenceGraph(res);
  assert.ok(!g2.nodes.some((n) => n.kind === 'relu'), 'every ReLU fused');
  assert.equal(g2.nodes.filter((n) => n.kind === 'add').length, 3);
  assert.equal(g2.nodes.filter((n) => n.kind === 'padShortcut').length, 2);
  const want = noGrad(() => res.forward(x));
  assert.ok(
    maxAbsDiff(
      noGrad(() => runGraph(g2, x)),
      want,
    ) <
      1e-4 * Math.max(1, maxAbs(want)),
  );
  assert.throws(() => inferenceGraph(new nn.Sequential(new nn.Conv2d(1, 2, 3), new nn.Tanh())), /inferenceGraph: cannot quantize .*Tanh/);
});

test('quantizeModel: the int8 CNN and ResNet follow their float models; saved files are ~4x smaller and load to the same outputs', () => {
  manualSeed(4);
  const calib = randn([64, 1, 28, 28]);
  const x = randn([16, 1, 28, 28]);
  const res = cifarResnet(8, { inChannels: 1, numClasses: 10 });
  randomizeNorms(res, new Generator(6));
  res.eval();
  for (const [name, model] of [
    ['cnn', cnn()],
    ['resnet8', res],
  ] as const) {
    const want = noGrad(() => model.forward(x));
    for (const method of ['minmax', 'mse'] as const) {
      for (const activationRange of ['reduced', 'full'] as const) {
        const qm = quantizeModel(model, calib, { method, activationRange, batchSize: 32 });
        const got = qm.forward(x);
        const rel = maxAbsDiff(got, want) / maxAbs(want);
        assert.ok(rel < 0.08, `${name} ${method} ${activationRange}: int8 logits off by ${rel} of their range`);
      }
    }
    const qm = quantizeModel(model, calib);
    const bytes = encodeQuantized(qm, { recipe: name });
    const back = decodeQuantized(bytes, `${name}.safetensors`);
    assert.deepEqual(back.forward(x).data, qm.forward(x).data, `${name}: decoded model gives the same bits`);
    const floatBytes = io.encodeSafetensors(model.stateDict()).length;
    const ratio = floatBytes / bytes.length;
    assert.ok(ratio > 3 && ratio < 4.5, `${name}: float ${floatBytes} B / int8 ${bytes.length} B = ${ratio}`);
    assert.equal(qm.forward(x.narrow(0, 0, 1).reshape([1, 28, 28])).shape.length, 1, 'a single image gives a vector');
  }
  assert.throws(() => quantizeModel(cnn(), calib, { methd: 'mse' } as never), /quantizeModel: unknown option 'methd'/);
  assert.throws(
    () => decodeQuantized(io.encodeSafetensors({ a: randn([2]) }), 'a.safetensors'),
    /decodeQuantized: a.safetensors: not an int8 model/,
  );
  assert.throws(() => quantizeModel(cnn(), calib).forward(randn([2, 3, 28, 28])), /expected input \[N, 1, 28, 28\], got \[2, 3, 28, 28\]/);
});

test('fakeQuantize: values on the grid, straight-through gradient inside the range and zero outside', () => {
  const p = { scale: 0.25, zeroPoint: 4, qmin: 0, qmax: 20 }; // range [-1, 4]
  const xs = [-3, -1, -0.9, -0.13, 0, 0.3, 1.1, 3.9, 4, 7];
  const x = new Tensor(Float32Array.from(xs), [xs.length]).requiresGrad_(true);
  const y = fakeQuantize(x, p);
  const yd = y.data;
  xs.forEach((v, i) => {
    const q = Math.min(20, Math.max(0, Math.round(v / 0.25) + 4));
    assert.ok(Math.abs(yd[i]! - 0.25 * (q - 4)) < 1e-7, `forward at ${v}: ${yd[i]}`);
  });
  const up = Float32Array.from(xs, (_, i) => i + 1);
  sum(mul(y, new Tensor(up, [xs.length]))).backward();
  const grad = x.grad!.data;
  xs.forEach((v, i) => assert.equal(grad[i], v >= -1 && v <= 4 ? up[i] : 0, `STE gradient at ${v}`));

  const w = randn([3, 5]).requiresGrad_(true);
  sum(mul(fakeQuantizeWeight(w), 2)).backward();
  assert.ok(
    w.grad!.data.every((v) => v === 2),
    'weights never saturate: identity gradient',
  );
  assert.throws(() => fakeQuantize(x, { scale: 0, zeroPoint: 0, qmin: 0, qmax: 1 }), /fakeQuantize: argument 2 must be affine parameters/);
});

test('QatModel: trains through fake quantization and converts to an int8 model that matches it', () => {
  manualSeed(9);
  const res = new nn.Sequential(
    new nn.Conv2d(1, 6, 3, { padding: 1, bias: false }),
    new nn.BatchNorm2d(6),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Flatten(),
    new nn.Linear(6 * 14 * 14, 10),
  );
  randomizeNorms(res, new Generator(8));
  noGrad(() => {
    const sd = res.stateDict();
    for (const k of ['1.weight']) sd[k]!.data.forEach((_, i, a) => ((a as Float32Array)[i] = 0.6 + 0.1 * i));
  });
  res.eval();
  const before = res.stateDict()['0.weight']!.data.slice();
  const qat = new QatModel(res);
  const opt = new optim.Adam(qat.parameters(), { lr: 0.01 });
  const x = randn([8, 1, 28, 28]);
  const y = new Tensor(Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7]), [8]);
  let first = 0;
  let last = 0;
  qat.train();
  for (let s = 0; s < 20; s++) {
    opt.zeroGrad();
    const loss = crossEntropy(qat.forward(x), y);
    loss.backward();
    opt.step();
    if (s === 0) first = loss.item();
    last = loss.item();
  }
  assert.ok(last < first * 0.3, `QAT loss ${first} -> ${last}`);
  assert.deepEqual(res.stateDict()['0.weight']!.data, before, 'the float model is left as it was');
  qat.eval();
  const fq = noGrad(() => qat.forward(x));
  const qm = qat.toQuantized();
  const rel = maxAbsDiff(qm.forward(x), fq) / maxAbs(fq);
  assert.ok(rel < 0.05, `int8 model vs fake-quantized float: ${rel}`);
  assert.throws(() => new QatModel(res, { averaging: 2 }), /option 'averaging' must be in \(0, 1\]/);
});

test('safetensors F16 / BF16 / I8 storage: exact bit patterns, round to nearest even, and back', () => {
  const { encodeSafetensors, decodeSafetensors, f32ToF16Bits, f16BitsToNumber, f32ToBf16Bits } = io;
  const cases: [number, number][] = [
    [1, 0x3c00],
    [-2, 0xc000],
    [65504, 0x7bff],
    [65520, 0x7c00], // rounds up to infinity
    [0.1, 0x2e66],
    [2 ** -24, 0x0001],
    [2 ** -25, 0x0000], // the tie goes to even (0)
    [3 * 2 ** -25, 0x0002],
    [1 + 2 ** -11, 0x3c00], // tie: even mantissa kept
    [1 + 3 * 2 ** -11, 0x3c02],
    [-0, 0x8000],
    [Infinity, 0x7c00],
  ];
  for (const [x, bits] of cases) assert.equal(f32ToF16Bits(x), bits, `f16(${x})`);
  assert.ok(Number.isNaN(f16BitsToNumber(f32ToF16Bits(NaN))));
  assert.equal(f32ToBf16Bits(1), 0x3f80);
  assert.equal(f32ToBf16Bits(Math.fround(1 + 2 ** -8)), 0x3f80, 'bf16 tie to even');
  assert.equal(f32ToBf16Bits(Math.fround(1 + 3 * 2 ** -8)), 0x3f82);
  const w = randn([5, 7]);
  for (const floats of ['F16', 'BF16'] as const) {
    const bytes = encodeSafetensors({ w, i: new Tensor(Int32Array.from([1, -2]), [2]) }, {}, { floats });
    const full = encodeSafetensors({ w, i: new Tensor(Int32Array.from([1, -2]), [2]) });
    assert.ok(bytes.length < full.length - 60, `${floats} halves the floats`);
    const back = decodeSafetensors(bytes).tensors;
    assert.equal(back['w']!.dtype, 'float32');
    assert.deepEqual([...back['i']!.data], [1, -2], 'integers untouched');
    const tol = floats === 'F16' ? 2 ** -11 : 2 ** -8;
    w.data.forEach((v, k) => assert.ok(Math.abs(back['w']!.data[k]! - v) <= tol * Math.abs(v) + 1e-7, `${floats} element ${k}`));
  }
  const q = encodeSafetensors({ q: new Tensor(Int32Array.from([-128, 0, 127]), [3]) }, {}, { storage: { q: 'I8' } });
  assert.deepEqual([...decodeSafetensors(q).tensors['q']!.data], [-128, 0, 127]);
  assert.throws(
    () => encodeSafetensors({ q: new Tensor(Int32Array.from([300]), [1]) }, {}, { storage: { q: 'I8' } }),
    /encodeSafetensors: 'q' element 0 = 300 does not fit in I8/,
  );
  assert.throws(() => encodeSafetensors({ w }, {}, { storage: { w: 'I8' } }), /'w' is float32 and cannot be stored as I8/);
  assert.throws(() => encodeSafetensors({ w }, {}, { floats: 'F8' as never }), /encodeSafetensors: option 'floats'/);
});

const fixture = (name: string): URL => new URL(`../../fixtures/interop/${name}`, import.meta.url);

/**
 * scripts/half_torch.py wrote torch's own x.half() and x.bfloat16(): shinsou's F16 / BF16 bytes
 * must be the same. shinsou's file of the same values is committed (rewritten with
 * SHINSOU_WRITE_FIXTURES=1), and the script's `check` loads it in torch.
 */
test('F16 / BF16 safetensors: the same bits as PyTorch in both directions', () => {
  const { encodeSafetensors, decodeSafetensors } = io;
  const t = decodeSafetensors(readFileSync(fixture('torch_half.safetensors'))).tensors;
  const x = t['x']!;
  const raw = (bytes: Uint8Array, name: string): Uint8Array => {
    const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
    const h = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, { data_offsets: [number, number] }>;
    const [b, e] = h[name]!.data_offsets;
    return bytes.subarray(8 + n + b, 8 + n + e);
  };
  const torchBytes = new Uint8Array(readFileSync(fixture('torch_half.safetensors')));
  const ours = encodeSafetensors(
    { x_f16: x, x_bf16: x },
    { source: 'test/compress-quant.test.ts' },
    { storage: { x_f16: 'F16', x_bf16: 'BF16' } },
  );
  assert.deepEqual(raw(ours, 'x_f16'), raw(torchBytes, 'x_f16'), 'F16 bytes equal torch x.half()');
  assert.deepEqual(raw(ours, 'x_bf16'), raw(torchBytes, 'x_bf16'), 'BF16 bytes equal torch x.bfloat16()');
  assert.deepEqual(decodeSafetensors(ours).tensors['x_f16']!.data, t['x_f16']!.data, 'decoded F16 values');
  if (process.env['SHINSOU_WRITE_FIXTURES'] === '1') writeFileSync(fixture('shinsou_half.safetensors'), ours);
  assert.deepEqual(
    new Uint8Array(readFileSync(fixture('shinsou_half.safetensors'))),
    ours,
    'the committed shinsou_half.safetensors is what shinsou writes',
  );
});

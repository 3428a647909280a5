// The CNN families (docs/cnn.md): structure against torchvision (committed tiny fixtures and
// parameter counts from scripts/torchvision_models.py), the papers' parameter counts and the
// MobileNet cost formula through nn.summary, shortcuts, fuseConvBn, and a quick overfit per family.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nn, optim, io, randn, tensor, manualSeed, crossEntropy, noGrad, type Tensor } from '../../src/index.js';
import { resnet, densenet, mobilenet } from '../../src/models/index.js';
import { ZeroPadShortcut } from '../../src/models/cnn/common.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const fixtures = join(root, 'fixtures', 'cnn');
const TINY = ['tiny_resnet_basic', 'tiny_resnet_bottleneck', 'tiny_densenet', 'tiny_mobilenet_v2'];

function runCheck(dir: string, names: string[]): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'check-torchvision.mjs'), dir, ...names], { encoding: 'utf8', cwd: root });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

test('cnn: tiny torchvision ResNet (basic, bottleneck), DenseNet and MobileNetV2 load strictly by name and give the same logits', () => {
  const { status, out } = runCheck(fixtures, TINY);
  assert.equal(status, 0, out);
  for (const name of TINY) assert.match(out, new RegExp(`${name}: ok: \\d+ keys loaded strictly \\(0 missing, 0 unexpected\\)`), out);
});

test('cnn: the check fails, naming the key, when a torchvision key is renamed or a logit is off', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shinsou-cnn-'));
  try {
    const name = 'tiny_densenet';
    for (const ext of ['.json', '.io.safetensors']) copyFileSync(join(fixtures, name + ext), join(dir, name + ext));
    const state = io.decodeSafetensors(new Uint8Array(readFileSync(join(fixtures, `${name}.safetensors`))));
    const renamed: Record<string, Tensor> = {};
    for (const [k, t] of Object.entries(state.tensors)) renamed[k.replace('denselayer2.norm1', 'denselayer2.bn1')] = t;
    writeFileSync(join(dir, `${name}.safetensors`), io.encodeSafetensors(renamed));
    const bad = runCheck(dir, [name]);
    assert.equal(bad.status, 1);
    assert.match(bad.out, /missing keys: .*features\.denseblock1\.denselayer2\.norm1\.weight/);
    assert.match(bad.out, /unexpected keys: .*features\.denseblock1\.denselayer2\.bn1\.weight/);
    // The right weights but torchvision's logits nudged by 1e-3 of their scale.
    writeFileSync(join(dir, `${name}.safetensors`), readFileSync(join(fixtures, `${name}.safetensors`)));
    const ioFile = io.decodeSafetensors(new Uint8Array(readFileSync(join(fixtures, `${name}.io.safetensors`)))).tensors;
    const logits = ioFile['logits']!.toArray() as number[][];
    const scale = Math.max(...logits.flat().map(Math.abs));
    logits[1]![3]! += 1e-3 * scale;
    writeFileSync(join(dir, `${name}.io.safetensors`), io.encodeSafetensors({ input: ioFile['input']!, logits: tensor(logits) }));
    const off = runCheck(dir, [name]);
    assert.equal(off.status, 1);
    assert.match(off.out, /tiny_densenet: logit 13: ours/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("cnn: parameter counts and summary totals equal torchvision's (resnet18, mobilenet_v2, densenet121) and the tiny fixtures'", () => {
  const counts = JSON.parse(readFileSync(join(fixtures, 'torchvision-counts.json'), 'utf8')).models as Record<
    string,
    { parameters: number }
  >;
  const built: [string, nn.Module][] = [
    ['resnet18', resnet.resnet18()],
    ['mobilenet_v2', mobilenet.mobilenetV2()],
    ['densenet121', densenet.densenet121()],
  ];
  for (const [name, m] of built) assert.equal(m.numParameters(false), counts[name]!.parameters, name);
  // The summary traces a forward: on a small input to keep the test fast (parameters do not depend on it).
  const s = nn.summary(built[1]![1], [1, 3, 64, 64]);
  assert.equal(s.totalParams, counts['mobilenet_v2']!.parameters);
  assert.equal(
    s.layers.reduce((a, l) => a + l.params, 0),
    counts['mobilenet_v2']!.parameters,
    'every parameter belongs to exactly one traced layer',
  );
  assert.deepEqual(s.outputShape, [1, 1000]);
  for (const name of TINY) {
    const want = JSON.parse(readFileSync(join(fixtures, `${name}.json`), 'utf8')).parameters as number;
    assert.ok(want > 0, name);
  }
});

test("cnn: the papers' parameter counts (He et al. 2016 Table 6, Zagoruyko & Komodakis Table 1, Huang et al. Table 2, Han et al. Table 4)", () => {
  const m = (n: number): string => `${(n / 1e6).toFixed(2)}M`;
  const cases: [string, nn.Module, string][] = [
    ['ResNet-20 0.27M', resnet.resnet20(), '0.27'],
    ['ResNet-56 0.85M', resnet.resnet56(), '0.85'],
    ['WRN-16-4 2.7M', resnet.wideResnet(16, 4), '2.7'],
    ['DenseNet-BC L=100 k=12 0.8M', densenet.densenetBC(100, 12), '0.8'],
    ['DenseNet L=40 k=12 1.0M', densenet.densenetCifar(40, 12), '1.0'],
    ['PyramidNet-110 alpha=48 1.7M', resnet.pyramidNet(110, 48), '1.7'],
  ];
  for (const [what, net, paper] of cases) {
    // Compared at the precision the paper prints.
    const digits = paper.split('.')[1]!.length;
    assert.equal((net.numParameters() / 1e6).toFixed(digits), paper, `${what}: got ${m(net.numParameters())}`);
  }
});

test('cnn: summary counts a depthwise separable layer as D_K^2 M D_F^2 + M N D_F^2 (Howard et al. 2017, section 3.1 and Table 3)', () => {
  // Table 3's internal layer: D_K = 3, M = N = 512, D_F = 14; then alpha = 0.75 and rho = 0.714 (D_F = 10).
  const rows: [string, number, number, number, number][] = [
    ['depthwise separable', 512, 14, 52.3e6, 0.27e6],
    ['alpha = 0.75', 384, 14, 29.6e6, 0.15e6],
    ['rho = 0.714', 384, 10, 15.1e6, 0.15e6],
  ];
  const dk = 3;
  for (const [what, c, df, paperMacs, paperParams] of rows) {
    const block = mobilenet.depthwiseSeparable(c, c);
    const s = nn.summary(block, [1, c, df, df]);
    const formula = dk * dk * c * df * df + c * c * df * df;
    assert.equal(s.totalMacs, formula, what);
    assert.equal(Math.round(s.totalMacs / 1e5) / 10, paperMacs / 1e6, `${what}: ${s.totalMacs} vs the paper's ${paperMacs / 1e6}M`);
    const convParams = s.layers.filter((l) => l.type === 'Conv2d').reduce((a, l) => a + l.params, 0);
    assert.equal(convParams, dk * dk * c + c * c, what);
    assert.equal(Math.round(convParams / 1e4) / 100, paperParams / 1e6, what);
  }
  // The standard convolution of the same layer: D_K^2 M N D_F^2 = 462M (Table 3, first row), 9x the separable one.
  const full = nn.summary(new nn.Conv2d(512, 512, 3, { padding: 1, bias: false }), [1, 512, 14, 14]);
  assert.equal(full.totalMacs, 3 * 3 * 512 * 512 * 14 * 14);
  assert.equal(Math.round(full.totalMacs / 1e6), 462);
});

test('cnn: MobileNet v1 costs 569M mult-adds and 4.2M parameters, scaling as in Tables 6 and 7 (Howard et al. 2017)', () => {
  // [alpha, rho, mult-adds (millions), parameters (millions)] as the paper prints them.
  const table: [number, number, number, number][] = [
    [1, 1, 569, 4.2],
    [0.5, 1, 149, 1.3],
    [1, 128 / 224, 186, 4.2],
  ];
  for (const [alpha, rho, macs, params] of table) {
    const cost = mobilenet.mobilenetV1Cost({ alpha, rho });
    const size = Math.round(224 * rho);
    const s = nn.summary(mobilenet.mobilenetV1({ alpha }), [1, 3, size, size]);
    assert.equal(s.totalMacs, cost.multAdds, `alpha ${alpha} rho ${rho}: summary vs formula`);
    const weights = s.layers.filter((l) => l.type === 'Conv2d' || l.type === 'Linear').reduce((a, l) => a + l.params, 0);
    assert.equal(weights, cost.params);
    assert.equal(Math.round(cost.multAdds / 1e6), macs, `alpha ${alpha} rho ${rho}`);
    assert.equal(Math.round(cost.params / 1e5) / 10, params);
  }
});

test('cnn: option A shortcut subsamples and zero-pads; option B projects; both give ResNet-20 its shapes', () => {
  const x = randn([2, 3, 6, 6]);
  const y = new ZeroPadShortcut(3, 5, 2).forward(x);
  assert.deepEqual(y.shape, [2, 5, 3, 3]);
  const xs = x.toArray() as number[][][][];
  const ys = y.toArray() as number[][][][];
  assert.equal(ys[1]![2]![1]![2], xs[1]![2]![2]![4]);
  assert.equal(ys[0]![4]![2]![0], 0);
  const a = resnet.resnet20({ inChannels: 1 });
  const b = resnet.resnet20({ inChannels: 1, shortcut: 'B' });
  assert.equal(resnet.resnet20().numParameters(), 269_722, 'ResNet-20, option A: 0.27M (He et al. 2016, Table 6)');
  assert.equal(a.numParameters(), 269_722 - 2 * 16 * 9, 'one input channel: 2 x 16 x 9 fewer stem weights than three');
  // B adds two projections: 16->32 and 32->64 (1x1 conv + BN).
  assert.equal(b.numParameters() - a.numParameters(), 16 * 32 + 2 * 32 + 32 * 64 + 2 * 64);
  assert.deepEqual(a.forward(randn([2, 1, 28, 28])).shape, [2, 10]);
});

test('cnn: fuseConvBn folds an eval-mode batch norm into the convolution without changing the output', () => {
  manualSeed(3);
  for (const [conv, c] of [
    [new nn.Conv2d(4, 6, 3, { padding: 1, stride: 2 }), 6],
    [new nn.Conv2d(6, 6, 3, { padding: 1, groups: 6, bias: false }), 6],
  ] as const) {
    const bn = new nn.BatchNorm2d(c);
    noGrad(() => {
      bn.weight!.data.set(randn([c]).data);
      bn.bias!.data.set(randn([c]).data);
      bn.runningMean!.data.set(randn([c]).data);
      bn.runningVar!.data.set(Float32Array.from({ length: c }, (_, i) => 0.5 + i / c));
    });
    bn.eval();
    const x = randn([2, conv.inChannels, 9, 9]);
    const want = noGrad(() => bn.forward(conv.forward(x)))
      .toList()
      .flat(3) as number[];
    const fused = nn.fuseConvBn(conv, bn);
    const got = noGrad(() => fused.forward(x))
      .toList()
      .flat(3) as number[];
    const scale = Math.max(...want.map(Math.abs));
    want.forEach((w, i) => assert.ok(Math.abs(got[i]! - w) <= 1e-5 * scale, `element ${i}: ${got[i]} vs ${w}`));
    assert.equal(fused.parameters().length, 2);
  }
  assert.throws(
    () => nn.fuseConvBn(new nn.Conv2d(2, 3, 1), new nn.BatchNorm2d(4)),
    /fuseConvBn: the batch norm has 4 features but the convolution 3/,
  );
});

test('cnn: every family overfits a small batch (ResNet v1/v2, WRN, PyramidNet, DenseNet-BC, MobileNet v1/v2)', () => {
  const nets: [string, () => nn.Module][] = [
    ['resnet (cifar, depth 8)', () => resnet.cifarResnet(8, { inChannels: 1, numClasses: 4 })],
    ['preact resnet', () => resnet.cifarResnet(8, { inChannels: 1, numClasses: 4, preActivation: true, shortcut: 'B' })],
    ['wrn-10-2', () => resnet.wideResnet(10, 2, { inChannels: 1, numClasses: 4, dropRate: 0.1 })],
    ['pyramidnet-8 alpha 12', () => resnet.pyramidNet(8, 12, { inChannels: 1, numClasses: 4 })],
    ['densenet-bc 10 k 6', () => densenet.densenetBC(10, 6, { inChannels: 1, numClasses: 4 })],
    [
      'mobilenet v1 alpha 0.25',
      () =>
        mobilenet.mobilenetV1({
          alpha: 0.25,
          inChannels: 1,
          numClasses: 4,
          stemStride: 1,
          strides: [1, 2, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1],
        }),
    ],
    [
      'mobilenet v2 tiny',
      () =>
        mobilenet.mobilenetV2({
          widthMult: 0.5,
          inChannels: 1,
          numClasses: 4,
          stemStride: 1,
          dropout: 0,
          invertedResidualSetting: [
            [1, 8, 1, 1],
            [4, 16, 2, 2],
          ],
        }),
    ],
  ];
  for (const [name, make] of nets) {
    manualSeed(5);
    const net = make();
    const x = randn([8, 1, 8, 8]);
    const y = tensor([0, 1, 2, 3, 0, 1, 2, 3], { dtype: 'int32' });
    const opt = new optim.Adam(net.parameters(), { lr: 0.01 });
    let first = 0;
    let last = 0;
    for (let step = 0; step < 30; step++) {
      net.train();
      const loss = crossEntropy(net.forward(x), y);
      if (step === 0) first = loss.item();
      last = loss.item();
      opt.zeroGrad();
      loss.backward();
      opt.step();
    }
    assert.ok(last < 0.25 * first, `${name}: loss ${first.toFixed(3)} -> ${last.toFixed(3)}`);
  }
});

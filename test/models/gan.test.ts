// The GAN family: shapes and keys of G and D, the two losses against their formulas, each model's
// small-batch sanity (D separates a fixed batch, G's loss falls against a frozen D), the recipes'
// artifacts, and the sample-quality measures (class coverage, a Frechet distance of 0 to itself).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Generator,
  Tensor,
  randn,
  tensor,
  manualSeed,
  optim,
  backward,
  log,
  sigmoid,
  sub,
  mean,
  neg,
  add,
  noGrad,
} from '../../src/index.js';
import { gan, classifier } from '../../src/models/index.js';
import { prepareRecipe } from '../../src/train/index.js';
import { decodeSafetensors } from '../../src/io/index.js';
import { featureStatistics } from '../../src/metrics/index.js';

/** n images, pixels in [0, 1]: class c is a bright row 2c + 4 over faint noise. */
function images(n: number, seed: number): { images: Tensor; labels: Tensor } {
  const g = new Generator(seed);
  const labels = Int32Array.from({ length: n }, () => g.int(0, 10));
  const px = new Float32Array(n * 784);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 784; j++) px[i * 784 + j] = g.random() * 0.2;
    for (let c = 0; c < 28; c++) px[i * 784 + (2 * labels[i]! + 4) * 28 + c] = 1;
  }
  return { images: new Tensor(px, [n, 1, 28, 28]), labels: new Tensor(labels, [n]) };
}

const ARCHS: gan.GanArchitecture[] = ['fc', 'dcgan'];

test('G maps z [N, latent] to images [N, 1, 28, 28] in (-1, 1), D maps them to logits [N]; keys as torch.nn.Sequential in `net`', () => {
  manualSeed(0);
  for (const arch of ARCHS) {
    const g = new gan.GanGenerator(arch, { latent: 5, features: 4 });
    const d = new gan.GanDiscriminator(arch, { latent: 5, features: 4 });
    const x = g.forward(randn([3, 5]));
    assert.deepEqual(x.shape, [3, 1, 28, 28]);
    assert.ok(
      (x.data as Float32Array).every((v) => v > -1 && v < 1),
      `${arch}: tanh output`,
    );
    assert.deepEqual(d.forward(x).shape, [3]);
    assert.throws(() => g.forward(randn([3, 6])), /GanGenerator: expected a latent batch \[N, 5\], got shape \[3, 6\]/);
    assert.throws(() => d.forward(randn([3, 1, 27, 28])), /GanDiscriminator: expected images \[N, 1, 28, 28\], got shape \[3, 1, 27, 28\]/);
  }
  const dc = new gan.GanGenerator('dcgan', { latent: 5, features: 4 });
  assert.deepEqual(Object.keys(dc.stateDict()).slice(0, 3), ['net.0.weight', 'net.1.weight', 'net.1.bias']);
  assert.deepEqual(dc.net.at(0).constructor.name, 'ConvTranspose2d');
  const dd = new gan.GanDiscriminator('dcgan', { features: 4 });
  // The curriculum's rules: no pooling, strided convolutions in D, LeakyReLU in D, ReLU and tanh in G, BatchNorm.
  const names = (m: { net: { [Symbol.iterator](): Iterator<object> } }) => [...m.net].map((l) => l.constructor.name);
  assert.deepEqual(names(dd), ['Conv2d', 'LeakyReLU', 'Conv2d', 'BatchNorm2d', 'LeakyReLU', 'Conv2d']);
  assert.deepEqual(names(dc), [
    'ConvTranspose2d',
    'BatchNorm2d',
    'ReLU',
    'ConvTranspose2d',
    'BatchNorm2d',
    'ReLU',
    'ConvTranspose2d',
    'Tanh',
  ]);
  assert.throws(() => new gan.GanGenerator('dcgan', { latnet: 5 } as never), /GanGenerator: unknown option 'latnet'/);
  assert.throws(
    () => new gan.GanDiscriminator('conv' as never),
    /GanDiscriminator: architecture must be 'fc' or 'dcgan', got the string 'conv'/,
  );
});

test('the losses are the minimax formula: D descends -V, G the minimax term or the non-saturating one', () => {
  const real = tensor([2.5, -0.5, 0.3]);
  const fake = tensor([-1.2, 0.7, -3]);
  const logD = (l: Tensor) => log(sigmoid(l));
  const log1mD = (l: Tensor) => log(sub(1, sigmoid(l)));
  // -V = -E_x[log D(x)] - E_z[log(1 - D(G(z)))]
  const minusV = neg(add(mean(logD(real)), mean(log1mD(fake)))).item();
  assert.ok(Math.abs(gan.discriminatorLoss(real, fake).item() - minusV) < 1e-6);
  assert.ok(Math.abs(gan.generatorLoss(fake, 'minimax').item() - mean(log1mD(fake)).item()) < 1e-6);
  assert.ok(Math.abs(gan.generatorLoss(fake, 'non-saturating').item() - neg(mean(logD(fake))).item()) < 1e-6);
  assert.ok(Math.abs(gan.generatorLoss(fake).item() - gan.generatorLoss(fake, 'non-saturating').item()) < 1e-9);
  // Stable where the naive form is not: a confident D (logit -40) gives log(1 - D) = -4e-18, log D = -40.
  assert.ok(Math.abs(gan.generatorLoss(tensor([-40]), 'non-saturating').item() - 40) < 1e-4);
  // The reason for the non-saturating loss: when D rejects G's samples (D(G(z)) near 0), the minimax
  // gradient d/dl log(1 - sigmoid(l)) = -sigmoid(l) vanishes, the non-saturating one -(1 - sigmoid(l)) does not.
  const grad = (kind: gan.GeneratorLossKind) => {
    const l = tensor([-8], { requiresGrad: true });
    backward([gan.generatorLoss(l, kind)]);
    return l.grad!.item();
  };
  assert.ok(Math.abs(grad('minimax')) < 1e-3, `minimax gradient ${grad('minimax')}`);
  assert.ok(Math.abs(grad('non-saturating') + 1) < 1e-3, `non-saturating gradient ${grad('non-saturating')}`);
  assert.throws(
    () => gan.generatorLoss(fake, 'wasserstein' as never),
    /generatorLoss: kind must be 'minimax' or 'non-saturating', got the string 'wasserstein'/,
  );
});

test('each D learns to separate a fixed batch of real images from a fixed batch of G images', () => {
  for (const arch of ARCHS) {
    manualSeed(1);
    const g = new gan.GanGenerator(arch, { latent: 8, features: 8 });
    const d = new gan.GanDiscriminator(arch, { features: 8 });
    const real = gan.toTanhRange(images(16, 3).images);
    const fake = gan.generate(g, randn([16, 8]));
    const opt = new optim.Adam(d.parameters(), { lr: 2e-3, beta1: 0.5 });
    const first = gan.discriminatorLoss(d.forward(real), d.forward(fake)).item();
    let loss = first;
    for (let i = 0; i < 40; i++) {
      const l = gan.discriminatorLoss(d.forward(real), d.forward(fake));
      opt.zeroGrad();
      backward([l]);
      opt.step();
      loss = l.item();
    }
    d.eval();
    const pr = noGrad(() => sigmoid(d.forward(real)).data as Float32Array);
    const pf = noGrad(() => sigmoid(d.forward(fake)).data as Float32Array);
    assert.ok(loss < 0.05 * first, `${arch}: D's loss ${first} -> ${loss}`);
    assert.ok(Math.min(...pr) > Math.max(...pf), `${arch}: every real image scores above every generated one`);
  }
});

test("each G's loss falls against a frozen D on one batch of latents (both losses)", () => {
  for (const arch of ARCHS)
    for (const kind of gan.GENERATOR_LOSS_KINDS) {
      manualSeed(2);
      const g = new gan.GanGenerator(arch, { latent: 8, features: 8 });
      const d = new gan.GanDiscriminator(arch, { features: 8 });
      const real = gan.toTanhRange(images(16, 4).images);
      const z = randn([16, 8]);
      // Make D an informed critic first (it rejects G's start), then freeze it.
      const optD = new optim.Adam(d.parameters(), { lr: 2e-3, beta1: 0.5 });
      for (let i = 0; i < 15; i++) {
        const l = gan.discriminatorLoss(d.forward(real), d.forward(gan.generate(g, z)));
        optD.zeroGrad();
        backward([l]);
        optD.step();
      }
      d.eval();
      const before = Object.fromEntries(Object.entries(d.stateDict()).map(([k, t]) => [k, Array.from(t.data as ArrayLike<number>)]));
      const optG = new optim.Adam(g.parameters(), { lr: 2e-3, beta1: 0.5 });
      const probe = () => noGrad(() => mean(sigmoid(d.forward(g.forward(z)))).item()); // G as it trains (batch statistics)
      const pBefore = probe();
      let first = NaN;
      let last = NaN;
      for (let i = 0; i < 30; i++) {
        const l = gan.generatorLoss(d.forward(g.forward(z)), kind);
        optG.zeroGrad();
        backward([l]);
        optG.step();
        if (i === 0) first = l.item();
        last = l.item();
      }
      const pAfter = probe();
      // (The minimax loss moves least: its gradient is weak where D rejects G's images.)
      assert.ok(last < first - 0.25, `${arch}, ${kind}: G's loss ${first} -> ${last}`);
      assert.ok(pAfter > pBefore + 0.1, `${arch}, ${kind}: D(G(z)) ${pBefore} -> ${pAfter}`);
      for (const [k, t] of Object.entries(d.stateDict()))
        assert.deepEqual(Array.from(t.data as ArrayLike<number>), before[k], `${arch}: D's ${k} stayed frozen`);
    }
});

test('the recipes write a sample grid per epoch and a generator that loads by its metadata', async () => {
  const data = { train: images(24, 5), test: images(8, 6) };
  for (const name of ['gan', 'dcgan']) {
    const run = prepareRecipe(name, { epochs: 2, batchSize: 8, latent: 6, features: 4, limit: 16 }, data);
    await run.trainer.fit();
    const files = run.run.artifacts!();
    assert.deepEqual(Object.keys(files).sort(), ['discriminator.safetensors', 'generator.safetensors', 'samples-epoch02.png']);
    const png = files['samples-epoch02.png'] as Uint8Array;
    assert.deepEqual(Array.from(png.subarray(0, 8)), [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const st = decodeSafetensors(files['generator.safetensors'] as Uint8Array);
    assert.equal(st.metadata['architecture'], name === 'gan' ? 'fc' : 'dcgan');
    assert.equal(st.metadata['latent'], '6');
    const h = run.trainer.history;
    assert.equal(h.length, 2);
    for (const e of h) {
      for (const k of ['trainLossD', 'trainLossG', 'trainDReal', 'trainDFake']) assert.ok(Number.isFinite(e.train[k]), `${name}: ${k}`);
      assert.ok(e.eval['testDReal']! > 0 && e.eval['testDReal']! < 1);
      assert.ok(Math.abs(e.trainLoss - e.train['trainLossD']! - e.train['trainLossG']!) < 1e-9, `${name}: loss = lossD + lossG`);
    }
  }
});

test('sample quality: coverage is the label histogram, and a sample set is at Frechet distance 0 from itself', () => {
  assert.deepEqual(gan.classCoverage(Int32Array.from([0, 2, 2, 1]), 4), [0.25, 0.25, 0.5, 0]);
  assert.throws(() => gan.classCoverage(Int32Array.from([0, 5]), 4), /classCoverage: label 5 is outside \[0, 4\)/);
  manualSeed(3);
  const cnn = classifier.cnn();
  const x = images(40, 7).images;
  const f = gan.classifierFeatures(cnn, x);
  assert.deepEqual(f.features.shape, [40, 128]);
  const samples = gan.toTanhRange(x);
  const self = gan.sampleQuality(cnn, samples, featureStatistics(f.features));
  assert.ok(self.fid < 1e-6, `FID to itself ${self.fid}`);
  assert.ok(Math.abs(self.coverage.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  const other = gan.sampleQuality(cnn, gan.toTanhRange(images(40, 8).images.mul(0.5)), featureStatistics(f.features));
  assert.ok(other.fid > 1e-3, `FID to darker images ${other.fid}`);
  const g = new gan.GanGenerator('fc', { latent: 4 });
  const a = gan.sampleGenerator(g, { count: 1500, seed: 9 });
  assert.deepEqual(a.shape, [1500, 1, 28, 28]);
  assert.deepEqual(gan.sampleGenerator(g, { count: 1500, seed: 9 }).data, a.data, 'seeded');
  assert.throws(() => gan.sampleGenerator(g, { cout: 3 } as never), /sampleGenerator: unknown option 'cout'/);
});

// Autoencoders and the VAE (src/models/vae): each model overfits one batch; the closed-form KL
// against numeric integration; the reparameterised gradient (gradcheck of the composed loss and
// its expectation); the Gaussian decoder's likelihood; the pictures and the rendered scatter.
// The VAE composes existing ops only (exp, mul, add, square, sum, binaryCrossEntropyWithLogits...),
// each gradient-checked in test/gradcases, so no new op needs its own gradcheck case.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Generator, Tensor, gradcheck, manualSeed, matmul, mean, optim, randn, sum, square, tensor } from '../../src/index.js';
import { Autoencoder, VAE, gaussianKl, reconstructionNll, vaeLoss, type Architecture, type ImageData } from '../../src/models/vae/index.js';
import { prepareRecipe } from '../../src/train/index.js';
import { runFiles } from '../../src/node/train-files.js';

/** n binary 28x28 images: random pixels (p = 0.3), distinct from one another. */
function binaryImages(n: number, seed: number): Tensor {
  const g = new Generator(seed);
  return new Tensor(
    Float32Array.from({ length: n * 784 }, () => (g.random() < 0.3 ? 1 : 0)),
    [n, 1, 28, 28],
  );
}

/** Labeled grey images whose class is a bright row (as test/train.test.ts makes them). */
function labeled(n: number, seed: number): { images: Tensor; labels: Tensor } {
  const g = new Generator(seed);
  const labels = Int32Array.from({ length: n }, () => g.int(0, 10));
  const px = new Float32Array(n * 784);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 784; j++) px[i * 784 + j] = g.random() * 0.2;
    for (let c = 0; c < 28; c++) px[i * 784 + (2 * labels[i]! + 4) * 28 + c] = 1;
  }
  return { images: new Tensor(px, [n, 1, 28, 28]), labels: new Tensor(labels, [n]) };
}

/** name, architecture, variational, Adam steps, images in the batch */
const overfitCases: [string, Architecture, boolean, number, number][] = [
  ['dense autoencoder', 'dense', false, 50, 8],
  ['conv autoencoder', 'conv', false, 50, 4],
  ['dense VAE', 'dense', true, 120, 8],
  ['conv VAE', 'conv', true, 120, 4],
];

for (const [name, arch, variational, steps, n] of overfitCases) {
  test(`${name} overfits one batch of ${n} binary images`, () => {
    manualSeed(5);
    const x = binaryImages(n, 9);
    const opts = { arch, latent: 8, hidden: 64 };
    const model = variational ? new VAE({ ...opts, generator: new Generator(3) }) : new Autoencoder(opts);
    const opt = new optim.Adam(model.parameters(), { lr: 3e-3 });
    const lossOf = (): { loss: Tensor; recon: number } => {
      if (model instanceof VAE) {
        const l = vaeLoss(model.forward(x), x);
        return { loss: l.loss, recon: l.recon.item() };
      }
      const loss = mean(reconstructionNll(model.forward(x).logits, x));
      return { loss, recon: loss.item() };
    };
    const first = lossOf().loss.item();
    let last = { loss: first, recon: first };
    for (let s = 0; s < steps; s++) {
      opt.zeroGrad();
      const l = lossOf();
      l.loss.backward();
      opt.step();
      last = { loss: l.loss.item(), recon: l.recon };
    }
    // A random guess costs 784 ln 2 = 543 nats; a memorised batch of binary images costs far less
    // (the VAE still pays its KL to keep 8 codes apart).
    assert.ok(first > 400, `${name}: first loss ${first}`);
    assert.ok(last.recon < 0.05 * first, `${name}: reconstruction ${last.recon} nats after ${steps} steps (first loss ${first})`);
    assert.ok(last.loss < 0.15 * first, `${name}: loss ${last.loss} after ${steps} steps (first ${first})`);
  });
}

test('gaussianKl: the closed form equals the KL integrated numerically, dimension by dimension', () => {
  const mu = [0, 1.5, -0.7, 0.2, 2.5, -1.1];
  const logvar = [0, -1.2, 0.8, -3, 0.4, 1.5];
  const got = gaussianKl(tensor(mu, { shape: [2, 3], dtype: 'float64' }), tensor(logvar, { shape: [2, 3], dtype: 'float64' })).data;
  const logN = (z: number, m: number, v: number): number => -0.5 * Math.log(2 * Math.PI * v) - ((z - m) * (z - m)) / (2 * v);
  for (let row = 0; row < 2; row++) {
    let kl = 0;
    for (let j = 0; j < 3; j++) {
      // KL_j = integral q(z) (log q(z) - log p(z)) dz, by the midpoint rule over mu +- 12 sigma.
      const m = mu[row * 3 + j]!;
      const v = Math.exp(logvar[row * 3 + j]!);
      const s = Math.sqrt(v);
      const steps = 200_000;
      const h = (24 * s) / steps;
      for (let k = 0; k < steps; k++) {
        const z = m - 12 * s + (k + 0.5) * h;
        const lq = logN(z, m, v);
        kl += Math.exp(lq) * (lq - logN(z, 0, 1)) * h;
      }
    }
    assert.ok(Math.abs(got[row]! - kl) < 1e-7, `row ${row}: closed form ${got[row]}, integrated ${kl}`);
  }
  assert.equal(Math.abs(gaussianKl(tensor([[0, 0]]), tensor([[0, 0]])).item()), 0, 'q = prior gives KL 0');
});

test('reparameterisation: gradcheck of -ELBO through Z = mu + sigma * eps, with respect to mu and log sigma^2', () => {
  const g = new Generator(4);
  const r = (shape: number[], s = 1): Tensor =>
    tensor(
      Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => s * g.normal()),
      { shape, dtype: 'float64' },
    );
  const mu = r([3, 4], 0.5).requiresGrad_(true);
  const logvar = r([3, 4], 0.3).requiresGrad_(true);
  const eps = r([3, 4]);
  const w = r([4, 6], 0.7); // a linear "decoder" to logits of 6 pixels
  const x = tensor(
    Float64Array.from({ length: 18 }, () => g.random()),
    { shape: [3, 6], dtype: 'float64' },
  );
  const vae = new VAE({ latent: 4, hidden: 2 });
  for (const decoder of ['bernoulli', 'gaussian'] as const)
    gradcheck(
      (m, lv) => {
        const z = vae.reparameterize(m, lv, eps);
        return mean(sum(reconstructionNll(matmul(z, w), x, { decoder, decoderStd: 0.5 }))).add(mean(gaussianKl(m, lv)));
      },
      [mu, logvar],
    );
});

test('reparameterisation: the pathwise gradient of E[|Z|^2] is unbiased (d/dmu = 2 mu, d/dlog sigma^2 = sigma^2)', () => {
  const mu = tensor([[0.8, -0.5, 0.1]], { dtype: 'float64' }).requiresGrad_(true);
  const logvar = tensor([[-0.4, 0.3, 0]], { dtype: 'float64' }).requiresGrad_(true);
  const n = 40_000;
  const vae = new VAE({ latent: 3, hidden: 2 });
  const eps = randn([n, 3], { generator: new Generator(7), dtype: 'float64' });
  const z = vae.reparameterize(mu.expand([n, 3]), logvar.expand([n, 3]), eps);
  mean(sum(square(z), 1)).backward();
  for (let j = 0; j < 3; j++) {
    const m = mu.data[j]!;
    const v = Math.exp(logvar.data[j]!);
    // Standard errors of the per-sample gradients 2z and z eps sigma: 2 sigma and about sqrt(3) sigma^2 ... over sqrt(n).
    assert.ok(Math.abs(mu.grad!.data[j]! - 2 * m) < (5 * 2 * Math.sqrt(v)) / Math.sqrt(n), `d/dmu_${j}: ${mu.grad!.data[j]} vs ${2 * m}`);
    const tol = (5 * Math.sqrt(v * (v * 3 + m * m))) / Math.sqrt(n) + 1e-12;
    assert.ok(Math.abs(logvar.grad!.data[j]! - v) < tol, `d/dlogvar_${j}: ${logvar.grad!.data[j]} vs ${v}`);
  }
});

test('reconstructionNll: the Gaussian decoder is -sum log N(x; sigmoid(logits), s^2), the Bernoulli one -sum log Bernoulli', () => {
  const logits = tensor([[0.3, -1.2, 2.0, 0]], { dtype: 'float64' });
  const x = tensor([[0.1, 0.0, 1.0, 0.6]], { dtype: 'float64' });
  const s = 0.3;
  let gauss = 0;
  let bern = 0;
  for (let i = 0; i < 4; i++) {
    const y = 1 / (1 + Math.exp(-logits.data[i]!));
    const xi = x.data[i]!;
    gauss -= -0.5 * Math.log(2 * Math.PI * s * s) - ((xi - y) * (xi - y)) / (2 * s * s);
    bern -= xi * Math.log(y) + (1 - xi) * Math.log(1 - y);
  }
  assert.ok(Math.abs(reconstructionNll(logits, x, { decoder: 'gaussian', decoderStd: s }).item() - gauss) < 1e-12);
  assert.ok(Math.abs(reconstructionNll(logits, x).item() - bern) < 1e-12);
  assert.throws(() => reconstructionNll(logits, x, { decoder: 'poisson' } as never), /^TypeError: reconstructionNll: option 'decoder'/);
  assert.throws(
    () => reconstructionNll(logits, x, { decoder: 'gaussian', decoderStd: 0 }),
    /reconstructionNll: option 'decoderStd' must be > 0/,
  );
  assert.throws(() => gaussianKl(tensor([[1, 2]]), tensor([[1, 2, 3]])), /gaussianKl: mu and logvar must have the same shape/);
  assert.throws(() => vaeLoss({} as never, x), /vaeLoss: argument 1 must be a VAE forward output/);
  assert.throws(() => new VAE({ latnet: 2 } as never), /VAE: .*'latnet'/);
  assert.throws(() => new VAE({ generator: 3 } as never), /VAE: option 'generator' must be a Generator/);
  assert.throws(() => new Autoencoder({ arch: 'mlp' } as never), /Autoencoder: option 'arch'/);
});

test('vae recipe with a 2-D latent: the run writes reconstructions, prior samples, the manifold and the latent scatter (SVG)', async () => {
  const data: ImageData = { train: labeled(48, 1), test: labeled(24, 2), classes: 'abcdefghij'.split('') };
  const dir = mkdtempSync(join(tmpdir(), 'shinsou-vae-'));
  try {
    const files = (run: { artifacts?: () => Record<string, string | Uint8Array> }) =>
      runFiles({ dir, title: 'vae test', ...(run.artifacts ? { artifacts: run.artifacts } : {}) });
    const { trainer, run } = prepareRecipe('vae', { epochs: 1, batchSize: 16, latent: 2, hidden: 32 }, data);
    trainer.callbacks.push(files(run));
    const r = await trainer.fit();
    assert.ok(r.final['testLoss'] === undefined || Number.isFinite(r.final['testLoss']));
    const ev = trainer.history[0]!.eval;
    assert.ok(Math.abs(ev['testLoss']! - ev['testRecon']! - ev['testKl']!) < 1e-3, 'test -ELBO = reconstruction + KL');
    assert.ok(ev['testKl']! > 0);
    const png = [0x89, 0x50, 0x4e, 0x47];
    for (const f of ['reconstructions.png', 'samples.png', 'manifold.png', 'model.safetensors', 'metrics.json', 'curves.svg'])
      assert.ok(existsSync(join(dir, f)), `${f} written`);
    for (const f of ['reconstructions.png', 'samples.png', 'manifold.png'])
      assert.deepEqual([...readFileSync(join(dir, f)).subarray(0, 4)], png, f);
    const spec = JSON.parse(readFileSync(join(dir, 'latent.vl.json'), 'utf8')) as { data: { values: { class: string }[] } };
    assert.equal(spec.data.values.length, 24);
    assert.ok(spec.data.values.every((v) => 'abcdefghij'.includes(v.class)));
    const svg = readFileSync(join(dir, 'latent.svg'), 'utf8');
    assert.match(svg, /^<svg/);
    assert.match(svg, /Z_1/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('ae recipe: test reconstruction in nats per image, and no prior samples (an autoencoder has no prior)', async () => {
  const data: ImageData = { train: labeled(32, 3), test: labeled(16, 4) };
  const { trainer, run } = prepareRecipe('ae', { epochs: 1, batchSize: 16, latent: 4, hidden: 16 }, data);
  await trainer.fit();
  const ev = trainer.history[0]!.eval;
  assert.deepEqual(Object.keys(ev), ['testLoss']);
  assert.ok(ev['testLoss']! > 0 && ev['testLoss']! < 784);
  const names = Object.keys(run.artifacts!());
  assert.deepEqual(names.sort(), ['model.safetensors', 'reconstructions.png']);
});

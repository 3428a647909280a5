// The VAE's loss and gradients against PyTorch (fixtures/parity/vae.json, written by
// scripts/fixtures/vae.py from scripts/vae_torch.py's networks): the same state-dict keys and
// shapes, then -ELBO, reconstruction, KL, Z and every parameter's gradient on fixed weights,
// images and eps that both sides build from the same formulas.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Tensor } from '../../src/index.js';
import { VAE, vaeLoss } from '../../src/models/vae/index.js';

interface Digest {
  shape: number[];
  sum: number;
  sumsq: number;
  idx: number[];
  values: number[];
}
interface VaeCase {
  name: string;
  arch: 'dense' | 'conv';
  latent: number;
  hidden: number;
  n: number;
  decoder: 'bernoulli' | 'gaussian';
  decoderStd: number;
  keys: [string, number[]][];
  loss: number;
  recon: number;
  kl: number;
  z: number[];
  grads: Record<string, Digest>;
}

const cases = (JSON.parse(readFileSync(new URL('../../../fixtures/parity/vae.json', import.meta.url), 'utf8')) as { cases: VaeCase[] })
  .cases;

/** f(i) for i < n as float32, computed in float64 as the fixture script does. */
const formula = (n: number, f: (i: number) => number, shape: number[]): Tensor =>
  new Tensor(
    Float32Array.from({ length: n }, (_, i) => f(i)),
    shape,
  );

function close(a: number, e: number, what: string, rtol = 2e-4, atol = 1e-5): void {
  assert.ok(Math.abs(a - e) <= atol + rtol * Math.abs(e), `${what}: ${a}, torch has ${e}`);
}

for (const c of cases) {
  test(`VAE parity with PyTorch: ${c.name}`, () => {
    const vae = new VAE({ arch: c.arch, latent: c.latent, hidden: c.hidden });
    const sd = vae.stateDict();
    assert.deepEqual(
      Object.entries(sd).map(([k, t]) => [k, [...t.shape]]),
      c.keys,
      'state-dict keys, order and shapes are torch.nn.Sequential layout',
    );
    const state: Record<string, Tensor> = {};
    Object.entries(sd).forEach(([k, t], idx) => {
      const n = t.numel();
      const fan = n / t.shape[0]!;
      state[k] = formula(n, (i) => (k.endsWith('bias') ? 0.1 : 1 / Math.sqrt(fan)) * Math.sin(0.7 * i + 1.3 * idx), [...t.shape]);
    });
    vae.loadStateDict(state);
    const x = formula(c.n * 784, (i) => 0.5 + 0.5 * Math.sin(0.37 * i), [c.n, 1, 28, 28]);
    const eps = formula(c.n * c.latent, (i) => 1.5 * Math.sin(1.1 * i + 0.3), [c.n, c.latent]);
    const out = vae.forward(x, eps);
    const l = vaeLoss(out, x, { decoder: c.decoder, decoderStd: c.decoderStd });
    close(l.loss.item(), c.loss, '-ELBO');
    close(l.recon.item(), c.recon, 'reconstruction');
    close(l.kl.item(), c.kl, 'KL');
    [...out.z.data].forEach((v, i) => close(v, c.z[i]!, `Z[${i}]`));
    l.loss.backward();
    for (const [k, p] of vae.namedParameters()) {
      const d = c.grads[k];
      assert.ok(d, `${k}: torch has no gradient of that name`);
      const g = p.grad!;
      assert.deepEqual([...g.shape], d.shape, `${k}: gradient shape`);
      const flat = [...g.data];
      const scale = Math.sqrt(d.sumsq / flat.length);
      close(
        flat.reduce((a, b) => a + b, 0),
        d.sum,
        `${k}: sum of the gradient`,
        1e-3,
        1e-4 * scale * Math.sqrt(flat.length),
      );
      close(
        flat.reduce((a, b) => a + b * b, 0),
        d.sumsq,
        `${k}: sum of squares of the gradient`,
        1e-3,
      );
      d.idx.forEach((j, m) => close(flat[j]!, d.values[m]!, `${k}: gradient element ${j}`, 1e-3, 1e-4 * scale));
    }
  });
}

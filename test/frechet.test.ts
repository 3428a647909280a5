// The Frechet distance (src/metrics/frechet.ts): a closed form it must reproduce, NumPy/SciPy values
// from scripts/frechet_fixture.py (fixtures/frechet.json), and the Jacobi eigendecomposition under it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Tensor } from '../src/index.js';
import { featureStatistics, frechetDistance, symmetricEigen, type FeatureStatistics } from '../src/metrics/index.js';

interface Case {
  name: string;
  d: number;
  x: number[][];
  y: number[][];
  mean_x: number[];
  cov_x: number[];
  fid_sqrtm: number;
  fid_eigh: number;
  sym: number[];
  sym_eigenvalues: number[];
}
const fixture = JSON.parse(readFileSync(new URL('../../fixtures/frechet.json', import.meta.url), 'utf8')) as { cases: Case[] };
const rows = (x: number[][]) => new Tensor(Float64Array.from(x.flat()), [x.length, x[0]!.length]);
const close = (a: number, b: number, rel: number, what: string) =>
  assert.ok(Math.abs(a - b) <= rel * Math.max(1, Math.abs(b)), `${what}: ${a} against ${b}`);

/** A random orthogonal d x d matrix (Gram-Schmidt on seeded numbers). */
function orthogonal(d: number, seed: number): Float64Array {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  const q = new Float64Array(d * d);
  for (let c = 0; c < d; c++) {
    const v = Array.from({ length: d }, rnd);
    for (let p = 0; p < c; p++) {
      let dot = 0;
      for (let r = 0; r < d; r++) dot += v[r]! * q[r * d + p]!;
      for (let r = 0; r < d; r++) v[r] = v[r]! - dot * q[r * d + p]!;
    }
    const norm = Math.hypot(...v);
    for (let r = 0; r < d; r++) q[r * d + c] = v[r]! / norm;
  }
  return q;
}

/** Q diag(lambda) Q^T. */
function rotated(q: Float64Array, lambda: number[]): Float64Array {
  const d = lambda.length;
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) for (let k = 0; k < d; k++) out[i * d + j] = out[i * d + j]! + q[i * d + k]! * lambda[k]! * q[j * d + k]!;
  return out;
}

test('frechetDistance: the closed form ||mu1 - mu2||^2 + sum_i (sqrt(a_i) - sqrt(b_i))^2 for covariances sharing eigenvectors', () => {
  const d = 9;
  const q = orthogonal(d, 7);
  const a = [0.5, 1, 2, 3, 4, 0.1, 7, 0.25, 1.5];
  const b = [2, 1, 0.5, 5, 4, 0.9, 1, 0.3, 3];
  const mu1 = Float64Array.from({ length: d }, (_, i) => i / 3);
  const mu2 = Float64Array.from({ length: d }, (_, i) => 1 - i / 5);
  const s1: FeatureStatistics = { dim: d, count: 100, mean: mu1, covariance: rotated(q, a) };
  const s2: FeatureStatistics = { dim: d, count: 100, mean: mu2, covariance: rotated(q, b) };
  let expected = 0;
  for (let i = 0; i < d; i++) expected += (mu1[i]! - mu2[i]!) ** 2 + (Math.sqrt(a[i]!) - Math.sqrt(b[i]!)) ** 2;
  close(frechetDistance(s1, s2), expected, 1e-10, 'closed form');
  close(frechetDistance(s2, s1), expected, 1e-10, 'symmetric in its arguments');
  assert.ok(frechetDistance(s1, s1) < 1e-10, 'zero to itself');
  // A singular S2 (one zero eigenvalue): rounding leaves that eigenvalue of S1^{1/2} S2 S1^{1/2} at
  // about +-1e-16, whose square root is 1e-8, so the distance holds to about 1e-8 absolute (as SciPy's).
  const b0 = [...b.slice(0, 7), 0, 3];
  let expected0 = 0;
  for (let i = 0; i < d; i++) expected0 += (mu1[i]! - mu2[i]!) ** 2 + (Math.sqrt(a[i]!) - Math.sqrt(b0[i]!)) ** 2;
  close(frechetDistance(s1, { ...s2, covariance: rotated(q, b0) }), expected0, 1e-7, 'closed form, singular S2');
  // In one dimension: (m1 - m2)^2 + (sigma1 - sigma2)^2.
  const one = (m: number, v: number): FeatureStatistics => ({ dim: 1, count: 2, mean: Float64Array.of(m), covariance: Float64Array.of(v) });
  close(frechetDistance(one(1, 4), one(-2, 9)), 9 + 1, 1e-12, '1-D');
});

test('featureStatistics and frechetDistance against NumPy (np.cov) and SciPy (sqrtm) on the committed fixture', () => {
  assert.equal(fixture.cases.length, 4);
  for (const c of fixture.cases) {
    const sx = featureStatistics(rows(c.x));
    const sy = featureStatistics(rows(c.y));
    assert.equal(sx.dim, c.d);
    c.mean_x.forEach((m, i) => close(sx.mean[i]!, m, 1e-12, `${c.name}: mean ${i}`));
    c.cov_x.forEach((v, i) => close(sx.covariance[i]!, v, 1e-10, `${c.name}: covariance ${i}`));
    const fid = frechetDistance(sx, sy);
    close(fid, c.fid_sqrtm, 1e-8, `${c.name}: FID against scipy.linalg.sqrtm`);
    close(fid, c.fid_eigh, 1e-9, `${c.name}: FID against numpy.linalg.eigh`);
  }
  // float32 features give the same statistics as their float64 values.
  const c0 = fixture.cases[0]!;
  const f32 = new Tensor(Float32Array.from(c0.x.flat()), [c0.x.length, c0.d]);
  close(featureStatistics(f32).mean[0]!, c0.mean_x[0]!, 1e-6, 'float32 input');
});

test('symmetricEigen: eigenvalues as numpy.linalg.eigvalsh, orthonormal eigenvectors with A v = lambda v', () => {
  for (const c of fixture.cases) {
    const n = c.d;
    const { values, vectors } = symmetricEigen(c.sym, n);
    c.sym_eigenvalues.forEach((l, i) => close(values[i]!, l, 1e-11, `${c.name}: eigenvalue ${i}`));
    for (let k = 0; k < n; k++) {
      for (let i = 0; i < n; i++) {
        let av = 0;
        for (let j = 0; j < n; j++) av += c.sym[i * n + j]! * vectors[j * n + k]!;
        close(av, values[k]! * vectors[i * n + k]!, 1e-10, `${c.name}: (A v_${k})_${i}`);
      }
      for (let m = 0; m < n; m++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += vectors[i * n + k]! * vectors[i * n + m]!;
        close(dot, k === m ? 1 : 0, 1e-12, `${c.name}: v_${k} . v_${m}`);
      }
    }
  }
  assert.deepEqual(
    Array.from(symmetricEigen([2, 1, 1, 2], 2).values).map((v) => Math.round(v * 1e12) / 1e12),
    [1, 3],
  );
  assert.deepEqual(Array.from(symmetricEigen([5], 1).values), [5]);
});

test('the Frechet functions refuse what they do not understand, naming themselves', () => {
  const s = featureStatistics(new Tensor(Float64Array.from([1, 2, 3, 4, 5, 7]), [3, 2]));
  assert.throws(
    () => featureStatistics(new Tensor(Float64Array.from([1, 2]), [1, 2])),
    /featureStatistics: features must be \[N, d\] with N >= 2/,
  );
  assert.throws(() => featureStatistics([[1, 2]] as never), /featureStatistics: argument 1 \(features\) must be a Tensor/);
  const t = featureStatistics(new Tensor(Float64Array.from([1, 2, 3, 4, 5, 7]), [2, 3]));
  assert.throws(() => frechetDistance(s, t), /frechetDistance: the statistics have different dimensions 2 and 3/);
  assert.throws(() => frechetDistance(s, { mean: [0, 0] } as never), /frechetDistance: argument 2 \(b\) must be featureStatistics/);
  assert.throws(() => symmetricEigen([1, 2, 3], 2), /symmetricEigen: argument 1 \(matrix\) must hold n \* n = 4 numbers/);
  assert.throws(() => symmetricEigen([1, NaN, NaN, 1], 2), /symmetricEigen: the matrix holds a non-finite value NaN at index 1/);
});

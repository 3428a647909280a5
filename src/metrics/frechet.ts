/**
 * The Frechet distance between two Gaussians fitted to feature vectors: the "Frechet Inception
 * Distance" of Heusel et al. (2017, "GANs Trained by a Two Time-Scale Update Rule Converge to a
 * Local Nash Equilibrium", eq. 6), here over any feature extractor's activations:
 *
 *   d^2 = ||mu_1 - mu_2||^2 + Tr(S_1 + S_2 - 2 (S_1^{1/2} S_2 S_1^{1/2})^{1/2})
 *
 * (the closed form of the 2-Wasserstein distance between N(mu_1, S_1) and N(mu_2, S_2); the
 * middle term is Tr((S_1 S_2)^{1/2}) written with symmetric matrices only). Everything runs in
 * float64 on plain arrays. Square roots of the symmetric positive semi-definite matrices come
 * from their eigendecomposition (cyclic Jacobi rotations, `symmetricEigen`), with eigenvalues
 * that rounding made slightly negative clamped to 0; no complex arithmetic is needed, unlike a
 * general matrix square root of S_1 S_2 (scipy.linalg.sqrtm).
 */
import { Tensor } from '../tensor/tensor.js';
import { fmtShape } from '../tensor/shape.js';
import { checkRest, checkTensor, describe } from '../tensor/validate.js';

/** Mean and covariance of a set of feature vectors (row-major d x d, divided by count - 1, as numpy.cov). */
export interface FeatureStatistics {
  dim: number;
  count: number;
  mean: Float64Array;
  covariance: Float64Array;
}

/**
 * Mean and unbiased covariance of features [N, d] (N >= 2), in float64 (two passes: the mean,
 * then the centred products).
 * @example const real = featureStatistics(features); // real.mean: Float64Array(d)
 */
export function featureStatistics(features: Tensor, ...extra: never[]): FeatureStatistics {
  checkTensor('featureStatistics', features, 'argument 1 (features)');
  checkRest('featureStatistics', extra, 1, 'featureStatistics(features [N, d])');
  if (features.ndim !== 2 || features.shape[0]! < 2 || features.shape[1]! < 1)
    throw new Error(`featureStatistics: features must be [N, d] with N >= 2 and d >= 1, got shape ${fmtShape(features.shape)}`);
  const [n, d] = features.shape as [number, number];
  const x = Float64Array.from(features.contiguous().data as ArrayLike<number>);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] = mean[j]! + x[i * d + j]!;
  for (let j = 0; j < d; j++) mean[j] = mean[j]! / n;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) x[i * d + j] = x[i * d + j]! - mean[j]!;
  const cov = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    const row = i * d;
    for (let a = 0; a < d; a++) {
      const xa = x[row + a]!;
      if (xa === 0) continue;
      const out = a * d;
      for (let b = a; b < d; b++) cov[out + b] = cov[out + b]! + xa * x[row + b]!;
    }
  }
  for (let a = 0; a < d; a++)
    for (let b = a; b < d; b++) {
      const v = cov[a * d + b]! / (n - 1);
      cov[a * d + b] = v;
      cov[b * d + a] = v;
    }
  return { dim: d, count: n, mean, covariance: cov };
}

/** Eigenvalues (ascending) and eigenvectors (column k of the row-major `vectors` belongs to values[k]). */
export interface SymmetricEigen {
  values: Float64Array;
  vectors: Float64Array;
}

/**
 * Eigendecomposition A = V diag(lambda) V^T of a symmetric n x n matrix (row-major), by cyclic
 * Jacobi rotations: each rotation zeroes one off-diagonal pair a_pq; sweeps repeat until the
 * off-diagonal mass is below 1e-30 of the total (quadratic convergence: about 6-10 sweeps).
 * Accurate to a few ulps of the largest eigenvalue; O(n^3) per sweep, meant for n up to a few
 * hundred (feature covariances). Only the upper triangle's symmetry is assumed, not checked.
 * @example symmetricEigen([2, 1, 1, 2], 2).values // [1, 3]
 */
export function symmetricEigen(matrix: ArrayLike<number>, n: number, ...extra: never[]): SymmetricEigen {
  checkRest('symmetricEigen', extra, 2, 'symmetricEigen(matrix, n)');
  if (!Number.isInteger(n) || n < 1) throw new TypeError(`symmetricEigen: argument 2 (n) must be a positive integer, got ${describe(n)}`);
  if (matrix === null || typeof matrix !== 'object' || typeof matrix.length !== 'number' || matrix.length !== n * n)
    throw new TypeError(`symmetricEigen: argument 1 (matrix) must hold n * n = ${n * n} numbers (row-major), got ${describe(matrix)}`);
  const a = Float64Array.from(matrix);
  for (let i = 0; i < a.length; i++)
    if (!Number.isFinite(a[i]!)) throw new Error(`symmetricEigen: the matrix holds a non-finite value ${a[i]} at index ${i}`);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  let total = 0;
  for (let i = 0; i < a.length; i++) total += a[i]! * a[i]!;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q]! * a[p * n + q]!;
    if (off <= 1e-30 * total || off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (apq === 0) continue;
        const app = a[p * n + p]!;
        const aqq = a[q * n + q]!;
        // The rotation angle phi with cot(2 phi) = theta zeroes a_pq; t = tan(phi) is the smaller
        // root of t^2 + 2 theta t - 1 = 0 (|phi| <= pi/4 keeps the other entries from growing).
        const theta = (aqq - app) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          if (k === p || k === q) continue;
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          const kp = c * akp - s * akq;
          const kq = s * akp + c * akq;
          a[k * n + p] = kp;
          a[p * n + k] = kp;
          a[k * n + q] = kq;
          a[q * n + k] = kq;
        }
        a[p * n + p] = app - t * apq;
        a[q * n + q] = aqq + t * apq;
        a[p * n + q] = 0;
        a[q * n + p] = 0;
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[i * n + i]! - a[j * n + j]!);
  const values = Float64Array.from(order, (i) => a[i * n + i]!);
  const vectors = new Float64Array(n * n);
  order.forEach((src, k) => {
    for (let r = 0; r < n; r++) vectors[r * n + k] = v[r * n + src]!;
  });
  return { values, vectors };
}

/** S^{1/2} = V diag(sqrt(max(lambda, 0))) V^T of a symmetric positive semi-definite matrix. */
function sqrtPsd(m: Float64Array, n: number): Float64Array {
  const { values, vectors } = symmetricEigen(m, n);
  const out = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const r = Math.sqrt(Math.max(values[k]!, 0));
    if (r === 0) continue;
    for (let i = 0; i < n; i++) {
      const vik = vectors[i * n + k]! * r;
      if (vik === 0) continue;
      for (let j = 0; j < n; j++) out[i * n + j] = out[i * n + j]! + vik * vectors[j * n + k]!;
    }
  }
  return out;
}

/** Row-major n x n product. */
function matmul64(x: Float64Array, y: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < n; k++) {
      const xik = x[i * n + k]!;
      if (xik === 0) continue;
      for (let j = 0; j < n; j++) out[i * n + j] = out[i * n + j]! + xik * y[k * n + j]!;
    }
  return out;
}

function checkStats(who: string, name: string, s: unknown): asserts s is FeatureStatistics {
  const ok =
    s !== null &&
    typeof s === 'object' &&
    Number.isInteger((s as FeatureStatistics).dim) &&
    (s as FeatureStatistics).mean instanceof Float64Array &&
    (s as FeatureStatistics).covariance instanceof Float64Array &&
    (s as FeatureStatistics).mean.length === (s as FeatureStatistics).dim &&
    (s as FeatureStatistics).covariance.length === (s as FeatureStatistics).dim ** 2;
  if (!ok) throw new TypeError(`${who}: ${name} must be featureStatistics(...)'s {dim, count, mean, covariance}, got ${describe(s)}`);
  const extraKeys = Object.keys(s).filter((k) => !['dim', 'count', 'mean', 'covariance'].includes(k));
  if (extraKeys.length > 0) throw new Error(`${who}: ${name} has unknown key '${extraKeys[0]}' (known: dim, count, mean, covariance)`);
}

/**
 * The Frechet distance d^2 between N(mu_1, S_1) and N(mu_2, S_2) (the statistics of two feature
 * sets; see the file header): ||mu_1 - mu_2||^2 + Tr(S_1) + Tr(S_2) - 2 Tr((S_1^{1/2} S_2 S_1^{1/2})^{1/2}).
 * Reported as FID, the squared distance, as Heusel et al. and pytorch-fid do. Never negative
 * (rounding can leave a tiny negative value: clamped to 0).
 * @example frechetDistance(featureStatistics(fakeFeatures), featureStatistics(realFeatures))
 */
export function frechetDistance(a: FeatureStatistics, b: FeatureStatistics, ...extra: never[]): number {
  checkStats('frechetDistance', 'argument 1 (a)', a);
  checkStats('frechetDistance', 'argument 2 (b)', b);
  checkRest('frechetDistance', extra, 2, 'frechetDistance(featureStatistics(x), featureStatistics(y))');
  if (a.dim !== b.dim) throw new Error(`frechetDistance: the statistics have different dimensions ${a.dim} and ${b.dim}`);
  const n = a.dim;
  let meanTerm = 0;
  for (let i = 0; i < n; i++) meanTerm += (a.mean[i]! - b.mean[i]!) ** 2;
  let traces = 0;
  for (let i = 0; i < n; i++) traces += a.covariance[i * n + i]! + b.covariance[i * n + i]!;
  const s1h = sqrtPsd(a.covariance, n);
  // S_1^{1/2} S_2 S_1^{1/2} is symmetric PSD, so Tr of its square root is the sum of sqrt(eigenvalues).
  const m = matmul64(matmul64(s1h, b.covariance, n), s1h, n);
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const avg = (m[i * n + j]! + m[j * n + i]!) / 2; // symmetric up to rounding; make it exactly so
      m[i * n + j] = avg;
      m[j * n + i] = avg;
    }
  const { values } = symmetricEigen(m, n);
  let traceSqrt = 0;
  for (const l of values) traceSqrt += Math.sqrt(Math.max(l, 0));
  return Math.max(meanTerm + traces - 2 * traceSqrt, 0);
}

/**
 * Affine int8 quantization: the map between real values and a grid of integers, per tensor or per
 * output channel, and the ranges it is fitted to.
 *
 *   q = clamp(round(x / s) + z, q_min, q_max)        (quantize)
 *   x^ = s (q - z)                                   (dequantize)
 *   s = (beta - alpha) / (q_max - q_min),  z = q_min - round(alpha / s)
 *
 * [alpha, beta] is the range kept (widened to hold 0, so real 0 is exactly the integer z and zero
 * padding stays exact); values outside it saturate. The error of one value inside the range is at
 * most s / 2, so a narrower range trades rounding error for clipping error: the calibration
 * methods below choose [alpha, beta] from the values seen on a calibration set by
 *   'minmax'      the extremes seen (no clipping, the largest s);
 *   'percentile'  the p-th and (100 - p)-th percentiles of the values (a few outliers clip);
 *   'mse'         the range minimizing the mean squared error sum_x (x - x^)^2 over the values' histogram.
 * Weights use the symmetric form (z = 0, grid [-127, 127], s = max |w| / 127), per output channel by
 * default: each filter gets its own s, so one large filter does not coarsen the grid of the others
 * (Krishnamoorthi 2018, "Quantizing deep convolutional networks for efficient inference", sec. 2).
 * Activations use the affine form on [0, 127] by default, the "reduced range" in which the relaxed
 * SIMD dot product is exact (src/backend/quant.ts); 'full' uses [-128, 127].
 *
 * The curriculum (notes 577-619) states the idea, fewer bits per value for less memory and faster
 * arithmetic at some cost in accuracy, without formulas; these are the standard ones of Jacob et al.
 * 2018 ("Quantization and training of neural networks for efficient integer-arithmetic-only inference").
 */
/* eslint-disable prefer-rest-params -- public functions hand their `arguments` to checkCtor, which also rejects arguments past the declared ones */
import { Tensor } from '../tensor/tensor.js';
import { checkCtor, describe } from '../tensor/validate.js';
import { nearestEven } from '../backend/quant.js';

/** The integer grid of an activation: [0, 127] ('reduced', the default) or [-128, 127] ('full'). */
export type ActivationRange = 'reduced' | 'full';
export type CalibrationMethod = 'minmax' | 'percentile' | 'mse';

/** The integer grid of an activation range name. */
export function activationGrid(range: ActivationRange): { qmin: number; qmax: number } {
  checkCtor('activationGrid', [['range', ['reduced', 'full']]], arguments);
  return range === 'reduced' ? { qmin: 0, qmax: 127 } : { qmin: -128, qmax: 127 };
}

/** Affine parameters of one grid: real = scale * (q - zeroPoint), q in [qmin, qmax]. */
export interface AffineParams {
  scale: number;
  zeroPoint: number;
  qmin: number;
  qmax: number;
}

/**
 * The affine parameters that map [min, max] (widened to hold 0) onto [qmin, qmax].
 * @example affineParams(-1, 3, 0, 127) // { scale: 4 / 127, zeroPoint: 32, qmin: 0, qmax: 127 }
 */
export function affineParams(min: number, max: number, qmin: number, qmax: number): AffineParams {
  checkCtor(
    'affineParams',
    [
      ['min', 'number'],
      ['max', 'number'],
      ['qmin', 'int'],
      ['qmax', 'int'],
    ],
    arguments,
  );
  if (!Number.isFinite(min) || !Number.isFinite(max) || min > max) {
    throw new Error(`affineParams: expected finite min <= max, got min ${min}, max ${max}`);
  }
  if (qmin >= qmax) throw new Error(`affineParams: expected qmin < qmax, got ${qmin} and ${qmax}`);
  const lo = Math.min(min, 0);
  const hi = Math.max(max, 0);
  // An all-zero tensor still needs a usable grid: any scale represents it exactly.
  const scale = Math.fround(hi > lo ? (hi - lo) / (qmax - qmin) : 1);
  const z = qmin - nearestEven(lo / scale);
  return { scale, zeroPoint: Math.min(qmax, Math.max(qmin, z)), qmin, qmax };
}

/** q = clamp(round(x / s) + z, qmin, qmax), round half to even on the float32 quotient (as the int8 kernels). */
export function quantizeValue(x: number, p: AffineParams): number {
  checkCtor(
    'quantizeValue',
    [
      ['x', 'number'],
      ['p', 'any'],
    ],
    arguments,
  );
  if (p === null || typeof p !== 'object' || !(p.scale > 0))
    throw new TypeError(`quantizeValue: p must be affine parameters {scale > 0, zeroPoint, qmin, qmax}, got ${describe(p)}`);
  const q = nearestEven(Math.fround(x / p.scale)) + p.zeroPoint;
  return q < p.qmin ? p.qmin : q > p.qmax ? p.qmax : q;
}

/** Symmetric per-channel (axis 0) or per-tensor int8 weights: z = 0, s = max |w| / 127. */
export interface QuantizedWeight {
  /** Integers in [-127, 127], the tensor's layout. */
  values: Int8Array;
  /** One scale per output channel (per-channel) or a single one (per-tensor). */
  scales: Float32Array;
  shape: number[];
  perChannel: boolean;
}

/**
 * Quantizes a weight tensor (output channels on axis 0) symmetrically to int8.
 * @example const q = quantizeWeight(conv.weight, { perChannel: true }); q.scales.length === conv.outChannels
 */
export function quantizeWeight(w: Tensor, opts: { perChannel?: boolean } = {}): QuantizedWeight {
  checkCtor('quantizeWeight', [['w', 'tensor']], arguments, { perChannel: 'boolean' });
  if (w.dtype !== 'float32' && w.dtype !== 'float64') throw new Error(`quantizeWeight: w must be a float tensor, got ${w.dtype}`);
  if (w.shape.length < 1) throw new Error('quantizeWeight: w must have at least one dimension (output channels first), got a scalar');
  const perChannel = opts.perChannel ?? true;
  const data = w.contiguous().data;
  const rows = perChannel ? w.shape[0]! : 1;
  const per = data.length / Math.max(rows, 1);
  const values = new Int8Array(data.length);
  const scales = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let amax = 0;
    for (let i = r * per; i < (r + 1) * per; i++) amax = Math.max(amax, Math.abs(data[i]!));
    const s = Math.fround(amax > 0 ? amax / 127 : 1);
    scales[r] = s;
    for (let i = r * per; i < (r + 1) * per; i++) values[i] = Math.max(-127, Math.min(127, nearestEven(data[i]! / s)));
  }
  return { values, scales, shape: [...w.shape], perChannel };
}

/** The float weights a QuantizedWeight stands for: s_c q. */
export function dequantizeWeight(q: QuantizedWeight): Tensor {
  checkCtor('dequantizeWeight', [['q', 'any']], arguments);
  if (q === null || typeof q !== 'object' || !(q.values instanceof Int8Array) || !(q.scales instanceof Float32Array)) {
    throw new TypeError(`dequantizeWeight: q must be a QuantizedWeight from quantizeWeight, got ${describe(q)}`);
  }
  const out = new Float32Array(q.values.length);
  const per = q.values.length / q.scales.length;
  for (let i = 0; i < out.length; i++) out[i] = q.scales[Math.floor(i / per)]! * q.values[i]!;
  return new Tensor(out, q.shape);
}

const BINS = 2048;

/**
 * Collects what a calibration method needs from the values of one activation over a calibration
 * set, in two passes: `observe` in pass 1 records the extremes, `observeHistogram` in pass 2 bins
 * the values into 2048 bins over those extremes; `params` then picks the range.
 */
export class RangeObserver {
  min = Infinity;
  max = -Infinity;
  count = 0;
  private hist: Float64Array | null = null;

  constructor(
    readonly method: CalibrationMethod = 'minmax',
    readonly percentile = 99.99,
  ) {
    checkCtor(
      'RangeObserver',
      [
        ['method', ['minmax', 'percentile', 'mse'], true],
        ['percentile', 'number', true],
      ],
      arguments,
    );
    if (!(percentile > 50 && percentile <= 100)) throw new Error(`RangeObserver: percentile must be in (50, 100], got ${percentile}`);
  }

  /** Whether `params` needs the histogram pass. */
  get needsHistogram(): boolean {
    return this.method !== 'minmax';
  }

  observe(values: ArrayLike<number>): void {
    let lo = this.min;
    let hi = this.max;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    this.min = lo;
    this.max = hi;
    this.count += values.length;
  }

  observeHistogram(values: ArrayLike<number>): void {
    if (this.count === 0) throw new Error('RangeObserver.observeHistogram: call observe() on the calibration set first (pass 1)');
    this.hist ??= new Float64Array(BINS);
    const h = this.hist;
    const width = (this.max - this.min) / BINS || 1;
    for (let i = 0; i < values.length; i++) {
      const b = Math.floor((values[i]! - this.min) / width);
      h[b < 0 ? 0 : b >= BINS ? BINS - 1 : b]!++;
    }
  }

  /** The affine parameters of the chosen range on the grid [qmin, qmax]. */
  params(qmin: number, qmax: number): AffineParams {
    if (this.count === 0) throw new Error('RangeObserver.params: no values were observed (empty calibration set?)');
    const [lo, hi] = this.range(qmin, qmax);
    return affineParams(lo, hi, qmin, qmax);
  }

  /** The range [alpha, beta] the method keeps. */
  range(qmin: number, qmax: number): [number, number] {
    if (this.method === 'minmax' || this.min === this.max) return [this.min, this.max];
    const h = this.hist;
    if (!h) throw new Error(`RangeObserver.range: method '${this.method}' needs the histogram pass (observeHistogram)`);
    const width = (this.max - this.min) / BINS;
    const edge = (b: number): number => this.min + b * width;
    if (this.method === 'percentile') {
      const total = h.reduce((a, b) => a + b, 0);
      const tail = (total * (100 - this.percentile)) / 100;
      let lo = 0;
      for (let acc = 0; lo < BINS - 1 && acc + h[lo]! <= tail; lo++) acc += h[lo]!;
      let hi = BINS - 1;
      for (let acc = 0; hi > lo && acc + h[hi]! <= tail; hi--) acc += h[hi]!;
      return [edge(lo), edge(hi + 1)];
    }
    // 'mse': shrink the range from both ends in 1/128 steps of its width, keep the one with the
    // least squared error over the histogram (each bin's values taken at its centre).
    let best: [number, number] = [this.min, this.max];
    let bestErr = Infinity;
    for (let step = 0; step < 128; step++) {
      const f = 1 - step / 128;
      // Shrink towards zero (kept inside the range by affineParams anyway).
      const lo = this.min < 0 ? this.min * f : this.min;
      const hi = this.max > 0 ? this.max * f : this.max;
      const p = affineParams(lo, hi, qmin, qmax);
      let err = 0;
      for (let b = 0; b < BINS; b++) {
        if (h[b] === 0) continue;
        const x = edge(b + 0.5);
        const d = x - p.scale * (quantizeValue(x, p) - p.zeroPoint);
        err += h[b]! * d * d;
      }
      if (err < bestErr) {
        bestErr = err;
        best = [lo, hi];
      }
    }
    return best;
  }
}

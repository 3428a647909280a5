/**
 * Weight initialisation, as torch.nn.init: each function fills a tensor in place (without
 * recording a graph) and returns it. Draws come from the seeded default generator unless one is given.
 */
import type { Tensor } from '../tensor/tensor.js';
import { fmtShape } from '../tensor/shape.js';
import { type Generator, defaultGenerator } from '../tensor/random.js';

type Nonlinearity = 'linear' | 'conv1d' | 'conv2d' | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'selu';
export type FanMode = 'fan_in' | 'fan_out';

function fill(t: Tensor, draw: () => number): Tensor {
  if (!t.isContiguous()) throw new Error(`init: expected a contiguous tensor, got strides ${fmtShape(t.strides)}`);
  const d = t.data as { [i: number]: number; length: number };
  for (let i = 0; i < d.length; i++) d[i] = draw();
  return t;
}

/** Recommended gain for a nonlinearity (torch.nn.init.calculate_gain). */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear':
    case 'conv1d':
    case 'conv2d':
    case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leaky_relu':
      return Math.sqrt(2 / (1 + (param ?? 0.01) ** 2));
    case 'selu':
      return 3 / 4;
    default:
      throw new Error(`calculateGain: unknown nonlinearity '${String(nonlinearity)}'`);
  }
}

/** fan_in = size(1) * receptive field, fan_out = size(0) * receptive field (PyTorch's convention). */
export function calculateFans(t: Tensor): { fanIn: number; fanOut: number } {
  if (t.ndim < 2) throw new Error(`init: fan in and fan out need a tensor with >= 2 dims, got shape ${fmtShape(t.shape)}`);
  const receptive = t.shape.slice(2).reduce((p, d) => p * d, 1);
  return { fanIn: t.shape[1]! * receptive, fanOut: t.shape[0]! * receptive };
}

export function uniform_(t: Tensor, a = 0, b = 1, gen: Generator = defaultGenerator): Tensor {
  return fill(t, () => a + (b - a) * gen.random());
}
export function normal_(t: Tensor, mean = 0, std = 1, gen: Generator = defaultGenerator): Tensor {
  return fill(t, () => mean + std * gen.normal());
}
export function constant_(t: Tensor, value: number): Tensor {
  return fill(t, () => value);
}
export function zeros_(t: Tensor): Tensor {
  return constant_(t, 0);
}
export function ones_(t: Tensor): Tensor {
  return constant_(t, 1);
}

/** Glorot/Xavier uniform: U(-a, a) with a = gain * sqrt(6 / (fan_in + fan_out)). */
export function xavierUniform_(t: Tensor, gain = 1, gen: Generator = defaultGenerator): Tensor {
  const { fanIn, fanOut } = calculateFans(t);
  const a = gain * Math.sqrt(6 / (fanIn + fanOut));
  return uniform_(t, -a, a, gen);
}
/** Glorot/Xavier normal: N(0, std^2) with std = gain * sqrt(2 / (fan_in + fan_out)). */
export function xavierNormal_(t: Tensor, gain = 1, gen: Generator = defaultGenerator): Tensor {
  const { fanIn, fanOut } = calculateFans(t);
  return normal_(t, 0, gain * Math.sqrt(2 / (fanIn + fanOut)), gen);
}

export interface KaimingOptions {
  /** Negative slope of the following leaky ReLU (default 0). */
  a?: number;
  mode?: FanMode;
  nonlinearity?: Nonlinearity;
  generator?: Generator;
}

/** He/Kaiming uniform: U(-b, b) with b = gain * sqrt(3 / fan). */
export function kaimingUniform_(t: Tensor, opts: KaimingOptions = {}): Tensor {
  const { fanIn, fanOut } = calculateFans(t);
  const fan = (opts.mode ?? 'fan_in') === 'fan_in' ? fanIn : fanOut;
  const gain = calculateGain(opts.nonlinearity ?? 'leaky_relu', opts.a ?? 0);
  const bound = gain * Math.sqrt(3 / fan);
  return uniform_(t, -bound, bound, opts.generator);
}
/** He/Kaiming normal: N(0, std^2) with std = gain / sqrt(fan). */
export function kaimingNormal_(t: Tensor, opts: KaimingOptions = {}): Tensor {
  const { fanIn, fanOut } = calculateFans(t);
  const fan = (opts.mode ?? 'fan_in') === 'fan_in' ? fanIn : fanOut;
  const gain = calculateGain(opts.nonlinearity ?? 'leaky_relu', opts.a ?? 0);
  return normal_(t, 0, gain / Math.sqrt(fan), opts.generator);
}

/**
 * A (semi-)orthogonal matrix (rows x cols = size(0) x rest), from the QR decomposition of a normal
 * matrix with the signs of R's diagonal folded in, as torch.nn.init.orthogonal_.
 */
export function orthogonal_(t: Tensor, gain = 1, gen: Generator = defaultGenerator): Tensor {
  if (t.ndim < 2) throw new Error(`orthogonal_: needs a tensor with >= 2 dims, got shape ${fmtShape(t.shape)}`);
  const rows = t.shape[0]!;
  const cols = t.numel() / rows;
  // Work on the tall orientation (n >= m) so Gram-Schmidt produces m orthonormal columns.
  const n = Math.max(rows, cols);
  const m = Math.min(rows, cols);
  const q: Float64Array[] = [];
  for (let j = 0; j < m; j++) {
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) v[i] = gen.normal();
    // Modified Gram-Schmidt, twice for stability.
    for (let pass = 0; pass < 2; pass++) {
      for (const u of q) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += u[i]! * v[i]!;
        for (let i = 0; i < n; i++) v[i] = v[i]! - dot * u[i]!;
      }
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += v[i]! * v[i]!;
    norm = Math.sqrt(norm);
    for (let i = 0; i < n; i++) v[i] = v[i]! / norm;
    q.push(v);
  }
  const d = t.data as { [i: number]: number };
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) d[r * cols + c] = gain * (rows >= cols ? q[c]![r]! : q[r]![c]!);
  }
  return t;
}

/** Tensor creation: from data, constant fills, ranges, and seeded random draws. */
import { type DType, isFloat } from './dtype.js';
import { type Shape, checkShape, fmtShape } from './shape.js';
import { Tensor, type NestedArray } from './tensor.js';
import { type Generator, defaultGenerator } from './random.js';

export interface CreateOptions<D extends DType = DType> {
  dtype?: D;
  requiresGrad?: boolean;
  /** The backend that owns the new tensor ('cpu', 'wasm', ...); default: the current one (setBackend). `*Like` functions default to the model tensor's device. */
  device?: string;
}
export interface RandomOptions<D extends DType = DType> extends CreateOptions<D> {
  generator?: Generator;
}

type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

function finish<D extends DType>(t: Tensor<D>, opts?: CreateOptions<D>): Tensor<D> {
  if (opts?.requiresGrad) t.requiresGrad_(true);
  return t;
}

function inferDtype(data: NestedArray | TypedArray): DType {
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Uint8Array) return 'bool';
  if (data instanceof Float32Array) return 'float32';
  let sawBool = false;
  const visit = (v: NestedArray): void => {
    if (typeof v === 'boolean') sawBool = true;
    else if (Array.isArray(v)) v.forEach(visit);
  };
  visit(data);
  return sawBool ? 'bool' : 'float32';
}

/**
 * A tensor from nested arrays, a typed array (1-D, or reshaped by `shape`), or a number (0-d).
 * dtype defaults to float32 for numbers, bool for booleans, and the array's own type for typed arrays.
 * @example tensor([[1, 2], [3, 4]], { requiresGrad: true })
 */
export function tensor<D extends DType = 'float32'>(
  data: NestedArray | TypedArray,
  opts: CreateOptions<D> & { shape?: Shape } = {},
): Tensor<D> {
  const dtype = (opts.dtype ?? inferDtype(data)) as D;
  let shape: number[];
  let flat: ArrayLike<number>;
  if (ArrayBuffer.isView(data)) {
    shape = opts.shape ? [...checkShapeArg('tensor', opts.shape)] : [data.length];
    flat = data;
  } else {
    shape = [];
    let probe: NestedArray = data;
    while (Array.isArray(probe)) {
      shape.push(probe.length);
      probe = probe[0] as NestedArray;
      if (probe === undefined) break;
    }
    const values: number[] = [];
    const walk = (v: NestedArray, d: number, path: string): void => {
      if (Array.isArray(v)) {
        if (d >= shape.length || v.length !== shape[d]) {
          throw new Error(`tensor: ragged nested array at ${path || 'top level'}: expected length ${shape[d]}, got ${v.length}`);
        }
        v.forEach((x, i) => walk(x, d + 1, `${path}[${i}]`));
      } else {
        if (d !== shape.length) throw new Error(`tensor: ragged nested array at ${path}: expected a list, got ${String(v)}`);
        if (typeof v !== 'number' && typeof v !== 'boolean') {
          throw new Error(`tensor: element at ${path} is ${typeof v}, expected a number or boolean`);
        }
        values.push(Number(v));
      }
    };
    walk(data, 0, '');
    if (opts.shape) shape = [...opts.shape];
    flat = values;
  }
  if (checkShape('tensor', shape) !== flat.length) {
    throw new Error(`tensor: ${flat.length} values cannot fill shape ${fmtShape(shape)}`);
  }
  const t = Tensor.empty(shape, dtype, opts.device);
  t.backend.write(t.storage, flat);
  return finish(t, opts);
}

/** A 0-d tensor holding one number. */
export function scalar<D extends DType = 'float32'>(value: number, opts: CreateOptions<D> = {}): Tensor<D> {
  const t = Tensor.empty([] as number[], (opts.dtype ?? 'float32') as D, opts.device, 'scalar');
  t.backend.write(t.storage, [value]);
  return finish(t, opts);
}

/** A tensor of `shape` filled with `value`; errors name `op`, the public function called. */
function filled<D extends DType>(op: string, shape: Shape, value: number, opts: CreateOptions<D>): Tensor<D> {
  const t = Tensor.empty(shape, (opts.dtype ?? 'float32') as D, opts.device, op);
  if (value !== 0) t.backend.fill(t.storage, value);
  return finish(t, opts);
}

export function full<D extends DType = 'float32'>(shape: Shape, value: number, opts: CreateOptions<D> = {}): Tensor<D> {
  return filled('full', shape, value, opts);
}

export function zeros<D extends DType = 'float32'>(shape: Shape, opts: CreateOptions<D> = {}): Tensor<D> {
  return filled('zeros', shape, 0, opts);
}

export function ones<D extends DType = 'float32'>(shape: Shape, opts: CreateOptions<D> = {}): Tensor<D> {
  return filled('ones', shape, 1, opts);
}

export function zerosLike<D extends DType>(t: Tensor<D>, opts: CreateOptions<D> = {}): Tensor<D> {
  return zeros(t.shape, { dtype: t.dtype, device: t.device, ...opts });
}
export function onesLike<D extends DType>(t: Tensor<D>, opts: CreateOptions<D> = {}): Tensor<D> {
  return ones(t.shape, { dtype: t.dtype, device: t.device, ...opts });
}
export function fullLike<D extends DType>(t: Tensor<D>, value: number, opts: CreateOptions<D> = {}): Tensor<D> {
  return full(t.shape, value, { dtype: t.dtype, device: t.device, ...opts });
}

/** Values start, start+step, ... below end. Integer arguments give int32 unless a dtype is given. */
export function arange(end: number, opts?: CreateOptions): Tensor;
export function arange(start: number, end: number, step?: number, opts?: CreateOptions): Tensor;
export function arange(a: number, b?: number | CreateOptions, c?: number | CreateOptions, d?: CreateOptions): Tensor {
  let start = 0;
  let end: number;
  let step = 1;
  let opts: CreateOptions = {};
  if (typeof b !== 'number') {
    end = a;
    opts = b ?? {};
  } else {
    start = a;
    end = b;
    if (typeof c === 'number') {
      step = c;
      opts = d ?? {};
    } else opts = c ?? {};
  }
  if (![start, end, step].every(Number.isFinite)) {
    throw new Error(`arange: start, end and step must be finite numbers, got start ${start}, end ${end}, step ${step}`);
  }
  if (step === 0) throw new Error('arange: step must be nonzero');
  const n = Math.max(0, Math.ceil((end - start) / step));
  const allInt = Number.isInteger(start) && Number.isInteger(end) && Number.isInteger(step);
  const dtype = opts.dtype ?? (allInt ? 'int32' : 'float32');
  const t = Tensor.empty([n], dtype, opts.device, 'arange');
  for (let i = 0; i < n; i++) t.storage[i] = start + i * step;
  return finish(t, opts);
}

/** `steps` evenly spaced values from start to end inclusive. */
export function linspace<D extends DType = 'float32'>(start: number, end: number, steps: number, opts: CreateOptions<D> = {}): Tensor<D> {
  if (!Number.isInteger(steps) || steps < 0) throw new Error(`linspace: steps must be a non-negative integer, got ${steps}`);
  const t = Tensor.empty([steps], (opts.dtype ?? 'float32') as D, opts.device, 'linspace');
  const h = steps > 1 ? (end - start) / (steps - 1) : 0;
  for (let i = 0; i < steps; i++) t.storage[i] = i === steps - 1 ? end : start + i * h;
  return finish(t, opts);
}

/** The n x m identity matrix. */
export function eye<D extends DType = 'float32'>(n: number, m = n, opts: CreateOptions<D> = {}): Tensor<D> {
  const t = filled('eye', [n, m], 0, opts);
  for (let i = 0; i < Math.min(n, m); i++) t.storage[i * m + i] = 1;
  return t;
}

function randomFill<D extends DType>(shape: Shape, opts: RandomOptions<D>, draw: (g: Generator) => number, op: string): Tensor<D> {
  const dtype = (opts.dtype ?? 'float32') as D;
  const g = opts.generator ?? defaultGenerator;
  const t = Tensor.empty(shape, dtype, opts.device, op);
  const s = t.storage;
  for (let i = 0; i < s.length; i++) s[i] = draw(g);
  return finish(t, opts);
}

/** Uniform on [0, 1). */
export function rand<D extends DType = 'float32'>(shape: Shape, opts: RandomOptions<D> = {}): Tensor<D> {
  return randomFill(shape, opts, (g) => g.random(), 'rand');
}

/** Standard normal. */
export function randn<D extends DType = 'float32'>(shape: Shape, opts: RandomOptions<D> = {}): Tensor<D> {
  return randomFill(shape, opts, (g) => g.normal(), 'randn');
}

/** Uniform integers in [low, high) (int32 unless a dtype is given). */
export function randint(low: number, high: number, shape: Shape, opts: RandomOptions = {}): Tensor {
  if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high))
    throw new Error(`randint: low and high must be integers, got ${low} and ${high}`);
  if (!(high > low)) throw new Error(`randint: high (${high}) must be greater than low (${low})`);
  return randomFill(shape, { dtype: 'int32', ...opts }, (g) => g.int(low, high), 'randint');
}

/** Draws 1 with probability p[i] (a tensor of probabilities, or a number with a shape). */
export function bernoulli(p: Tensor | number, opts: RandomOptions & { shape?: Shape } = {}): Tensor {
  const g = opts.generator ?? defaultGenerator;
  if (typeof p === 'number') {
    checkProb('bernoulli', p);
    return randomFill(opts.shape ?? [], opts, (gen) => (gen.random() < p ? 1 : 0), 'bernoulli');
  }
  const probs = p.data;
  const t = Tensor.empty(p.shape, opts.dtype ?? (isFloat(p.dtype) ? p.dtype : 'float32'), opts.device ?? p.device, 'bernoulli');
  for (let i = 0; i < probs.length; i++) {
    checkProb('bernoulli', probs[i]!, i);
    t.storage[i] = g.random() < probs[i]! ? 1 : 0;
  }
  return finish(t, opts);
}

/**
 * Samples category indices from each row of non-negative weights (1-D or 2-D), with or without
 * replacement, as torch.multinomial. Returns int32 indices of shape [..., numSamples].
 */
export function multinomial(
  weights: Tensor,
  numSamples: number,
  opts: { replacement?: boolean; generator?: Generator } = {},
): Tensor<'int32'> {
  if (weights.ndim !== 1 && weights.ndim !== 2) {
    throw new Error(`multinomial: expected a 1-D or 2-D weight tensor, got shape ${fmtShape(weights.shape)}`);
  }
  if (!Number.isInteger(numSamples) || numSamples < 0)
    throw new Error(`multinomial: numSamples must be a non-negative integer, got ${numSamples}`);
  const g = opts.generator ?? defaultGenerator;
  const rows = weights.ndim === 1 ? 1 : weights.shape[0]!;
  const k = weights.shape[weights.ndim - 1]!;
  if (!opts.replacement && numSamples > k) {
    throw new Error(`multinomial: cannot draw ${numSamples} samples without replacement from ${k} categories`);
  }
  const w = weights.data;
  const out = Tensor.empty(weights.ndim === 1 ? [numSamples] : [rows, numSamples], 'int32', weights.device, 'multinomial');
  const row = new Float64Array(k);
  for (let r = 0; r < rows; r++) {
    let total = 0;
    for (let j = 0; j < k; j++) {
      const v = w[r * k + j]!;
      if (!(v >= 0) || !Number.isFinite(v)) {
        throw new Error(`multinomial: weights must be finite and non-negative, got ${v} at row ${r}, column ${j}`);
      }
      row[j] = v;
      total += v;
    }
    for (let s = 0; s < numSamples; s++) {
      if (total <= 0) throw new Error(`multinomial: row ${r} has no positive weight left to sample from`);
      let u = g.random() * total;
      let j = 0;
      for (; j < k - 1; j++) {
        u -= row[j]!;
        if (u < 0 && row[j]! > 0) break;
      }
      while (row[j] === 0 && j > 0) j--;
      out.storage[r * numSamples + s] = j;
      if (!opts.replacement) {
        total -= row[j]!;
        row[j] = 0;
      }
    }
  }
  return out;
}

export function randLike(t: Tensor, opts: RandomOptions = {}): Tensor {
  return rand(t.shape, { dtype: isFloat(t.dtype) ? t.dtype : 'float32', ...opts });
}
export function randnLike(t: Tensor, opts: RandomOptions = {}): Tensor {
  return randn(t.shape, { dtype: isFloat(t.dtype) ? t.dtype : 'float32', ...opts });
}

/** Checks a shape argument (sizes, count) before it is copied; returns it. */
function checkShapeArg(op: string, shape: Shape): Shape {
  checkShape(op, shape);
  return shape;
}

function checkProb(op: string, p: number, i?: number): void {
  if (!(p >= 0 && p <= 1)) throw new Error(`${op}: probability must be in [0, 1], got ${p}${i === undefined ? '' : ` at index ${i}`}`);
}

/**
 * DataLoader: batches of a dataset in a seeded order (torch.utils.data.DataLoader, single process).
 *
 * Reproducibility and resuming: the order of epoch e is a permutation drawn from a generator
 * seeded with (seed, e), so it depends on nothing but the seed and the epoch number. Random
 * transforms draw from a second per-epoch generator whose state is part of stateDict(), together
 * with the epoch and how many batches of it were already delivered. A run restored from a
 * checkpoint therefore sees exactly the batches the uninterrupted run would have seen.
 */
import { Tensor } from '../tensor/tensor.js';
import { fmtShape, shapesEqual } from '../tensor/shape.js';
import { allocStorage } from '../tensor/dtype.js';
import { Generator, defaultGenerator } from '../tensor/random.js';
import { type Dataset, randperm, checkDataset } from './dataset.js';
import { checkOptions, checkRest, describe, type Spec } from '../tensor/validate.js';

/** What the default collate makes of a list of samples of type T. */
export type Collated<T> = T extends Tensor
  ? Tensor
  : T extends number | boolean
    ? Tensor
    : T extends readonly unknown[]
      ? { [K in keyof T]: Collated<T[K]> }
      : T extends Record<string, unknown>
        ? { [K in keyof T]: Collated<T[K]> }
        : T[];

/**
 * Stacks a list of samples into a batch, as PyTorch's default_collate: tensors of equal shape are
 * stacked along a new first dim (one copy into one typed array); numbers become a 1-D tensor
 * (int32 when all are integers, else float32); booleans a bool tensor; arrays (tuples) and plain
 * objects are collated position by position / key by key; anything else is returned as a list.
 */
export function defaultCollate<T>(samples: readonly T[], ...extra: never[]): Collated<T> {
  if (!Array.isArray(samples))
    throw new TypeError(`defaultCollate: argument 1 (samples) must be a list of samples, got ${describe(samples)}`);
  checkRest('defaultCollate', extra, 1, 'defaultCollate(samples)');
  if (samples.length === 0) throw new Error('defaultCollate: empty batch');
  const first = samples[0] as unknown;
  if (first instanceof Tensor) return stackSamples(samples as unknown as Tensor[]) as Collated<T>;
  if (typeof first === 'number') {
    const nums = samples as unknown as number[];
    const dtype = nums.every((v) => Number.isInteger(v)) ? 'int32' : 'float32';
    const out = allocStorage(dtype, nums.length);
    out.set(nums);
    return new Tensor(out, [nums.length]) as Collated<T>;
  }
  if (typeof first === 'boolean') {
    return new Tensor(
      Uint8Array.from(samples as unknown as boolean[], (b) => (b ? 1 : 0)),
      [samples.length],
    ) as Collated<T>;
  }
  if (Array.isArray(first)) {
    const k = first.length;
    for (const s of samples) {
      if (!Array.isArray(s) || s.length !== k)
        throw new Error(`defaultCollate: samples are arrays of different lengths (${k} and ${Array.isArray(s) ? s.length : typeof s})`);
    }
    return Array.from({ length: k }, (_, j) => defaultCollate((samples as unknown as unknown[][]).map((s) => s[j]))) as Collated<T>;
  }
  if (first !== null && typeof first === 'object' && Object.getPrototypeOf(first) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(first)) out[key] = defaultCollate((samples as unknown as Record<string, unknown>[]).map((s) => s[key]));
    return out as Collated<T>;
  }
  return [...samples] as Collated<T>;
}

function stackSamples(ts: readonly Tensor[]): Tensor {
  const shape = ts[0]!.shape;
  const n = ts[0]!.numel();
  const out = allocStorage(ts[0]!.dtype, n * ts.length);
  ts.forEach((t, k) => {
    if (!shapesEqual(t.shape, shape) || t.dtype !== ts[0]!.dtype) {
      throw new Error(`defaultCollate: sample ${k} is ${t.dtype} ${fmtShape(t.shape)}, sample 0 is ${ts[0]!.dtype} ${fmtShape(shape)}`);
    }
    out.set(t.data as never, k * n);
  });
  return new Tensor(out, [ts.length, ...shape]);
}

export interface DataLoaderOptions<T, B> {
  /** Samples per batch (default 1). */
  batchSize?: number;
  /** A new random order every epoch (default false: dataset order). */
  shuffle?: boolean;
  /** Drop the last batch when it is smaller than batchSize (default false). */
  dropLast?: boolean;
  /** Seed of the shuffle and of the transforms' random draws (default: drawn from `generator`). */
  seed?: number;
  /** Used only to draw a seed when none is given (default: the global generator, so manualSeed applies). */
  generator?: Generator;
  /** Makes a batch out of samples (default defaultCollate). */
  collate?: (samples: T[]) => B;
  /** Applied to each sample before collating; `g` is the loader's per-epoch generator. */
  transform?: (sample: T, g: Generator) => T;
  /** Applied to each collated batch; `g` is the loader's per-epoch generator. */
  batchTransform?: (batch: B, g: Generator) => B;
}

const LOADER_OPTIONS: Spec = {
  batchSize: 'positiveInt',
  shuffle: 'boolean',
  dropLast: 'boolean',
  seed: 'number',
  generator: 'any',
  collate: 'function',
  transform: 'function',
  batchTransform: 'function',
};

/** Where a loader is: epoch, batches of it already delivered, and the transform generator's state. */
export interface DataLoaderState {
  seed: number;
  epoch: number;
  batch: number;
  rng: number[];
}

/** A 32-bit seed mixing the loader seed, the epoch and a stream id (shuffle 0, transforms 1). */
function mixSeed(seed: number, epoch: number, stream: number): number {
  const g = new Generator(seed);
  let h = g.nextUint32();
  h = Math.imul(h ^ (epoch >>> 0), 0x9e3779b1) >>> 0;
  h = Math.imul(h ^ stream, 0x85ebca6b) >>> 0;
  return (h ^ (h >>> 15)) >>> 0;
}

/**
 * Iterates over a dataset in batches. Iterating once is one epoch; the epoch counter then moves
 * on, so `for (const b of loader)` in an outer loop gives a fresh order each time. A loop left
 * early (break) resumes where it stopped at the next iteration: call setEpoch() to restart.
 * When there are no per-sample transforms and no custom collate, a dataset's getBatch fast path
 * is used (TensorDataset gathers rows into one typed array per tensor).
 * @example
 * const loader = new DataLoader(new TensorDataset(x, y), { batchSize: 64, shuffle: true, seed: 1 });
 * for (const [xb, yb] of loader) { ... }
 */
export class DataLoader<T, B = Collated<T>> implements Iterable<B> {
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly seed: number;
  private readonly collate: (samples: T[]) => B;
  private readonly custom: boolean;
  private readonly transform: ((sample: T, g: Generator) => T) | undefined;
  private readonly batchTransform: ((batch: B, g: Generator) => B) | undefined;
  private _epoch = 0;
  private _batch = 0;
  private rng: Generator;

  constructor(
    readonly dataset: Dataset<T>,
    opts: DataLoaderOptions<T, B> = {},
    ...extra: never[]
  ) {
    checkDataset('DataLoader', dataset);
    checkOptions('DataLoader', 2, opts, LOADER_OPTIONS);
    checkRest('DataLoader', extra, 2, 'new DataLoader(dataset, {batchSize, shuffle, ...})');
    if (opts.generator != null && !(opts.generator instanceof Generator))
      throw new TypeError(`DataLoader: option 'generator' must be a Generator, got ${describe(opts.generator)}`);
    this.batchSize = opts.batchSize ?? 1;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1)
      throw new Error(`DataLoader: batchSize must be a positive integer, got ${opts.batchSize}`);
    this.shuffle = opts.shuffle ?? false;
    this.dropLast = opts.dropLast ?? false;
    this.seed = opts.seed ?? (opts.generator ?? defaultGenerator).nextUint32();
    this.custom = opts.collate !== undefined;
    this.collate = opts.collate ?? (defaultCollate as unknown as (s: T[]) => B);
    this.transform = opts.transform;
    this.batchTransform = opts.batchTransform;
    this.rng = new Generator(mixSeed(this.seed, 0, 1));
  }

  /** Batches per epoch. */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** The epoch the current (or next) iteration belongs to. */
  get epoch(): number {
    return this._epoch;
  }

  /** Batches of the current epoch already delivered. */
  get batchInEpoch(): number {
    return this._batch;
  }

  /** Starts epoch e from its first batch at the next iteration (as DistributedSampler.set_epoch). */
  setEpoch(epoch: number): void {
    if (!Number.isInteger(epoch) || epoch < 0) throw new Error(`DataLoader.setEpoch: expected a non-negative integer, got ${epoch}`);
    this._epoch = epoch;
    this._batch = 0;
  }

  /** The sample order of an epoch. */
  order(epoch: number): number[] {
    const n = this.dataset.length;
    if (!this.shuffle) return Array.from({ length: n }, (_, i) => i);
    return randperm(n, new Generator(mixSeed(this.seed, epoch, 0)));
  }

  stateDict(): DataLoaderState {
    return { seed: this.seed, epoch: this._epoch, batch: this._batch, rng: this.rng.getState() };
  }

  /** Restores a position saved by stateDict(); the next iteration continues from there. */
  loadStateDict(s: DataLoaderState): void {
    if (s.seed !== this.seed)
      throw new Error(`DataLoader.loadStateDict: the state was saved with seed ${s.seed}, this loader has seed ${this.seed}`);
    if (s.batch < 0 || s.batch > this.length)
      throw new Error(`DataLoader.loadStateDict: batch ${s.batch} is out of range for ${this.length} batches per epoch`);
    this._epoch = s.epoch;
    this._batch = s.batch;
    this.rng.setState(s.rng);
  }

  /** The batch made of these sample indices (transforms draw from the loader's generator). */
  fetch(indices: readonly number[]): B {
    let batch: B;
    if (!this.transform && !this.custom && this.dataset.getBatch) {
      batch = this.dataset.getBatch(indices) as B;
    } else {
      const samples = indices.map((i) => {
        const s = this.dataset.get(i);
        return this.transform ? this.transform(s, this.rng) : s;
      });
      batch = this.collate(samples);
    }
    return this.batchTransform ? this.batchTransform(batch, this.rng) : batch;
  }

  *[Symbol.iterator](): Iterator<B> {
    const epoch = this._epoch;
    const order = this.order(epoch);
    const nb = this.length;
    if (this._batch === 0) this.rng = new Generator(mixSeed(this.seed, epoch, 1));
    for (let b = this._batch; b < nb; b++) {
      const batch = this.fetch(order.slice(b * this.batchSize, Math.min((b + 1) * this.batchSize, order.length)));
      this._batch = b + 1;
      yield batch;
    }
    this._epoch = epoch + 1;
    this._batch = 0;
  }
}

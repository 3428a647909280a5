/**
 * Observation and action spaces, as Gymnasium names them: {@link Discrete} (the integers
 * 0..n-1) and {@link Box} (a real vector between elementwise bounds). Sampling goes through the
 * project's seeded {@link Generator}, so a seed gives the same samples on every platform.
 */
import type { Generator } from '../tensor/random.js';
import { checkRest, describe } from '../tensor/validate.js';

/** The integers `0, 1, ..., n - 1`. */
export class Discrete {
  readonly n: number;

  constructor(n: number, ...extra: never[]) {
    checkRest('Discrete', extra, 1, 'new Discrete(n)');
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`Discrete: n must be a positive integer, got ${describe(n)}`);
    this.n = n;
  }

  /** Whether `a` is an integer in [0, n). */
  contains(a: unknown): a is number {
    return typeof a === 'number' && Number.isInteger(a) && a >= 0 && a < this.n;
  }

  /** A uniformly drawn element. */
  sample(rng: Generator): number {
    return rng.int(this.n);
  }

  toString(): string {
    return `Discrete(${this.n})`;
  }
}

/**
 * The box `low <= x <= high` in R^d (bounds may be infinite). `low` and `high` are vectors of
 * the same length, or numbers broadcast to `shape`.
 */
export class Box {
  readonly low: Float64Array;
  readonly high: Float64Array;
  readonly shape: number[];

  constructor(
    low: Float64Array | readonly number[] | number,
    high: Float64Array | readonly number[] | number,
    shape?: readonly number[],
    ...extra: never[]
  ) {
    checkRest('Box', extra, 3, 'new Box(low, high, shape?)');
    const isBound = (v: unknown): boolean =>
      typeof v === 'number' || v instanceof Float64Array || (Array.isArray(v) && v.every((e) => typeof e === 'number'));
    if (!isBound(low) || !isBound(high))
      throw new TypeError(`Box: low and high must be numbers or lists of numbers, got ${describe(low)} and ${describe(high)}`);
    if (shape !== undefined && !Array.isArray(shape))
      throw new TypeError(`Box: shape must be a list of positive integers, got ${describe(shape)}`);
    const size = shape
      ? shape.reduce((a, b) => a * b, 1)
      : typeof low === 'number'
        ? typeof high === 'number'
          ? 1
          : high.length
        : low.length;
    if (shape && !shape.every((d) => Number.isInteger(d) && d > 0)) {
      throw new RangeError(`Box: shape must be a list of positive integers, got ${describe(shape)}`);
    }
    const vec = (v: Float64Array | readonly number[] | number, name: string): Float64Array => {
      if (typeof v === 'number') return new Float64Array(size).fill(v);
      if (v.length !== size) throw new RangeError(`Box: ${name} has ${v.length} entries, expected ${size}`);
      return Float64Array.from(v);
    };
    this.low = vec(low, 'low');
    this.high = vec(high, 'high');
    this.shape = shape ? [...shape] : [size];
    for (let i = 0; i < size; i++) {
      if (Number.isNaN(this.low[i]) || Number.isNaN(this.high[i]) || this.low[i]! > this.high[i]!) {
        throw new RangeError(`Box: bound ${i} is [${this.low[i]}, ${this.high[i]}], expected low <= high`);
      }
    }
  }

  /** Number of entries of an element. */
  get size(): number {
    return this.low.length;
  }

  /** Whether `x` is an array of `size` numbers, none NaN, each within its bounds. */
  contains(x: unknown): boolean {
    if (!(x instanceof Float64Array || x instanceof Float32Array || Array.isArray(x))) return false;
    const v = x as ArrayLike<unknown>;
    if (v.length !== this.size) return false;
    for (let i = 0; i < v.length; i++) {
      const e = v[i];
      if (typeof e !== 'number' || Number.isNaN(e) || e < this.low[i]! || e > this.high[i]!) return false;
    }
    return true;
  }

  /**
   * A random element: uniform on a bounded coordinate, low + Exp(1) or high - Exp(1) on a
   * half-bounded one, N(0, 1) on an unbounded one (Gymnasium's Box.sample does the same).
   */
  sample(rng: Generator): Float64Array {
    const out = new Float64Array(this.size);
    for (let i = 0; i < out.length; i++) {
      const lo = this.low[i]!;
      const hi = this.high[i]!;
      const loF = Number.isFinite(lo);
      const hiF = Number.isFinite(hi);
      if (loF && hiF) out[i] = lo + (hi - lo) * rng.random();
      else if (loF) out[i] = lo - Math.log(1 - rng.random());
      else if (hiF) out[i] = hi + Math.log(1 - rng.random());
      else out[i] = rng.normal();
    }
    return out;
  }

  toString(): string {
    const fmt = (v: Float64Array): string =>
      `[${Array.from(v, (x) => (Number.isFinite(x) ? String(Math.round(x * 1e4) / 1e4) : x > 0 ? 'inf' : '-inf')).join(', ')}]`;
    return `Box(${fmt(this.low)}, ${fmt(this.high)}, shape=[${this.shape.join(', ')}])`;
  }
}

/** A space: discrete or a box. */
export type Space = Discrete | Box;

/**
 * Datasets, as torch.utils.data: anything with a length and an indexed get. A dataset may also
 * offer getBatch(indices), a fast path that gathers a whole batch at once (TensorDataset copies
 * rows straight into one typed array per tensor, without a tensor per sample).
 */
import { Tensor } from '../tensor/tensor.js';
import { fmtShape } from '../tensor/shape.js';
import { allocStorage } from '../tensor/dtype.js';
import { Generator, defaultGenerator } from '../tensor/random.js';
import { checkArg, checkRest, checkTensor, describe } from '../tensor/validate.js';

export interface Dataset<T> {
  readonly length: number;
  get(i: number): T;
  /** Optional fast path: the already collated batch of these samples (what the default collate would give). */
  getBatch?(indices: readonly number[]): unknown;
}

function checkIndex(what: string, i: number, n: number): void {
  if (!Number.isInteger(i) || i < 0 || i >= n) throw new Error(`${what}: index ${i} is out of range for a dataset of length ${n}`);
}

/**
 * Row i of each tensor (torch.utils.data.TensorDataset). All tensors share their first dimension.
 * get(i) returns views (no copy); getBatch gathers rows into fresh contiguous tensors.
 * @example new TensorDataset(images, labels).get(0) // [image [1, 28, 28], label []]
 */
export class TensorDataset implements Dataset<Tensor[]> {
  readonly tensors: Tensor[];

  constructor(...tensors: Tensor[]) {
    if (tensors.length === 0) throw new Error('TensorDataset: needs at least one tensor');
    tensors.forEach((t, i) => checkTensor('TensorDataset', t, `argument ${i + 1}`));
    const n = tensors[0]!.shape[0];
    for (const t of tensors) {
      if (t.ndim === 0 || t.shape[0] !== n) {
        throw new Error(
          `TensorDataset: every tensor needs the same first dimension, got ${tensors.map((x) => fmtShape(x.shape)).join(' and ')}`,
        );
      }
    }
    this.tensors = tensors.map((t) => t.contiguous().detach());
  }

  get length(): number {
    return this.tensors[0]!.shape[0]!;
  }

  get(i: number): Tensor[] {
    checkIndex('TensorDataset.get', i, this.length);
    return this.tensors.map((t) => new Tensor(t.storage, t.shape.slice(1), t.strides.slice(1), t.offset + i * t.strides[0]!));
  }

  getBatch(indices: readonly number[]): Tensor[] {
    return this.tensors.map((t) => gatherRows(t, indices));
  }
}

/** Rows `indices` of a contiguous tensor, copied into one new tensor [indices.length, ...]. */
export function gatherRows(t: Tensor, indices: readonly number[], ...extra: never[]): Tensor {
  checkTensor('gatherRows', t);
  checkIndexList('gatherRows', 'argument 2 (indices)', indices);
  checkRest('gatherRows', extra, 2, 'gatherRows(t, indices)');
  const n = t.shape[0]!;
  const row = t.strides[0] ?? 1;
  const src = t.storage;
  const out = allocStorage(t.dtype, indices.length * row);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k]!;
    checkIndex('gatherRows', i, n);
    const from = t.offset + i * row;
    out.set(src.subarray(from, from + row) as never, k * row);
  }
  return new Tensor(out, [indices.length, ...t.shape.slice(1)]);
}

/** The samples of a dataset at the given indices (torch.utils.data.Subset). Keeps the wrapped dataset's fast path. */
export class Subset<T> implements Dataset<T> {
  readonly getBatch?: (indices: readonly number[]) => unknown;

  constructor(
    readonly dataset: Dataset<T>,
    readonly indices: readonly number[],
    ...extra: never[]
  ) {
    checkDataset('Subset', dataset);
    checkIndexList('Subset', 'argument 2 (indices)', indices);
    checkRest('Subset', extra, 2, 'new Subset(dataset, indices)');
    for (const i of indices) checkIndex('Subset', i, dataset.length);
    if (dataset.getBatch) {
      const inner = dataset.getBatch.bind(dataset);
      this.getBatch = (idx) =>
        inner(
          idx.map((i) => {
            checkIndex('Subset.getBatch', i, indices.length);
            return indices[i]!;
          }),
        );
    }
  }

  get length(): number {
    return this.indices.length;
  }

  get(i: number): T {
    checkIndex('Subset.get', i, this.indices.length);
    return this.dataset.get(this.indices[i]!);
  }
}

/** A dataset computed on the fly: get(i) = fn(i). */
export class MapDataset<T> implements Dataset<T> {
  constructor(
    readonly length: number,
    private readonly fn: (i: number) => T,
    ...extra: never[]
  ) {
    checkArg('MapDataset', 'argument 1 (length)', length, 'nonNegativeInt');
    checkArg('MapDataset', 'argument 2 (fn)', fn, 'function');
    checkRest('MapDataset', extra, 2, 'new MapDataset(length, fn)');
  }

  get(i: number): T {
    checkIndex('MapDataset.get', i, this.length);
    return this.fn(i);
  }
}

/** A uniformly random permutation of 0..n-1 (Fisher-Yates on the generator). */
export function randperm(n: number, generator: Generator = defaultGenerator, ...extra: never[]): number[] {
  checkArg('randperm', 'argument 1 (n)', n, 'nonNegativeInt');
  checkGenerator('randperm', generator);
  checkRest('randperm', extra, 2, 'randperm(n, generator?)');
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = generator.int(0, i + 1);
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}

/**
 * Splits a dataset into non-overlapping random subsets (torch.utils.data.random_split).
 * `lengths` are sizes summing to the dataset length, or fractions summing to 1; fractions are
 * floored and the remainder handed out one by one from the first subset on, as PyTorch does.
 * @example const [train, val] = randomSplit(ds, [0.9, 0.1], new Generator(42))
 */
export function randomSplit<T>(
  dataset: Dataset<T>,
  lengths: readonly number[],
  generator: Generator = defaultGenerator,
  ...extra: never[]
): Subset<T>[] {
  checkDataset('randomSplit', dataset);
  if (!Array.isArray(lengths) || !lengths.every((x) => typeof x === 'number'))
    throw new TypeError(`randomSplit: argument 2 (lengths) must be a list of sizes or fractions, got ${describe(lengths)}`);
  checkGenerator('randomSplit', generator);
  checkRest('randomSplit', extra, 3, 'randomSplit(dataset, lengths, generator?)');
  const n = dataset.length;
  let sizes = [...lengths];
  const total = sizes.reduce((a, b) => a + b, 0);
  const fractions = sizes.every((x) => x >= 0 && x <= 1) && Math.abs(total - 1) < 1e-6 && total !== n;
  if (fractions) {
    sizes = sizes.map((f) => Math.floor(n * f));
    let rest = n - sizes.reduce((a, b) => a + b, 0);
    for (let i = 0; rest > 0; i = (i + 1) % sizes.length, rest--) sizes[i]! += 1;
  } else {
    if (sizes.some((x) => !Number.isInteger(x) || x < 0)) {
      throw new Error(`randomSplit: lengths must be non-negative integers or fractions summing to 1, got [${lengths.join(', ')}]`);
    }
    if (total !== n) throw new Error(`randomSplit: lengths [${lengths.join(', ')}] sum to ${total}, the dataset has ${n} samples`);
  }
  const perm = randperm(n, generator);
  const out: Subset<T>[] = [];
  let at = 0;
  for (const s of sizes) {
    out.push(new Subset(dataset, perm.slice(at, at + s)));
    at += s;
  }
  return out;
}

/** Checks that `v` looks like a Dataset (a length and get(i)): `Subset: argument 1 (dataset) must be a Dataset ...`. */
export function checkDataset(fn: string, v: unknown, name = 'argument 1 (dataset)'): void {
  const d = v as Dataset<unknown> | null;
  if (typeof d !== 'object' || d === null || typeof d.get !== 'function' || !Number.isInteger(d.length)) {
    throw new TypeError(`${fn}: ${name} must be a Dataset (an object with length and get(i)), got ${describe(v)}`);
  }
}

function checkIndexList(fn: string, name: string, v: unknown): void {
  if (!Array.isArray(v) || !v.every((i) => Number.isInteger(i)))
    throw new TypeError(`${fn}: ${name} must be a list of integer indices, got ${describe(v)}`);
}

function checkGenerator(fn: string, g: unknown): void {
  if (!(g instanceof Generator)) throw new TypeError(`${fn}: generator must be a Generator, got ${describe(g)}`);
}

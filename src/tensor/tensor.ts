/**
 * The Tensor: a storage owned by one backend (its `device`) seen through shape, strides and an
 * offset, so that reshape, transpose, permute, expand and slicing are views without copies.
 * Autograd state (requiresGrad, grad, gradFn) lives here too; ops/methods.ts adds the op methods
 * to the prototype, which keeps this module free of import cycles.
 *
 * Reading values: `await t.read()` / `await t.array()` work on every backend; the synchronous
 * `t.data`, `toArray()`, `toList()` and `item()` need a backend with host memory ('cpu', 'wasm').
 */
import { type DType, type StorageFor, dtypeOfStorage, isFloat } from './dtype.js';
import { type Shape, checkShape, contiguousStrides, fmtShape, numel, tooManyElements } from './shape.js';
import { type Backend, findBackend, getBackend, isDense } from '../backend/index.js';
import { Node, record } from '../autograd/node.js';
import { formatTensor } from './print.js';

export type NestedArray = number | boolean | NestedArray[];

export class Tensor<D extends DType = DType> {
  readonly storage: StorageFor[D];
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
  readonly dtype: D;
  /** The backend that owns the storage ('cpu', 'wasm', ...); ops run there. Move with `to(device)`. */
  readonly device: string;
  /** Whether gradients flow to this tensor. Set on leaves by the user, on op outputs by autograd. */
  requiresGrad = false;
  /** Accumulated gradient (leaves, or non-leaves after retainGrad()). */
  grad: Tensor | null = null;
  /** The op that produced this tensor, or null for a leaf. */
  gradFn: Node | null = null;

  /** A view on `storage`, which `device` owns (the current backend when omitted). */
  constructor(storage: StorageFor[D], shape: Shape, strides?: readonly number[], offset = 0, device?: string) {
    this.storage = storage;
    this.shape = Object.freeze([...shape]);
    this.strides = Object.freeze(strides ? [...strides] : contiguousStrides(shape));
    this.offset = offset;
    this.dtype = dtypeOfStorage(storage) as D;
    this.device = device ?? getBackend().name;
  }

  /**
   * A fresh contiguous tensor of the given dtype and shape, filled with zeros, on `device` (default:
   * the current backend). `op` names the caller in the error for a bad shape or one too large to
   * allocate.
   */
  static empty<D extends DType>(shape: Shape, dtype: D, device?: string, op = 'Tensor.empty'): Tensor<D> {
    const be = device === undefined ? getBackend() : findBackend(device);
    const n = checkShape(op, shape);
    let storage: StorageFor[D];
    try {
      storage = be.allocate(dtype, n) as StorageFor[D];
    } catch (e) {
      if (e instanceof RangeError) throw tooManyElements(op, shape, n, `${dtype}: ${e.message}`);
      throw e;
    }
    return new Tensor<D>(storage, shape, undefined, 0, be.name);
  }

  /** The backend that owns this tensor's storage. */
  get backend(): Backend {
    return findBackend(this.device);
  }

  get ndim(): number {
    return this.shape.length;
  }

  /** Number of elements. */
  numel(): number {
    return numel(this.shape);
  }

  /** The shape, or the size of one dim (negative dims count from the end). */
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number[] | number {
    if (dim === undefined) return [...this.shape];
    const d = dim < 0 ? dim + this.ndim : dim;
    if (d < 0 || d >= this.ndim) throw new Error(`size: dim ${dim} out of range for shape ${fmtShape(this.shape)}`);
    return this.shape[d]!;
  }

  /** A tensor is a leaf when no recorded op produced it. */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  isContiguous(): boolean {
    return isDense(this.shape, this.strides);
  }

  /** This tensor if already row-major dense, otherwise a dense copy (gradient passes straight through). */
  contiguous(): Tensor<D> {
    if (this.isContiguous()) return this;
    const out = Tensor.empty(this.shape, this.dtype, this.device);
    this.backend.copy(this, out.storage);
    return record('contiguous', [this], out, (g) => [g], false);
  }

  /** The backend, when its memory can be read synchronously; otherwise an error naming the asynchronous read. */
  private hostBackend(what: string): Backend {
    const be = this.backend;
    if (!be.hostMemory) {
      throw new Error(
        `${what}: this tensor lives on '${this.device}', whose memory cannot be read synchronously: use await t.read() or await t.array() (they work on every backend)`,
      );
    }
    return be;
  }

  /**
   * The elements in row-major order as a typed array, for tensors on a host backend ('cpu',
   * 'wasm'). For a contiguous tensor this is a live view of the storage (writes go through); for
   * a non-contiguous view it is a fresh copy. On a device backend, use `await t.read()`.
   */
  get data(): StorageFor[D] {
    const be = this.hostBackend('Tensor.data');
    return be.read(be.dense(this)) as StorageFor[D];
  }

  /**
   * The elements in row-major order as a fresh host typed array, on every backend (device memory
   * is copied back when the device is done). `await t.read()` is the portable form of `t.data`.
   */
  async read(): Promise<StorageFor[D]> {
    const be = this.backend;
    const dense = be.dense(this);
    const host = await be.readAsync(dense);
    // A host backend hands back its storage (or a window on it): copy, so the result never aliases the tensor.
    return (be.hostMemory ? host.slice() : host) as StorageFor[D];
  }

  /** Nested JS arrays of numbers (booleans for bool tensors), on every backend: the asynchronous toArray(). */
  async array(): Promise<NestedArray> {
    return this.nest(await this.read());
  }

  /** The value of a one-element tensor as a JS number (host backends; `(await t.read())[0]` otherwise). */
  item(): number {
    if (this.numel() !== 1) {
      throw new Error(`item: only one-element tensors can be converted to a number, got shape ${fmtShape(this.shape)}`);
    }
    return this.hostBackend('item').read(this.storage)[this.offset]!;
  }

  /** Nested JS arrays of numbers (booleans for bool tensors), for tensors on a host backend; `await t.array()` otherwise. */
  toArray(): NestedArray {
    this.hostBackend('toArray');
    return this.nest(this.data);
  }

  private nest(flat: ArrayLike<number>): NestedArray {
    const asValue = (v: number): number | boolean => (this.dtype === 'bool' ? v !== 0 : v);
    if (this.ndim === 0) return asValue(flat[0]!);
    let i = 0;
    const build = (d: number): NestedArray[] => {
      const n = this.shape[d]!;
      const out: NestedArray[] = new Array(n);
      for (let k = 0; k < n; k++) out[k] = d === this.ndim - 1 ? asValue(flat[i++]!) : build(d + 1);
      return out;
    };
    return build(0);
  }

  /** Flat JS number array of the elements in row-major order. */
  toList(): number[] {
    return Array.from(this.data as ArrayLike<number>);
  }

  /** A tensor sharing storage with this one but cut from the graph. */
  detach(): Tensor<D> {
    return new Tensor<D>(this.storage, this.shape, this.strides, this.offset, this.device);
  }

  /** Sets requiresGrad on a leaf (in place), as torch's requires_grad_(). */
  requiresGrad_(flag = true): this {
    if (!this.isLeaf && !flag) {
      throw new Error('requiresGrad_: cannot turn off requiresGrad on a non-leaf tensor; use detach()');
    }
    if (flag && !isFloat(this.dtype)) {
      throw new Error(`requiresGrad_: only floating point tensors can require gradients, got ${this.dtype}`);
    }
    this.requiresGrad = flag;
    return this;
  }

  /** Keeps .grad on a non-leaf tensor after backward. */
  retainGrad(): this {
    if (!this.requiresGrad) throw new Error('retainGrad: called on a tensor that does not require grad');
    if (this.gradFn) this.gradFn.retained = this;
    return this;
  }

  toString(): string {
    return formatTensor(this);
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

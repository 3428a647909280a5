/**
 * The Tensor: a typed-array storage seen through shape, strides and an offset, so that reshape,
 * transpose, permute, expand and slicing are views without copies. Autograd state (requiresGrad,
 * grad, gradFn) lives here too; the ops and the engine add their methods to the prototype from
 * their own files (see src/ops), which keeps this module free of import cycles.
 */
import { type DType, type StorageFor, allocStorage, dtypeOfStorage, isFloat } from './dtype.js';
import { type Shape, checkShape, contiguousStrides, fmtShape, numel, tooManyElements } from './shape.js';
import { copyStrided, isDense } from '../backend/cpu/strided.js';
import { Node, record } from '../autograd/node.js';
import { formatTensor } from './print.js';

export type NestedArray = number | boolean | NestedArray[];

export class Tensor<D extends DType = DType> {
  readonly storage: StorageFor[D];
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
  readonly dtype: D;
  /** Whether gradients flow to this tensor. Set on leaves by the user, on op outputs by autograd. */
  requiresGrad = false;
  /** Accumulated gradient (leaves, or non-leaves after retainGrad()). */
  grad: Tensor | null = null;
  /** The op that produced this tensor, or null for a leaf. */
  gradFn: Node | null = null;

  constructor(storage: StorageFor[D], shape: Shape, strides?: readonly number[], offset = 0) {
    this.storage = storage;
    this.shape = Object.freeze([...shape]);
    this.strides = Object.freeze(strides ? [...strides] : contiguousStrides(shape));
    this.offset = offset;
    this.dtype = dtypeOfStorage(storage) as D;
  }

  /**
   * A fresh contiguous tensor of the given dtype and shape, filled with zeros. `op` names the
   * caller in the error for a bad shape or one too large to allocate.
   */
  static empty<D extends DType>(shape: Shape, dtype: D, op = 'Tensor.empty'): Tensor<D> {
    const n = checkShape(op, shape);
    let storage: StorageFor[D];
    try {
      storage = allocStorage(dtype, n);
    } catch (e) {
      if (e instanceof RangeError) throw tooManyElements(op, shape, n, `${dtype}: ${e.message}`);
      throw e;
    }
    return new Tensor<D>(storage, shape);
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
    const out = Tensor.empty(this.shape, this.dtype);
    copyStrided(this.storage, this.shape, this.strides, this.offset, out.storage);
    return record('contiguous', [this], out, (g) => [g], false);
  }

  /**
   * The elements in row-major order as a typed array. For a contiguous tensor this is a live view
   * of the storage (writes go through); for a non-contiguous view it is a fresh copy.
   */
  get data(): StorageFor[D] {
    const n = this.numel();
    if (this.isContiguous()) return this.storage.subarray(this.offset, this.offset + n) as StorageFor[D];
    const out = allocStorage(this.dtype, n);
    copyStrided(this.storage, this.shape, this.strides, this.offset, out);
    return out;
  }

  /** The value of a one-element tensor as a JS number. */
  item(): number {
    if (this.numel() !== 1) {
      throw new Error(`item: only one-element tensors can be converted to a number, got shape ${fmtShape(this.shape)}`);
    }
    return this.storage[this.offset]!;
  }

  /** Nested JS arrays of numbers (booleans for bool tensors). */
  toArray(): NestedArray {
    const flat = this.data;
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
    return new Tensor<D>(this.storage, this.shape, this.strides, this.offset);
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

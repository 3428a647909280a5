/**
 * The backend interface: the one seam between ops and kernels (DESIGN.md, convention 3).
 *
 * A backend owns storage (allocate, read, write, copy) and implements the primitive kernels:
 * named elementwise maps, GEMM, convolution, pooling, reductions, gather/scatter, softmax, the
 * fused normalisation and recurrent layers. Ops reach kernels only through `backendOf(...)` (the
 * backend of their operands) and never index a storage themselves, so a backend whose memory is
 * not a JS typed array (WebGPU buffers) can plug in here. No autograd, no Tensor: kernels see
 * strided views (`View`) and plans made of plain numbers.
 *
 * Registered: 'cpu' (cpu/backend.ts: the JS reference kernels, the oracle every fast path is
 * tested against) and 'wasm' (wasm/backend.ts: WebAssembly SIMD kernels that fall back to the
 * reference for float64, integer dtypes and small sizes). Both keep host typed arrays as storage,
 * so a host tensor's `.data` is a view without copies. The default is 'wasm', or the
 * `SHINSOU_BACKEND` environment variable in Node.
 *
 * Storage type. `Backend<S>` is generic in its storage handle. The two host backends use
 * `Storage` (typed arrays); the Tensor class still types its storage as that host type, which a
 * device backend (webgpu/) will widen to its own handle.
 */
import type { DType, Storage } from '../tensor/dtype.js';
import type { Shape } from '../tensor/shape.js';
import type { ConvGeom } from './cpu/conv.js';
import type { WindowPlan } from './cpu/pool.js';
import type { ReducePlan } from './cpu/reduce.js';
import type { ArgReduceResult } from './cpu/argreduce.js';
import type { NormLayout } from './norm.js';
import type { GruGrads, GruSaved, LstmDims, LstmGrads, LstmSaved } from './rnn.js';
import { envVar } from './wasm/loader.js';

export type { ConvGeom, WindowPlan, ReducePlan, ArgReduceResult, NormLayout, LstmDims, LstmSaved, LstmGrads, GruSaved, GruGrads };

/** A strided window on a storage (Tensor satisfies it): element i of the row-major walk of `shape`. */
export interface View<S = Storage> {
  readonly storage: S;
  readonly shape: Shape;
  readonly strides: readonly number[];
  readonly offset: number;
}

/**
 * Elementwise kernels with one input, by name. Parameters (`params`) by kernel:
 * clamp [lo, hi], clampMask [lo, hi] (1 where lo <= x <= hi), hardtanh [lo, hi],
 * hardtanhMask [lo, hi] (1 where lo < x < hi), leakyRelu [slope], elu [alpha],
 * softplus [beta, threshold], round [decimals, float32 ? 1 : 0].
 */
export type UnaryKernel =
  | 'abs'
  | 'ceil'
  | 'clamp'
  | 'clampMask'
  | 'cos'
  | 'elu'
  | 'erf'
  | 'exp'
  | 'expm1'
  | 'floor'
  | 'gelu'
  | 'geluTanh'
  | 'hardtanh'
  | 'hardtanhMask'
  | 'leakyRelu'
  | 'log'
  | 'log1p'
  | 'logicalNot'
  | 'neg'
  | 'reciprocal'
  | 'relu'
  | 'round'
  | 'rsqrt'
  | 'sigmoid'
  | 'sign'
  | 'silu'
  | 'sin'
  | 'softplus'
  | 'sqrt'
  | 'square'
  | 'tanh';

/** Elementwise kernels with two (broadcast) inputs, by name; comparisons and logical ops write 0/1. */
export type BinaryKernel =
  'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum' | 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le' | 'logicalAnd' | 'logicalOr';

/** In-place updates dst = op(dst, src) (the in-place methods add_, copy_, clamp_, ...): add/sub take [alpha], clamp [lo, hi]. */
export type InplaceKernel = 'add' | 'sub' | 'mul' | 'div' | 'copy' | 'clamp';

/** The fused activation gradients: g * f'(v) from the saved input (relu) or output (sigmoid, tanh). */
export type ActivationGradKernel = 'relu' | 'sigmoid' | 'tanh';

/** A batch of row-major products C (+)= op(A) op(B) with shared sizes; item i reads A at offsA[i], B at offsB[i], writes C at offsC[i]. */
export interface GemmBatch<S = Storage> {
  transA: boolean;
  transB: boolean;
  M: number;
  N: number;
  K: number;
  A: S;
  offsA: ArrayLike<number>;
  lda: number;
  B: S;
  offsB: ArrayLike<number>;
  ldb: number;
  C: S;
  offsC: ArrayLike<number>;
  ldc: number;
  /** C += A·B instead of C = A·B. */
  accumulate?: boolean;
}

export interface Backend<S = Storage> {
  /** The device name a tensor reports (`t.device`) and `setBackend` takes. */
  readonly name: string;
  /** Whether storage is host memory readable synchronously (`t.data`, `toArray()`, `item()`). */
  readonly hostMemory: boolean;

  // ---- storage -------------------------------------------------------------------------------
  /** A fresh zero-filled storage of n elements. */
  allocate(dtype: DType, n: number): S;
  /** The storage as a host typed array without waiting; host backends only (device ones throw). */
  read(storage: S): Storage;
  /** The storage as a host typed array (a copy for device memory); works on every backend. */
  readAsync(storage: S): Promise<Storage>;
  /** storage[offset + i] = values[i]. */
  write(storage: S, values: ArrayLike<number>, offset?: number): void;
  /** Every element of the storage = value. */
  fill(storage: S, value: number): void;
  /** dst (dense, from index 0) = the view's elements in row-major order, converted to dst's dtype (to bool: x != 0). */
  copy(src: View<S>, dst: S): void;
  /** The view's elements as a dense storage from index 0: the storage itself (or a window on it) when already dense. */
  dense(src: View<S>): S;
  /** dst[view] = src[view] for two strided views of `shape`. */
  copyView(src: View<S>, dst: View<S>): void;
  /** dst[view] += src[view] for two strided views of `shape` (float dst). */
  addView(src: View<S>, dst: View<S>): void;

  // ---- elementwise ---------------------------------------------------------------------------
  /** out (dense) = op(x); see UnaryKernel for params. */
  unary(op: UnaryKernel, x: View<S>, out: S, params?: readonly number[]): void;
  /** out (dense, `shape`) = op(a, b); a and b carry strides already broadcast to `shape` (0 on broadcast dims). */
  binary(op: BinaryKernel, a: View<S>, b: View<S>, shape: Shape, out: S): void;
  /** out = cond ? a : b; operands carry strides broadcast to `shape`. */
  where(cond: View<S>, a: View<S>, b: View<S>, shape: Shape, out: S): void;
  /** dst[i] = op(dst[i], src[i]) over the view dst (src aligned to dst's shape, or a number), converted to dst's dtype. */
  update(op: InplaceKernel, dst: View<S>, src: View<S> | number, params?: readonly number[]): void;
  /** out = g * f'(v) for one shape (float32 results rounded as the composed ops round). */
  activationGrad(op: ActivationGradKernel, g: View<S>, v: View<S>, out: S): void;

  // ---- linear algebra and convolution --------------------------------------------------------
  gemm(g: GemmBatch<S>): void;
  /** y = conv(x, w) + b, dense NCHW (see cpu/conv.ts for the geometry). */
  convForward(x: S, w: S, b: S | null, y: S, g: ConvGeom): void;
  /** gx = the adjoint of conv(., w) applied to gy. */
  convBackwardInput(gy: S, w: S, gx: S, g: ConvGeom): void;
  /** gw = d<gy, conv(x, w)>/dw. */
  convBackwardWeight(x: S, gy: S, gw: S, g: ConvGeom): void;

  // ---- pooling over stacks of planes [planes, H, W] (cpu/pool.ts) ---------------------------
  maxPool(x: S, planes: number, plan: WindowPlan, values: S, indices: S): void;
  windowMean(x: S, planes: number, plan: WindowPlan, out: S): void;
  windowMeanBackward(g: S, planes: number, plan: WindowPlan, gx: S): void;
  gatherPlanes(src: S, idx: S, planes: number, inner: number, outer: number, out: S): void;
  scatterPlanes(src: S, idx: S, planes: number, inner: number, outer: number, out: S): void;
  scatterAddPlanes(src: S, idx: S, planes: number, inner: number, outer: number, out: S): void;

  // ---- reductions ----------------------------------------------------------------------------
  /** out (dense, keptShape of the plan) = the float64-accumulated sum of x over the sorted `dims`. */
  sum(x: View<S>, dims: readonly number[], out: S): void;
  /** max/min with its position in each reduced group (first NaN wins, ties keep the first). */
  argReduce(x: S, plan: ReducePlan, mode: 'max' | 'min'): ArgReduceResult;
  /** out[o] = the product of each reduced group. */
  prod(x: S, plan: ReducePlan, out: S): void;
  /** Running sums along the lines of inPlan, written along outPlan's lines. */
  cumsum(x: S, inPlan: ReducePlan, out: S, outPlan: ReducePlan): void;
  /** out[o] = log sum_k exp(x[bases[o] + rel[k]]), stable. */
  logsumexp(x: S, plan: ReducePlan, out: S): void;
  /** Softmax (or log-softmax) along the lines of inPlan, written along outPlan's lines. */
  softmax(x: S, inPlan: ReducePlan, out: S, outPlan: ReducePlan, log: boolean): void;

  // ---- gather / scatter (dense operands; cpu/indexing.ts) -----------------------------------
  gather(x: S, xShape: Shape, dim: number, index: ArrayLike<number>, idxShape: Shape, out: S): void;
  scatter(
    out: S,
    outShape: Shape,
    dim: number,
    index: ArrayLike<number>,
    idxShape: Shape,
    src: S | number,
    srcShape: Shape,
    accumulate: boolean,
  ): void;
  indexSelect(x: S, xShape: Shape, dim: number, index: ArrayLike<number>, out: S): void;
  indexAdd(out: S, outShape: Shape, dim: number, index: ArrayLike<number>, src: S, alpha: number): void;

  // ---- fused layers --------------------------------------------------------------------------
  /** Layer / batch / instance / group normalisation statistics and output (norm.ts). */
  normForward(x: S, layout: NormLayout, eps: number): { y: S; mean: S; variance: S; rstd: S };
  normBackward(gy: S, xhat: S, rstd: S, layout: NormLayout): S;
  lstmForward(dtype: 'float32' | 'float64', d: LstmDims, xp: S, h0: S, c0: S, wHh: S): LstmSaved<S>;
  lstmBackward(dtype: 'float32' | 'float64', d: LstmDims, saved: LstmSaved<S>, ghc: S, h0: S, c0: S, wHh: S): LstmGrads<S>;
  gruForward(dtype: 'float32' | 'float64', d: LstmDims, xp: S, h0: S, wHh: S, bHh: S): GruSaved<S>;
  gruBackward(dtype: 'float32' | 'float64', d: LstmDims, saved: GruSaved<S>, gout: S, h0: S, wHh: S): GruGrads<S>;
}

const registry = new Map<string, Backend>();
let current: Backend | null = null;
let defaultName = 'wasm';
let lastName = '';
let lastBackend: Backend | null = null;

/** Makes a backend available to setBackend and to `t.to(name)`; a second registration under one name replaces the first. */
export function registerBackend(b: Backend): void {
  if (typeof b !== 'object' || b === null || Array.isArray(b)) {
    throw new Error(
      `registerBackend: argument 1 must be a backend object {name, hostMemory, allocate, ...}, got ${typeof b === 'object' ? JSON.stringify(b) : String(b)}`,
    );
  }
  if (typeof b.name !== 'string' || !/^[a-z][a-z0-9-]*$/.test(b.name)) {
    throw new Error(`registerBackend: name must be a lower-case word such as 'webgpu', got ${JSON.stringify(b.name) ?? String(b.name)}`);
  }
  if (typeof b.hostMemory !== 'boolean') {
    throw new Error(`registerBackend: backend '${b.name}': hostMemory must be true or false, got ${String(b.hostMemory)}`);
  }
  // The reference backend (registered first) defines what a backend provides: every one of its
  // functions must exist on the new one, so a missing kernel fails here and not in the middle of an op.
  const reference = registry.get('cpu');
  if (reference) {
    for (const [key, v] of Object.entries(reference)) {
      if (typeof v === 'function' && typeof (b as unknown as Record<string, unknown>)[key] !== 'function') {
        throw new Error(
          `registerBackend: backend '${b.name}' lacks '${key}' (a backend provides every function of the reference 'cpu' backend)`,
        );
      }
    }
  }
  registry.set(b.name, b);
  lastBackend = null;
}

/** The names of the registered backends, in registration order. */
export function listBackends(): string[] {
  return [...registry.keys()];
}

/** The registered backend of that name; throws naming the registered ones otherwise. */
export function findBackend(name: string): Backend {
  // Every op asks for its operands' backend: the last answer is kept (tensors carry interned names).
  if (name === lastName && lastBackend !== null) return lastBackend;
  const b = registry.get(name);
  if (!b)
    throw new Error(
      `backend '${name}' is not registered; registered backends: ${listBackends()
        .map((n) => `'${n}'`)
        .join(', ')}`,
    );
  lastName = name;
  lastBackend = b;
  return b;
}

/**
 * Chooses the backend that creation functions allocate on from now on. Existing tensors stay on
 * their device (move one with `t.to(name)`). Returns the previous backend's name.
 */
export function setBackend(name: string): string {
  const prev = getBackend().name;
  current = findBackend(name);
  return prev;
}

/** The backend new tensors are created on. */
export function getBackend(): Backend {
  if (current === null) {
    const env = envVar('SHINSOU_BACKEND');
    current = findBackend(env !== undefined && env !== '' ? env : defaultName);
  }
  return current;
}

/** Sets the name getBackend starts from when setBackend was not called (the registration module uses it). */
export function setDefaultBackend(name: string): void {
  defaultName = name;
}

/** Something that lives on a device (a Tensor). */
export interface OnDevice {
  readonly device: string;
}

/**
 * The backend that runs `op` on these operands: their common device. Operands on two devices
 * are an error naming the op and both devices, as in PyTorch; moving is explicit (`t.to(...)`).
 * Numbers (scalar operands) are skipped; with no tensor at all, the current backend.
 */
export function backendOf(op: string, ...xs: readonly (OnDevice | number | null | undefined)[]): Backend {
  let dev: string | undefined;
  for (const x of xs) {
    if (x === null || typeof x !== 'object') continue; // numbers are scalars: they go anywhere
    if (dev === undefined) dev = x.device;
    else if (x.device !== dev) {
      throw new Error(
        `${op}: expected all tensors on one device, got '${dev}' and '${x.device}'; move one explicitly with .to('${dev}') or .to('${x.device}')`,
      );
    }
  }
  return dev === undefined ? getBackend() : findBackend(dev);
}

/**
 * Int8 kernel dispatch for quantized inference (src/compress). One entry point per kernel, routed
 * to the WebAssembly SIMD kernels (src/backend/wasm/assembly/qgemm.ts) when they are loaded and to
 * the JS reference (src/backend/cpu/quant.ts) otherwise. All paths give the same bits:
 *   - the relaxed-SIMD dot product (i32x4.relaxed_dot_i8x16_i7x16_add_s) when the module has relaxed
 *     SIMD and the caller promises activations in [0, 127] (xMax <= 127 and xMin >= 0);
 *   - else the widening i16x8 dot product (plain SIMD);
 *   - else, or for products too small to pay for the copies, the reference.
 * Large products split their rows over the worker pool (whole rows, so no sum changes order; the
 * integer sums would not care anyway).
 */
import { im2colNhwcRef, qgemmRef, qmaxPoolNhwcRef, quantizeNhwcRef, type QConvGeom, type QGemmArgs } from './cpu/quant.js';
import { arena, heapF32, heapI32, heapU8, wasmKernels } from './wasm/loader.js';
import { availableThreads, runParallel } from './wasm/pool.js';

export {
  nearestEven,
  requantizeRef,
  qgemmRef,
  im2colNhwcRef,
  qmaxPoolNhwcRef,
  quantizeNhwcRef,
  type QGemmArgs,
  type QConvGeom,
} from './cpu/quant.js';

/** Size thresholds (multiply-adds per call); tests lower them to reach every path on small shapes. */
export const quantTuning = {
  /** Below this the reference is used. */
  wasmMinMacs: 256,
  /** Below this one thread is faster than waking the pool. */
  parallelMinMacs: 1 << 18,
  /** Below this many elements max pooling and input quantization stay in JS. */
  wasmMinElements: 1024,
  /** false forbids the relaxed dot product (tests use it to compare both paths). */
  allowDot7: true,
};

/** Activation range the caller guarantees for X (its quantization grid), deciding whether the 7-bit dot product is exact. */
export interface XRange {
  xMin: number;
  xMax: number;
}

function stageI8(a: Int8Array, off: number, len: number): number {
  const p = arena.alloc(Math.max(len, 1));
  heapU8().set(new Uint8Array(a.buffer, a.byteOffset + off, len), p);
  return p;
}

function dot7For(r: XRange): number {
  const k = wasmKernels();
  return quantTuning.allowDot7 && k?.variant === 'relaxed' && r.xMin >= 0 && r.xMax <= 127 && relaxedDotExact(k) ? 1 : 0;
}

/**
 * Relaxed SIMD is new in engines (Node 20 has it behind a flag); the first time a module would use
 * the 7-bit dot product, one small product is checked against the reference, and a mismatch keeps
 * that module on the widening path. Cached per module.
 */
const dotChecked = new WeakMap<object, boolean>();
function relaxedDotExact(k: NonNullable<ReturnType<typeof wasmKernels>>): boolean {
  const known = dotChecked.get(k.exports);
  if (known !== undefined) return known;
  const M = 4;
  const N = 8;
  const K = 48;
  const x = Int8Array.from({ length: M * K }, (_, i) => (i * 37 + 11) % 128);
  const w = Int8Array.from({ length: N * K }, (_, i) => ((i * 53 + 7) % 255) - 127);
  const bias = Int32Array.from({ length: N }, (_, i) => 100 * i - 300);
  const scale = new Float32Array(N).fill(1);
  const args = { M, N, K, x, xOff: 0, ldx: K, w, wOff: 0, ldw: K, bias, scale, zOut: 0, qmin: 0, qmax: 0, outOff: 0, ldo: N };
  const want = new Float32Array(M * N);
  qgemmRef({ ...args, out: want });
  arena.reset();
  const pX = stageI8(x, 0, x.length);
  const pW = stageI8(w, 0, w.length);
  const { pBias, pScale } = stageParams(bias, scale);
  const pY = arena.alloc(M * N * 4);
  k.exports.qgemm(M, N, K, pX, K, pW, K, pY, N, pBias, pScale, 0, 0, 0, 1, 1);
  const got = heapF32().subarray(pY >> 2, (pY >> 2) + M * N);
  const ok = want.every((v, i) => v === got[i]);
  dotChecked.set(k.exports, ok);
  return ok;
}

/** Splits rows [0, M) into `threads` runs of even length and runs `job(r0, r1)` on each. */
function rowJobs(M: number, threads: number, job: (r0: number, r1: number) => number[]): number[][] {
  const chunk = Math.ceil(M / threads / 2) * 2;
  const jobs: number[][] = [];
  for (let r0 = 0; r0 < M; r0 += chunk) jobs.push(job(r0, Math.min(M, r0 + chunk)));
  return jobs;
}

/** Runs the product on operands already in kernel memory (byte addresses; Y int8 or f32 by outFloat). */
function qgemmResident(
  M: number,
  N: number,
  K: number,
  pX: number,
  ldx: number,
  pW: number,
  ldw: number,
  pY: number,
  ldo: number,
  pBias: number,
  pScale: number,
  g: { zOut: number; qmin: number; qmax: number },
  dot7: number,
  outFloat: number,
): void {
  const threads = M * N * K >= quantTuning.parallelMinMacs ? Math.min(availableThreads(), Math.ceil(M / 2)) : 1;
  const ysize = outFloat ? 4 : 1;
  runParallel(
    'qgemm',
    rowJobs(M, threads, (r0, r1) => [
      r1 - r0,
      N,
      K,
      pX + r0 * ldx,
      ldx,
      pW,
      ldw,
      pY + r0 * ldo * ysize,
      ldo,
      pBias,
      pScale,
      g.zOut,
      g.qmin,
      g.qmax,
      dot7,
      outFloat,
    ]),
  );
}

function stageParams(bias: Int32Array, scale: Float32Array): { pBias: number; pScale: number } {
  const pBias = arena.alloc(bias.length * 4);
  heapI32().set(bias, pBias >> 2);
  const pScale = arena.alloc(scale.length * 4);
  heapF32().set(scale, pScale >> 2);
  return { pBias, pScale };
}

function readBack(out: Int8Array | Float32Array, outOff: number, pY: number, len: number): void {
  if (out instanceof Float32Array) out.set(heapF32().subarray(pY >> 2, (pY >> 2) + len), outOff);
  else out.set(new Int8Array(heapU8().buffer, pY, len), outOff);
}

/**
 * Y = requant(bias + X W^T): see QGemmArgs (src/backend/cpu/quant.ts). `range` is the grid X was
 * quantized to; it only chooses the dot product, never the result.
 */
export function qgemm(g: QGemmArgs, range: XRange): void {
  const { M, N, K } = g;
  if (M === 0 || N === 0) return;
  if (wasmKernels() === null || M * N * K < quantTuning.wasmMinMacs) {
    qgemmRef(g);
    return;
  }
  try {
    const dot7 = dot7For(range); // before staging: its first call runs a probe in the arena
    arena.reset();
    const pX = stageI8(g.x, g.xOff, (M - 1) * g.ldx + K);
    const pW = stageI8(g.w, g.wOff, (N - 1) * g.ldw + K);
    const { pBias, pScale } = stageParams(g.bias, g.scale);
    const outFloat = g.out instanceof Float32Array ? 1 : 0;
    const len = (M - 1) * g.ldo + N;
    const pY = arena.alloc(len * (outFloat ? 4 : 1));
    if (g.ldo !== N) readIn(g.out, g.outOff, pY, len);
    qgemmResident(M, N, K, pX, g.ldx, pW, g.ldw, pY, g.ldo, pBias, pScale, g, dot7, outFloat);
    readBack(g.out, g.outOff, pY, len);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e; // out of kernel memory: the reference
    qgemmRef(g);
  }
}

/** Gaps between output rows are read back whole, so they must hold their current values. */
function readIn(out: Int8Array | Float32Array, outOff: number, pY: number, len: number): void {
  if (out instanceof Float32Array) heapF32().set(out.subarray(outOff, outOff + len), pY >> 2);
  else heapU8().set(new Uint8Array(out.buffer, out.byteOffset + outOff, len), pY);
}

export interface QConv2dArgs {
  /** NHWC int8 input [N, H, W, C] and its zero point (padding value). */
  x: Int8Array;
  zIn: number;
  geom: QConvGeom;
  /** Weights [O, KH * KW * C] int8 in (kh, kw, c) order. */
  w: Int8Array;
  O: number;
  bias: Int32Array;
  scale: Float32Array;
  zOut: number;
  qmin: number;
  qmax: number;
  /** NHWC output [N, OH, OW, O]: int8, or float32 (dequantized accumulators). */
  out: Int8Array | Float32Array;
}

/** Quantized 2-D convolution on NHWC int8 images: im2col, then qgemm with the weight rows. */
export function qconv2d(a: QConv2dArgs, range: XRange): void {
  const g = a.geom;
  const M = g.N * g.OH * g.OW;
  const K = g.KH * g.KW * g.C;
  const direct = g.KH === 1 && g.KW === 1 && g.strideH === 1 && g.strideW === 1 && g.padH === 0 && g.padW === 0;
  const gemmArgs = (x: Int8Array): QGemmArgs => ({
    M,
    N: a.O,
    K,
    x,
    xOff: 0,
    ldx: K,
    w: a.w,
    wOff: 0,
    ldw: K,
    bias: a.bias,
    scale: a.scale,
    zOut: a.zOut,
    qmin: a.qmin,
    qmax: a.qmax,
    out: a.out,
    outOff: 0,
    ldo: a.O,
  });
  if (wasmKernels() === null || M * a.O * K < quantTuning.wasmMinMacs) {
    let cols = a.x;
    if (!direct) {
      cols = new Int8Array(M * K);
      im2colNhwcRef(a.x, g, a.zIn, cols, K);
    }
    qgemmRef(gemmArgs(cols));
    return;
  }
  if (direct) {
    qgemm(gemmArgs(a.x), range);
    return;
  }
  try {
    const dot7 = dot7For(range); // before staging: its first call runs a probe in the arena
    arena.reset();
    // Rows padded to a multiple of 16 bytes (zeros in both operands) keep the GEMM on whole vectors.
    const Kp = Math.ceil(K / 16) * 16;
    const pIn = stageI8(a.x, 0, g.N * g.H * g.W * g.C);
    const pW = arena.alloc(a.O * Kp);
    const heap = heapU8();
    heap.fill(0, pW, pW + a.O * Kp);
    const wBytes = new Uint8Array(a.w.buffer, a.w.byteOffset, a.w.length);
    for (let o = 0; o < a.O; o++) heap.set(wBytes.subarray(o * K, (o + 1) * K), pW + o * Kp);
    const { pBias, pScale } = stageParams(a.bias, a.scale);
    const pCols = arena.alloc(M * Kp);
    const outFloat = a.out instanceof Float32Array ? 1 : 0;
    const pY = arena.alloc(M * a.O * (outFloat ? 4 : 1));
    const threads = M * a.O * K >= quantTuning.parallelMinMacs ? Math.min(availableThreads(), Math.ceil(M / 2)) : 1;
    const geo = [g.H, g.W, g.C, g.KH, g.KW, g.strideH, g.strideW, g.padH, g.padW, g.dilH, g.dilW, g.OH, g.OW, a.zIn];
    runParallel(
      'qim2col',
      rowJobs(M, threads, (r0, r1) => [pIn, ...geo, pCols, Kp, r0, r1]),
    );
    qgemmResident(M, a.O, Kp, pCols, Kp, pW, Kp, pY, a.O, pBias, pScale, a, dot7, outFloat);
    readBack(a.out, 0, pY, M * a.O);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    const cols = new Int8Array(M * K);
    im2colNhwcRef(a.x, g, a.zIn, cols, K);
    qgemmRef(gemmArgs(cols));
  }
}

/** NHWC int8 max pooling without padding (x [N, H, W, C] -> y [N, OH, OW, C]). */
export function qmaxPool(
  x: Int8Array,
  g: { N: number; H: number; W: number; C: number; KH: number; KW: number; strideH: number; strideW: number; OH: number; OW: number },
  y: Int8Array,
): void {
  const k = wasmKernels();
  if (k === null || x.length < quantTuning.wasmMinElements) {
    qmaxPoolNhwcRef(x, g, y);
    return;
  }
  try {
    arena.reset();
    const pIn = stageI8(x, 0, g.N * g.H * g.W * g.C);
    const len = g.N * g.OH * g.OW * g.C;
    const pY = arena.alloc(len);
    k.exports.qmaxPool(pIn, g.N, g.H, g.W, g.C, g.KH, g.KW, g.strideH, g.strideW, g.OH, g.OW, pY);
    y.set(new Int8Array(heapU8().buffer, pY, len));
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    qmaxPoolNhwcRef(x, g, y);
  }
}

/** Float NCHW [N, C, P] (P = H * W) to int8 NHWC [N, P, C] on the grid (scale, zp, [qmin, qmax]); see quantizeNhwcRef. */
export function qquantize(
  x: Float32Array,
  N: number,
  C: number,
  P: number,
  g: { scale: number; zeroPoint: number; qmin: number; qmax: number },
  y: Int8Array,
): void {
  const k = wasmKernels();
  if (k === null || x.length < quantTuning.wasmMinElements) {
    quantizeNhwcRef(x, N, C, P, g.scale, g.zeroPoint, g.qmin, g.qmax, y);
    return;
  }
  try {
    arena.reset();
    const px = arena.alloc(x.length * 4);
    heapF32().set(x, px >> 2);
    const py = arena.alloc(x.length);
    k.exports.qquantize(px, N, C, P, g.scale, g.zeroPoint, g.qmin, g.qmax, py);
    y.set(new Int8Array(heapU8().buffer, py, x.length));
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    quantizeNhwcRef(x, N, C, P, g.scale, g.zeroPoint, g.qmin, g.qmax, y);
  }
}

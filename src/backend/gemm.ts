/**
 * GEMM dispatch: one entry point for every matrix product in the library. float32 operands go to
 * the WebAssembly SIMD kernels (split across the worker pool when large enough); float64, tiny
 * products, and engines without WebAssembly SIMD use the JS reference kernel (the oracle).
 */
import { type GemmArgs, gemmBatchedRef } from './cpu/gemm.js';
import { arena, heapF32, heapI32, wasmKernels } from './wasm/loader.js';
import { availableThreads, runParallel } from './wasm/pool.js';

/** A batch of products with shared sizes and layouts: item i reads A at offsA[i], B at offsB[i], writes C at offsC[i]. */
export interface GemmBatchArgs extends Omit<GemmArgs, 'offA' | 'offB' | 'offC'> {
  offsA: ArrayLike<number>;
  offsB: ArrayLike<number>;
  offsC: ArrayLike<number>;
  /** C += A·B instead of C = A·B. */
  accumulate?: boolean;
}

/** Size thresholds (multiply-adds per call); tests lower them to exercise the pool on small shapes. */
export const gemmTuning = {
  /** Below this the JS reference is as fast as copying into wasm memory. */
  wasmMinMacs: 512,
  /** Below this one thread is faster than waking the pool. */
  parallelMinMacs: 1 << 19,
};

/** C (+)= op(A)·op(B) for one matrix (see GemmArgs; `accumulate` adds into C). */
export function gemm(g: GemmArgs & { accumulate?: boolean }): void {
  gemmBatched({ ...g, offsA: [g.offA], offsB: [g.offB], offsC: [g.offC], accumulate: g.accumulate ?? false });
}

/** The batched product; see GemmBatchArgs. */
export function gemmBatched(g: GemmBatchArgs): void {
  const count = g.offsC.length;
  if (count === 0 || g.M === 0 || g.N === 0) return;
  const macs = g.M * g.N * g.K * count;
  if (
    macs >= gemmTuning.wasmMinMacs &&
    g.A instanceof Float32Array &&
    g.B instanceof Float32Array &&
    g.C instanceof Float32Array &&
    wasmKernels() !== null
  ) {
    try {
      gemmWasm(g, g.A, g.B, g.C);
      return;
    } catch (e) {
      if (!(e instanceof RangeError)) throw e; // out of wasm memory: fall through to JS
    }
  }
  gemmBatchedRef(g);
}

/** Span of a stored rows x cols matrix with leading dimension ld. */
function span(rows: number, cols: number, ld: number): number {
  return rows === 0 || cols === 0 ? 0 : (rows - 1) * ld + cols;
}

/**
 * Copies the regions [offs[i], offs[i] + len) of src into wasm memory and returns each item's
 * byte address. One copy of the covering range when items are close together (the usual case:
 * consecutive batch items or a broadcast operand), else one copy per distinct offset.
 */
function stage(
  src: Float32Array,
  offs: ArrayLike<number>,
  len: number,
  copyIn: boolean,
): { addrs: Int32Array; lo: number; hi: number; base: number } {
  const n = offs.length;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    lo = Math.min(lo, offs[i]!);
    hi = Math.max(hi, offs[i]! + len);
  }
  const addrs = new Int32Array(n);
  if (hi - lo <= 2 * n * len + 1024) {
    const base = arena.alloc((hi - lo) * 4);
    // An output range with gaps between items is read back whole, so the gaps must hold their values.
    if (copyIn || hi - lo !== n * len) heapF32().set(src.subarray(lo, hi), base >> 2);
    for (let i = 0; i < n; i++) addrs[i] = base + (offs[i]! - lo) * 4;
    return { addrs, lo, hi, base };
  }
  const seen = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const o = offs[i]!;
    let a = seen.get(o);
    if (a === undefined) {
      a = arena.alloc(len * 4);
      if (copyIn) heapF32().set(src.subarray(o, o + len), a >> 2);
      seen.set(o, a);
    }
    addrs[i] = a;
  }
  return { addrs, lo: -1, hi: -1, base: -1 };
}

function gemmWasm(g: GemmBatchArgs, A: Float32Array, B: Float32Array, C: Float32Array): void {
  const k = wasmKernels()!;
  const { transA, transB, M, N, K, lda, ldb, ldc } = g;
  const count = g.offsC.length;
  const acc = g.accumulate ? 1 : 0;
  const macs = M * N * K * count;
  const threads = macs >= gemmTuning.parallelMinMacs ? availableThreads() : 1;

  arena.reset();
  const scratchBytes = k.exports.scratchFloats() * 4;
  const scratch: number[] = [];
  for (let t = 0; t < threads; t++) scratch.push(arena.alloc(scratchBytes));
  const sa = stage(A, g.offsA, transA ? span(K, M, lda) : span(M, K, lda), true);
  const sb = stage(B, g.offsB, transB ? span(N, K, ldb) : span(K, N, ldb), true);
  const cLen = span(M, N, ldc);
  // C is read back whole-span, so gaps (ldc > N) and accumulation need its current values.
  const sc = stage(C, g.offsC, cLen, acc === 1 || ldc !== N);
  const ta = transA ? 1 : 0;
  const tb = transB ? 1 : 0;

  if (threads > 1 && count >= threads) {
    // Whole items per thread.
    const offs = arena.alloc(count * 12);
    const i32 = heapI32();
    for (let i = 0; i < count; i++) {
      i32[(offs >> 2) + 3 * i] = sa.addrs[i]!;
      i32[(offs >> 2) + 3 * i + 1] = sb.addrs[i]!;
      i32[(offs >> 2) + 3 * i + 2] = sc.addrs[i]!;
    }
    const jobs: number[][] = [];
    for (let t = 0; t < threads; t++) {
      const b0 = Math.floor((count * t) / threads);
      const b1 = Math.floor((count * (t + 1)) / threads);
      jobs.push([ta, tb, M, N, K, 0, lda, 0, ldb, 0, ldc, acc, scratch[t]!, offs, b0, b1]);
    }
    runParallel('gemmBatch', jobs);
  } else {
    for (let i = 0; i < count; i++) {
      gemmResident(ta, tb, M, N, K, sa.addrs[i]!, lda, sb.addrs[i]!, ldb, sc.addrs[i]!, ldc, acc, scratch);
    }
  }

  // Copy results back.
  const heap = heapF32();
  if (sc.base >= 0) C.set(heap.subarray(sc.base >> 2, (sc.base >> 2) + (sc.hi - sc.lo)), sc.lo);
  else {
    const done = new Set<number>();
    for (let i = 0; i < count; i++) {
      const o = g.offsC[i]!;
      if (done.has(o)) continue;
      done.add(o);
      C.set(heap.subarray(sc.addrs[i]! >> 2, (sc.addrs[i]! >> 2) + cLen), o);
    }
  }
}

/**
 * One product on operands already in kernel memory (byte addresses), split over as many threads as
 * `scratch` has areas (one scratch area per thread, scratchFloats() floats each): along M when
 * M >= N, else along N, in whole register tiles, so results do not depend on the split.
 */
export function gemmResident(
  ta: number,
  tb: number,
  M: number,
  N: number,
  K: number,
  pA: number,
  lda: number,
  pB: number,
  ldb: number,
  pC: number,
  ldc: number,
  acc: number,
  scratch: readonly number[],
): void {
  const threads = scratch.length;
  if (threads === 1) {
    runParallel('gemm', [[ta, tb, M, N, K, pA, lda, pB, ldb, pC, ldc, acc, scratch[0]!]]);
    return;
  }
  const jobs: number[][] = [];
  if (M >= N) {
    const chunk = Math.ceil(M / threads / 4) * 4;
    for (let m0 = 0, t = 0; m0 < M; m0 += chunk, t++) {
      const m = Math.min(chunk, M - m0);
      const a = ta ? pA + m0 * 4 : pA + m0 * lda * 4;
      jobs.push([ta, tb, m, N, K, a, lda, pB, ldb, pC + m0 * ldc * 4, ldc, acc, scratch[t]!]);
    }
  } else {
    const chunk = Math.ceil(N / threads / 8) * 8;
    for (let n0 = 0, t = 0; n0 < N; n0 += chunk, t++) {
      const n = Math.min(chunk, N - n0);
      const b = tb ? pB + n0 * ldb * 4 : pB + n0 * 4;
      jobs.push([ta, tb, M, n, K, pA, lda, b, ldb, pC + n0 * 4, ldc, acc, scratch[t]!]);
    }
  }
  runParallel('gemm', jobs);
}

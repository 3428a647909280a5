/**
 * The time loops of the fused LSTM layer (ops/recurrent/lstmLayer.ts), forward and backward, over one flat
 * memory: the wasm kernel heap for float32 (everything is copied in once, the T steps run on it,
 * the results are copied out once; the recurrent GEMMs use the worker pool) or a plain JS array for
 * float64 and engines without wasm kernels (the reference, written with the same loops).
 *
 * Shapes: xp [T, B, 4H] (the input projection with biases), h0 and c0 [B, H], wHh [4H, H].
 * Forward results: hc [T, B, 2H] (h^t then c^t in each row), acts [T, B, 4H] (activated gates i,
 * f, g, o) and tc [T, B, H] (tanh c^t), the last two saved for backward. `reverse` runs t = T-1..0.
 */
import { gemmRef } from './cpu/gemm.js';
import { gemmResident, gemmTuning } from './gemm.js';
import { arena, heapF32, wasmKernels } from './wasm/loader.js';
import { availableThreads } from './wasm/pool.js';

type F = Float32Array | Float64Array;

/** A flat memory with bump allocation; offsets and strides in elements. */
interface Space {
  /** The memory (re-read after the last alloc: wasm growth replaces it). */
  mem(): F;
  alloc(n: number): number;
  /** C = op(A) op(B), or C += with `accumulate`. */
  gemm(
    transB: boolean,
    M: number,
    N: number,
    K: number,
    a: number,
    lda: number,
    b: number,
    ldb: number,
    c: number,
    ldc: number,
    transA?: boolean,
    accumulate?: boolean,
  ): void;
  cellForward(
    xp: number,
    sx: number,
    rec: number,
    cPrev: number,
    sc: number,
    acts: number,
    tc: number,
    hc: number,
    B: number,
    H: number,
  ): void;
  cellBackward(
    acts: number,
    cPrev: number,
    sc: number,
    tc: number,
    dhA: number,
    sdhA: number,
    dhB: number,
    dcA: number,
    sdcA: number,
    dcB: number,
    dgates: number,
    dcPrev: number,
    B: number,
    H: number,
  ): void;
  gruCellForward(
    xp: number,
    sx: number,
    rec: number,
    bhh: number,
    hPrev: number,
    sp: number,
    acts: number,
    qn: number,
    h: number,
    sh: number,
    B: number,
    H: number,
  ): void;
  gruCellBackward(
    acts: number,
    qn: number,
    hPrev: number,
    sp: number,
    dhA: number,
    sdh: number,
    dhB: number,
    dxp: number,
    dq: number,
    dhPrev: number,
    B: number,
    H: number,
  ): void;
}

/** Allocates room for `a` in the space and copies it in; returns its offset. */
function put(sp: Space, a: F): number {
  const p = sp.alloc(a.length);
  sp.mem().set(a, p);
  return p;
}

/** A copy of [p, p + n) of the space, as an array of `like`'s type. */
function take(sp: Space, p: number, n: number, like: F): F {
  const r = like instanceof Float32Array ? new Float32Array(n) : new Float64Array(n);
  r.set(sp.mem().subarray(p, p + n));
  return r;
}

/** Copies the B rows of H elements at src (row stride `stride`) to the dense block at dst. */
function copyRows(m: F, src: number, stride: number, dst: number, B: number, H: number): void {
  for (let b = 0; b < B; b++) m.copyWithin(dst + b * H, src + b * stride, src + b * stride + H);
}

const sig = (v: number): number => 1 / (1 + Math.exp(-v));

/** The JS space: one array of `total` elements; the cell loops are the formulas of rnn.ts in the kernels. */
function jsSpace(dtype: 'float32' | 'float64', total: number): Space {
  const m: F = dtype === 'float32' ? new Float32Array(total) : new Float64Array(total);
  let top = 0;
  return {
    mem: () => m,
    alloc(n) {
      const p = top;
      top += n;
      return p;
    },
    gemm(transB, M, N, K, a, lda, b, ldb, c, ldc, transA = false, accumulate = false) {
      if (!accumulate) return gemmRef({ transA, transB, M, N, K, A: m, offA: a, lda, B: m, offB: b, ldb, C: m, offC: c, ldc });
      const tmp = new Float64Array(M * N);
      gemmRef({ transA, transB, M, N, K, A: m, offA: a, lda, B: m, offB: b, ldb, C: tmp, offC: 0, ldc: N });
      for (let i = 0; i < M; i++) for (let j = 0, o = c + i * ldc; j < N; j++) m[o + j] = m[o + j]! + tmp[i * N + j]!;
    },
    cellForward(xp, sx, rec, cPrev, sc, acts, tc, hc, B, H) {
      for (let b = 0; b < B; b++) {
        for (let j = 0; j < H; j++) {
          const x = xp + b * sx + j;
          const r = rec + b * 4 * H + j;
          const i = sig(m[x]! + m[r]!);
          const f = sig(m[x + H]! + m[r + H]!);
          const g = Math.tanh(m[x + 2 * H]! + m[r + 2 * H]!);
          const o = sig(m[x + 3 * H]! + m[r + 3 * H]!);
          const a = acts + b * 4 * H + j;
          m[a] = i;
          m[a + H] = f;
          m[a + 2 * H] = g;
          m[a + 3 * H] = o;
          const c = f * m[cPrev + b * sc + j]! + i * g;
          const t = Math.tanh(c);
          m[tc + b * H + j] = t;
          m[hc + b * 2 * H + j] = o * t;
          m[hc + b * 2 * H + H + j] = c;
        }
      }
    },
    cellBackward(acts, cPrev, sc, tc, dhA, sdhA, dhB, dcA, sdcA, dcB, dgates, dcPrev, B, H) {
      for (let b = 0; b < B; b++) {
        for (let j = 0; j < H; j++) {
          const a = acts + b * 4 * H + j;
          const i = m[a]!;
          const f = m[a + H]!;
          const g = m[a + 2 * H]!;
          const o = m[a + 3 * H]!;
          const t = m[tc + b * H + j]!;
          const dh = m[dhA + b * sdhA + j]! + m[dhB + b * H + j]!;
          const dc = m[dcA + b * sdcA + j]! + m[dcB + b * H + j]! + dh * o * (1 - t * t);
          m[dcPrev + b * H + j] = dc * f;
          const d = dgates + b * 4 * H + j;
          m[d] = dc * g * (i * (1 - i));
          m[d + H] = dc * m[cPrev + b * sc + j]! * (f * (1 - f));
          m[d + 2 * H] = dc * i * (1 - g * g);
          m[d + 3 * H] = dh * t * (o * (1 - o));
        }
      }
    },
    gruCellForward(xp, sx, rec, bhh, hPrev, sp, acts, qn, h, sh, B, H) {
      for (let b = 0; b < B; b++) {
        for (let j = 0; j < H; j++) {
          const x = xp + b * sx + j;
          const q = rec + b * 3 * H + j;
          const r = sig(m[x]! + (m[q]! + m[bhh + j]!));
          const z = sig(m[x + H]! + (m[q + H]! + m[bhh + H + j]!));
          const qv = m[q + 2 * H]! + m[bhh + 2 * H + j]!;
          const n = Math.tanh(m[x + 2 * H]! + r * qv);
          const a = acts + b * 3 * H + j;
          m[a] = r;
          m[a + H] = z;
          m[a + 2 * H] = n;
          m[qn + b * H + j] = qv;
          m[h + b * sh + j] = n + z * (m[hPrev + b * sp + j]! - n);
        }
      }
    },
    gruCellBackward(acts, qn, hPrev, sp, dhA, sdh, dhB, dxp, dq, dhPrev, B, H) {
      for (let b = 0; b < B; b++) {
        for (let j = 0; j < H; j++) {
          const a = acts + b * 3 * H + j;
          const r = m[a]!;
          const z = m[a + H]!;
          const n = m[a + 2 * H]!;
          const dh = m[dhA + b * sdh + j]! + m[dhB + b * H + j]!;
          const dan = dh * (1 - z) * (1 - n * n);
          const dar = dan * m[qn + b * H + j]! * (r * (1 - r));
          const daz = dh * (m[hPrev + b * sp + j]! - n) * (z * (1 - z));
          const x = dxp + b * 3 * H + j;
          const q = dq + b * 3 * H + j;
          m[x] = dar;
          m[x + H] = daz;
          m[x + 2 * H] = dan;
          m[q] = dar;
          m[q + H] = daz;
          m[q + 2 * H] = dan * r;
          m[dhPrev + b * H + j] = dh * z;
        }
      }
    },
  };
}

/** The wasm space: the kernel heap from a fresh arena. */
function wasmSpace(macsPerGemm: number): Space | null {
  const k = wasmKernels();
  if (!k) return null;
  arena.reset();
  const threads = macsPerGemm >= gemmTuning.parallelMinMacs ? availableThreads() : 1;
  const scratch: number[] = [];
  for (let t = 0; t < threads; t++) scratch.push(arena.alloc(k.exports.scratchFloats() * 4));
  const fe = k.exports;
  return {
    mem: heapF32,
    alloc: (n) => arena.alloc(Math.max(4, (n + 3) & ~3) * 4) >> 2,
    gemm(transB, M, N, K, a, lda, b, ldb, c, ldc, transA = false, accumulate = false) {
      gemmResident(transA ? 1 : 0, transB ? 1 : 0, M, N, K, a * 4, lda, b * 4, ldb, c * 4, ldc, accumulate ? 1 : 0, scratch);
    },
    cellForward: (xp, sx, rec, cPrev, sc, acts, tc, hc, B, H) =>
      void fe.lstmCellForward(xp * 4, sx, rec * 4, cPrev * 4, sc, acts * 4, tc * 4, hc * 4, B, H),
    cellBackward: (acts, cPrev, sc, tc, dhA, sdhA, dhB, dcA, sdcA, dcB, dgates, dcPrev, B, H) =>
      void fe.lstmCellBackward(
        acts * 4,
        cPrev * 4,
        sc,
        tc * 4,
        dhA * 4,
        sdhA,
        dhB * 4,
        dcA * 4,
        sdcA,
        dcB * 4,
        dgates * 4,
        dcPrev * 4,
        B,
        H,
      ),
    gruCellForward: (xp, sx, rec, bhh, hPrev, sp, acts, qn, h, sh, B, H) =>
      void fe.gruCellForward(xp * 4, sx, rec * 4, bhh * 4, hPrev * 4, sp, acts * 4, qn * 4, h * 4, sh, B, H),
    gruCellBackward: (acts, qn, hPrev, sp, dhA, sdh, dhB, dxp, dq, dhPrev, B, H) =>
      void fe.gruCellBackward(acts * 4, qn * 4, hPrev * 4, sp, dhA * 4, sdh, dhB * 4, dxp * 4, dq * 4, dhPrev * 4, B, H),
  };
}

/** The wasm space when the kernels can run this problem (float32, H a multiple of 4), else the JS one. */
function space(dtype: 'float32' | 'float64', H: number, B: number, G: number, total: number, fast: boolean): Space {
  if (fast && dtype === 'float32' && H % 4 === 0) {
    try {
      const s = wasmSpace(B * G * H);
      if (s) return s;
    } catch (e) {
      if (!(e instanceof RangeError)) throw e; // wasm memory exhausted: the JS loops still work
    }
  }
  return jsSpace(dtype, total);
}

export interface LstmDims {
  T: number;
  B: number;
  H: number;
  reverse: boolean;
}

/** Time index of the s-th processed step, and of the step before it (-1: the initial state). */
function order(d: LstmDims, s: number): [number, number] {
  return d.reverse ? [d.T - 1 - s, s === 0 ? -1 : d.T - s] : [s, s - 1];
}

export interface LstmSaved<A = F> {
  hc: A;
  acts: A;
  tc: A;
}

/** Forward over the sequence: inputs are dense arrays of the shapes above (offset 0). */
export function lstmLayerForward(dtype: 'float32' | 'float64', d: LstmDims, xp: F, h0: F, c0: F, wHh: F, fast = true): LstmSaved {
  const { T, B, H } = d;
  const G = 4 * H;
  const total = T * B * G * 2 + T * B * 3 * H + 2 * B * H + G * H + B * G;
  const sp = space(dtype, H, B, G, total, fast);
  const pxp = put(sp, xp);
  const ph0 = put(sp, h0);
  const pc0 = put(sp, c0);
  const pw = put(sp, wHh);
  const phc = sp.alloc(T * B * 2 * H);
  const pacts = sp.alloc(T * B * G);
  const ptc = sp.alloc(T * B * H);
  const prec = sp.alloc(B * G);
  for (let s = 0; s < T; s++) {
    const [t, prev] = order(d, s);
    const hPrev = prev < 0 ? ph0 : phc + prev * B * 2 * H;
    const cPrev = prev < 0 ? pc0 : phc + prev * B * 2 * H + H;
    const stride = prev < 0 ? H : 2 * H;
    sp.gemm(true, B, G, H, hPrev, stride, pw, H, prec, G); // rec = h_prev W_hh^T
    sp.cellForward(pxp + t * B * G, G, prec, cPrev, stride, pacts + t * B * G, ptc + t * B * H, phc + t * B * 2 * H, B, H);
  }
  return { hc: take(sp, phc, T * B * 2 * H, xp), acts: take(sp, pacts, T * B * G, xp), tc: take(sp, ptc, T * B * H, xp) };
}

export interface LstmGrads<A = F> {
  dxp: A;
  dh0: A;
  dc0: A;
  dwHh: A;
}

/** Backward over the sequence from ghc, the gradient of hc ([T, B, 2H]). */
export function lstmLayerBackward(
  dtype: 'float32' | 'float64',
  d: LstmDims,
  saved: LstmSaved,
  ghc: F,
  h0: F,
  c0: F,
  wHh: F,
  fast = true,
): LstmGrads {
  const { T, B, H } = d;
  const G = 4 * H;
  const total = T * B * G * 2 + T * B * (2 * H) * 2 + T * B * H * 2 + 6 * B * H + 2 * G * H;
  const sp = space(dtype, H, B, G, total, fast);
  const pacts = put(sp, saved.acts);
  const ptc = put(sp, saved.tc);
  const phc = put(sp, saved.hc);
  const pg = put(sp, ghc);
  const ph0 = put(sp, h0);
  const pc0 = put(sp, c0);
  const pw = put(sp, wHh);
  const pdg = sp.alloc(T * B * G); // dgates of every step: the gradient of xp
  const phprev = sp.alloc(T * B * H); // h_prev of every step, dense, for the one weight GEMM
  const pdh = [sp.alloc(B * H), sp.alloc(B * H)]; // carries, ping-ponged
  const pdc = [sp.alloc(B * H), sp.alloc(B * H)];
  const pdw = sp.alloc(G * H);
  const m = sp.mem();
  m.fill(0, pdh[0]!, pdh[0]! + B * H);
  m.fill(0, pdc[0]!, pdc[0]! + B * H);
  let cur = 0;
  for (let s = T - 1; s >= 0; s--) {
    const [t, prev] = order(d, s);
    const cPrev = prev < 0 ? pc0 : phc + prev * B * 2 * H + H;
    const sc = prev < 0 ? H : 2 * H;
    const g = pg + t * B * 2 * H;
    const dg = pdg + t * B * G;
    const next = 1 - cur;
    sp.cellBackward(pacts + t * B * G, cPrev, sc, ptc + t * B * H, g, 2 * H, pdh[cur]!, g + H, 2 * H, pdc[cur]!, dg, pdc[next]!, B, H);
    sp.gemm(false, B, H, G, dg, G, pw, H, pdh[next]!, H); // dh_prev = dgates W_hh
    // h_prev of step t, for dW_hh = sum_t dgates_t^T h_prev_t
    const hp = prev < 0 ? ph0 : phc + prev * B * 2 * H;
    const hs = prev < 0 ? H : 2 * H;
    copyRows(m, hp, hs, phprev + t * B * H, B, H);
    cur = next;
  }
  sp.gemm(false, G, H, T * B, pdg, G, phprev, H, pdw, H, true); // dW_hh = dgates^T h_prev, all steps at once
  return {
    dxp: take(sp, pdg, T * B * G, ghc),
    dh0: take(sp, pdh[cur]!, B * H, ghc),
    dc0: take(sp, pdc[cur]!, B * H, ghc),
    dwHh: take(sp, pdw, G * H, ghc),
  };
}

// ---------------------------------------------------------------------------------------------
// GRU: xp [T, B, 3H] (W_ih x + b_ih, gates r, z, n), h0 [B, H], wHh [3H, H], bHh [3H] (zeros when
// the layer has no bias). Forward results: out [T, B, H] (h^t), acts [T, B, 3H] (r, z, n) and qn
// [T, B, H] (W_hn h + b_hn), the last two saved for backward.

export interface GruSaved<A = F> {
  out: A;
  acts: A;
  qn: A;
}

export function gruLayerForward(dtype: 'float32' | 'float64', d: LstmDims, xp: F, h0: F, wHh: F, bHh: F, fast = true): GruSaved {
  const { T, B, H } = d;
  const G = 3 * H;
  const total = 2 * T * B * G + 2 * T * B * H + B * H + G * H + G + B * G;
  const sp = space(dtype, H, B, G, total, fast);
  const pxp = put(sp, xp);
  const ph0 = put(sp, h0);
  const pw = put(sp, wHh);
  const pb = put(sp, bHh);
  const pout = sp.alloc(T * B * H);
  const pacts = sp.alloc(T * B * G);
  const pqn = sp.alloc(T * B * H);
  const prec = sp.alloc(B * G);
  for (let s = 0; s < T; s++) {
    const [t, prev] = order(d, s);
    const hPrev = prev < 0 ? ph0 : pout + prev * B * H;
    sp.gemm(true, B, G, H, hPrev, H, pw, H, prec, G); // rec = h_prev W_hh^T
    sp.gruCellForward(pxp + t * B * G, G, prec, pb, hPrev, H, pacts + t * B * G, pqn + t * B * H, pout + t * B * H, H, B, H);
  }
  return { out: take(sp, pout, T * B * H, xp), acts: take(sp, pacts, T * B * G, xp), qn: take(sp, pqn, T * B * H, xp) };
}

export interface GruGrads<A = F> {
  dxp: A;
  dh0: A;
  dwHh: A;
  dbHh: A;
}

/** Backward over the sequence from gout, the gradient of out ([T, B, H]). */
export function gruLayerBackward(
  dtype: 'float32' | 'float64',
  d: LstmDims,
  saved: GruSaved,
  gout: F,
  h0: F,
  wHh: F,
  fast = true,
): GruGrads {
  const { T, B, H } = d;
  const G = 3 * H;
  const total = 3 * T * B * G + 4 * T * B * H + 3 * B * H + 2 * G * H;
  const sp = space(dtype, H, B, G, total, fast);
  const pacts = put(sp, saved.acts);
  const pqn = put(sp, saved.qn);
  const pout = put(sp, saved.out);
  const pg = put(sp, gout);
  const ph0 = put(sp, h0);
  const pw = put(sp, wHh);
  const pdxp = sp.alloc(T * B * G);
  const pdq = sp.alloc(T * B * G); // gradient of W_hh h + b_hh at every step
  const phprev = sp.alloc(T * B * H);
  const pdh = [sp.alloc(B * H), sp.alloc(B * H)];
  const pdw = sp.alloc(G * H);
  const m = sp.mem();
  m.fill(0, pdh[0]!, pdh[0]! + B * H);
  let cur = 0;
  for (let s = T - 1; s >= 0; s--) {
    const [t, prev] = order(d, s);
    const hPrev = prev < 0 ? ph0 : pout + prev * B * H;
    const next = 1 - cur;
    const dq = pdq + t * B * G;
    sp.gruCellBackward(pacts + t * B * G, pqn + t * B * H, hPrev, H, pg + t * B * H, H, pdh[cur]!, pdxp + t * B * G, dq, pdh[next]!, B, H);
    sp.gemm(false, B, H, G, dq, G, pw, H, pdh[next]!, H, false, true); // dh_prev = z dh + dq W_hh
    copyRows(m, hPrev, H, phprev + t * B * H, B, H);
    cur = next;
  }
  sp.gemm(false, G, H, T * B, pdq, G, phprev, H, pdw, H, true); // dW_hh = sum_t dq_t^T h_prev_t
  const acc = new Float64Array(G); // db_hh = sum over steps and batch of dq
  for (let r = 0, q = sp.mem(); r < T * B; r++) for (let j = 0, p = pdq + r * G; j < G; j++) acc[j] = acc[j]! + q[p + j]!;
  const dbHh = gout instanceof Float32Array ? Float32Array.from(acc) : acc;
  return { dxp: take(sp, pdxp, T * B * G, gout), dh0: take(sp, pdh[cur]!, B * H, gout), dwHh: take(sp, pdw, G * H, gout), dbHh };
}

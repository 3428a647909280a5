/**
 * The loops of the fused normalisation op (ops/normalization/normalize.ts) over a dense array: group g is
 * `outer` blocks of `inner` consecutive elements starting at g*gs + o*os (layer norm: one block per
 * row; batch norm: a channel's N planes). float32 runs in wasm SIMD (wasm/assembly/norm.ts); float64
 * and engines without wasm use the JS loops here, which accumulate in float64.
 */
import { arena, heapF32, wasmKernels } from './wasm/loader.js';

type F = Float32Array | Float64Array;

export interface NormLayout {
  G: number;
  outer: number;
  inner: number;
  gs: number;
  os: number;
}

function make(like: F, n: number): F {
  return like instanceof Float32Array ? new Float32Array(n) : new Float64Array(n);
}

/** y = (x - mean) * rstd per group; returns y, mean, the biased variance and rstd = 1 / sqrt(var + eps). */
export function normForward(x: F, L: NormLayout, eps: number, fast = true): { y: F; mean: F; variance: F; rstd: F } {
  const n = x.length;
  const y = make(x, n);
  const mean = make(x, L.G);
  const variance = make(x, L.G);
  const rstd = make(x, L.G);
  const k = fast ? wasmKernels() : null;
  if (k && x instanceof Float32Array) {
    try {
      arena.reset();
      const px = arena.alloc(n * 4);
      const py = arena.alloc(n * 4);
      const pm = arena.alloc(L.G * 4);
      const pv = arena.alloc(L.G * 4);
      const pr = arena.alloc(L.G * 4);
      heapF32().set(x, px >> 2);
      k.exports.normForwardF32(px, py, L.G, L.outer, L.inner, L.gs, L.os, eps, pm, pv, pr);
      const h = heapF32();
      y.set(h.subarray(py >> 2, (py >> 2) + n));
      mean.set(h.subarray(pm >> 2, (pm >> 2) + L.G));
      variance.set(h.subarray(pv >> 2, (pv >> 2) + L.G));
      rstd.set(h.subarray(pr >> 2, (pr >> 2) + L.G));
      return { y, mean, variance, rstd };
    } catch (e) {
      if (!(e instanceof RangeError)) throw e; // wasm memory exhausted: the JS loops below
    }
  }
  const cnt = L.outer * L.inner;
  for (let g = 0; g < L.G; g++) {
    let s = 0;
    for (let o = 0; o < L.outer; o++) for (let i = 0, p = g * L.gs + o * L.os; i < L.inner; i++) s += x[p + i]!;
    const m = s / cnt;
    let q = 0;
    for (let o = 0; o < L.outer; o++) {
      for (let i = 0, p = g * L.gs + o * L.os; i < L.inner; i++) {
        const d = x[p + i]! - m;
        q += d * d;
      }
    }
    const v = q / cnt;
    const r = 1 / Math.sqrt(v + eps);
    for (let o = 0; o < L.outer; o++) for (let i = 0, p = g * L.gs + o * L.os; i < L.inner; i++) y[p + i] = (x[p + i]! - m) * r;
    mean[g] = m;
    variance[g] = v;
    rstd[g] = r;
  }
  return { y, mean, variance, rstd };
}

/** dx = rstd (g - mean(g) - xhat mean(g xhat)) per group. */
export function normBackward(gy: F, xhat: F, rstd: F, L: NormLayout, fast = true): F {
  const n = gy.length;
  const dx = make(gy, n);
  const k = fast ? wasmKernels() : null;
  if (k && gy instanceof Float32Array && xhat instanceof Float32Array) {
    try {
      arena.reset();
      const pg = arena.alloc(n * 4);
      const px = arena.alloc(n * 4);
      const pd = arena.alloc(n * 4);
      const pr = arena.alloc(L.G * 4);
      const h = heapF32();
      h.set(gy, pg >> 2);
      h.set(xhat, px >> 2);
      h.set(rstd, pr >> 2);
      k.exports.normBackwardF32(pg, px, pd, L.G, L.outer, L.inner, L.gs, L.os, pr);
      dx.set(heapF32().subarray(pd >> 2, (pd >> 2) + n));
      return dx;
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
    }
  }
  const cnt = L.outer * L.inner;
  for (let g = 0; g < L.G; g++) {
    let a = 0;
    let b = 0;
    for (let o = 0; o < L.outer; o++) {
      for (let i = 0, p = g * L.gs + o * L.os; i < L.inner; i++) {
        a += gy[p + i]!;
        b += gy[p + i]! * xhat[p + i]!;
      }
    }
    const ma = a / cnt;
    const mb = b / cnt;
    const r = rstd[g]!;
    for (let o = 0; o < L.outer; o++) {
      for (let i = 0, p = g * L.gs + o * L.os; i < L.inner; i++) dx[p + i] = (gy[p + i]! - ma - xhat[p + i]! * mb) * r;
    }
  }
  return dx;
}

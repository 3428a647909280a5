/**
 * Fast paths for the hottest elementwise ops. The generic maps in cpu/strided.ts compile one loop
 * per op for dense operands and walk any other layout with an odometer calling the op's closure;
 * here the op body is written into its own loop over layouts reduced to at most two dims: dense,
 * scalar (stride 0), row-broadcast (a bias) and sliced views (a row stride). The formulas are the same expressions as the ops'
 * closures, so results are bitwise identical to the reference path. Anything else returns false
 * and the caller uses the reference map.
 *
 * Exception: exp, sigmoid and tanh on float32 arrays of at least `mathTuning.wasmMinElements`
 * elements run in WebAssembly SIMD with polynomial approximations (a few f32 ulp from the
 * correctly rounded result; Math.exp per element was the LSTM's largest cost after GEMM).
 */
import type { Shape } from '../tensor/shape.js';
import { arena, heapF32, wasmKernels } from './wasm/loader.js';

type Arr = { [i: number]: number; readonly length: number };
/** out[o + i] = op(a[pa + i*sa], b[pb + i*sb]) for i < n. */
type BinLoop = (out: Arr, o: number, a: Arr, pa: number, sa: number, b: Arr, pb: number, sb: number, n: number) => void;
type UnLoop = (out: Arr, o: number, a: Arr, pa: number, sa: number, n: number) => void;

const BINARY: Record<string, BinLoop> = {
  add: (out, o, a, pa, sa, b, pb, sb, n) => {
    for (let i = 0; i < n; i++, pa += sa, pb += sb) out[o + i] = a[pa]! + b[pb]!;
  },
  sub: (out, o, a, pa, sa, b, pb, sb, n) => {
    for (let i = 0; i < n; i++, pa += sa, pb += sb) out[o + i] = a[pa]! - b[pb]!;
  },
  mul: (out, o, a, pa, sa, b, pb, sb, n) => {
    for (let i = 0; i < n; i++, pa += sa, pb += sb) out[o + i] = a[pa]! * b[pb]!;
  },
  div: (out, o, a, pa, sa, b, pb, sb, n) => {
    for (let i = 0; i < n; i++, pa += sa, pb += sb) out[o + i] = a[pa]! / b[pb]!;
  },
  gt: (out, o, a, pa, sa, b, pb, sb, n) => {
    // +(bool) compiles without a branch: random signs would mispredict half the time.
    for (let i = 0; i < n; i++, pa += sa, pb += sb) out[o + i] = +(a[pa]! > b[pb]!);
  },
};

/** Int32 view of a float32 array's bits (same elements). */
function bits(a: Arr): Int32Array | null {
  return a instanceof Float32Array ? new Int32Array(a.buffer, a.byteOffset, a.length) : null;
}

const UNARY: Record<string, UnLoop> = {
  relu: (out, o, a, pa, sa, n) => {
    const ai = bits(a);
    const oi = bits(out);
    if (ai && oi) {
      // Branch-free on the bits: clear negatives (sign bit set, including -0) but keep NaNs, as
      // v > 0 ? v : v === v ? 0 : v does.
      for (let i = 0; i < n; i++, pa += sa) {
        const b = ai[pa]!;
        const nan = -((b & 0x7fffffff) > 0x7f800000);
        oi[o + i] = b & ~((b >> 31) & ~nan);
      }
      return;
    }
    for (let i = 0; i < n; i++, pa += sa) {
      const v = a[pa]!;
      out[o + i] = v > 0 ? v : v === v ? 0 : v;
    }
  },
  sigmoid: (out, o, a, pa, sa, n) => {
    for (let i = 0; i < n; i++, pa += sa) out[o + i] = 1 / (1 + Math.exp(-a[pa]!));
  },
  tanh: (out, o, a, pa, sa, n) => {
    for (let i = 0; i < n; i++, pa += sa) out[o + i] = Math.tanh(a[pa]!);
  },
  exp: (out, o, a, pa, sa, n) => {
    for (let i = 0; i < n; i++, pa += sa) out[o + i] = Math.exp(a[pa]!);
  },
  neg: (out, o, a, pa, sa, n) => {
    for (let i = 0; i < n; i++, pa += sa) out[o + i] = -a[pa]!;
  },
  square: (out, o, a, pa, sa, n) => {
    for (let i = 0; i < n; i++, pa += sa) out[o + i] = a[pa]! * a[pa]!;
  },
  sqrt: (out, o, a, pa, sa, n) => {
    for (let i = 0; i < n; i++, pa += sa) out[o + i] = Math.sqrt(a[pa]!);
  },
  rsqrt: (out, o, a, pa, sa, n) => {
    for (let i = 0; i < n; i++, pa += sa) out[o + i] = 1 / Math.sqrt(a[pa]!);
  },
};

/** Ops with a fast path (the registry of names is checked by the caller before anything else). */
export function hasFastUnary(name: string): boolean {
  return name in UNARY;
}
export function hasFastBinary(name: string): boolean {
  return name in BINARY;
}

/**
 * Collapses a shape and the strides of each operand (broadcast strides, 0 allowed) to at most
 * two dims [outer, inner]; null when more dims remain.
 */
function collapse2(shape: Shape, strides: readonly (readonly number[])[]): { outer: number; inner: number; so: number[]; si: number[] } | null {
  // Common case first, without building arrays: every operand dense (row-major) or a broadcast scalar.
  let n = 1;
  for (let d = 0; d < shape.length; d++) n *= shape[d]!;
  const si: number[] = [];
  for (const st of strides) {
    let dense = true;
    let zero = true;
    let expect = 1;
    for (let d = shape.length - 1; d >= 0; d--) {
      const sz = shape[d]!;
      if (sz !== 1) {
        if (st[d] !== expect) dense = false;
        if (st[d] !== 0) zero = false;
      }
      expect *= sz;
    }
    if (dense) si.push(1);
    else if (zero) si.push(0);
    else break;
  }
  if (si.length === strides.length) return { outer: 1, inner: n, so: si.map(() => 0), si };
  const dims: number[] = [];
  const st: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const k = dims.length;
    if (k > 0 && strides.every((s, j) => st[j]![k - 1] === s[d]! * shape[d]!)) {
      dims[k - 1] *= shape[d]!;
      strides.forEach((s, j) => (st[j]![k - 1] = s[d]!));
      continue;
    }
    dims.push(shape[d]!);
    strides.forEach((s, j) => st[j]!.push(s[d]!));
  }
  if (dims.length > 2) return null;
  if (dims.length === 0) return { outer: 1, inner: 1, so: st.map(() => 0), si: st.map(() => 0) };
  if (dims.length === 1) return { outer: 1, inner: dims[0]!, so: st.map(() => 0), si: st.map((s) => s[0]!) };
  return { outer: dims[0]!, inner: dims[1]!, so: st.map((s) => s[0]!), si: st.map((s) => s[1]!) };
}

/** out (dense, `shape`) = op(a, b) for operands already broadcast to `shape`; false when not handled. */
export function fastBinary(
  name: string,
  a: Arr, sa: readonly number[], oa: number,
  b: Arr, sb: readonly number[], ob: number,
  shape: Shape, out: Arr,
): boolean {
  const loop = BINARY[name];
  if (!loop) return false;
  const c = collapse2(shape, [sa, sb]);
  if (!c) return false;
  let pa = oa;
  let pb = ob;
  for (let r = 0, o = 0; r < c.outer; r++, o += c.inner, pa += c.so[0]!, pb += c.so[1]!) {
    loop(out, o, a, pa, c.si[0]!, b, pb, c.si[1]!, c.inner);
  }
  return true;
}

const SIMD_MATH: Record<string, 'expF32' | 'sigmoidF32' | 'tanhF32'> = { exp: 'expF32', sigmoid: 'sigmoidF32', tanh: 'tanhF32' };
export const mathTuning = { wasmMinElements: 256 };

/** exp/sigmoid/tanh of float32 rows with unit inner stride, in wasm; false when not applicable. */
function simdMath(name: string, x: Arr, offset: number, c: { outer: number; inner: number; so: number[]; si: number[] }, out: Arr): boolean {
  const fn = SIMD_MATH[name];
  const k = fn ? wasmKernels() : null;
  const n = c.outer * c.inner;
  if (!k || !(x instanceof Float32Array) || !(out instanceof Float32Array) || n < mathTuning.wasmMinElements) return false;
  if (c.si[0] !== 1 && c.inner > 1) return false;
  try {
    arena.reset();
    const n4 = (n + 3) & ~3;
    const px = arena.alloc(n4 * 4);
    const py = arena.alloc(n4 * 4);
    const heap = heapF32();
    for (let r = 0, p = offset; r < c.outer; r++, p += c.so[0]!) heap.set(x.subarray(p, p + c.inner), (px >> 2) + r * c.inner);
    k.exports[fn!](px, py, n4);
    out.set(heapF32().subarray(py >> 2, (py >> 2) + n));
    return true;
  } catch (e) {
    if (e instanceof RangeError) return false; // wasm memory exhausted: the JS loop still works
    throw e;
  }
}

/** out (dense) = op(x) over a strided view of x; false when not handled. */
export function fastUnary(name: string, x: Arr, shape: Shape, strides: readonly number[], offset: number, out: Arr): boolean {
  const loop = UNARY[name];
  if (!loop) return false;
  const c = collapse2(shape, [strides]);
  if (!c) return false;
  if (simdMath(name, x, offset, c, out)) return true;
  let p = offset;
  for (let r = 0, o = 0; r < c.outer; r++, o += c.inner, p += c.so[0]!) loop(out, o, x, p, c.si[0]!, c.inner);
  return true;
}

/** out[i] = cond[i] ? a[i] : b[i] over operands broadcast to `shape` (strides given); false when not handled. */
export function fastWhere(
  cond: Arr, sc: readonly number[], oc: number,
  a: Arr, sa: readonly number[], oa: number,
  b: Arr, sb: readonly number[], ob: number,
  shape: Shape, out: Arr,
): boolean {
  const c = collapse2(shape, [sc, sa, sb]);
  if (!c) return false;
  const [ic, ia, ib] = c.si as [number, number, number];
  const ai = bits(a);
  const bi = bits(b);
  const oi = bits(out);
  if (ai && bi && oi && cond instanceof Uint8Array) {
    // Bit select with a mask from the condition: branch-free and exact (bits are copied).
    let pc = oc;
    let pa = oa;
    let pb = ob;
    for (let r = 0, o = 0; r < c.outer; r++, o += c.inner, pc += c.so[0]!, pa += c.so[1]!, pb += c.so[2]!) {
      if (ic === 1 && ia === 1 && ib === 0) {
        // relu's backward: where(x > 0, g, 0)
        const bv = bi[pb]!;
        for (let i = 0; i < c.inner; i++) {
          const m = -cond[pc + i]! >> 31;
          oi[o + i] = (ai[pa + i]! & m) | (bv & ~m);
        }
        continue;
      }
      for (let i = 0, qc = pc, qa = pa, qb = pb; i < c.inner; i++, qc += ic, qa += ia, qb += ib) {
        const m = -cond[qc]! >> 31; // -1 for any nonzero byte, 0 for 0, without a branch
        oi[o + i] = (ai[qa]! & m) | (bi[qb]! & ~m);
      }
    }
    return true;
  }
  let pc = oc;
  let pa = oa;
  let pb = ob;
  for (let r = 0, o = 0; r < c.outer; r++, o += c.inner, pc += c.so[0]!, pa += c.so[1]!, pb += c.so[2]!) {
    for (let i = 0, qc = pc, qa = pa, qb = pb; i < c.inner; i++, qc += ic, qa += ia, qb += ib) out[o + i] = cond[qc] ? a[qa]! : b[qb]!;
  }
  return true;
}

/**
 * Fast paths for the hottest elementwise ops.
 *
 * float32 operands of at least `elementwiseTuning.wasmMinElements` elements run in WebAssembly SIMD
 * (wasm/assembly/elementwise.ts, math.ts): each operand is staged into the kernel memory as a dense
 * block, a broadcast row, a column or a scalar, and the result is copied back. add, sub, mul, div,
 * relu and the activation gradients give the same bits as the JS loops; exp, sigmoid and tanh use
 * polynomial approximations within a few f32 ulp of the correctly rounded result.
 *
 * Otherwise the op body is written into its own JS loop over layouts reduced to at most two dims
 * (dense, scalar, row-broadcast, sliced views), with the same expressions as the ops' closures, so
 * results are bitwise identical to the reference maps in cpu/strided.ts. Anything else returns
 * false and the caller uses the reference map.
 */
import type { Shape } from '../tensor/shape.js';
import { arena, heapF32, wasmKernels, type WasmKernels } from './wasm/loader.js';
import { mapBinary } from './cpu/strided.js';

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
function collapse2(
  shape: Shape,
  strides: readonly (readonly number[])[],
): { outer: number; inner: number; so: number[]; si: number[] } | null {
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
      dims[k - 1] = dims[k - 1]! * shape[d]!;
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

type Collapsed = { outer: number; inner: number; so: number[]; si: number[] };

const SIMD_BINARY: Record<string, 'addF32' | 'subF32' | 'mulF32' | 'divF32'> = {
  add: 'addF32',
  sub: 'subF32',
  mul: 'mulF32',
  div: 'divF32',
};

/** Float32 elementwise work of at least this many elements runs in wasm (copying in and out is cheaper than the JS loop). */
export const elementwiseTuning = { wasmMinElements: 512 };

/**
 * Copies operands of a collapsed [outer, inner] layout compactly into wasm memory. Each operand's
 * inner stride must be 0 or 1; it arrives as a dense block, a broadcast row, a column or a
 * scalar. Returns per operand [address, row stride, inner stride] in elements, or null when a
 * layout is not one of these.
 */
function stageOperands(xs: readonly Float32Array[], offs: readonly number[], c: Collapsed): number[][] | null {
  const { outer, inner } = c;
  const sizes: number[] = [];
  for (let j = 0; j < xs.length; j++) {
    const si = inner === 1 ? 1 : c.si[j]!;
    if (si !== 0 && si !== 1) return null;
    const so = outer === 1 ? 0 : c.so[j]!;
    sizes.push((so === 0 ? 1 : outer) * (si === 0 ? 1 : inner));
  }
  const addrs = sizes.map((n) => arena.alloc(((n + 3) & ~3) * 4)); // all allocations first: growth replaces the heap view
  const heap = heapF32();
  return xs.map((x, j) => {
    const p = addrs[j]! >> 2;
    const off = offs[j]!;
    const si = inner === 1 ? 1 : c.si[j]!;
    const so = outer === 1 ? 0 : c.so[j]!;
    if (si === 0) {
      if (so === 0) heap[p] = x[off]!;
      else for (let r = 0; r < outer; r++) heap[p + r] = x[off + r * so]!;
      return [addrs[j]!, so === 0 ? 0 : 1, 0];
    }
    if (so === 0) heap.set(x.subarray(off, off + inner), p);
    else if (so === inner) heap.set(x.subarray(off, off + outer * inner), p);
    else for (let r = 0; r < outer; r++) heap.set(x.subarray(off + r * so, off + r * so + inner), p + r * inner);
    return [addrs[j]!, so === 0 ? 0 : inner, 1];
  });
}

/** Runs a wasm elementwise kernel on staged operands; writes the dense result to out. False when not applicable. */
function simdElementwise(
  call: (k: WasmKernels, staged: number[][], pout: number, c: Collapsed) => void,
  xs: readonly Arr[],
  offs: readonly number[],
  c: Collapsed,
  out: Arr,
): boolean {
  const n = c.outer * c.inner;
  if (n < elementwiseTuning.wasmMinElements || !(out instanceof Float32Array)) return false;
  for (const x of xs) if (!(x instanceof Float32Array)) return false;
  const k = wasmKernels();
  if (!k) return false;
  try {
    arena.reset();
    const pout = arena.alloc(((n + 3) & ~3) * 4); // whole vectors: the math kernels have no scalar tail
    const staged = stageOperands(xs as Float32Array[], offs, c);
    if (!staged) return false;
    call(k, staged, pout, c);
    out.set(heapF32().subarray(pout >> 2, (pout >> 2) + n));
    return true;
  } catch (e) {
    if (e instanceof RangeError) return false; // wasm memory exhausted: the JS loop still works
    throw e;
  }
}

/** out (dense, `shape`) = op(a, b) for operands already broadcast to `shape`; false when not handled. */
export function fastBinary(
  name: string,
  a: Arr,
  sa: readonly number[],
  oa: number,
  b: Arr,
  sb: readonly number[],
  ob: number,
  shape: Shape,
  out: Arr,
): boolean {
  const loop = BINARY[name];
  if (!loop) return false;
  const c = collapse2(shape, [sa, sb]);
  if (!c) return false;
  const fn = SIMD_BINARY[name];
  if (
    fn &&
    simdElementwise(
      (k, [x, y], po, cc) => k.exports[fn](x![0]!, x![1]!, x![2]!, y![0]!, y![1]!, y![2]!, po, cc.outer, cc.inner),
      [a, b],
      [oa, ob],
      c,
      out,
    )
  ) {
    return true;
  }
  let pa = oa;
  let pb = ob;
  for (let r = 0, o = 0; r < c.outer; r++, o += c.inner, pa += c.so[0]!, pb += c.so[1]!) {
    loop(out, o, a, pa, c.si[0]!, b, pb, c.si[1]!, c.inner);
  }
  return true;
}

const SIMD_UNARY: Record<string, 'expF32' | 'sigmoidF32' | 'tanhF32' | 'reluF32'> = {
  exp: 'expF32',
  sigmoid: 'sigmoidF32',
  tanh: 'tanhF32',
  relu: 'reluF32',
};

/** out (dense) = op(x) over a strided view of x; false when not handled. */
export function fastUnary(name: string, x: Arr, shape: Shape, strides: readonly number[], offset: number, out: Arr): boolean {
  const loop = UNARY[name];
  if (!loop) return false;
  const c = collapse2(shape, [strides]);
  if (!c) return false;
  const fn = SIMD_UNARY[name];
  const dense = (c.inner === 1 || c.si[0] === 1) && (c.outer === 1 || c.so[0] !== 0); // staged as one dense block
  if (fn && dense && simdElementwise((k, [sx], po, cc) => k.exports[fn](sx![0]!, po, cc.outer * cc.inner), [x], [offset], c, out))
    return true;
  let p = offset;
  for (let r = 0, o = 0; r < c.outer; r++, o += c.inner, p += c.so[0]!) loop(out, o, x, p, c.si[0]!, c.inner);
  return true;
}

/**
 * Activation gradients in one pass, from the incoming gradient g and the op's saved input (relu) or
 * output (sigmoid, tanh). The JS loops round every intermediate to float32 for float32 outputs, as the
 * wasm kernels and the composed ops they replace do, so all three paths give the same bits.
 */
const GRAD_LOOPS: Record<
  'relu' | 'sigmoid' | 'tanh',
  {
    kernel: 'reluBackwardF32' | 'sigmoidBackwardF32' | 'tanhBackwardF32';
    f64: (g: number, v: number) => number;
    f32: (g: number, v: number) => number;
  }
> = {
  relu: { kernel: 'reluBackwardF32', f64: (g, x) => (x > 0 ? g : 0), f32: (g, x) => (x > 0 ? g : 0) },
  sigmoid: {
    kernel: 'sigmoidBackwardF32',
    f64: (g, y) => g * (y * (1 - y)),
    f32: (g, y) => Math.fround(g * Math.fround(y * Math.fround(1 - y))),
  },
  tanh: { kernel: 'tanhBackwardF32', f64: (g, y) => g * (1 - y * y), f32: (g, y) => Math.fround(g * Math.fround(1 - Math.fround(y * y))) },
};

/** out = the gradient of `op` from g and v (the saved input or output), tensors of one shape. */
export function activationGrad(
  op: 'relu' | 'sigmoid' | 'tanh',
  g: Arr,
  sg: readonly number[],
  og: number,
  v: Arr,
  sv: readonly number[],
  ov: number,
  shape: Shape,
  out: Arr,
): void {
  const spec = GRAD_LOOPS[op];
  const c = collapse2(shape, [sg, sv]);
  if (c) {
    const dense = [0, 1].every((j) => (c.inner === 1 || c.si[j] === 1) && (c.outer === 1 || c.so[j] !== 0));
    if (
      dense &&
      simdElementwise((k, [sa, sb], po, cc) => k.exports[spec.kernel](sa![0]!, sb![0]!, po, cc.outer * cc.inner), [g, v], [og, ov], c, out)
    )
      return;
  }
  const f = out instanceof Float32Array ? spec.f32 : spec.f64;
  mapBinary(g, sg, og, v, sv, ov, shape, out as Float32Array, f);
}

/** out[i] = cond[i] ? a[i] : b[i] over operands broadcast to `shape` (strides given); false when not handled. */
export function fastWhere(
  cond: Arr,
  sc: readonly number[],
  oc: number,
  a: Arr,
  sa: readonly number[],
  oa: number,
  b: Arr,
  sb: readonly number[],
  ob: number,
  shape: Shape,
  out: Arr,
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

/**
 * Strided iteration: the JS reference kernels walk any view (offset + strides, stride 0 for
 * broadcast dims) in row-major order. The innermost dimension is a tight loop; the outer ones an
 * odometer, so views never need to be materialised first.
 */
import type { Storage } from '../../tensor/dtype.js';
import type { Shape } from '../../tensor/shape.js';

type UnaryLoop = (a: ArrayLike<number>, oa: number, out: Storage, n: number, f: (x: number) => number) => void;
type BinaryLoop = (
  a: ArrayLike<number>,
  oa: number,
  b: ArrayLike<number>,
  ob: number,
  out: Storage,
  n: number,
  f: (x: number, y: number) => number,
) => void;

/**
 * Dense loops specialised per op. A single shared loop calling `f` sees every op's function and
 * every typed-array type at one call site, which V8 cannot inline (measured ~17 ns per element for
 * add on 8k floats). A loop compiled once per op source text gets its own inline caches, so `f` is
 * inlined (~1.4 ns per element). Where code generation is not allowed (a strict Content Security
 * Policy), the generic loops below are used instead.
 */
const loops = new Map<string, UnaryLoop | BinaryLoop>();
let codegen = true;

function loopFor(kind: 'unary' | 'both' | 'left' | 'right', f: (...xs: number[]) => number): UnaryLoop | BinaryLoop | null {
  if (!codegen) return null;
  const key = `${kind}:${f.toString()}`;
  let k = loops.get(key);
  if (k === undefined) {
    const body = {
      unary: 'for (let i = 0; i < n; i++) out[i] = f(a[oa + i]);',
      both: 'for (let i = 0; i < n; i++) out[i] = f(a[oa + i], b[ob + i]);',
      left: 'const y = b[ob]; for (let i = 0; i < n; i++) out[i] = f(a[oa + i], y);',
      right: 'const x = a[oa]; for (let i = 0; i < n; i++) out[i] = f(x, b[ob + i]);',
    }[kind];
    // The source text doubles as a cache key for V8: identical text would share one set of inline caches.
    const src = `// ${key.replace(/\n/g, ' ')}\n${body}`;
    try {
      k = (kind === 'unary' ? new Function('a', 'oa', 'out', 'n', 'f', src) : new Function('a', 'oa', 'b', 'ob', 'out', 'n', 'f', src)) as
        UnaryLoop | BinaryLoop;
    } catch {
      codegen = false;
      return null;
    }
    loops.set(key, k);
  }
  return k;
}

/** Turns the compiled loops off (or back on); results are identical either way. */
export function setKernelCodegen(enabled: boolean): void {
  codegen = enabled;
}

const allZero = (s: readonly number[]): boolean => s.every((v) => v === 0);

/** Strides of `strides` (for `shape`) re-aligned to `outShape`, with 0 where a dim is broadcast. */
export function broadcastStrides(shape: Shape, strides: readonly number[], outShape: Shape): number[] {
  const n = outShape.length;
  const out = new Array<number>(n).fill(0);
  const k = n - shape.length;
  for (let i = 0; i < shape.length; i++) out[i + k] = shape[i] === 1 ? 0 : strides[i]!;
  return out;
}

/** Copies a strided view into a dense row-major array `dst` (starting at dstOffset). */
export function copyStrided(
  src: ArrayLike<number>,
  shape: Shape,
  strides: readonly number[],
  offset: number,
  dst: { [i: number]: number; length: number },
  dstOffset = 0,
): void {
  const nd = shape.length;
  if (nd === 0) {
    dst[dstOffset] = src[offset]!;
    return;
  }
  let total = 1;
  for (const d of shape) total *= d;
  if (total === 0) return;
  const inner = shape[nd - 1]!;
  const sInner = strides[nd - 1]!;
  const idx = new Array<number>(nd).fill(0);
  let base = offset;
  let o = dstOffset;
  for (;;) {
    let p = base;
    for (let j = 0; j < inner; j++, p += sInner) dst[o++] = src[p]!;
    let d = nd - 2;
    for (; d >= 0; d--) {
      idx[d]!++;
      base += strides[d]!;
      if (idx[d]! < shape[d]!) break;
      base -= strides[d]! * shape[d]!;
      idx[d] = 0;
    }
    if (d < 0) return;
  }
}

/** out[i] = f(a[i]) over a strided view of `a`, writing `out` densely. */
export function mapUnary(
  a: ArrayLike<number>,
  shape: Shape,
  strides: readonly number[],
  offset: number,
  out: Storage,
  f: (x: number) => number,
): void {
  const nd = shape.length;
  if (nd === 0) {
    out[0] = f(a[offset]!);
    return;
  }
  let total = 1;
  for (const d of shape) total *= d;
  if (total === 0) return;
  if (isDense(shape, strides)) {
    const k = loopFor('unary', f) as UnaryLoop | null;
    if (k) k(a, offset, out, total, f);
    else for (let i = 0; i < total; i++) out[i] = f(a[offset + i]!);
    return;
  }
  const inner = shape[nd - 1]!;
  const sInner = strides[nd - 1]!;
  const idx = new Array<number>(nd).fill(0);
  let base = offset;
  let o = 0;
  for (;;) {
    let p = base;
    for (let j = 0; j < inner; j++, p += sInner) out[o++] = f(a[p]!);
    let d = nd - 2;
    for (; d >= 0; d--) {
      idx[d]!++;
      base += strides[d]!;
      if (idx[d]! < shape[d]!) break;
      base -= strides[d]! * shape[d]!;
      idx[d] = 0;
    }
    if (d < 0) return;
  }
}

/** out[i] = f(a[i], b[i]) where a and b are already broadcast to `shape` (stride 0 allowed). */
export function mapBinary(
  a: ArrayLike<number>,
  sa: readonly number[],
  oa: number,
  b: ArrayLike<number>,
  sb: readonly number[],
  ob: number,
  shape: Shape,
  out: Storage,
  f: (x: number, y: number) => number,
): void {
  const nd = shape.length;
  if (nd === 0) {
    out[0] = f(a[oa]!, b[ob]!);
    return;
  }
  let total = 1;
  for (const d of shape) total *= d;
  if (total === 0) return;
  const da = isDense(shape, sa);
  const db = isDense(shape, sb);
  const kind = da && db ? 'both' : da && allZero(sb) ? 'left' : db && allZero(sa) ? 'right' : null;
  if (kind) {
    const k = loopFor(kind, f) as BinaryLoop | null;
    if (k) return k(a, oa, b, ob, out, total, f);
    if (kind === 'both') {
      for (let i = 0; i < total; i++) out[i] = f(a[oa + i]!, b[ob + i]!);
      return;
    }
  }
  const inner = shape[nd - 1]!;
  const ia = sa[nd - 1]!;
  const ib = sb[nd - 1]!;
  const idx = new Array<number>(nd).fill(0);
  let pa = oa;
  let pb = ob;
  let o = 0;
  for (;;) {
    let qa = pa;
    let qb = pb;
    for (let j = 0; j < inner; j++, qa += ia, qb += ib) out[o++] = f(a[qa]!, b[qb]!);
    let d = nd - 2;
    for (; d >= 0; d--) {
      idx[d]!++;
      pa += sa[d]!;
      pb += sb[d]!;
      if (idx[d]! < shape[d]!) break;
      pa -= sa[d]! * shape[d]!;
      pb -= sb[d]! * shape[d]!;
      idx[d] = 0;
    }
    if (d < 0) return;
  }
}

/** True when strides are exactly row-major for shape (size-1 dims may have any stride). */
export function isDense(shape: Shape, strides: readonly number[]): boolean {
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = shape[i]!;
    if (d !== 1 && strides[i] !== s) return false;
    s *= d;
  }
  return true;
}

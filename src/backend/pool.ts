/**
 * Pooling dispatch. float32 pooling of 4096+ input elements runs in wasm: 2x2 / stride-2 max
 * pooling with SIMD (four outputs per step), any other max or average window plan (padding,
 * dilation, ceil mode, adaptive) with the reference's loops and rules over the plan's row and column
 * lists. Otherwise max pooling over regular windows (no padding positions) takes a direct JS loop
 * and everything else the reference in cpu/pool.ts. The backward passes (max pooling's scatter-add
 * by indices, average pooling's adjoint) run in wasm for float32 when the input gradient has 4096+
 * elements, with the reference's loops. All paths give the same values, indices and bits.
 */
import * as ref from './cpu/pool.js';
import type { WindowPlan } from './cpu/pool.js';
import { arena, heapF32, heapI32, wasmKernels } from './wasm/loader.js';

type Out = { [i: number]: number };

/** Window start and size when every list is start + [0, 1, ..., k-1] with start = o * stride; null otherwise. */
function regular(lists: readonly Int32Array[]): { k: number; stride: number } | null {
  const k = lists[0]?.length ?? 0;
  if (k === 0) return null;
  const stride = lists.length > 1 ? lists[1]![0]! - lists[0]![0]! : 1;
  for (let o = 0; o < lists.length; o++) {
    const l = lists[o]!;
    if (l.length !== k || l[0] !== o * stride) return null;
    for (let i = 1; i < k; i++) if (l[i] !== l[0] + i) return null;
  }
  return { k, stride };
}

export function maxPoolForward(x: ArrayLike<number>, planes: number, p: WindowPlan, values: Out, indices: Out): void {
  const r = regular(p.rows);
  const c = regular(p.cols);
  const { H, W, OH, OW } = p;
  if (r && c && r.k === 2 && c.k === 2 && r.stride === 2 && c.stride === 2 && pool2x2Wasm(x, planes, H, W, OH, OW, values, indices)) return;
  if (planWasm('max', x, planes, p, values, indices)) return;
  if (!r || !c) return ref.maxPoolForward(x, planes, p, values, indices);
  const kh = r.k,
    sh = r.stride,
    kw = c.k,
    sw = c.stride;
  let o = 0;
  for (let pl = 0; pl < planes; pl++) {
    const base = pl * H * W;
    for (let oh = 0; oh < OH; oh++) {
      const r0 = oh * sh;
      for (let ow = 0; ow < OW; ow++, o++) {
        const c0 = ow * sw;
        let best = -Infinity;
        let bestIdx = r0 * W + c0;
        for (let a = 0; a < kh; a++) {
          const rowOff = (r0 + a) * W + c0;
          for (let b = 0; b < kw; b++) {
            const v = x[base + rowOff + b]!;
            if (v > best || v !== v) {
              best = v;
              bestIdx = rowOff + b;
            }
          }
        }
        values[o] = best;
        indices[o] = bestIdx;
      }
    }
  }
}

/** 2x2 / stride-2 windows of float32 planes in wasm SIMD (four outputs per step); false when not applicable. */
function pool2x2Wasm(
  x: ArrayLike<number>,
  planes: number,
  H: number,
  W: number,
  OH: number,
  OW: number,
  values: Out,
  indices: Out,
): boolean {
  const k = wasmKernels();
  const nIn = planes * H * W;
  const nOut = planes * OH * OW;
  if (!k || !(x instanceof Float32Array) || !(values instanceof Float32Array) || !(indices instanceof Int32Array) || nIn < 4096)
    return false;
  try {
    arena.reset();
    const px = arena.alloc(nIn * 4 + 32); // + a vector of slack: the last row's 4-wide loads stay inside
    const pv = arena.alloc(nOut * 4);
    const pi = arena.alloc(nOut * 4);
    heapF32().set(x, px >> 2);
    k.exports.maxPool2x2(px, planes, H, W, OH, OW, pv, pi);
    values.set(heapF32().subarray(pv >> 2, (pv >> 2) + nOut));
    indices.set(heapI32().subarray(pi >> 2, (pi >> 2) + nOut));
    return true;
  } catch (e) {
    if (e instanceof RangeError) return false;
    throw e;
  }
}

/**
 * Max pooling's backward: out (planes x outer, overwritten) gets src added at each plane's indices.
 * float32 with 4096+ output elements in wasm (the reference's loop, same sums and bits), else the reference.
 */
export function scatterAddPlanes(
  src: ArrayLike<number>,
  idx: ArrayLike<number>,
  planes: number,
  inner: number,
  outer: number,
  out: Out,
): void {
  const k = wasmKernels();
  const nSrc = planes * inner;
  const nOut = planes * outer;
  if (k && src instanceof Float32Array && idx instanceof Int32Array && out instanceof Float32Array && nOut >= 4096) {
    try {
      arena.reset();
      const ps = arena.alloc(nSrc * 4);
      const pi = arena.alloc(nSrc * 4);
      const po = arena.alloc(nOut * 4);
      heapF32().set(src.subarray(0, nSrc), ps >> 2);
      heapI32().set(idx.subarray(0, nSrc), pi >> 2);
      k.exports.scatterAddPlanes(ps, pi, planes, inner, outer, po);
      out.set(heapF32().subarray(po >> 2, (po >> 2) + nOut));
      return;
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
    }
  }
  ref.scatterAddPlanes(src, idx, planes, inner, outer, out);
}

/** Average pooling's backward (the adjoint of windowMeanForward, out overwritten); wasm for float32, else the reference. */
export function windowMeanBackward(g: ArrayLike<number>, planes: number, p: WindowPlan, out: Out): void {
  const k = wasmKernels();
  const nOut = planes * p.H * p.W;
  const nG = planes * p.OH * p.OW;
  if (k && g instanceof Float32Array && out instanceof Float32Array && p.divisor && nOut >= 4096) {
    try {
      const rows = csr(p.rows);
      const cols = csr(p.cols);
      arena.reset();
      const pg = arena.alloc(nG * 4);
      const prp = arena.alloc(rows.ptr.length * 4);
      const pri = arena.alloc(Math.max(1, rows.idx.length) * 4);
      const pcp = arena.alloc(cols.ptr.length * 4);
      const pci = arena.alloc(Math.max(1, cols.idx.length) * 4);
      const pd = arena.alloc(p.OH * p.OW * 8);
      const po = arena.alloc(nOut * 4);
      const f32 = heapF32();
      const i32 = heapI32();
      f32.set(g.subarray(0, nG), pg >> 2);
      i32.set(rows.ptr, prp >> 2);
      i32.set(rows.idx, pri >> 2);
      i32.set(cols.ptr, pcp >> 2);
      i32.set(cols.idx, pci >> 2);
      new Float64Array(f32.buffer, pd, p.OH * p.OW).set(p.divisor);
      k.exports.windowMeanBackward(pg, planes, p.H, p.W, p.OH, p.OW, prp, pri, pcp, pci, pd, po);
      out.set(heapF32().subarray(po >> 2, (po >> 2) + nOut));
      return;
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
    }
  }
  ref.windowMeanBackward(g, planes, p, out);
}

/** out = window sums / divisor (average and adaptive average pooling); wasm for float32, else the reference. */
export function windowMeanForward(x: ArrayLike<number>, planes: number, p: WindowPlan, out: Out): void {
  if (!planWasm('mean', x, planes, p, out, null)) ref.windowMeanForward(x, planes, p, out);
}

/** Window lists in CSR form: ptr [n + 1] offsets into the concatenated lists. */
function csr(lists: readonly Int32Array[]): { ptr: Int32Array; idx: Int32Array } {
  const ptr = new Int32Array(lists.length + 1);
  for (let i = 0; i < lists.length; i++) ptr[i + 1] = ptr[i]! + lists[i]!.length;
  const idx = new Int32Array(ptr[lists.length]!);
  for (let i = 0; i < lists.length; i++) idx.set(lists[i]!, ptr[i]!);
  return { ptr, idx };
}

/**
 * Any window plan in wasm (wasm/assembly/pool.ts poolPlan: the reference's loops
 * and rules, so the same values, indices and bits); false when not float32, small or no kernels.
 */
function planWasm(kind: 'max' | 'mean', x: ArrayLike<number>, planes: number, p: WindowPlan, out: Out, indices: Out | null): boolean {
  const k = wasmKernels();
  const nIn = planes * p.H * p.W;
  const nOut = planes * p.OH * p.OW;
  if (!k || !(x instanceof Float32Array) || !(out instanceof Float32Array) || nIn < 4096) return false;
  if (kind === 'max' ? !(indices instanceof Int32Array) : !p.divisor) return false;
  try {
    const rows = csr(p.rows);
    const cols = csr(p.cols);
    arena.reset();
    const px = arena.alloc(nIn * 4);
    const prp = arena.alloc(rows.ptr.length * 4);
    const pri = arena.alloc(Math.max(1, rows.idx.length) * 4);
    const pcp = arena.alloc(cols.ptr.length * 4);
    const pci = arena.alloc(Math.max(1, cols.idx.length) * 4);
    const pv = arena.alloc(nOut * 4);
    const pi = kind === 'max' ? arena.alloc(nOut * 4) : arena.alloc(p.OH * p.OW * 8);
    const f32 = heapF32();
    const i32 = heapI32();
    f32.set(x, px >> 2);
    i32.set(rows.ptr, prp >> 2);
    i32.set(rows.idx, pri >> 2);
    i32.set(cols.ptr, pcp >> 2);
    i32.set(cols.idx, pci >> 2);
    if (kind === 'max') {
      k.exports.poolPlan(0, px, planes, p.H, p.W, p.OH, p.OW, prp, pri, pcp, pci, pv, pi);
      (indices as Int32Array).set(heapI32().subarray(pi >> 2, (pi >> 2) + nOut));
    } else {
      new Float64Array(f32.buffer, pi, p.OH * p.OW).set(p.divisor!);
      k.exports.poolPlan(1, px, planes, p.H, p.W, p.OH, p.OW, prp, pri, pcp, pci, pv, pi);
    }
    out.set(heapF32().subarray(pv >> 2, (pv >> 2) + nOut));
    return true;
  } catch (e) {
    if (e instanceof RangeError) return false;
    throw e;
  }
}

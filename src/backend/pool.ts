/**
 * Pooling dispatch: max pooling over regular windows (no padding positions, no dilation, the
 * common 2x2/stride-2 case of CNNs) runs a direct loop instead of the reference's per-window
 * index lists; same comparison order, so values and indices are identical. Everything else goes to
 * the reference kernel in cpu/pool.ts.
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
    for (let i = 1; i < k; i++) if (l[i] !== l[0]! + i) return null;
  }
  return { k, stride };
}

export function maxPoolForward(x: ArrayLike<number>, planes: number, p: WindowPlan, values: Out, indices: Out): void {
  const r = regular(p.rows);
  const c = regular(p.cols);
  if (!r || !c) return ref.maxPoolForward(x, planes, p, values, indices);
  const { H, W, OH, OW } = p;
  const kh = r.k, sh = r.stride, kw = c.k, sw = c.stride;
  if (kh === 2 && kw === 2 && sh === 2 && sw === 2 && pool2x2Wasm(x, planes, H, W, OH, OW, values, indices)) return;
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
function pool2x2Wasm(x: ArrayLike<number>, planes: number, H: number, W: number, OH: number, OW: number, values: Out, indices: Out): boolean {
  const k = wasmKernels();
  const nIn = planes * H * W;
  const nOut = planes * OH * OW;
  if (!k || !(x instanceof Float32Array) || !(values instanceof Float32Array) || !(indices instanceof Int32Array) || nIn < 4096) return false;
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

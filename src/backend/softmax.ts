/**
 * Softmax dispatch: float32 lines along a unit-stride dim (the last dim of attention scores and
 * logits) run in wasm SIMD (wasm/assembly/math.ts softmaxRowsF32: the vector exp, a few f32 ulp
 * from the correctly rounded value); everything else, and float64, uses the reference
 * (cpu/softmax.ts), which computes in float64.
 */
import { softmaxLines } from './cpu/softmax.js';
import type { ReducePlan } from './cpu/reduce.js';
import { arena, heapF32, wasmKernels } from './wasm/loader.js';

export const softmaxTuning = { wasmMinElements: 256 };

export function softmax(src: ArrayLike<number>, inPlan: ReducePlan, dst: { [i: number]: number }, outPlan: ReducePlan, log: boolean): void {
  if (!simdSoftmax(src, inPlan, dst, outPlan, log)) softmaxLines(src, inPlan, dst, outPlan, log);
}

function simdSoftmax(src: ArrayLike<number>, inPlan: ReducePlan, dst: { [i: number]: number }, outPlan: ReducePlan, log: boolean): boolean {
  const k = wasmKernels();
  const n = inPlan.rel.length;
  const rows = inPlan.bases.length;
  if (!k || !(src instanceof Float32Array) || !(dst instanceof Float32Array) || n === 0 || rows * n < softmaxTuning.wasmMinElements)
    return false;
  for (let i = 0; i < n; i++) if (inPlan.rel[i] !== i || outPlan.rel[i] !== i) return false; // lines must be unit-stride
  const n4 = (n + 3) & ~3;
  try {
    arena.reset();
    const px = arena.alloc(rows * n4 * 4);
    const py = arena.alloc(rows * n4 * 4);
    let heap = heapF32();
    // One copy each way when the lines are consecutive and whole vectors (a dense [..., n]).
    const whole = n4 === n && consecutive(inPlan.bases, n) && consecutive(outPlan.bases, n);
    if (whole) heap.set(src.subarray(inPlan.bases[0]!, inPlan.bases[0]! + rows * n), px >> 2);
    else {
      for (let r = 0; r < rows; r++) {
        const b = inPlan.bases[r]!;
        const p = (px >> 2) + r * n4;
        heap.set(src.subarray(b, b + n), p);
        if (n4 > n) heap.fill(-Infinity, p + n, p + n4); // exp(-inf) = 0: padding adds nothing
      }
    }
    k.exports.softmaxRowsF32(px, py, rows, n4, log ? 1 : 0);
    heap = heapF32();
    if (whole) dst.set(heap.subarray(py >> 2, (py >> 2) + rows * n), outPlan.bases[0]!);
    else {
      for (let r = 0; r < rows; r++) {
        const p = (py >> 2) + r * n4;
        dst.set(heap.subarray(p, p + n), outPlan.bases[r]!);
      }
    }
    return true;
  } catch (e) {
    if (e instanceof RangeError) return false; // wasm memory exhausted: the reference still works
    throw e;
  }
}

function consecutive(bases: Int32Array, n: number): boolean {
  for (let r = 1; r < bases.length; r++) if (bases[r] !== bases[0]! + r * n) return false;
  return true;
}

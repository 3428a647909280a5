/**
 * Optimizer updates of float32 parameters in wasm (wasm/assembly/optim.ts): one kernel call per
 * parameter, with the parameter, its gradient and its state arrays staged into kernel memory and
 * the updated arrays copied back. The kernels do the JS reference's float32 arithmetic (src/optim/sgd.ts,
 * adam.ts, rmsprop.ts: each result rounded to float32) with the constants it computed, so both paths
 * give the same bits.
 * The reference runs for float64, for parameters below optimTuning.wasmMinElements (a bias of ten
 * values costs more to stage than to update in JS) and without wasm: these functions then return
 * false.
 */
import { arena, heapF32, wasmKernels, type WasmKernels } from './wasm/loader.js';

type Arr = ArrayLike<number>;

/** Parameters of at least this many elements are updated in wasm (tests lower it to reach every size). */
export const optimTuning = { wasmMinElements: 256 };

/**
 * Stages p, grad and the state arrays (null: not used, address 0), calls the kernel with their
 * byte addresses, and copies back everything but the gradient. False when not applicable.
 */
function staged(p: Arr, grad: Arr, state: readonly (Arr | null)[], call: (k: WasmKernels, addrs: readonly number[]) => void): boolean {
  const n = p.length;
  const k = wasmKernels();
  if (!k || n < optimTuning.wasmMinElements || !(p instanceof Float32Array) || !(grad instanceof Float32Array) || grad.length !== n)
    return false;
  for (const s of state) if (s && !(s instanceof Float32Array && s.length === n)) return false;
  const arrays = [p, grad, ...state] as (Float32Array | null)[];
  try {
    arena.reset();
    const bytes = ((n + 3) & ~3) * 4; // whole vectors: the kernels step four elements at a time
    const addrs = arrays.map((a) => (a ? arena.alloc(bytes) : 0)); // all allocations first: growth replaces the heap view
    let heap = heapF32();
    arrays.forEach((a, j) => a && heap.set(a, addrs[j]! >> 2));
    call(k, addrs);
    heap = heapF32();
    arrays.forEach((a, j) => {
      if (a && j !== 1) a.set(heap.subarray(addrs[j]! >> 2, (addrs[j]! >> 2) + n));
    });
    return true;
  } catch (e) {
    if (e instanceof RangeError) return false; // wasm memory exhausted: the JS loop still works
    throw e;
  }
}

/** SGD on one parameter (b: the momentum buffer, or null without momentum); false when not handled. */
export function sgdUpdate(
  p: Arr,
  grad: Arr,
  b: Arr | null,
  first: boolean,
  nesterov: boolean,
  c: { lr: number; mu: number; damp: number; wd: number },
): boolean {
  const flags = (b ? 1 : 0) | (nesterov ? 2 : 0) | (first ? 4 : 0);
  return staged(p, grad, [b], (k, [pp, pg, pb]) => k.exports.sgdF32(pp!, pg!, pb!, p.length, c.lr, c.mu, c.damp, c.wd, flags));
}

/** Adam/AdamW on one parameter (vmax: the amsgrad maximum, or null); false when not handled. */
export function adamUpdate(
  p: Arr,
  grad: Arr,
  m: Arr,
  v: Arr,
  vmax: Arr | null,
  decoupled: boolean,
  addDecay: boolean,
  c: { beta1: number; c1: number; beta2: number; c2: number; eps: number; wd: number; decay: number; stepSize: number; bc2: number },
): boolean {
  const flags = (decoupled ? 1 : 0) | (vmax ? 2 : 0) | (addDecay ? 4 : 0);
  return staged(p, grad, [m, v, vmax], (k, [pp, pg, pm, pv, px]) =>
    k.exports.adamF32(pp!, pg!, pm!, pv!, px!, p.length, c.beta1, c.c1, c.beta2, c.c2, c.eps, c.wd, c.decay, c.stepSize, c.bc2, flags),
  );
}

/** RMSprop on one parameter (gavg: centered only, b: momentum only, else null); false when not handled. */
export function rmspropUpdate(
  p: Arr,
  grad: Arr,
  sq: Arr,
  gavg: Arr | null,
  b: Arr | null,
  c: { lr: number; alpha: number; c: number; eps: number; wd: number; mu: number },
): boolean {
  const flags = (gavg ? 1 : 0) | (b ? 2 : 0);
  return staged(p, grad, [sq, gavg, b], (k, [pp, pg, ps, pa, pb]) =>
    k.exports.rmspropF32(pp!, pg!, ps!, pa!, pb!, p.length, c.lr, c.alpha, c.c, c.eps, c.wd, c.mu, flags),
  );
}

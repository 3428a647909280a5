/**
 * Loads the WebAssembly kernel module. Variants, best first: relaxed SIMD (fused multiply-add),
 * plain SIMD, then none (callers use the JS reference kernels). Each is checked with
 * WebAssembly.validate before use, so an engine without a feature silently gets the next one;
 * loading never throws. Threads need a shared memory (SharedArrayBuffer: Node, or a
 * cross-origin-isolated page); without it the unshared builds are used and everything runs on the
 * calling thread.
 *
 * Choice: SHINSOU_KERNELS=relaxed|simd|js in the environment, or setKernelVariant() at run time.
 *
 * Memory: the JS side owns the linear memory. Below ARENA_BASE lie the pool control blocks; above
 * it a bump arena that each kernel call resets (ops are synchronous and not re-entrant).
 */
import * as bytes from './kernels-bytes.js';
import { ARENA_BASE, type KernelName } from './names.js';

export type KernelVariant = 'relaxed' | 'simd' | 'js';

type Fn = (...args: number[]) => number;
/** Exports called on the calling thread only (the pool runs KERNEL_NAMES). */
type LocalKernel =
  | 'scratchFloats'
  | 'isRelaxed'
  | 'expF32'
  | 'sigmoidF32'
  | 'tanhF32'
  | 'maxPool2x2'
  | 'addF32'
  | 'subF32'
  | 'mulF32'
  | 'divF32'
  | 'reluF32'
  | 'reluBackwardF32'
  | 'sigmoidBackwardF32'
  | 'tanhBackwardF32'
  | 'lstmCellForward'
  | 'lstmCellBackward'
  | 'gruCellForward'
  | 'gruCellBackward'
  | 'winogradWeights'
  | 'winogradWeightsBackward'
  | 'softmaxRowsF32'
  | 'normForwardF32'
  | 'normBackwardF32'
  | 'poolPlan'
  | 'sgdF32'
  | 'adamF32'
  | 'rmspropF32'
  | 'scatterAddPlanes'
  | 'windowMeanBackward'
  | 'word2vecChunk'
  | 'qmaxPool'
  | 'qquantize';
export type KernelExports = Record<KernelName | LocalKernel, Fn>;

export interface WasmKernels {
  variant: 'relaxed' | 'simd';
  shared: boolean;
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  exports: KernelExports;
}

const PAGE = 65536;
const MAX_PAGES_SHARED = 32768;

const proc = (globalThis as { process?: { versions?: { node?: string }; env?: Record<string, string | undefined> } }).process;
export const isNode = !!proc?.versions?.node;

/** Environment variable (Node) or undefined. */
export function envVar(name: string): string | undefined {
  return proc?.env?.[name];
}

function decode(b64: string): Uint8Array<ArrayBuffer> {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

// Node 20 accepts relaxed SIMD only behind a flag, which must be set before the module is compiled
// (newer engines have it on: the flag is set only when the relaxed module does not validate).
if (isNode && typeof WebAssembly !== 'undefined' && !WebAssembly.validate(decode(bytes.relaxed))) {
  try {
    const name = 'node:v8';
    const v8 = (await import(/* @vite-ignore */ name)) as { setFlagsFromString(f: string): void };
    v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    // not fatal: the plain SIMD variant is used
  }
}

/** SharedArrayBuffer-backed wasm memory is available (Node, or a cross-origin-isolated page). */
export const sharedMemoryAvailable: boolean = (() => {
  if (typeof SharedArrayBuffer === 'undefined') return false;
  if (!isNode && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === false) return false;
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    return true;
  } catch {
    return false;
  }
})();

const compiled: Partial<Record<'relaxed' | 'simd', WebAssembly.Module>> = {};
async function compileVariants(): Promise<void> {
  if (typeof WebAssembly === 'undefined') return;
  const sources: Record<'relaxed' | 'simd', string> = sharedMemoryAvailable
    ? { relaxed: bytes.relaxedShared, simd: bytes.simdShared }
    : { relaxed: bytes.relaxed, simd: bytes.simd };
  for (const v of ['relaxed', 'simd'] as const) {
    try {
      const b = decode(sources[v]);
      if (!WebAssembly.validate(b)) continue;
      compiled[v] = await WebAssembly.compile(b);
    } catch {
      // this engine cannot compile the variant: leave it out
    }
  }
}
await compileVariants();

let memory: WebAssembly.Memory | null = null;
let active: WasmKernels | null = null;
let activeVariant: KernelVariant = 'js';
let f32view = new Float32Array(0);
let i32view = new Int32Array(0);
let u8view = new Uint8Array(0);
const listeners: (() => void)[] = [];

function refreshViews(): void {
  const buf = memory!.buffer;
  f32view = new Float32Array(buf);
  i32view = new Int32Array(buf);
  u8view = new Uint8Array(buf);
}

function instantiate(v: 'relaxed' | 'simd'): WasmKernels | null {
  const module = compiled[v];
  if (!module) return null;
  try {
    if (!memory) {
      memory = sharedMemoryAvailable
        ? new WebAssembly.Memory({ initial: 64, maximum: MAX_PAGES_SHARED, shared: true })
        : new WebAssembly.Memory({ initial: 64 });
      refreshViews();
    }
    const instance = new WebAssembly.Instance(module, {
      env: {
        memory,
        abort: () => {
          throw new Error('shinsou wasm kernel aborted');
        },
      },
    });
    return { variant: v, shared: sharedMemoryAvailable, module, memory, exports: instance.exports as unknown as KernelExports };
  } catch {
    return null;
  }
}

/**
 * Selects the kernel variant ('auto' = best available). Returns the variant now active, which is
 * the requested one or the next available below it (relaxed -> simd -> js).
 */
export function setKernelVariant(v: KernelVariant | 'auto'): KernelVariant {
  const order: KernelVariant[] = v === 'auto' || v === 'relaxed' ? ['relaxed', 'simd', 'js'] : v === 'simd' ? ['simd', 'js'] : ['js'];
  let next: WasmKernels | null = null;
  for (const c of order) {
    if (c === 'js') break;
    next = active && active.variant === c ? active : instantiate(c);
    if (next) break;
  }
  const changed = next !== active;
  active = next;
  activeVariant = next ? next.variant : 'js';
  if (changed) for (const l of listeners) l();
  return activeVariant;
}

/** The active kernel variant: 'relaxed', 'simd' or 'js' (no WebAssembly kernels). */
export function getKernelVariant(): KernelVariant {
  return activeVariant;
}

/** The active wasm kernels, or null when the JS reference kernels are in use. */
export function wasmKernels(): WasmKernels | null {
  return active;
}

/** Called whenever the active module changes (the worker pool restarts on it). */
export function onKernelChange(f: () => void): void {
  listeners.push(f);
}

/** Live typed-array views of the kernel memory (re-read after every alloc: growth replaces them). */
export function heapF32(): Float32Array {
  return f32view;
}
export function heapI32(): Int32Array {
  return i32view;
}
export function heapU8(): Uint8Array {
  return u8view;
}

/** Bump allocation above ARENA_BASE; reset() at the start of every kernel call. */
export const arena = {
  top: ARENA_BASE,
  reset(): void {
    this.top = ARENA_BASE;
  },
  /** Byte address of `bytes` fresh bytes, 64-byte aligned; grows the memory when needed. */
  alloc(nbytes: number): number {
    const p = (this.top + 63) & ~63;
    const end = p + nbytes;
    const have = memory!.buffer.byteLength;
    if (end > have) {
      const pages = Math.ceil((end - have) / PAGE);
      try {
        memory!.grow(Math.max(pages, Math.ceil(have / PAGE / 4)));
      } catch {
        memory!.grow(pages); // throws RangeError past the maximum: callers fall back to JS
      }
      refreshViews();
    } else if (f32view.buffer.byteLength !== have) refreshViews();
    this.top = end;
    return p;
  },
};

setKernelVariant(
  ((): KernelVariant | 'auto' => {
    const e = envVar('SHINSOU_KERNELS');
    return e === 'relaxed' || e === 'simd' || e === 'js' ? e : 'auto';
  })(),
);

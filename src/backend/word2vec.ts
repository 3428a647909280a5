/**
 * word2vec's chunk loop in wasm (wasm/assembly/word2vec.ts): W_in, W_out, the chunk's word ids,
 * the keep thresholds and the unigram table are staged into kernel memory, the kernel trains on
 * them, and the two matrices are copied back. Staging costs a few percent of a 10,000-word chunk
 * (measured: docs/word2vec.md). Without wasm (SHINSOU_KERNELS=js, or no WebAssembly SIMD) this
 * returns null and the caller runs the JS reference loop (src/models/word2vec/task.ts).
 */
import { arena, heapF32, heapI32, wasmKernels } from './wasm/loader.js';

/** What one chunk needs; arrays are the caller's (W_in, W_out updated in place). */
export interface Word2VecChunkArgs {
  W_in: Float32Array;
  W_out: Float32Array;
  dim: number;
  /** Word ids of the chunk's sentences, sentence s at ids[offsets[s] - offsets[0] ..]. */
  ids: Int32Array;
  /** Sentence starts relative to ids[0], sentences + 1 entries. */
  offsets: Int32Array;
  keep: Uint32Array;
  subsample: boolean;
  table: Int32Array;
  window: number;
  negatives: number;
  skipgram: boolean;
  alpha: number;
  /** Longest sentence of the corpus (scratch size). */
  maxLen: number;
  /** The xorshift32 stream state (as an int32). */
  rng: number;
}

/** Trains one chunk in wasm; returns the loss sum, the steps and the new stream state, or null without wasm. */
export function word2vecChunkWasm(a: Word2VecChunkArgs): { loss: number; steps: number; rng: number } | null {
  const k = wasmKernels();
  if (!k) return null;
  const d = a.dim;
  const sentences = a.offsets.length - 1;
  try {
    arena.reset();
    const win = arena.alloc(a.W_in.length * 4);
    const wout = arena.alloc(a.W_out.length * 4);
    const ids = arena.alloc(a.ids.length * 4 + 4);
    const offsets = arena.alloc(a.offsets.length * 4);
    const keep = arena.alloc(a.keep.length * 4);
    const table = arena.alloc(a.table.length * 4);
    const buf = arena.alloc(a.maxLen * 4 + 4);
    const negs = arena.alloc(a.negatives * 4 + 4);
    const work = arena.alloc(d * 4);
    const h = arena.alloc(d * 4);
    const state = arena.alloc(16); // every allocation first: growth replaces the heap views
    const f32 = heapF32();
    const i32 = heapI32();
    f32.set(a.W_in, win >> 2);
    f32.set(a.W_out, wout >> 2);
    i32.set(a.ids, ids >> 2);
    i32.set(a.offsets, offsets >> 2);
    i32.set(new Int32Array(a.keep.buffer, a.keep.byteOffset, a.keep.length), keep >> 2);
    i32.set(a.table, table >> 2);
    i32[state >> 2] = a.rng;
    const loss = k.exports.word2vecChunk(
      win,
      wout,
      d,
      ids,
      offsets,
      sentences,
      keep,
      a.subsample ? 1 : 0,
      table,
      a.table.length,
      a.window,
      a.negatives,
      a.skipgram ? 1 : 0,
      a.alpha,
      buf,
      negs,
      work,
      h,
      state,
    );
    const f32b = heapF32();
    const i32b = heapI32();
    a.W_in.set(f32b.subarray(win >> 2, (win >> 2) + a.W_in.length));
    a.W_out.set(f32b.subarray(wout >> 2, (wout >> 2) + a.W_out.length));
    return { loss, steps: i32b[(state >> 2) + 1]!, rng: i32b[state >> 2]! };
  } catch (e) {
    if (e instanceof RangeError) return null; // wasm memory exhausted: the JS loop still works
    throw e;
  }
}

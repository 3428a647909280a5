// The worker pool at the edges of its thread count: 1, 2, the maximum and one past it. Each count
// runs in a child process (SHINSOU_THREADS is read at import) and must give the same bits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  MAX_THREADS,
  CTL_BYTES,
  CTL_BASE,
  CTL_GENERATIONS,
  ARENA_BASE,
  MAX_WORKERS,
  slotIndex,
  SLOT_INTS,
} from '../src/backend/wasm/names.js';

const gemmUrl = new URL('../src/backend/gemm.js', import.meta.url).href;
const indexUrl = new URL('../src/index.js', import.meta.url).href;

/** Runs a threaded GEMM in a child with SHINSOU_THREADS=env; returns the thread counts and a checksum. */
function child(env: string, thenSet?: number): { threads: number; available: number; after: number; sum: string } {
  const script = `
    const { gemm, gemmTuning } = await import(${JSON.stringify(gemmUrl)});
    const s = await import(${JSON.stringify(indexUrl)});
    const { availableThreads } = await import(${JSON.stringify(new URL('../src/backend/wasm/pool.js', import.meta.url).href)});
    gemmTuning.parallelMinMacs = 0;
    const M = 257, N = 131, K = 67;
    const A = new Float32Array(M * K).map((_, i) => Math.sin(i));
    const B = new Float32Array(K * N).map((_, i) => Math.cos(i));
    const C = new Float32Array(M * N);
    gemm({ transA: false, transB: false, M, N, K, A, offA: 0, lda: K, B, offB: 0, ldb: N, C, offC: 0, ldc: N });
    const threads = s.getNumThreads();
    const available = availableThreads();
    let h = 2166136261;
    for (const b of new Uint8Array(C.buffer)) h = Math.imul(h ^ b, 16777619) >>> 0;
    ${thenSet === undefined ? '' : `s.setNumThreads(${thenSet});`}
    console.log(JSON.stringify({ threads, available, after: s.getNumThreads(), sum: h.toString(16) }));
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, SHINSOU_THREADS: env, SHINSOU_KERNELS: 'simd' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.equal(r.status, 0, `SHINSOU_THREADS=${env}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

test('thread pool layout: every worker slot lies inside its control block, blocks below the arena', () => {
  assert.ok(slotIndex(1) >= 4, 'slots after the header');
  assert.ok((slotIndex(MAX_WORKERS) + SLOT_INTS) * 4 <= CTL_BYTES, 'last slot inside the block');
  assert.ok(CTL_BASE + CTL_GENERATIONS * CTL_BYTES <= ARENA_BASE, 'control blocks below the arena');
  assert.equal(MAX_WORKERS, MAX_THREADS - 1);
});

test('thread pool: 1, 2, the maximum and maximum + 1 threads give the same bits (the last is clamped)', () => {
  const one = child('1');
  assert.deepEqual([one.threads, one.available], [1, 1]);
  const two = child('2');
  assert.deepEqual([two.threads, two.available], [2, 2]);
  assert.equal(two.sum, one.sum, '2 threads');
  // One past the maximum is clamped to it, so this child runs the maximum; setNumThreads clamps too.
  const past = child(String(MAX_THREADS + 1), MAX_THREADS + 1);
  assert.deepEqual([past.threads, past.available, past.after], [MAX_THREADS, MAX_THREADS, MAX_THREADS]);
  assert.equal(past.sum, one.sum, `${MAX_THREADS} threads`);
});

test('SHINSOU_THREADS that is not a positive integer is named in a warning, not silently ignored', () => {
  const script = `const s = await import(${JSON.stringify(indexUrl)}); console.log(s.getNumThreads());`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, SHINSOU_THREADS: 'many' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /SHINSOU_THREADS="many" is not a positive integer/);
  assert.ok(Number(r.stdout.trim()) >= 1);
});

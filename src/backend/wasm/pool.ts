/**
 * The worker pool: N-1 workers plus the calling thread share the kernel module's memory. A call
 * writes one job per worker into the control block, bumps the sequence number, runs job 0 itself,
 * then blocks on Atomics.wait until the workers report done. Used only when the calling thread may
 * block (Node main thread and workers, browser workers; not a browser page's main thread) and the
 * memory is shared; otherwise everything runs on the calling thread.
 *
 * Thread count: SHINSOU_THREADS, else all cores; setNumThreads(n) at run time; every source is
 * clamped to MAX_THREADS (names.ts), the most the control block has job slots for. Workers are
 * started lazily by the first call large enough to use them, and are unref'ed so Node exits normally.
 */
import {
  CTL_BASE,
  CTL_BYTES,
  CTL_GENERATIONS,
  DONE,
  KERNEL_NAMES,
  MAX_JOB_ARGS,
  MAX_THREADS,
  QUIT,
  READY,
  SEQ,
  slotIndex,
  type KernelName,
} from './names.js';
import { envVar, heapI32, isNode, onKernelChange, wasmKernels } from './loader.js';

interface AnyWorker {
  terminate(): unknown;
  unref?(): void;
  on?(event: string, f: (e: unknown) => void): void;
  postMessage?(m: unknown): void;
}
type WorkerCtor = new (url: URL, opts?: Record<string, unknown>) => AnyWorker;

let WorkerImpl: WorkerCtor | null = null;
let cores = 1;
if (isNode) {
  try {
    const wt = 'node:worker_threads';
    const os = 'node:os';
    WorkerImpl = ((await import(/* @vite-ignore */ wt)) as { Worker: WorkerCtor }).Worker;
    const m = (await import(/* @vite-ignore */ os)) as { availableParallelism?: () => number; cpus(): unknown[] };
    cores = m.availableParallelism ? m.availableParallelism() : m.cpus().length;
  } catch {
    WorkerImpl = null;
  }
} else {
  const g = globalThis as { Worker?: WorkerCtor; navigator?: { hardwareConcurrency?: number }; document?: unknown };
  // A page's main thread may not block on Atomics.wait: there the pool stays empty.
  if (g.Worker && g.document === undefined) WorkerImpl = g.Worker;
  cores = g.navigator?.hardwareConcurrency ?? 1;
}

function initialThreads(): number {
  const raw = envVar('SHINSOU_THREADS');
  if (raw !== undefined && raw.trim() !== '') {
    const e = Number(raw);
    if (Number.isInteger(e) && e >= 1) return Math.min(e, MAX_THREADS);
    // Importing the library must not throw over an environment variable: say so once and go on.
    console.warn(
      `shinsou: SHINSOU_THREADS=${JSON.stringify(raw)} is not a positive integer; using ${Math.min(Math.max(1, cores), MAX_THREADS)} threads`,
    );
  }
  return Math.min(Math.max(1, cores), MAX_THREADS);
}

/** How long the pool's start may go without a new worker coming up before it is abandoned. */
const STALL_MS = 15_000;

let numThreads = initialThreads();
let workers: AnyWorker[] = [];
let generation = 0;
let ctlBase = CTL_BASE;
let started = false;
let usable = false; // workers are up and answering
let failed = false; // the last start failed: do not block on another until setNumThreads

/**
 * Sets the number of threads kernels may use (the calling thread included). 1 disables the pool.
 * Counts above MAX_THREADS (64) are clamped to it; getNumThreads() tells the count in use.
 * Results of every kernel are the same for any thread count.
 */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new Error(`setNumThreads: expected a positive integer, got ${n}`);
  const want = Math.min(n, MAX_THREADS);
  failed = false;
  if (want !== numThreads) {
    numThreads = want;
    stopPool();
  }
}

/** The number of threads kernels may use (the calling thread included). */
export function getNumThreads(): number {
  return numThreads;
}

function stopPool(): void {
  if (!started) return;
  const i32 = heapI32();
  const c = ctlBase >> 2;
  Atomics.store(i32, c + QUIT, 1);
  Atomics.add(i32, c + SEQ, 1);
  Atomics.notify(i32, c + SEQ);
  for (const w of workers) void w.terminate();
  workers = [];
  started = false;
  usable = false;
}
onKernelChange(stopPool);

function startPool(): boolean {
  const k = wasmKernels();
  if (!k || !k.shared || !WorkerImpl) return false;
  started = true;
  generation++;
  ctlBase = CTL_BASE + (generation % CTL_GENERATIONS) * CTL_BYTES;
  const i32 = heapI32();
  i32.fill(0, ctlBase >> 2, (ctlBase + CTL_BYTES) >> 2);
  const url = new URL('./worker.js', import.meta.url);
  try {
    for (let w = 1; w < numThreads; w++) {
      const init = { module: k.module, memory: k.memory, ctl: ctlBase, index: w };
      let worker: AnyWorker;
      if (isNode) {
        // --input-type and similar flags of the parent would make the worker fail to load.
        const execArgv = ((globalThis as { process?: { execArgv?: string[] } }).process?.execArgv ?? []).filter(
          (a) => !a.startsWith('--input-type') && !a.startsWith('--eval') && a !== '-e',
        );
        worker = new WorkerImpl(url, { workerData: init, execArgv });
        worker.on?.('error', () => {
          stopPool();
          failed = true;
        });
      } else {
        worker = new WorkerImpl(url, { type: 'module' });
        worker.postMessage!(init);
      }
      worker.unref?.();
      workers.push(worker);
    }
  } catch {
    stopPool();
    failed = true;
    return false;
  }
  // Block until the workers have instantiated the module. They start in parallel, ~tens of ms
  // each, but on a few busy cores dozens of them start one after another and may take many
  // seconds in all: give up only when none has come up for STALL_MS (a worker that cannot load,
  // e.g. a page whose policy forbids workers, never comes up), and say so.
  const c = ctlBase >> 2;
  let seen = -1;
  let lastProgress = Date.now();
  for (;;) {
    const r = Atomics.load(i32, c + READY);
    if (r >= workers.length) break;
    if (r !== seen) {
      seen = r;
      lastProgress = Date.now();
    } else if (Date.now() - lastProgress > STALL_MS) {
      const n = workers.length;
      stopPool();
      failed = true;
      console.warn(
        `shinsou: the kernel thread pool did not start (${r} of ${n} workers came up, none in the last ` +
          `${STALL_MS / 1000} s); kernels run on the calling thread until setNumThreads is called again`,
      );
      return false;
    }
    Atomics.wait(i32, c + READY, r, 50);
  }
  usable = true;
  return true;
}

/** Threads a kernel call may split into right now (1 when the pool cannot be used). */
export function availableThreads(): number {
  if (numThreads <= 1 || failed) return 1;
  if (!usable && (started || !startPool())) return 1;
  return workers.length + 1;
}

const kernelIndex = new Map<string, number>(KERNEL_NAMES.map((n, i) => [n, i + 1]));

/**
 * Runs kernel `name` once per argument list, jobs[0] on the calling thread and jobs[i] on worker i,
 * and returns when all are done. jobs.length must not exceed availableThreads().
 */
export function runParallel(name: KernelName, jobs: readonly (readonly number[])[]): void {
  const k = wasmKernels()!;
  const fn = k.exports[name];
  if (jobs.length === 1) {
    fn(...jobs[0]!);
    return;
  }
  const i32 = heapI32();
  const c = ctlBase >> 2;
  const idx = kernelIndex.get(name)!;
  if (jobs.length > workers.length + 1) {
    throw new Error(
      `runParallel: ${jobs.length} jobs for '${name}' but only ${workers.length + 1} threads (call availableThreads() first)`,
    );
  }
  for (const a of jobs) {
    if (a.length > MAX_JOB_ARGS)
      throw new Error(`runParallel: '${name}' takes ${a.length} arguments, a job slot holds at most ${MAX_JOB_ARGS}`);
  }
  Atomics.store(i32, c + DONE, 0);
  for (let j = 1; j < jobs.length; j++) {
    const slot = c + slotIndex(j);
    const a = jobs[j]!;
    i32[slot + 1] = a.length;
    for (let i = 0; i < a.length; i++) i32[slot + 2 + i] = a[i]!;
    Atomics.store(i32, slot, idx);
  }
  Atomics.add(i32, c + SEQ, 1);
  Atomics.notify(i32, c + SEQ);
  let err: unknown = null;
  const t0 = Date.now();
  try {
    fn(...jobs[0]!);
  } catch (e) {
    err = e;
  }
  const want = jobs.length - 1;
  // A worker that died (out of memory, killed) never reports: rather than block forever, give up
  // long after the workers' shares should have finished (they are the same size as ours).
  const deadline = Date.now() + Math.max(60_000, 50 * (Date.now() - t0));
  let spins = 0;
  for (;;) {
    const d = Atomics.load(i32, c + DONE);
    if (d >= want) break;
    if (spins++ < 20000) continue;
    Atomics.wait(i32, c + DONE, d, 1000);
    if (Date.now() > deadline) {
      stopPool();
      failed = true;
      throw new Error(
        `shinsou: a kernel worker did not finish '${name}' (${want - d} of ${want} outstanding); ` +
          'the thread pool is now off and kernels run on the calling thread (SHINSOU_THREADS=1 avoids the pool)',
      );
    }
  }
  // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrows what our share of the jobs threw, once the workers are done
  if (err) throw err;
}

/**
 * The kernel functions a worker can be asked to run, by index: the calling thread writes the
 * index and the i32 arguments into a job slot in shared memory (see pool.ts), the worker calls
 * the export of the same name. Shared by the loader, the pool and the worker script.
 */
export const KERNEL_NAMES = [
  'gemm',
  'gemmBatch',
  'convForward',
  'convBackwardInput',
  'convBackwardWeight',
  'winogradConv',
  'winogradWeightGrad',
  'qgemm',
  'qim2col',
] as const;
export type KernelName = (typeof KERNEL_NAMES)[number];

/**
 * Byte layout of the reserved low memory (below ARENA_BASE nothing is allocated by the arena).
 * Every size is derived from MAX_THREADS, so a thread count the pool accepts always has a job slot
 * inside its control block (a slot past the block overwrote the next block and the workers of the
 * overwritten slots never answered).
 */
/** The most threads the pool runs (the calling thread included); larger requests are clamped. */
export const MAX_THREADS = 64;
export const MAX_WORKERS = MAX_THREADS - 1;
/** Int32 indices inside a control block. */
export const SEQ = 0; // bumped by the caller for every batch of jobs
export const DONE = 1; // jobs finished in the current batch
export const READY = 2; // workers that have instantiated the module
export const QUIT = 3; // set to 1 to make this generation's workers return
/** Job slot of worker w (1..MAX_WORKERS) at slotIndex(w): [kernel index + 1 (0 = idle), nargs, args...]. */
export const SLOT0 = 16;
export const SLOT_INTS = 32;
export const MAX_JOB_ARGS = SLOT_INTS - 2;
export function slotIndex(worker: number): number {
  return SLOT0 + (worker - 1) * SLOT_INTS;
}
const KIB4 = 4096;
/** One control block per pool generation: the header and MAX_WORKERS slots, rounded up to 4 KiB. */
export const CTL_BYTES = Math.ceil((4 * (SLOT0 + MAX_WORKERS * SLOT_INTS)) / KIB4) * KIB4;
export const CTL_GENERATIONS = 8;
export const CTL_BASE = KIB4;
/** The arena starts at the first 64 KiB page boundary after the last control block. */
export const ARENA_BASE = Math.ceil((CTL_BASE + CTL_GENERATIONS * CTL_BYTES) / 65536) * 65536;

/**
 * The kernel functions a worker can be asked to run, by index: the calling thread writes the
 * index and the i32 arguments into a job slot in shared memory (see pool.ts), the worker calls
 * the export of the same name. Shared by the loader, the pool and the worker script.
 */
export const KERNEL_NAMES = ['gemm', 'gemmBatch', 'convForward', 'convBackwardInput', 'convBackwardWeight', 'winogradConv', 'winogradWeightGrad'] as const;
export type KernelName = (typeof KERNEL_NAMES)[number];

/** Byte layout of the reserved low memory (below ARENA_BASE nothing is allocated by the arena). */
export const CTL_BASE = 4096; // one 4 KiB control block per pool generation, 8 generations
export const CTL_BYTES = 4096;
export const CTL_GENERATIONS = 8;
export const ARENA_BASE = 65536;
/** Int32 indices inside a control block. */
export const SEQ = 0; // bumped by the caller for every batch of jobs
export const DONE = 1; // jobs finished in the current batch
export const READY = 2; // workers that have instantiated the module
export const QUIT = 3; // set to 1 to make this generation's workers return
export const SLOT0 = 16; // job slot of worker w at SLOT0 + w * SLOT_INTS: [kernel index + 1 (0 = idle), nargs, args...]
export const SLOT_INTS = 32;
export const MAX_WORKERS = 60; // (4096/4 - 16) / 32 rounded down, keeps slots inside the block

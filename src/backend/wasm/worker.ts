/**
 * A kernel worker (Node worker_threads or a browser module Worker). It instantiates the kernel
 * module on the shared memory it is given, then sleeps on its control block with Atomics.wait and
 * runs the job written into its slot each time the sequence number changes.
 */
import { CTL_BYTES, DONE, KERNEL_NAMES, QUIT, READY, SEQ, slotIndex } from './names.js';

interface InitMessage {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  ctl: number; // byte address of this pool generation's control block
  index: number; // worker index (the calling thread is 0, workers are 1..)
}

type Fn = (...args: number[]) => void;

function serve(init: InitMessage): void {
  const instance = new WebAssembly.Instance(init.module, {
    env: {
      memory: init.memory,
      abort: () => {
        throw new Error('shinsou wasm kernel aborted');
      },
    },
  });
  const exp = instance.exports as Record<string, unknown>;
  const fns = KERNEL_NAMES.map((n) => exp[n] as Fn);
  // The buffer object changes when memory grows but the control block is in the first page.
  const ctl = new Int32Array(init.memory.buffer, init.ctl, CTL_BYTES / 4);
  const slot = slotIndex(init.index);
  const args: number[] = [];
  // Read the sequence number before announcing readiness: the first job may follow at once.
  let seen = Atomics.load(ctl, SEQ);
  Atomics.add(ctl, READY, 1);
  Atomics.notify(ctl, READY);
  for (;;) {
    let s = Atomics.load(ctl, SEQ);
    for (let spin = 0; s === seen && spin < 4000; spin++) s = Atomics.load(ctl, SEQ);
    if (s === seen) {
      Atomics.wait(ctl, SEQ, seen, 1000);
      if (Atomics.load(ctl, QUIT)) return;
      continue;
    }
    seen = s;
    if (Atomics.load(ctl, QUIT)) return;
    const f = Atomics.load(ctl, slot);
    if (f === 0) continue;
    const n = ctl[slot + 1]!;
    args.length = n;
    for (let i = 0; i < n; i++) args[i] = ctl[slot + 2 + i]!;
    try {
      fns[f - 1]!(...args);
    } finally {
      Atomics.store(ctl, slot, 0);
      Atomics.add(ctl, DONE, 1);
      Atomics.notify(ctl, DONE);
    }
  }
}

const isNode = typeof process !== 'undefined' && !!(process as { versions?: { node?: string } }).versions?.node;
if (isNode) {
  const wt = 'node:worker_threads';
  const { workerData } = (await import(wt)) as { workerData: InitMessage };
  serve(workerData);
  process.exit(0);
} else {
  const scope = globalThis as unknown as { onmessage: ((e: MessageEvent<InitMessage>) => void) | null; close(): void };
  scope.onmessage = (e) => {
    scope.onmessage = null;
    serve(e.data);
    scope.close();
  };
}

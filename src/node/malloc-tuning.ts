/**
 * Keeps the memory of freed tensors in the process (glibc's malloc), for the `shinsou` command and
 * the benchmark runner.
 *
 * Why: tensors are freed by the garbage collector, late and in bursts, so with glibc's default
 * thresholds the memory of large typed arrays goes back to the system (munmap, heap trimming) and
 * each new output of a few MB page-faults again, page by page. Measured on the 2-core hosts: about
 * 2000 page faults per CNN training step and 20% of its CPU time; with the thresholds below, about
 * 60. (PyTorch frees a tensor the moment its last reference goes, so its next allocation of the
 * same size reuses the block without faulting.) The thresholds can only be set before the process
 * starts (GLIBC_TUNABLES), so the command runs itself once more with them set.
 *
 * Not done when GLIBC_TUNABLES is already set (the user's choice wins), off Linux or without glibc,
 * or with SHINSOU_MALLOC_TUNING=0.
 */
import { spawn } from 'node:child_process';

/** mmap only above 64 MiB, return the heap's top to the system only above 512 MiB free. */
export const MALLOC_TUNABLES = 'glibc.malloc.mmap_threshold=67108864:glibc.malloc.trim_threshold=536870912';

const MARK = 'SHINSOU_MALLOC_TUNED';

function usesGlibc(): boolean {
  if (process.platform !== 'linux') return false;
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
  return typeof header?.glibcVersionRuntime === 'string';
}

/**
 * Runs this same command again in a child process with the malloc thresholds set, passing on
 * stdio, signals and the exit status; returns true when it did (the caller then does nothing
 * else), false when this process should do the work itself.
 */
export function relaunchWithMallocTuning(): boolean {
  const env = process.env;
  if (env[MARK] === '1') {
    // The child: if the parent goes away (even killed outright), the IPC channel closes; stop too.
    process.channel?.unref();
    process.once('disconnect', () => process.exit(129));
    return false;
  }
  if (env['GLIBC_TUNABLES'] !== undefined || env['SHINSOU_MALLOC_TUNING'] === '0' || !usesGlibc()) return false;
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...env, GLIBC_TUNABLES: MALLOC_TUNABLES, [MARK]: '1' },
  });
  // Signals sent to the parent are passed on. Except SIGINT from a terminal: Ctrl-C reaches both
  // processes (one process group), and a second SIGINT would cut short the child's clean stop.
  const forward = (sig: NodeJS.Signals) => (): void => void child.kill(sig);
  process.on('SIGINT', process.stdin.isTTY ? () => undefined : forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  process.on('SIGHUP', forward('SIGHUP'));
  child.on('error', (e) => {
    console.error(`shinsou: could not start the tuned process (${e.message}); set SHINSOU_MALLOC_TUNING=0 to run without it`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    } else process.exit(code ?? 1);
  });
  return true;
}

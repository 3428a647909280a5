import type { Command } from 'commander';
import { getKernelVariant, getNumThreads } from '../../index.js';
import { startProfile, stopProfile, type OpTiming } from '../../autograd/profiler.js';
import { TRAINING_STEPS, matmulWorkload, timeIt } from '../../bench/workloads.js';

/**
 * `shinsou bench`: shinsou's own timings of the benchmark workloads (the full comparison with
 * PyTorch and tfjs is `npm run bench` in a checkout). `--profile` prints the time per op name,
 * forward and backward, of one training step, to show the next bottleneck.
 */
export function registerBenchCommands(program: Command): void {
  program
    .command('bench')
    .description('time the benchmark workloads (cnn, lstm, lstm-module, gru-module, transformer, matmul); --profile for a per-op breakdown')
    .argument('[workloads...]', 'cnn, lstm, lstm-module, gru-module, transformer, matmul (default: all)')
    .option('--profile', 'per-op forward/backward times of one training step (averaged over --steps)')
    .option('--steps <n>', 'profiled steps to average', '3')
    .action((names: string[], opts: { profile?: boolean; steps: string }) => {
      const list = names.length
        ? names
        : opts.profile
          ? ['cnn', 'lstm', 'lstm-module', 'gru-module', 'transformer']
          : ['matmul', 'cnn', 'lstm', 'lstm-module', 'gru-module', 'transformer'];
      console.log(`kernels: ${getKernelVariant()}, threads: ${getNumThreads()}`);
      for (const name of list) {
        if (name === 'matmul') {
          if (opts.profile) continue;
          for (const n of [256, 512, 1024]) {
            const w = matmulWorkload(n);
            const t = timeIt(w.step);
            console.log(`${w.name}: ${t.medianMs.toFixed(2)} ms, ${(w.flops! / t.medianMs / 1e6).toFixed(1)} GFLOP/s`);
          }
          continue;
        }
        const make = TRAINING_STEPS[name];
        if (!make)
          throw new Error(`bench: unknown workload '${name}' (expected cnn, lstm, lstm-module, gru-module, transformer or matmul)`);
        const w = make();
        if (!opts.profile) {
          const t = timeIt(w.step);
          console.log(`${w.name}: ${t.medianMs.toFixed(1)} ms per step (median of ${t.reps}; ${w.detail})`);
          continue;
        }
        w.step(); // warm-up: JIT, wasm memory growth, worker start
        const steps = Math.max(1, Number(opts.steps));
        const total = new Map<string, OpTiming>();
        const t0 = performance.now();
        for (let s = 0; s < steps; s++) {
          startProfile();
          w.step();
          for (const e of stopProfile()) {
            const acc = total.get(e.op) ?? { op: e.op, forwardMs: 0, backwardMs: 0, forwardCalls: 0, backwardCalls: 0 };
            acc.forwardMs += e.forwardMs / steps;
            acc.backwardMs += e.backwardMs / steps;
            acc.forwardCalls += e.forwardCalls / steps;
            acc.backwardCalls += e.backwardCalls / steps;
            total.set(e.op, acc);
          }
        }
        const stepMs = (performance.now() - t0) / steps;
        printProfile(`${w.name} (${w.detail})`, [...total.values()], stepMs);
      }
    });
}

function printProfile(title: string, rows: OpTiming[], stepMs: number): void {
  rows.sort((a, b) => b.forwardMs + b.backwardMs - (a.forwardMs + a.backwardMs));
  const sum = rows.reduce((s, r) => s + r.forwardMs + r.backwardMs, 0);
  console.log(`\n${title}\nstep ${stepMs.toFixed(1)} ms, of which ops ${sum.toFixed(1)} ms`);
  console.log(
    `${'op'.padEnd(20)} ${'calls'.padStart(6)} ${'forward ms'.padStart(11)} ${'backward ms'.padStart(12)} ${'total ms'.padStart(9)} ${'share'.padStart(6)}`,
  );
  for (const r of rows) {
    const tot = r.forwardMs + r.backwardMs;
    console.log(
      `${r.op.padEnd(20)} ${r.forwardCalls.toFixed(0).padStart(6)} ${r.forwardMs.toFixed(2).padStart(11)} ${r.backwardMs.toFixed(2).padStart(12)} ` +
        `${tot.toFixed(2).padStart(9)} ${((100 * tot) / stepMs).toFixed(1).padStart(5)}%`,
    );
  }
}

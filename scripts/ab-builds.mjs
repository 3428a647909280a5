#!/usr/bin/env node
// Two builds of shinsou in one process, their training steps alternated (A B, B A, ...) so that the
// load of a shared machine hits both alike: the before/after check of a change that must not cost
// speed. Each directory is a checkout built with `npm run build`.
//
//   node scripts/ab-builds.mjs <dirA> <dirB> [pairs=21] [workload...]   (default: every training step)
//
// Prints per workload the median step time of each build and the median of the per-pair ratios B/A.
// One thread (the pool's thresholds differ between runs otherwise); set GLIBC_TUNABLES as
// `shinsou bench` does (src/node/malloc-tuning.ts) to compare with the same allocator settings.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [dirA, dirB, pairsArg, ...names] = process.argv.slice(2);
if (!dirA || !dirB) {
  console.error('usage: node scripts/ab-builds.mjs <dirA> <dirB> [pairs] [workload...]');
  process.exit(2);
}
const pairs = Number(pairsArg ?? 21);
const load = async (dir) => {
  const url = (p) => pathToFileURL(resolve(dir, p)).href;
  const lib = await import(url('dist/src/index.js'));
  const w = await import(url('dist/src/bench/workloads.js'));
  lib.setNumThreads(1);
  return w.TRAINING_STEPS;
};
const steps = { A: await load(dirA), B: await load(dirB) };
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
for (const name of names.length ? names : Object.keys(steps.A)) {
  const run = { A: steps.A[name](), B: steps.B[name]() };
  for (const k of ['A', 'B']) for (let i = 0; i < 2; i++) run[k].step(); // warm up
  const t = { A: [], B: [] };
  const ratios = [];
  for (let i = 0; i < pairs; i++) {
    const got = {};
    for (const k of i % 2 === 0 ? ['A', 'B'] : ['B', 'A']) {
      const t0 = performance.now();
      run[k].step();
      got[k] = performance.now() - t0;
      t[k].push(got[k]);
    }
    ratios.push(got.B / got.A);
  }
  console.log(
    `${name}: A ${median(t.A).toFixed(1)} ms, B ${median(t.B).toFixed(1)} ms (medians of ${pairs}); median pair ratio B/A ${median(ratios).toFixed(3)}`,
  );
}
process.exit(0); // the worker pools are unref'ed, but leave no doubt

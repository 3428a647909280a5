#!/usr/bin/env node
// Time per epoch of the CNN recipes (docs/cnn.md), measured on a few steps and extrapolated,
// because a full epoch of the larger networks takes an hour on one thread:
//
//   node scripts/cnn-epoch-time.mjs [--threads 1] [--steps 3] RECIPE...     (after npm run build)
//
// For each recipe: its default options, the Fashion-MNIST data, one warm-up step, then --steps
// timed training steps (full batches with augmentation, forward, backward, SGD) and one evaluation
// of 500 test images. Epoch estimate = step time * steps per epoch (60,000 / batch size) + 20 *
// evaluation time. Wall time and this process's CPU time are both printed: on a shared machine
// the wall time grows with the load average (printed too); with one thread, CPU time is close to
// what the wall time would be on an idle core. One JSON line per recipe goes to stdout.
import { cpus, loadavg } from 'node:os';
import { setNumThreads } from '../dist/src/index.js';
import '../dist/src/models/index.js';
import { prepareRecipe } from '../dist/src/train/index.js';
import { loadRecipeData } from '../dist/src/node/recipe-data.js';

const args = process.argv.slice(2);
let threads = 1;
let steps = 3;
const names = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--threads') threads = Number(args[++i]);
  else if (args[i] === '--steps') steps = Number(args[++i]);
  else names.push(args[i]);
}
if (names.length === 0) {
  console.error('usage: node scripts/cnn-epoch-time.mjs [--threads n] [--steps n] RECIPE...');
  process.exit(2);
}
setNumThreads(threads);
const data = await loadRecipeData('fashion-mnist');
const trainN = data.train.labels.shape[0];
const testN = data.test.labels.shape[0];

function timed(fn) {
  const w0 = performance.now();
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return { wall: (performance.now() - w0) / 1000, cpu: (c.user + c.system) / 1e6 };
}

for (const name of names) {
  const load0 = loadavg()[0];
  const probe = prepareRecipe(name, { epochs: 1, limit: 1 }, data);
  const bs = probe.options.batchSize;
  const { run } = prepareRecipe(name, { epochs: 1, limit: bs * (steps + 1), testLimit: 500 }, data);
  run.task.trainStep({ epoch: 0, batch: 0, step: 0 });
  let wall = 0;
  let cpu = 0;
  for (let s = 1; s <= steps; s++) {
    const t = timed(() => run.task.trainStep({ epoch: 0, batch: s, step: s }));
    wall += t.wall;
    cpu += t.cpu;
  }
  const ev = timed(() => run.task.evaluate());
  const perEpoch = Math.ceil(trainN / bs);
  const scale = testN / 500;
  const out = {
    recipe: name,
    batchSize: bs,
    threads,
    stepWallS: wall / steps,
    stepCpuS: cpu / steps,
    evalWallS: ev.wall * scale,
    evalCpuS: ev.cpu * scale,
    epochWallMin: ((wall / steps) * perEpoch + ev.wall * scale) / 60,
    epochCpuMin: ((cpu / steps) * perEpoch + ev.cpu * scale) / 60,
    loadAverage: Number(((load0 + loadavg()[0]) / 2).toFixed(1)),
    cores: cpus().length,
  };
  console.log(JSON.stringify(out));
}

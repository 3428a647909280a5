#!/usr/bin/env node
// Latency of a trained run's float32 model and its int8 file (`shinsou quantize`), side by side:
// median wall milliseconds of one forward pass at batch 1 and batch 64, on 1 and 2 threads,
// float32 and int8 alternating so both see the same machine load. Prints one JSON line.
//
//   node scripts/quant-latency.mjs RUN [INT8_FILE] [--reps 21]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFashionMnist, loadRunModel } from '../dist/src/node/index.js';
import { compress, noGrad, setNumThreads } from '../dist/src/index.js';
import { prepareImages } from '../dist/src/models/classifier/evaluate.js';
import '../dist/src/models/index.js'; // registers the recipes loadRunModel rebuilds

const args = process.argv.slice(2);
const run = args[0];
if (!run) throw new Error('usage: node scripts/quant-latency.mjs RUN [INT8_FILE] [--reps N]');
const file = args[1] && !args[1].startsWith('--') ? args[1] : join(run, 'model-int8.safetensors');
const ri = args.indexOf('--reps');
const reps = ri >= 0 ? Number(args[ri + 1]) : 21;
const { model } = loadRunModel(run);
const qm = compress.decodeQuantized(new Uint8Array(readFileSync(file)), file);
const test = await loadFashionMnist('test');
const images = prepareImages(test.images.narrow(0, 0, 64)).contiguous();
const out = { run, file, reps };
for (const t of [1, 2]) {
  setNumThreads(t);
  for (const b of [1, 64]) {
    const x = images.narrow(0, 0, b).contiguous();
    const f = [];
    const q = [];
    noGrad(() => model.forward(x));
    qm.forward(x);
    for (let i = 0; i < reps; i++) {
      let t0 = performance.now();
      noGrad(() => model.forward(x));
      f.push(performance.now() - t0);
      t0 = performance.now();
      qm.forward(x);
      q.push(performance.now() - t0);
    }
    const med = (a) => a.sort((u, v) => u - v)[Math.floor(a.length / 2)];
    out[`b${b}_t${t}`] = { float32: med(f), int8: med(q) };
  }
}
console.log(JSON.stringify(out));

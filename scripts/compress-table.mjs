#!/usr/bin/env node
// The table of docs/compression.md: for each trained run, test accuracy (all 10,000 images), size
// on disk (model.safetensors; gzip -9 of it beside, which is where unstructured sparsity shows) and
// inference latency (wall time of one forward pass, eval mode, no graph: the fastest of 600 calls
// at batch 1 and of 100 at batch 64, the models interleaved) with 1 and 2 kernel threads:
//
//   node scripts/compress-table.mjs LABEL=RUN ...        (after npm run build)
//
// A `prune` or `distill` run is rebuilt from the run it names (buildTrainedModel). Rows go to
// stdout as markdown, then one JSON line per row. The host is shared: compare rows of one run.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { setNumThreads, noGrad, randn } from '../dist/src/index.js';
import '../dist/src/models/index.js';
import '../dist/src/compress/recipes.js';
import { sparsity } from '../dist/src/compress/index.js';
import { evaluate, prepareImages } from '../dist/src/models/classifier/index.js';
import { loadTrainedRun, buildTrainedModel } from '../dist/src/node/trained-run.js';
import { loadRecipeData } from '../dist/src/node/recipe-data.js';

const entries = process.argv.slice(2).map((a) => {
  const at = a.indexOf('=');
  if (at < 1) throw new Error(`compress-table: arguments are LABEL=RUN, got '${a}'`);
  return { label: a.slice(0, at), dir: a.slice(at + 1) };
});
if (entries.length === 0) {
  console.error('usage: node scripts/compress-table.mjs LABEL=RUN ...');
  process.exit(2);
}

function modelOf(dir) {
  // distill and prune runs are rebuilt from the run they name (pruned shape and masks included).
  return buildTrainedModel(loadTrainedRun(dir));
}

/**
 * Times every model on input x in interleaved rounds (one call each per round, so a burst of load
 * from other jobs hits all of them alike) and returns the fastest call per model in ms: on a
 * shared machine (load 15 on 2 cores) only the low end of the distribution is the model's own cost.
 */
function timeInterleaved(models, x, rounds) {
  const times = models.map(() => []);
  noGrad(() => {
    for (const m of models) for (let i = 0; i < 3; i++) m.forward(x);
    for (let r = 0; r < rounds; r++)
      models.forEach((m, i) => {
        const t0 = performance.now();
        m.forward(x);
        times[i].push(performance.now() - t0);
      });
  });
  return times.map((t) => Math.min(...t));
}

const data = await loadRecipeData('fashion-mnist');
const test = { images: prepareImages(data.test.images), labels: data.test.labels };
const x1 = randn([1, 1, 28, 28]);
const x64 = randn([64, 1, 28, 28]);
const rows = [];
const models = [];
setNumThreads(2);
for (const e of entries) {
  const model = modelOf(e.dir);
  models.push(model);
  const bytes = readFileSync(join(e.dir, 'model.safetensors'));
  rows.push({
    label: e.label,
    run: e.dir,
    parameters: model.numParameters(),
    zeroFraction: sparsity(model).sparsity,
    accuracy: evaluate(model, test).accuracy,
    bytes: bytes.length,
    gzipBytes: gzipSync(bytes, { level: 9 }).length,
  });
}
for (const threads of [1, 2]) {
  setNumThreads(threads);
  timeInterleaved(models, x1, 600).forEach((t, i) => (rows[i][`b1_t${threads}_ms`] = t));
  timeInterleaved(models, x64, 100).forEach((t, i) => (rows[i][`b64_t${threads}_ms`] = t));
}
const kb = (b) => `${(b / 1024).toFixed(0)} KB`;
console.log(`load average ${loadavg()[0].toFixed(1)}`);
console.log('| model | parameters (zero) | test accuracy | size on disk (gzip) | batch 1, 1 / 2 threads | batch 64, 1 / 2 threads |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows)
  console.log(
    `| ${r.label} | ${r.parameters.toLocaleString('en')} (${(100 * r.zeroFraction).toFixed(1)}%) | ${(100 * r.accuracy).toFixed(2)}% | ${kb(r.bytes)} (${kb(r.gzipBytes)}) | ${r.b1_t1_ms.toFixed(2)} / ${r.b1_t2_ms.toFixed(2)} ms | ${r.b64_t1_ms.toFixed(1)} / ${r.b64_t2_ms.toFixed(1)} ms |`,
  );
for (const r of rows) console.log(JSON.stringify(r));
process.exit(0);

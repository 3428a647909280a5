#!/usr/bin/env node
// The pictures of docs/compression.md, from the run folders of its commands (after npm run build):
//
//   node scripts/compress-figures.mjs [RUNS_DIR]        (default runs)
//
// docs/img/compression/distill-curves.svg: test accuracy per epoch of the student alone and
// distilled (d5k-alone-S, d5k-kd-S, S = 0, 1, 2); sparsity-accuracy.svg: the prune-mag run's curve
// (one shot and gradual), re-rendered from its Vega-Lite spec.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { vegaLiteSvg } from '../dist/src/node/plot.js';
import { writeFileAtomic } from '../dist/src/node/files.js';

const runs = process.argv[2] ?? 'runs';
const out = 'docs/img/compression';
mkdirSync(out, { recursive: true });

const points = [];
for (const [kind, label] of [
  ['alone', 'student alone'],
  ['kd', 'student distilled (alpha 0.9, T 4)'],
]) {
  for (const s of [0, 1, 2]) {
    const m = JSON.parse(readFileSync(join(runs, `d5k-${kind}-${s}`, 'metrics.json'), 'utf8'));
    for (const e of m.epochs) points.push({ epoch: e.epoch, accuracy: e.eval.testAccuracy, run: `${label}, seed ${s}`, method: label });
  }
}
const distill = {
  $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
  title: 'cnn-small on 5,000 Fashion-MNIST images: test accuracy',
  width: 420,
  height: 260,
  data: { values: points },
  mark: { type: 'line', point: true },
  encoding: {
    x: { field: 'epoch', type: 'quantitative', title: 'epoch' },
    y: { field: 'accuracy', type: 'quantitative', title: 'test accuracy', scale: { zero: false } },
    color: { field: 'method', type: 'nominal', title: null },
    detail: { field: 'run', type: 'nominal' },
  },
};
writeFileAtomic(join(out, 'distill-curves.svg'), await vegaLiteSvg(distill));

const spec = JSON.parse(readFileSync(join(runs, 'prune-mag', 'sparsity-accuracy.vl.json'), 'utf8'));
writeFileAtomic(join(out, 'sparsity-accuracy.svg'), await vegaLiteSvg(spec));
console.log(`wrote ${out}/distill-curves.svg and ${out}/sparsity-accuracy.svg`);

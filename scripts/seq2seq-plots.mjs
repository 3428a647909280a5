#!/usr/bin/env node
// The figures of docs/seq2seq.md from the run folders of the measured runs:
//   node scripts/seq2seq-plots.mjs [runs]
// reads runs/addition-<variant>/metrics.json (the four seq2seq-addition variants) and
// runs/attention-dates/{metrics.json,attention.vl.json}, and writes
//   docs/img/seq2seq/addition-variants.svg   held-out exact match per epoch, one line per variant
//   docs/img/seq2seq/addition-results.json   the per-epoch figures of each variant
//   docs/img/seq2seq/dates-attention.svg     the attention heatmap of four held-out dates
//   docs/img/seq2seq/dates-results.json      the dates run's per-epoch figures
// and prints the markdown tables. Needs a build (dist/).
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { vegaLiteSvg } from '../dist/src/node/plot.js';
import { writeFileAtomic } from '../dist/src/node/files.js';

const root = process.argv[2] ?? 'runs';
const out = 'docs/img/seq2seq';
mkdirSync(out, { recursive: true });
const VARIANTS = ['baseline', 'reversed', 'peeky', 'reversed-peeky'];

const read = (dir) => JSON.parse(readFileSync(join(root, dir, 'metrics.json'), 'utf8'));
const pct = (x) => `${(100 * x).toFixed(2)}%`;

const points = [];
const results = {};
for (const v of VARIANTS) {
  const dir = `addition-${v}`;
  if (!existsSync(join(root, dir, 'metrics.json'))) {
    console.log(`(no ${dir}: skipped)`);
    continue;
  }
  const m = read(dir);
  const epochs = m.epochs.map((e) => ({
    epoch: e.epoch,
    exactMatch: e.eval.validExactMatch,
    validLoss: e.eval.validLoss,
    seconds: e.seconds,
  }));
  results[v] = { options: m.options, epochs, wallSeconds: m.wallSeconds };
  for (const e of epochs) points.push({ variant: v, epoch: e.epoch, exactMatch: 100 * e.exactMatch });
}
if (points.length) {
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: "seq2seq-addition: held-out exact match ('123+45' -> '168', 5,000 held-out pairs)",
    width: 460,
    height: 280,
    data: { values: points },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 } },
      y: { field: 'exactMatch', type: 'quantitative', title: 'held-out exact match (%)', scale: { domain: [0, 100] } },
      color: { field: 'variant', type: 'nominal', sort: VARIANTS, title: 'variant' },
    },
  };
  writeFileAtomic(join(out, 'addition-variants.svg'), await vegaLiteSvg(spec));
  writeFileAtomic(join(out, 'addition-results.json'), `${JSON.stringify(results, null, 1)}\n`);
  const maxE = Math.max(...Object.values(results).map((r) => r.epochs.length));
  console.log(`| epoch | ${Object.keys(results).join(' | ')} |`);
  console.log(
    `| --- |${Object.keys(results)
      .map(() => ' --- |')
      .join('')}`,
  );
  for (let e = 0; e < maxE; e++)
    console.log(
      `| ${e + 1} | ${Object.values(results)
        .map((r) => (r.epochs[e] ? pct(r.epochs[e].exactMatch) : ''))
        .join(' | ')} |`,
    );
}

// The dates: the run at a constant rate (its heatmap is the figure) and the one with cosine decay.
const dateRuns = [
  ['attention-dates', 'constant rate 1e-3, 12 epochs'],
  ['attention-dates-cosine', 'cosine decay from 1e-3 over 10 epochs (stopped after 8)'],
].filter(([d]) => existsSync(join(root, d, 'metrics.json')));
const datePoints = [];
const dateResults = {};
for (const [dir, label] of dateRuns) {
  const m = read(dir);
  const epochs = m.epochs.map((e) => ({
    epoch: e.epoch,
    lr: e.lr.adam,
    exactMatch: e.eval.validExactMatch,
    tokenAccuracy: e.eval.validTokenAccuracy,
    validLoss: e.eval.validLoss,
    seconds: e.seconds,
  }));
  dateResults[dir] = { label, options: m.options, epochs };
  for (const e of epochs) datePoints.push({ run: label, epoch: e.epoch, exactMatch: 100 * e.exactMatch });
  console.log(`\n${dir} (${label})\n\n| epoch | lr | held-out exact match | token accuracy | loss |\n| --- | --- | --- | --- | --- |`);
  for (const e of epochs)
    console.log(`| ${e.epoch} | ${e.lr.toExponential(2)} | ${pct(e.exactMatch)} | ${pct(e.tokenAccuracy)} | ${e.validLoss.toFixed(4)} |`);
}
if (datePoints.length) {
  writeFileAtomic(join(out, 'dates-results.json'), `${JSON.stringify(dateResults, null, 1)}\n`);
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'attention-dates: held-out exact match (5,000 dates on days never trained on)',
    width: 460,
    height: 260,
    data: { values: datePoints },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 } },
      y: { field: 'exactMatch', type: 'quantitative', title: 'held-out exact match (%)', scale: { domain: [0, 100] } },
      color: { field: 'run', type: 'nominal', title: null },
    },
  };
  writeFileAtomic(join(out, 'dates-curves.svg'), await vegaLiteSvg(spec));
  const heat = join(root, dateRuns[0][0], 'attention.vl.json');
  if (existsSync(heat)) writeFileAtomic(join(out, 'dates-attention.svg'), await vegaLiteSvg(JSON.parse(readFileSync(heat, 'utf8'))));
}

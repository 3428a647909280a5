#!/usr/bin/env node
// Learning curves and the results table of docs/rl.md, from the run folders scripts/rl-runs.sh wrote
// (runs/rl/<recipe>-<algo>-s<seed>/metrics.json):
//   node scripts/rl-curves.mjs [runs/rl]
// writes docs/img/rl/<env>-curves.svg (each seed's greedy evaluation return against environment
// steps, with the mean and the band of +-1 standard deviation over the seeds at each epoch end;
// a seed that reached the target stopped there and keeps its last value in the mean) and
// docs/img/rl/results.json, and prints the markdown table.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = process.argv[2] ?? 'runs/rl';
const out = 'docs/img/rl';
mkdirSync(out, { recursive: true });

const runs = [];
for (const name of readdirSync(root).sort()) {
  const m = /^(rl-[a-z]+)-([a-z0-9]+)-s(\d+)$/.exec(name);
  const file = join(root, name, 'metrics.json');
  if (!m || !existsSync(file)) continue;
  const metrics = JSON.parse(readFileSync(file, 'utf8'));
  runs.push({ recipe: m[1], algo: m[2], seed: Number(m[3]), metrics });
}
if (runs.length === 0) throw new Error(`rl-curves: no run folders with metrics.json under ${root}`);

const mean = (a) => a.reduce((s, v) => s + v, 0) / a.length;
const std = (a) => Math.sqrt(mean(a.map((v) => (v - mean(a)) ** 2)));

const rows = [];
const points = {};
for (const r of runs) {
  const o = r.metrics.options;
  const evals = r.metrics.evals.filter((e) => e.metrics.evalReturn !== undefined);
  const solved = evals.find((e) => e.metrics.evalReturn >= o.target);
  const last = evals[evals.length - 1];
  rows.push({
    recipe: r.recipe,
    algo: r.algo,
    seed: r.seed,
    target: o.target,
    solvedAt: solved ? solved.metrics.envSteps : null,
    finalReturn: last.metrics.evalReturn,
    finalStd: last.metrics.evalReturnStd,
    envSteps: last.metrics.envSteps,
    wallSeconds: r.metrics.wallSeconds,
  });
  (points[r.recipe] ??= []).push(
    ...evals.map((e, i) => ({
      algo: r.algo,
      seed: `${r.algo} seed ${r.seed}`,
      epoch: i + 1,
      steps: e.metrics.envSteps,
      ret: e.metrics.evalReturn,
    })),
  );
}

// Mean and spread per algorithm and epoch end; a run that stopped at the target keeps its last value.
function bands(pts) {
  const out = [];
  const algos = [...new Set(pts.map((p) => p.algo))];
  for (const algo of algos) {
    const bySeed = {};
    for (const p of pts.filter((q) => q.algo === algo)) (bySeed[p.seed] ??= []).push(p);
    const seeds = Object.values(bySeed);
    const epochs = Math.max(...seeds.map((s) => s.length));
    for (let e = 0; e < epochs; e++) {
      const vals = seeds.map((s) => s[Math.min(e, s.length - 1)].ret);
      const steps = mean(seeds.filter((s) => s.length > e).map((s) => s[e].steps));
      out.push({ algo, steps, mean: mean(vals), lo: mean(vals) - std(vals), hi: mean(vals) + std(vals) });
    }
  }
  return out;
}

async function plot(recipe, pts, target) {
  const vega = await import('vega');
  const vl = await import('vega-lite');
  const b = bands(pts);
  const x = { field: 'steps', type: 'quantitative', title: 'environment steps' };
  const color = { field: 'algo', type: 'nominal', title: 'algorithm' };
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: `${recipe}: greedy evaluation return (100 episodes) over ${new Set(pts.map((p) => p.seed)).size} runs`,
    width: 520,
    height: 300,
    layer: [
      {
        data: { values: b },
        mark: { type: 'area', opacity: 0.18 },
        encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color },
      },
      {
        data: { values: pts },
        mark: { type: 'line', strokeWidth: 0.8, opacity: 0.45 },
        encoding: { x, y: { field: 'ret', type: 'quantitative' }, color, detail: { field: 'seed' } },
      },
      {
        data: { values: b },
        mark: { type: 'line', strokeWidth: 2.5, point: true },
        encoding: { x, y: { field: 'mean', type: 'quantitative', title: 'mean return' }, color },
      },
      {
        data: { values: [{ target }] },
        mark: { type: 'rule', strokeDash: [4, 4], color: 'gray' },
        encoding: { y: { field: 'target', type: 'quantitative' } },
      },
    ],
  };
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  const file = join(out, `${recipe.replace(/^rl-/, '')}-curves.svg`);
  writeFileSync(file, svg);
  console.log(`wrote ${file}`);
}

for (const [recipe, pts] of Object.entries(points)) await plot(recipe, pts, rows.find((r) => r.recipe === recipe).target);
writeFileSync(join(out, 'results.json'), `${JSON.stringify(rows, null, 2)}\n`);

const fmt = (v) => (v === null ? '-' : Math.round(v).toLocaleString('en-US'));
console.log(
  '\n| recipe | algo | seeds solved | env steps to solve, mean (per seed) | final eval return, mean +- std over seeds | minutes per run |',
);
console.log('| --- | --- | --- | --- | --- | --- |');
for (const key of [...new Set(rows.map((r) => `${r.recipe} ${r.algo}`))]) {
  const rs = rows.filter((r) => `${r.recipe} ${r.algo}` === key);
  const solved = rs.filter((r) => r.solvedAt !== null);
  const finals = rs.map((r) => r.finalReturn);
  console.log(
    `| ${rs[0].recipe} | ${rs[0].algo} | ${solved.length}/${rs.length} | ${solved.length ? fmt(mean(solved.map((r) => r.solvedAt))) : '-'} (${rs.map((r) => fmt(r.solvedAt)).join(', ')}) | ${mean(finals).toFixed(1)} +- ${std(finals).toFixed(1)} | ${(mean(rs.map((r) => r.wallSeconds)) / 60).toFixed(1)} |`,
  );
}

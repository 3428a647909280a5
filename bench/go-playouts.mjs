// Random-playout throughput on one core: `npm run bench:go` (builds first).
// Each playout copies the start board into a scratch board (no allocation) and plays uniformly
// random non-eye-filling moves to two passes, then counts the area score.
import { cpus } from 'node:os';
import { GoBoard, BLACK, randomPlayout, Rng } from '../dist/src/games/index.js';
import { writeDocSection } from './go-docs.mjs';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const rows = [];
for (const size of [9, 19]) {
  const start = new GoBoard(size);
  const scratch = new GoBoard(size);
  const rng = new Rng(1);
  // Warm up the JIT before timing.
  for (let i = 0; i < 2000; i++) {
    scratch.copyFrom(start);
    randomPlayout(scratch, BLACK, rng);
  }
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < seconds * 1000) {
    for (let k = 0; k < 100; k++) {
      scratch.copyFrom(start);
      randomPlayout(scratch, BLACK, rng);
      n++;
    }
    t = performance.now();
  }
  const rate = n / ((t - t0) / 1000);
  rows.push({ size, playouts: n, rate });
  console.log(
    `${size}x${size}: ${Math.round(rate).toLocaleString('en-US')} playouts/s (${n} playouts in ${((t - t0) / 1000).toFixed(1)} s, one core)`,
  );
}
const cpu = cpus()[0]?.model ?? 'unknown CPU';
const body = [
  `Measured ${new Date().toISOString().slice(0, 10)} on ${cpu}, Node ${process.version}, one core, ${seconds} s per size:`,
  '',
  '| board | random playouts / s |',
  '| --- | --- |',
  ...rows.map((r) => `| ${r.size}x${r.size} | ${Math.round(r.rate).toLocaleString('en-US')} |`),
].join('\n');
writeDocSection('bench-playouts', body);

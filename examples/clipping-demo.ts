/**
 * Gradient clipping, shown: a ReLU RNN whose recurrent weights start large (W = 1.5 x an orthogonal
 * matrix, so the hidden state can grow like 1.5^t) learns to output the mean of a 40-step sequence.
 * Without clipping the gradient norm explodes and SGD diverges; with clipGradNorm (threshold 1,
 * the curriculum's rate = threshold / norm rescaling) the same run trains.
 * Run: npm run build && node dist/examples/clipping-demo.js [outDir]
 * Writes clipping.json (gradient norm and loss per step, both runs) and clipping.svg.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { nn, optim, randn, manualSeed, mean, mul, mseLoss, select, type Tensor } from '../src/index.js';

export interface ClipRun {
  clip: number | null;
  gradNorm: number[];
  loss: number[];
  diverged: boolean;
  finalLoss: number;
}

const T = 40;
const B = 32;
const H = 32;
const GAIN = Number(process.env['CLIP_GAIN'] ?? 1.5);

class Regressor extends nn.Module {
  readonly rnn = this.module('rnn', new nn.RNN(1, H, { nonlinearity: 'relu' }));
  readonly head = this.module('head', new nn.Linear(H, 1));
  forward(x: Tensor): Tensor {
    const { output } = this.rnn.forward(x);
    return this.head.forward(select(output, 0, T - 1));
  }
}

export function runClipping(clip: number | null, steps = 300, seed = 0): ClipRun {
  manualSeed(seed);
  const model = new Regressor();
  const w = model.rnn.get('weight_hh_l0') as Tensor;
  nn.init.orthogonal_(w, GAIN);
  const opt = new optim.SGD(model.parameters(), { lr: Number(process.env['CLIP_LR'] ?? 0.01) });
  const run: ClipRun = { clip, gradNorm: [], loss: [], diverged: false, finalLoss: NaN };
  for (let s = 0; s < steps; s++) {
    const x = randn([T, B, 1]);
    const y = mul(mean(x, { dim: 0 }), Math.sqrt(T)); // [B, 1]: the scaled mean of each sequence (variance 1)
    opt.zeroGrad();
    const loss = mseLoss(model.forward(x), y);
    loss.backward();
    // clipGradNorm returns the norm before clipping; with clip = Infinity it only measures.
    const norm = optim.clipGradNorm(model.parameters(), clip ?? Infinity);
    const l = loss.item();
    run.gradNorm.push(norm);
    run.loss.push(l);
    if (!Number.isFinite(l) || !Number.isFinite(norm)) {
      run.diverged = true;
      break;
    }
    opt.step();
  }
  const tail = run.loss.slice(-20);
  run.finalLoss = tail.reduce((a, b) => a + b, 0) / tail.length;
  return run;
}

/** Gradient norm per step, log scale, one line per run (Vega-Lite rendered headlessly to SVG). */
export async function clippingSvg(runs: ClipRun[]): Promise<string> {
  const vega = await import('vega');
  const vl = await import('vega-lite');
  const values = runs.flatMap((r) =>
    r.gradNorm.map((g, step) => ({
      step,
      gradNorm: Number.isFinite(g) ? Math.max(g, 1e-6) : 1e30,
      loss: r.loss[step],
      run: r.clip === null ? 'no clipping' : `clipGradNorm(${r.clip})`,
    })),
  );
  const panel = (field: string, title: string) => ({
    width: 380,
    height: 240,
    transform: [{ filter: `isValid(datum.${field}) && datum.${field} > 0 && datum.${field} < 1e29` }],
    mark: { type: 'line' },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: 'step' },
      y: { field, type: 'quantitative', title, scale: { type: 'log' } },
      color: { field: 'run', type: 'nominal', title: null },
    },
  });
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'ReLU RNN, W = 1.5 x orthogonal, T = 40: gradient norm (before clipping) and loss per step',
    data: { values },
    hconcat: [panel('gradNorm', 'gradient norm ||g||'), panel('loss', 'MSE loss')],
  };
  const view = new vega.View(vega.parse(vl.compile(spec as never).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

const isMain = import.meta.url === `file://${process.argv[1]}`;
if (isMain) {
  const out = process.argv[2] ?? 'runs/clipping';
  mkdirSync(out, { recursive: true });
  const runs = [runClipping(null), runClipping(1)];
  for (const r of runs) {
    const name = r.clip === null ? 'no clipping' : `clipGradNorm(${r.clip})`;
    const maxNorm = Math.max(...r.gradNorm.filter(Number.isFinite));
    console.log(
      `${name}: ${r.diverged ? `diverged at step ${r.loss.length - 1}` : `${r.loss.length} steps`}, max gradient norm ${maxNorm.toExponential(2)}, final loss ${r.finalLoss.toPrecision(3)}`,
    );
  }
  writeFileSync(join(out, 'clipping.json'), JSON.stringify(runs));
  writeFileSync(join(out, 'clipping.svg'), await clippingSvg(runs));
  console.log(`wrote ${join(out, 'clipping.json')} and clipping.svg`);
}

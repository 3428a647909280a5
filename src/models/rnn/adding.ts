/**
 * The adding problem (Hochreiter & Schmidhuber 1997; Le et al. 2015), a test of long-range memory:
 * each step carries a random value in [0, 1) and a marker; exactly two steps are marked, one in
 * each half of the sequence, and the target at the end is the sum of the two marked values.
 * Predicting the mean (1) gives MSE 1/6 ≈ 0.167; a model "solves" it when its MSE falls far
 * below that (we use < 0.01), which needs memory across ~T/2 steps.
 */
import { Tensor } from '../../tensor/tensor.js';
import { Generator, manualSeed } from '../../tensor/random.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { backward } from '../../autograd/engine.js';
import { Module } from '../../nn/module.js';
import { Linear } from '../../nn/layers/linear.js';
import { LSTM, GRU, RNN } from '../../nn/layers/recurrent.js';
import { select } from '../../ops/shape/select.js';
import { mseLoss } from '../../ops/loss/mseLoss.js';
import { Adam } from '../../optim/adam.js';
import { clipGradNorm } from '../../optim/clip.js';

/** x [T, B, 2] (value, marker) and y [B, 1] (sum of the two marked values). */
export function addingBatch(T: number, B: number, gen: Generator): { x: Tensor; y: Tensor } {
  const x = Tensor.empty([T, B, 2], 'float32');
  const y = Tensor.empty([B, 1], 'float32');
  const half = Math.floor(T / 2);
  for (let b = 0; b < B; b++) {
    const i = gen.int(0, half);
    const j = gen.int(half, T);
    let s = 0;
    for (let t = 0; t < T; t++) {
      const v = gen.random();
      const at = (t * B + b) * 2;
      x.storage[at] = v;
      const marked = t === i || t === j;
      x.storage[at + 1] = marked ? 1 : 0;
      if (marked) s += v;
    }
    y.storage[b] = s;
  }
  return { x, y };
}

export type AddingCell = 'rnn' | 'lstm' | 'gru';

/** A recurrent layer read out at the last step by a linear layer. */
export class AddingModel extends Module {
  readonly rnn: RNN | LSTM | GRU;
  readonly head: Linear;
  constructor(readonly cell: AddingCell, hidden: number) {
    super();
    this.rnn = this.module('rnn', cell === 'lstm' ? new LSTM(2, hidden) : cell === 'gru' ? new GRU(2, hidden) : new RNN(2, hidden));
    this.head = this.module('head', new Linear(hidden, 1));
  }
  forward(x: Tensor): Tensor {
    const { output } = this.rnn.forward(x);
    return this.head.forward(select(output, 0, x.shape[0]! - 1));
  }
}

export interface AddingOptions {
  cell: AddingCell;
  /** Sequence length (default 100). */
  T?: number;
  hidden?: number;
  batchSize?: number;
  lr?: number;
  steps?: number;
  evalEvery?: number;
  /** Stop once the held-out MSE is below this (default 0: never). */
  stopBelow?: number;
  clip?: number;
  seed?: number;
  onEval?: (step: number, mse: number, seconds: number) => void;
}

export interface AddingResult {
  cell: AddingCell;
  T: number;
  curve: { step: number; mse: number; seconds: number }[];
  finalMse: number;
  seconds: number;
}

/** Trains with Adam (and norm clipping) and records the held-out MSE curve. */
export function trainAdding(o: AddingOptions): AddingResult {
  const T = o.T ?? 100;
  const B = o.batchSize ?? 32;
  manualSeed(o.seed ?? 0);
  const gen = new Generator(o.seed ?? 0);
  const held = addingBatch(T, 256, new Generator(12345));
  const model = new AddingModel(o.cell, o.hidden ?? 64);
  const opt = new Adam(model.parameters(), { lr: o.lr ?? 2e-3 });
  const steps = o.steps ?? 2000;
  const evalEvery = o.evalEvery ?? 50;
  const curve: AddingResult['curve'] = [];
  const t0 = performance.now();
  const evaluate = (): number => noGrad(() => mseLoss(model.forward(held.x), held.y).item());
  for (let s = 0; s <= steps; s++) {
    if (s % evalEvery === 0) {
      const mse = evaluate();
      const secs = (performance.now() - t0) / 1000;
      curve.push({ step: s, mse, seconds: secs });
      o.onEval?.(s, mse, secs);
      if (o.stopBelow && mse < o.stopBelow) break;
    }
    if (s === steps) break;
    const { x, y } = addingBatch(T, B, gen);
    opt.zeroGrad();
    const loss = mseLoss(model.forward(x), y);
    backward([loss]);
    clipGradNorm(model.parameters(), o.clip ?? 1);
    opt.step();
  }
  return { cell: o.cell, T, curve, finalMse: curve[curve.length - 1]!.mse, seconds: (performance.now() - t0) / 1000 };
}

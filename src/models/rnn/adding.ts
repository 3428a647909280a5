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
import { Module } from '../../nn/module.js';
import { Linear } from '../../nn/layers/linear.js';
import { LSTM, GRU, RNN } from '../../nn/layers/recurrent.js';
import { select } from '../../ops/shape/select.js';
import { mseLoss } from '../../ops/loss/mseLoss.js';
import { Adam } from '../../optim/adam.js';
import { Trainer, type TrainTask } from '../../train/trainer.js';
import { optimizeStep } from '../../train/step.js';
import { rejectUnknownKeys } from '../../train/options.js';

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
  constructor(
    readonly cell: AddingCell,
    hidden: number,
  ) {
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
  /** Hidden units (default 64). */
  hidden?: number;
  /** Sequences per step (default 32). */
  batchSize?: number;
  /** Adam learning rate (default 2e-3). */
  lr?: number;
  /** Training steps (default 2000). */
  steps?: number;
  /** Held-out MSE every this many steps, and before the first (default 50). */
  evalEvery?: number;
  /** Stop once the held-out MSE is at or below this (default 0: never). */
  stopBelow?: number;
  /** Gradient-norm clipping threshold (default 1). */
  clip?: number;
  seed?: number;
  onEval?: (step: number, mse: number, seconds: number) => void;
}
const ADDING_KEYS = ['cell', 'T', 'hidden', 'batchSize', 'lr', 'steps', 'evalEvery', 'stopBelow', 'clip', 'seed', 'onEval'];

export interface AddingResult {
  cell: AddingCell;
  T: number;
  curve: { step: number; mse: number; seconds: number }[];
  finalMse: number;
  seconds: number;
}

/** The held-out set every adding run is measured on (256 sequences from a fixed seed). */
export function addingHeldOut(T: number): { x: Tensor; y: Tensor } {
  return addingBatch(T, 256, new Generator(12345));
}

/**
 * The adding-problem task: a fresh batch from a seeded generator every step (its state is in the
 * snapshot), Adam with norm clipping, held-out MSE as `mse`. Call after manualSeed(seed).
 */
export function addingTask(o: {
  cell: AddingCell;
  T: number;
  hidden: number;
  batchSize: number;
  lr: number;
  clip: number;
  seed: number;
  stepsPerEpoch: number;
}): { task: TrainTask; model: AddingModel } {
  const gen = new Generator(o.seed);
  const held = addingHeldOut(o.T);
  const model = new AddingModel(o.cell, o.hidden);
  const opt = new Adam(model.parameters(), { lr: o.lr });
  const task: TrainTask = {
    modules: { model },
    optimizers: { adam: opt },
    stepsPerEpoch: o.stepsPerEpoch,
    trainStep: () => {
      const { x, y } = addingBatch(o.T, o.batchSize, gen);
      return { loss: optimizeStep(opt, mseLoss(model.forward(x), y), { clip: o.clip }), examples: o.batchSize };
    },
    evaluate: () => ({ mse: noGrad(() => mseLoss(model.forward(held.x), held.y).item()) }),
    saveState: () => ({ json: gen.getState() }),
    loadState: (s) => {
      gen.setState(s.json as number[]);
    },
  };
  return { task, model };
}

/** Trains with Adam (and norm clipping) and records the held-out MSE curve. */
export async function trainAdding(o: AddingOptions): Promise<AddingResult> {
  rejectUnknownKeys('trainAdding', o, ADDING_KEYS);
  const T = o.T ?? 100;
  const seed = o.seed ?? 0;
  manualSeed(seed);
  const t0 = performance.now();
  const curve: AddingResult['curve'] = [];
  const { task } = addingTask({
    cell: o.cell,
    T,
    hidden: o.hidden ?? 64,
    batchSize: o.batchSize ?? 32,
    lr: o.lr ?? 2e-3,
    clip: o.clip ?? 1,
    seed,
    stepsPerEpoch: o.steps ?? 2000,
  });
  const trainer = new Trainer(task, {
    epochs: 1,
    evalEvery: o.evalEvery ?? 50,
    evalAtStart: true,
    monitor: 'mse',
    ...(o.stopBelow ? { earlyStopping: { target: o.stopBelow } } : {}),
    callbacks: [
      {
        onEval: (_t, r) => {
          const secs = (performance.now() - t0) / 1000;
          curve.push({ step: r.step, mse: r.metrics['mse']!, seconds: secs });
          o.onEval?.(r.step, r.metrics['mse']!, secs);
        },
      },
    ],
  });
  await trainer.fit();
  return { cell: o.cell, T, curve, finalMse: curve[curve.length - 1]!.mse, seconds: (performance.now() - t0) / 1000 };
}

/**
 * The curriculum's binary-addition task: add two 8-bit numbers bit by bit, least significant bit
 * first. At step t the input is x^t = [a_t, b_t] and the target is d^t = (a + b)_t; the carry must
 * live in the hidden state. Operands are below 2^7, so the sum fits in 8 bits.
 * Trained with the explicit-BPTT SimpleRNN (no autograd), through the one Trainer.
 */
import { Generator } from '../../tensor/random.js';
import { Tensor } from '../../tensor/tensor.js';
import { Trainer, type TrainTask } from '../../train/trainer.js';
import { rejectUnknownKeys } from '../../train/options.js';
import { SimpleRNN, type SimpleRNNOptions } from './simple-rnn.js';

export const BITS = 8;
const MAX_OPERAND = 1 << (BITS - 1);

export interface AdditionPair {
  a: number;
  b: number;
}

/** All operand pairs, shuffled and split into train and held-out sets. */
export function splitPairs(heldOutFraction: number, seed = 0): { train: AdditionPair[]; heldOut: AdditionPair[] } {
  const all: AdditionPair[] = [];
  for (let a = 0; a < MAX_OPERAND; a++) for (let b = 0; b < MAX_OPERAND; b++) all.push({ a, b });
  const gen = new Generator(seed);
  for (let i = all.length - 1; i > 0; i--) {
    const j = gen.int(0, i + 1);
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  const nHeld = Math.round(all.length * heldOutFraction);
  return { heldOut: all.slice(0, nHeld), train: all.slice(nHeld) };
}

/** Inputs x^t [B, 2] and targets d^t [B, 1] for t = 0..7 (bit t, LSB first). */
export function encode(pairs: AdditionPair[]): { xs: Float64Array[]; ds: Float64Array[] } {
  const B = pairs.length;
  const xs: Float64Array[] = [];
  const ds: Float64Array[] = [];
  for (let t = 0; t < BITS; t++) {
    const x = new Float64Array(B * 2);
    const d = new Float64Array(B);
    pairs.forEach(({ a, b }, i) => {
      x[2 * i] = (a >> t) & 1;
      x[2 * i + 1] = (b >> t) & 1;
      d[i] = ((a + b) >> t) & 1;
    });
    xs.push(x);
    ds.push(d);
  }
  return { xs, ds };
}

/** Fraction of pairs whose 8 sum bits are all right (output > 0.5 read as 1). */
export function exactAccuracy(net: SimpleRNN, pairs: AdditionPair[]): number {
  const { xs } = encode(pairs);
  const cache = net.forward(xs, pairs.length);
  let ok = 0;
  pairs.forEach(({ a, b }, i) => {
    let s = 0;
    for (let t = 0; t < BITS; t++) if (cache.y[t]![i]! > 0.5) s |= 1 << t;
    if (s === a + b) ok++;
  });
  return ok / pairs.length;
}

export interface BinaryAdditionOptions {
  hiddenSize?: number;
  /** Learning rate of plain SGD (default 0.5). */
  lr?: number;
  batchSize?: number;
  /** Training steps at most (default 5000). */
  maxSteps?: number;
  /** Held-out accuracy is checked every this many steps; training stops at 100% (default 100). */
  evalEvery?: number;
  heldOutFraction?: number;
  seed?: number;
  net?: Partial<SimpleRNNOptions>;
  onEval?: (step: number, loss: number, heldOutAccuracy: number) => void;
}
const BINARY_ADDITION_KEYS = ['hiddenSize', 'lr', 'batchSize', 'maxSteps', 'evalEvery', 'heldOutFraction', 'seed', 'net', 'onEval'];

export interface BinaryAdditionResult {
  net: SimpleRNN;
  steps: number;
  seconds: number;
  heldOutAccuracy: number;
  trainPairs: number;
  heldOutPairs: number;
  history: { step: number; loss: number; heldOutAccuracy: number }[];
}

const PARAM_NAMES = ['W_in', 'W', 'b', 'W_out', 'c'] as const;

/**
 * Binary addition as a Trainer task: no Module and no Optimizer, the step is the explicit BPTT
 * and SGD update of the SimpleRNN; the snapshot holds its parameters (float64), the batch
 * generator's state and the smoothed loss. `loss` in evaluate() is that smoothed training loss.
 */
export function binaryAdditionTask(o: {
  hiddenSize: number;
  lr: number;
  batchSize: number;
  heldOutFraction: number;
  seed: number;
  stepsPerEpoch: number;
  net?: Partial<SimpleRNNOptions>;
}): { task: TrainTask; net: SimpleRNN; trainPairs: number; heldOutPairs: number } {
  const { train, heldOut } = splitPairs(o.heldOutFraction, o.seed);
  const net = new SimpleRNN({
    inputSize: 2,
    hiddenSize: o.hiddenSize,
    outputSize: 1,
    hidden: 'tanh',
    output: 'sigmoid',
    loss: 'mse',
    seed: o.seed,
    weightInitStd: 1,
    ...o.net,
  });
  const gen = new Generator(o.seed + 1);
  let lossAvg = 0;
  const task: TrainTask = {
    stepsPerEpoch: o.stepsPerEpoch,
    trainStep: ({ step }) => {
      const batch: AdditionPair[] = [];
      for (let i = 0; i < o.batchSize; i++) batch.push(train[gen.int(0, train.length)]!);
      const { xs, ds } = encode(batch);
      const { loss, grads } = net.bptt(net.forward(xs, o.batchSize), ds);
      net.sgdStep(grads, o.lr);
      lossAvg = step === 0 ? loss : 0.95 * lossAvg + 0.05 * loss;
      return { loss, examples: o.batchSize };
    },
    evaluate: () => ({ loss: lossAvg, heldOutAccuracy: exactAccuracy(net, heldOut) }),
    saveState: () => {
      const tensors: Record<string, Tensor> = {};
      for (const k of PARAM_NAMES) tensors[k] = new Tensor(Float64Array.from(net.params[k]), [net.params[k].length]);
      return { tensors, json: { gen: gen.getState(), lossAvg } };
    },
    loadState: (s) => {
      for (const k of PARAM_NAMES) net.params[k].set(s.tensors![k]!.data as Float64Array);
      const j = s.json as { gen: number[]; lossAvg: number };
      gen.setState(j.gen);
      lossAvg = j.lossAvg;
    },
  };
  return { task, net, trainPairs: train.length, heldOutPairs: heldOut.length };
}

/** Trains a SimpleRNN on binary addition with explicit BPTT and SGD until held-out pairs are all right. */
export async function trainBinaryAddition(opts: BinaryAdditionOptions = {}): Promise<BinaryAdditionResult> {
  rejectUnknownKeys('trainBinaryAddition', opts, BINARY_ADDITION_KEYS);
  const evalEvery = opts.evalEvery ?? 100;
  const maxSteps = opts.maxSteps ?? 5000;
  const { task, net, trainPairs, heldOutPairs } = binaryAdditionTask({
    hiddenSize: opts.hiddenSize ?? 16,
    lr: opts.lr ?? 0.5,
    batchSize: opts.batchSize ?? 32,
    heldOutFraction: opts.heldOutFraction ?? 0.25,
    seed: opts.seed ?? 0,
    stepsPerEpoch: maxSteps,
    ...(opts.net ? { net: opts.net } : {}),
  });
  const history: BinaryAdditionResult['history'] = [];
  const t0 = performance.now();
  const trainer = new Trainer(task, {
    epochs: 1,
    evalEvery,
    monitor: 'heldOutAccuracy',
    mode: 'max',
    earlyStopping: { target: 1 },
    callbacks: [
      {
        onEval: (_t, r) => {
          const e = { step: r.step, loss: r.metrics['loss']!, heldOutAccuracy: r.metrics['heldOutAccuracy']! };
          history.push(e);
          opts.onEval?.(e.step, e.loss, e.heldOutAccuracy);
        },
      },
    ],
  });
  await trainer.fit();
  const last = history[history.length - 1];
  return {
    net,
    steps: trainer.step,
    seconds: (performance.now() - t0) / 1000,
    heldOutAccuracy: last?.heldOutAccuracy ?? 0,
    trainPairs,
    heldOutPairs,
    history,
  };
}

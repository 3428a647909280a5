/**
 * The function approximators of the deep RL agents and the categorical policy they define:
 *   方策関数 (policy function)  pi_theta(a|s) = softmax(f_theta(s))_a   (f: an MLP giving logits)
 *   価値関数 (value function)    V_w(s) = g_w(s)                          (g: an MLP giving one number)
 *   行動価値関数                  Q_w(s, .) = h_w(s)                       (h: an MLP giving one value per action)
 * Sampling uses a caller's Generator, so collection is reproducible and resumable.
 */
import { Tensor } from '../tensor/tensor.js';
import type { Generator } from '../tensor/random.js';
import { noGrad } from '../autograd/grad-mode.js';
import { softmax } from '../ops/normalization/softmax.js';
import { logSoftmax } from '../ops/normalization/logSoftmax.js';
import { gather } from '../ops/indexing/gather.js';
import { mul } from '../ops/elementwise/mul.js';
import { exp } from '../ops/elementwise/exp.js';
import { sum } from '../ops/reduce/sum.js';
import { neg } from '../ops/elementwise/neg.js';
import { reshape } from '../ops/shape/reshape.js';
import { unsqueeze } from '../ops/shape/unsqueeze.js';
import { Sequential } from '../nn/containers.js';
import { Linear } from '../nn/layers/linear.js';
import { ReLU, Tanh } from '../nn/layers/activation.js';
import { describe } from '../tensor/validate.js';

export type Activation = 'tanh' | 'relu';

/**
 * in -> hidden[0] -> ... -> out with the activation between layers and none on the output (the
 * shape of Stable-Baselines3's MlpPolicy: tanh for the actor-critic methods, ReLU for DQN).
 * @example mlp(4, [64, 64], 2, 'tanh') // CartPole logits
 */
export function mlp(inDim: number, hidden: readonly number[], outDim: number, activation: Activation = 'tanh'): Sequential {
  const who = 'mlp';
  for (const [name, v] of [
    ['inDim', inDim],
    ['outDim', outDim],
  ] as const)
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
      throw new Error(`${who}: ${name} must be a positive integer, got ${describe(v)}`);
  if (!Array.isArray(hidden) || hidden.some((h) => typeof h !== 'number' || !Number.isInteger(h) || h < 1))
    throw new Error(`${who}: hidden must be a list of positive integers, got ${describe(hidden)}`);
  if (activation !== 'tanh' && activation !== 'relu')
    throw new Error(`${who}: activation must be 'tanh' or 'relu', got ${describe(activation)}`);
  const net = new Sequential();
  let d = inDim;
  for (const h of hidden) {
    net.append(new Linear(d, h));
    net.append(activation === 'tanh' ? new Tanh() : new ReLU());
    d = h;
  }
  net.append(new Linear(d, outDim));
  return net;
}

/** Rows of a [B, d] float32 tensor of observations. */
export function obsTensor(obs: Float32Array, rows: number): Tensor {
  return new Tensor(obs, [rows, obs.length / rows]);
}

/** One action per row of logits [B, A], drawn from softmax(logits) with `rng` (inverse CDF). */
export function sampleCategorical(logits: Tensor, rng: Generator): Int32Array {
  const [B, A] = logits.shape as [number, number];
  const p = noGrad(() => softmax(logits, 1)).data as Float32Array;
  const out = new Int32Array(B);
  for (let b = 0; b < B; b++) {
    const u = rng.random();
    let c = 0;
    let a = A - 1; // rounding: if the cumulative sum stays below u, the last action
    for (let k = 0; k < A; k++) {
      c += p[b * A + k]!;
      if (u < c) {
        a = k;
        break;
      }
    }
    out[b] = a;
  }
  return out;
}

/** The arg max of each row of [B, A] (the greedy action; ties to the lowest index). */
export function greedyActions(scores: Tensor): Int32Array {
  const [B, A] = scores.shape as [number, number];
  const d = scores.data as ArrayLike<number>;
  const out = new Int32Array(B);
  for (let b = 0; b < B; b++) {
    let best = 0;
    for (let k = 1; k < A; k++) if (d[b * A + k]! > d[b * A + best]!) best = k;
    out[b] = best;
  }
  return out;
}

/** log pi(a_b | s_b) for each row: logSoftmax(logits)[b, a_b], shape [B]; differentiable. */
export function logProbOf(logits: Tensor, actions: Tensor): Tensor {
  const lp = logSoftmax(logits, 1);
  return reshape(gather(lp, 1, unsqueeze(actions, 1)), [actions.shape[0]!]);
}

/** Entropy H(pi(.|s_b)) = -sum_a pi log pi of each row, shape [B]; differentiable. */
export function entropyOf(logits: Tensor): Tensor {
  const lp = logSoftmax(logits, 1);
  return neg(sum(mul(exp(lp), lp), 1));
}

/** Q(s_b, a_b) for each row of Q values [B, A], shape [B]. */
export function valueOf(q: Tensor, actions: Tensor): Tensor {
  return reshape(gather(q, 1, unsqueeze(actions, 1)), [actions.shape[0]!]);
}

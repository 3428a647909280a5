/**
 * An on-policy rollout for the actor-critic methods (A2C, PPO): T steps of n environments under
 * the current policy pi_theta, with what the updates need: s_t, a_t, log pi_theta(a_t|s_t) at
 * collection, V(s_t), r_{t+1}, the episode ends, and V of the states a time limit cut (so a
 * truncated episode is bootstrapped, not treated as terminal).
 */
import { Tensor } from '../tensor/tensor.js';
import type { Generator } from '../tensor/random.js';
import { noGrad } from '../autograd/grad-mode.js';
import type { Module } from '../nn/module.js';
import type { EnvRunner } from './runner.js';
import { logProbOf, obsTensor, sampleCategorical } from './policy.js';
import { gae } from './returns.js';

export interface Rollout {
  T: number;
  n: number;
  /** [T * n, d] row t * n + e: the observation env e acted on at step t. */
  obs: Float32Array;
  actions: Int32Array;
  /** log pi_old(a_t | s_t) at collection time. */
  logProbs: Float32Array;
  values: Float64Array;
  rewards: Float64Array;
  terminated: Float64Array;
  done: Float64Array;
  truncatedValues: Float64Array;
  /** V(s_T) for each env, after the last step. */
  lastValues: Float64Array;
}

const column = (t: Tensor): Float64Array => Float64Array.from(t.data as ArrayLike<number>);

/** Collects T steps of every env of `runner` with actions sampled from softmax(actor(s)). */
export function collectRollout(runner: EnvRunner, actor: Module<any, any>, critic: Module<any, any>, T: number, rng: Generator): Rollout {
  const { n, obsDim: d } = runner;
  const N = T * n;
  const r: Rollout = {
    T,
    n,
    obs: new Float32Array(N * d),
    actions: new Int32Array(N),
    logProbs: new Float32Array(N),
    values: new Float64Array(N),
    rewards: new Float64Array(N),
    terminated: new Float64Array(N),
    done: new Float64Array(N),
    truncatedValues: new Float64Array(N),
    lastValues: new Float64Array(n),
  };
  const V = (obs: Float32Array, rows: number): Float64Array => column(noGrad(() => critic.forward(obsTensor(obs, rows)) as Tensor));
  for (let t = 0; t < T; t++) {
    const obs = runner.obs.slice();
    const x = obsTensor(obs, n);
    const logits = noGrad(() => actor.forward(x) as Tensor);
    const actions = sampleCategorical(logits, rng);
    const lp = noGrad(() => logProbOf(logits, new Tensor(actions, [n])));
    r.obs.set(obs, t * n * d);
    r.actions.set(actions, t * n);
    r.logProbs.set(lp.data as Float32Array, t * n);
    r.values.set(V(obs, n), t * n);
    const s = runner.step(actions);
    const cut: number[] = [];
    for (let e = 0; e < n; e++) {
      const i = t * n + e;
      r.rewards[i] = s.rewards[e]!;
      r.terminated[i] = s.terminated[e]!;
      r.done[i] = s.terminated[e]! || s.truncated[e]! ? 1 : 0;
      if (s.truncated[e]) cut.push(e);
    }
    if (cut.length > 0) {
      // The states a time limit cut still have a value: V(s_{t+1}) bootstraps their return.
      const batch = new Float32Array(cut.length * d);
      cut.forEach((e, k) => batch.set(s.nextObs.subarray(e * d, (e + 1) * d), k * d));
      const v = V(batch, cut.length);
      cut.forEach((e, k) => (r.truncatedValues[t * n + e] = v[k]!));
    }
  }
  r.lastValues = V(runner.obs.slice(), n);
  return r;
}

/** GAE(lambda) advantages and value targets of a rollout. */
export function rolloutAdvantages(r: Rollout, gamma: number, lambda: number): { advantages: Float64Array; returns: Float64Array } {
  return gae({
    rewards: r.rewards,
    values: r.values,
    terminated: r.terminated,
    done: r.done,
    truncatedValues: r.truncatedValues,
    lastValues: r.lastValues,
    gamma,
    lambda,
  });
}

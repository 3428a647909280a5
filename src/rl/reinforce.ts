/**
 * REINFORCE (Williams 1992): the policy gradient method (方策勾配法) with Monte Carlo returns.
 *
 *   theta^{(t+1)} = theta^{(t)} + epsilon grad_theta J(theta)
 *   方策勾配定理:  grad_theta J(theta) = E_{pi_theta}[ grad_theta log pi_theta(a|s) Q^pi(s,a) ]
 *
 * Q^pi(s_t, a_t) is estimated from the episode itself, by one of
 *   returns 'total'        psi_t = sum_k gamma^k r_{k+1}            the whole episode's return G_0
 *   returns 'reward-to-go' psi_t = G_t = sum_{k>=t} gamma^{k-t} r_{k+1}  (rewards before t do not depend on a_t)
 * for J(theta) as the discounted sum (割引報酬和), or, for J(theta) as the average reward
 * (平均報酬) rho(theta) = lim 1/T E[sum_t r_t], by the differential reward-to-go
 *   psi_t = sum_{k>=t} (r_{k+1} - rho)  with rho the running average reward per step.
 * A baseline b(s) subtracted from psi_t leaves the gradient's expectation unchanged
 * (E[grad log pi(a|s)] = 0) and lowers its variance: 'none', or 'value' (a critic V_w(s) fitted
 * to psi_t by least squares). The loss minimized is -mean_t (psi_t - b(s_t)) log pi_theta(a_t|s_t).
 *
 * One iteration plays whole episodes with every env until at least `batchSteps` steps are in,
 * then makes one update: the estimator is on-policy, so no episode spans two policies.
 */
import { Tensor } from '../tensor/tensor.js';
import { Generator } from '../tensor/random.js';
import { noGrad } from '../autograd/grad-mode.js';
import { mul } from '../ops/elementwise/mul.js';
import { add } from '../ops/elementwise/add.js';
import { neg } from '../ops/elementwise/neg.js';
import { mean } from '../ops/reduce/mean.js';
import { reshape } from '../ops/shape/reshape.js';
import { mseLoss } from '../ops/loss/mseLoss.js';
import { Adam } from '../optim/adam.js';
import { optimizeStep } from '../train/step.js';
import type { Module } from '../nn/module.js';
import {
  AGENT_BASE_KEYS,
  agentTask,
  greedyAct,
  hiddenSizes,
  intAtLeast,
  numberIn,
  resolveBase,
  type Agent,
  type AgentBase,
} from './agent.js';
import { EnvRunner } from './runner.js';
import { logProbOf, mlp, obsTensor, sampleCategorical } from './policy.js';
import { differentialRewardToGo, rewardToGo } from './returns.js';

export interface ReinforceOptions extends AgentBase {
  /** Environment steps per update at least (whole episodes; default 2000). */
  batchSteps?: number;
  /** 'reward-to-go' (default) or 'total' (every step weighted by the episode's return). */
  returns?: 'reward-to-go' | 'total';
  /** 'discounted' (default; J = the discounted sum of rewards) or 'average' (J = the average reward per step). */
  objective?: 'discounted' | 'average';
  /** 'value' (a learned V_w(s); default) or 'none'. */
  baseline?: 'value' | 'none';
  /**
   * Divide the weights psi_t - b(s_t) by their standard deviation over the batch (default true).
   * With a value baseline the mean is also subtracted; without one it is not (that would be a baseline).
   */
  normalize?: boolean;
  /** Learning rate of Adam (default 1e-3). */
  lr?: number;
  /** Value-loss coefficient (default 0.5). */
  valueCoef?: number;
  /** Gradient-norm clipping (default 0: none). */
  maxGradNorm?: number;
  /** Hidden layer sizes of the policy and of the critic (default [64, 64], tanh). */
  hidden?: number[];
}
const REINFORCE_KEYS = [
  ...AGENT_BASE_KEYS,
  'batchSteps',
  'returns',
  'objective',
  'baseline',
  'normalize',
  'lr',
  'valueCoef',
  'maxGradNorm',
  'hidden',
];

interface Trajectory {
  obs: number[];
  actions: number[];
  rewards: number[];
  /** V(s_T) where a time limit cut the episode (value baseline only), else 0. */
  bootstrap: number;
}

/**
 * A REINFORCE agent as a TrainTask.
 * @example const agent = reinforce({ makeEnv: () => makeEnv('CartPole-v1'), envs: 8, baseline: 'value' });
 */
export function reinforce(options: ReinforceOptions, ...extra: never[]): Agent {
  const who = 'reinforce';
  if (extra.length > 0) throw new Error(`${who}: expected one options object, got ${extra.length} extra argument(s)`);
  const b = resolveBase(who, options, REINFORCE_KEYS);
  const batchSteps = intAtLeast(who, 'batchSteps', options.batchSteps, 2000, 1);
  const returnsKind = options.returns ?? 'reward-to-go';
  if (returnsKind !== 'reward-to-go' && returnsKind !== 'total')
    throw new Error(`${who}: returns must be 'reward-to-go' or 'total', got '${String(returnsKind)}'`);
  const objective = options.objective ?? 'discounted';
  if (objective !== 'discounted' && objective !== 'average')
    throw new Error(`${who}: objective must be 'discounted' or 'average', got '${String(objective)}'`);
  const baseline = options.baseline ?? 'value';
  if (baseline !== 'value' && baseline !== 'none') throw new Error(`${who}: baseline must be 'value' or 'none', got '${String(baseline)}'`);
  const normalize = options.normalize ?? true;
  if (typeof normalize !== 'boolean') throw new Error(`${who}: normalize must be true or false, got ${String(normalize)}`);
  const lr = numberIn(who, 'lr', options.lr, 1e-3, 0, 1, true);
  const valueCoef = numberIn(who, 'valueCoef', options.valueCoef, 0.5, 0, 1e6);
  const maxGradNorm = numberIn(who, 'maxGradNorm', options.maxGradNorm, 0, 0, 1e6);
  const hidden = hiddenSizes(who, options.hidden, [64, 64]);

  const runner = new EnvRunner(b.makeEnv, b.envs, b.seed, b.scaleObs);
  const rng = new Generator(b.seed + 1);
  const actor = mlp(runner.obsDim, hidden, runner.actions, 'tanh');
  const critic = baseline === 'value' ? mlp(runner.obsDim, hidden, 1, 'tanh') : null;
  const modules: Record<string, Module<any, any>> = critic ? { actor, critic } : { actor };
  const opt = new Adam(critic ? [...actor.parameters(), ...critic.parameters()] : actor.parameters(), { lr });
  // The average reward per step rho, over every step collected so far (the average-reward objective).
  const avg = { rewardSum: 0, steps: 0 };
  const d = runner.obsDim;

  const collect = (): Trajectory[] => {
    const n = runner.n;
    const current: Trajectory[] = Array.from({ length: n }, () => ({ obs: [], actions: [], rewards: [], bootstrap: 0 }));
    const done: Trajectory[] = [];
    const active = new Array<boolean>(n).fill(true);
    let steps = 0;
    while (active.some(Boolean)) {
      const obs = runner.obs.slice();
      const actions = sampleCategorical(
        noGrad(() => actor.forward(obsTensor(obs, n))),
        rng,
      );
      const s = runner.step(actions, active);
      for (let e = 0; e < n; e++) {
        if (!active[e]) continue;
        const tr = current[e]!;
        for (let k = 0; k < d; k++) tr.obs.push(obs[e * d + k]!);
        tr.actions.push(actions[e]!);
        tr.rewards.push(s.rewards[e]!);
        steps++;
        if (s.terminated[e] || s.truncated[e]) {
          if (s.truncated[e] && critic)
            tr.bootstrap = (noGrad(() => critic.forward(obsTensor(s.nextObs.slice(e * d, (e + 1) * d), 1))).data as Float32Array)[0]!;
          done.push(tr);
          current[e] = { obs: [], actions: [], rewards: [], bootstrap: 0 };
          // Every env finishes the episode it is in; none starts one past the batch.
          if (steps >= batchSteps) active[e] = false;
        }
      }
    }
    return done;
  };

  const iterate = (): { loss: number } => {
    const episodes = collect();
    const N = episodes.reduce((a, e) => a + e.actions.length, 0);
    if (objective === 'average') {
      for (const ep of episodes) for (const r of ep.rewards) avg.rewardSum += r;
      avg.steps += N;
    }
    const rho = avg.steps > 0 ? avg.rewardSum / avg.steps : 0;
    const psi = new Float64Array(N);
    const obs = new Float32Array(N * d);
    const actions = new Int32Array(N);
    let at = 0;
    for (const ep of episodes) {
      const T = ep.actions.length;
      let g: Float64Array;
      if (objective === 'average') g = differentialRewardToGo(ep.rewards, rho);
      else g = rewardToGo(ep.rewards, b.gamma, ep.bootstrap);
      if (returnsKind === 'total') g = new Float64Array(T).fill(g[0]!);
      psi.set(g, at);
      obs.set(ep.obs, at * d);
      actions.set(ep.actions, at);
      at += T;
    }
    const x = new Tensor(obs, [N, d]);
    const weights = Float64Array.from(psi);
    if (critic) {
      const v = noGrad(() => critic.forward(x)).data as Float32Array;
      for (let i = 0; i < N; i++) weights[i]! -= v[i]!;
    }
    if (normalize && N > 1) {
      let m = 0;
      for (const w of weights) m += w;
      m /= N;
      let s = 0;
      for (const w of weights) s += (w - m) ** 2;
      const sd = Math.sqrt(s / (N - 1)) + 1e-8;
      const center = critic ? m : 0;
      for (let i = 0; i < N; i++) weights[i] = (weights[i]! - center) / sd;
    }
    const logp = logProbOf(actor.forward(x), new Tensor(actions, [N]));
    let loss = neg(mean(mul(logp, new Tensor(Float32Array.from(weights), [N]))));
    if (critic) loss = add(loss, mul(mseLoss(reshape(critic.forward(x), [N]), new Tensor(Float32Array.from(psi), [N])), valueCoef));
    return { loss: optimizeStep(opt, loss, maxGradNorm > 0 ? { clip: maxGradNorm } : {}) };
  };

  const task = agentTask(b, {
    runner,
    rng,
    policyNet: actor,
    modules,
    optimizers: { reinforce: opt },
    stepsPerIteration: batchSteps,
    iterate,
    saveExtra: () => ({ json: { ...avg } }),
    loadExtra: (s) => Object.assign(avg, s.json as typeof avg),
  });
  return {
    task,
    policyNet: actor,
    policyKind: 'logits',
    act: greedyAct(actor),
    runner,
    budget: b.epochs * task.stepsPerEpoch * batchSteps,
  };
}

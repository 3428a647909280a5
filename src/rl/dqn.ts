/**
 * Deep Q-network, DQN (Mnih et al. 2015, Nature 518:529), and Double DQN (van Hasselt et al.
 * 2016, arXiv:1509.06461): Q-learning (Q学習) with the action-value function (行動価値関数)
 * approximated by a network Q_w (関数近似法).
 *
 * Tabular Q-learning updates, after each step (s, a, r, s'),
 *   Q(s,a) <- Q(s,a) + alpha [ r + gamma max_{a'} Q(s',a') - Q(s,a) ].
 * With a network, the bracket becomes a regression: minimize over minibatches from a replay buffer
 *   L(w) = Huber( Q_w(s,a) - y ),   y = r + gamma (1 - terminated) max_{a'} Q_{w-}(s',a')
 * where Q_{w-} is a target network, a copy of Q_w refreshed every `targetUpdate` env steps, so the
 * target does not move with every update. Huber (quadratic within |d| < 1, linear beyond) keeps a
 * large TD error from giving a huge gradient. Double DQN picks a' with the online network and
 * values it with the target network, y = r + gamma Q_{w-}(s', argmax_{a'} Q_w(s',a')), which removes
 * most of max's overestimation. Exploration (探索と利用のトレードオフ): epsilon-greedy with epsilon
 * falling linearly from epsStart to epsEnd over the first explorationFraction of the budget.
 */
import { Tensor } from '../tensor/tensor.js';
import { Generator } from '../tensor/random.js';
import { noGrad } from '../autograd/grad-mode.js';
import { mul } from '../ops/elementwise/mul.js';
import { add } from '../ops/elementwise/add.js';
import { sub } from '../ops/elementwise/sub.js';
import { amax } from '../ops/reduce/amax.js';
import { huberLoss } from '../ops/loss/huberLoss.js';
import { Adam } from '../optim/adam.js';
import type { Module } from '../nn/module.js';
import { optimizeStep } from '../train/step.js';
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
import { greedyActions, mlp, obsTensor, valueOf } from './policy.js';
import { ReplayBuffer, type ReplayBatch } from './replay.js';

export interface DQNOptions extends AgentBase {
  /** Double DQN's target (default false: DQN's). */
  double?: boolean;
  /** Replay buffer capacity (default 100000). */
  bufferSize?: number;
  /** Env steps (all envs together) of random acting before learning starts (default 1000). */
  learningStarts?: number;
  /** Minibatch size (default 64). */
  batchSize?: number;
  /** Env steps per env between rounds of updates (default 4). */
  trainFreq?: number;
  /** Updates per round (default 1). */
  gradientSteps?: number;
  /** Copy Q_w to the target network every this many env steps (default 1000). */
  targetUpdate?: number;
  /** Learning rate of Adam (default 1e-4). */
  lr?: number;
  epsStart?: number;
  epsEnd?: number;
  /** Fraction of the budget over which epsilon falls (default 0.1). */
  explorationFraction?: number;
  /** Gradient-norm clipping (default 10, as Stable-Baselines3). */
  maxGradNorm?: number;
  /** Hidden layer sizes of Q_w (default [64, 64], ReLU). */
  hidden?: number[];
}
const DQN_KEYS = [
  ...AGENT_BASE_KEYS,
  'double',
  'bufferSize',
  'learningStarts',
  'batchSize',
  'trainFreq',
  'gradientSteps',
  'targetUpdate',
  'lr',
  'epsStart',
  'epsEnd',
  'explorationFraction',
  'maxGradNorm',
  'hidden',
];

/**
 * The TD target of a minibatch, without gradient:
 *   DQN:        y = r + gamma (1 - terminated) max_{a'} Q_target(s', a')
 *   Double DQN: y = r + gamma (1 - terminated) Q_target(s', argmax_{a'} Q_online(s', a'))
 */
export function tdTarget(batch: ReplayBatch, online: Module<any, any>, target: Module<any, any>, gamma: number, double: boolean): Tensor {
  return noGrad(() => {
    const qNext = target.forward(batch.nextObs) as Tensor;
    const best = double
      ? valueOf(qNext, new Tensor(greedyActions(online.forward(batch.nextObs) as Tensor), [qNext.shape[0]!]))
      : amax(qNext, 1);
    return add(batch.rewards, mul(mul(sub(1, batch.terminated), best), gamma));
  });
}

/** Copies every parameter and buffer of `from` into `to` (the target network's hard update). */
export function syncTarget(to: Module<any, any>, from: Module<any, any>): void {
  to.loadStateDict(from.stateDict());
}

/** epsilon after `steps` env steps: linear from start to end over `span` steps, then end. */
export function epsilonAt(steps: number, start: number, end: number, span: number): number {
  if (span <= 0) return end;
  return start + (end - start) * Math.min(1, steps / span);
}

/**
 * A DQN (or, with double: true, Double DQN) agent as a TrainTask.
 * @example const agent = dqn({ makeEnv: () => makeEnv('CartPole-v1'), double: true });
 */
export function dqn(options: DQNOptions, ...extra: never[]): Agent {
  const who = 'dqn';
  if (extra.length > 0) throw new Error(`${who}: expected one options object, got ${extra.length} extra argument(s)`);
  const b = resolveBase(who, options, DQN_KEYS);
  const double = options.double ?? false;
  if (typeof double !== 'boolean') throw new Error(`${who}: double must be true or false, got ${String(double)}`);
  const bufferSize = intAtLeast(who, 'bufferSize', options.bufferSize, 100_000, 1);
  const learningStarts = intAtLeast(who, 'learningStarts', options.learningStarts, 1000, 0);
  const batchSize = intAtLeast(who, 'batchSize', options.batchSize, 64, 1);
  const trainFreq = intAtLeast(who, 'trainFreq', options.trainFreq, 4, 1);
  const gradientSteps = intAtLeast(who, 'gradientSteps', options.gradientSteps, 1, 0);
  const targetUpdate = intAtLeast(who, 'targetUpdate', options.targetUpdate, 1000, 1);
  const lr = numberIn(who, 'lr', options.lr, 1e-4, 0, 1, true);
  const epsStart = numberIn(who, 'epsStart', options.epsStart, 1, 0, 1);
  const epsEnd = numberIn(who, 'epsEnd', options.epsEnd, 0.05, 0, 1);
  const explorationFraction = numberIn(who, 'explorationFraction', options.explorationFraction, 0.1, 0, 1);
  const maxGradNorm = numberIn(who, 'maxGradNorm', options.maxGradNorm, 10, 0, 1e6);
  const hidden = hiddenSizes(who, options.hidden, [64, 64]);

  const runner = new EnvRunner(b.makeEnv, b.envs, b.seed, b.scaleObs);
  const rng = new Generator(b.seed + 1);
  const q = mlp(runner.obsDim, hidden, runner.actions, 'relu');
  const target = mlp(runner.obsDim, hidden, runner.actions, 'relu');
  syncTarget(target, q);
  const opt = new Adam(q.parameters(), { lr });
  const buffer = new ReplayBuffer(bufferSize, runner.obsDim);
  const perIteration = trainFreq * b.envs;
  const sched = { lastSync: 0 };
  let budget = 0;
  const d = runner.obsDim;

  const iterate = (): { loss: number } => {
    for (let k = 0; k < trainFreq; k++) {
      const n = runner.n;
      const obs = runner.obs.slice();
      const eps = runner.steps < learningStarts ? 1 : epsilonAt(runner.steps, epsStart, epsEnd, explorationFraction * budget);
      const greedy = greedyActions(noGrad(() => q.forward(obsTensor(obs, n))));
      const actions = new Int32Array(n);
      for (let e = 0; e < n; e++) actions[e] = rng.random() < eps ? rng.int(0, runner.actions) : greedy[e]!;
      const s = runner.step(actions);
      for (let e = 0; e < n; e++)
        buffer.add(
          obs.subarray(e * d, (e + 1) * d),
          actions[e]!,
          s.rewards[e]!,
          s.nextObs.subarray(e * d, (e + 1) * d),
          s.terminated[e] === 1,
        );
      if (runner.steps - sched.lastSync >= targetUpdate) {
        syncTarget(target, q);
        sched.lastSync = runner.steps;
      }
    }
    if (runner.steps < learningStarts) return { loss: 0 };
    let lossSum = 0;
    for (let g = 0; g < gradientSteps; g++) {
      const batch = buffer.sample(batchSize, rng);
      const y = tdTarget(batch, q, target, b.gamma, double);
      const loss = huberLoss(valueOf(q.forward(batch.obs), batch.actions), y);
      lossSum += optimizeStep(opt, loss, maxGradNorm > 0 ? { clip: maxGradNorm } : {});
    }
    return { loss: gradientSteps > 0 ? lossSum / gradientSteps : 0 };
  };

  const task = agentTask(b, {
    runner,
    rng,
    policyNet: q,
    modules: { q, target },
    optimizers: { dqn: opt },
    stepsPerIteration: perIteration,
    iterate,
    saveExtra: () => {
      const s = buffer.state();
      const tensors: Record<string, Tensor> = {};
      for (const [k, t] of Object.entries(s.tensors)) tensors[`replay.${k}`] = t;
      return { tensors, json: { replay: s.json, lastSync: sched.lastSync } };
    },
    loadExtra: (s) => {
      const j = s.json as { replay: { pos: number; size: number }; lastSync: number };
      const tensors: Record<string, Tensor> = {};
      for (const [k, t] of Object.entries(s.tensors ?? {})) if (k.startsWith('replay.')) tensors[k.slice(7)] = t;
      buffer.loadState(tensors, j.replay);
      sched.lastSync = j.lastSync;
    },
  });
  budget = b.epochs * task.stepsPerEpoch * perIteration;
  return { task, policyNet: q, policyKind: 'q', act: greedyAct(q), runner, budget };
}

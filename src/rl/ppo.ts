/**
 * Proximal policy optimization with the clipped objective, PPO-clip (Schulman et al. 2017,
 * arXiv:1707.06347), on GAE(lambda) advantages.
 *
 * The policy gradient theorem (方策勾配定理), grad_theta J(theta) = E_{pi_theta}[grad log pi_theta(a|s) Q^pi(s,a)],
 * is an on-policy expectation, so one rollout supports one small step. PPO reuses a rollout for
 * several epochs of minibatch updates by maximizing a surrogate whose gradient at theta = theta_old
 * is exactly that policy gradient (with the advantage A in place of Q), clipped so that the
 * ratio rho_t(theta) = pi_theta(a_t|s_t) / pi_theta_old(a_t|s_t) gains nothing beyond [1 - eps, 1 + eps]:
 *   L^CLIP(theta) = E_t[ min( rho_t A_t, clip(rho_t, 1 - eps, 1 + eps) A_t ) ]
 * minimized as  -L^CLIP + c_v (R_t - V_w(s_t))^2 - c_e H(pi_theta(.|s_t)).
 */
import { Tensor } from '../tensor/tensor.js';
import { Generator } from '../tensor/random.js';
import { mul } from '../ops/elementwise/mul.js';
import { add } from '../ops/elementwise/add.js';
import { sub } from '../ops/elementwise/sub.js';
import { neg } from '../ops/elementwise/neg.js';
import { exp } from '../ops/elementwise/exp.js';
import { clamp } from '../ops/elementwise/clamp.js';
import { minimum } from '../ops/elementwise/minimum.js';
import { mean } from '../ops/reduce/mean.js';
import { reshape } from '../ops/shape/reshape.js';
import { mseLoss } from '../ops/loss/mseLoss.js';
import { Adam } from '../optim/adam.js';
import { optimizeStep } from '../train/step.js';
import { checkRest, checkTensor, describe } from '../tensor/validate.js';
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
import { entropyOf, logProbOf, mlp } from './policy.js';
import { collectRollout, rolloutAdvantages } from './rollout.js';
import { normalizeInPlace } from './returns.js';

/**
 * The clipped surrogate, negated for minimization: -mean_t min(rho_t A_t, clip(rho_t, 1-eps, 1+eps) A_t)
 * with rho_t = exp(logp_t - oldLogp_t). Its gradient is zero for a sample whose ratio has left the
 * trust interval in the direction its advantage favours.
 * @example ppoClipLoss(logp, oldLogp, advantages, 0.2)
 */
export function ppoClipLoss(logp: Tensor, oldLogp: Tensor, advantages: Tensor, clipRange: number, ...extra: never[]): Tensor {
  checkTensor('ppoClipLoss', logp, 'argument 1 (logp)');
  checkTensor('ppoClipLoss', oldLogp, 'argument 2 (oldLogp)');
  checkTensor('ppoClipLoss', advantages, 'argument 3 (advantages)');
  checkRest('ppoClipLoss', extra, 4, 'ppoClipLoss(logp, oldLogp, advantages, clipRange)');
  if (typeof clipRange !== 'number' || !(clipRange > 0))
    throw new Error(`ppoClipLoss: clipRange must be a positive number, got ${describe(clipRange)}`);
  const ratio = exp(sub(logp, oldLogp));
  const unclipped = mul(ratio, advantages);
  const clipped = mul(clamp(ratio, 1 - clipRange, 1 + clipRange), advantages);
  return neg(mean(minimum(unclipped, clipped)));
}

export interface PPOOptions extends AgentBase {
  /** Steps per env per rollout, T (default 128). */
  nSteps?: number;
  /** Passes over each rollout (default 10). */
  nEpochs?: number;
  /** Minibatch size (default 64). */
  batchSize?: number;
  /** GAE lambda (default 0.95). */
  lambda?: number;
  /** Learning rate of Adam (default 3e-4). */
  lr?: number;
  /** The clip range epsilon (default 0.2). */
  clipRange?: number;
  /** Anneal the learning rate and the clip range linearly to 0 over the budget (default false). */
  anneal?: boolean;
  /** Value-loss coefficient c_v (default 0.5). */
  valueCoef?: number;
  /** Entropy-bonus coefficient c_e (default 0). */
  entropyCoef?: number;
  /** Gradient-norm clipping (default 0.5). */
  maxGradNorm?: number;
  /** Hidden layer sizes of the actor and of the critic (default [64, 64], tanh). */
  hidden?: number[];
}
const PPO_KEYS = [
  ...AGENT_BASE_KEYS,
  'nSteps',
  'nEpochs',
  'batchSize',
  'lambda',
  'lr',
  'clipRange',
  'anneal',
  'valueCoef',
  'entropyCoef',
  'maxGradNorm',
  'hidden',
];

/**
 * A PPO-clip agent as a TrainTask.
 * @example const agent = ppo({ makeEnv: () => makeEnv('CartPole-v1'), envs: 8, nSteps: 32 });
 */
export function ppo(options: PPOOptions, ...extra: never[]): Agent {
  const who = 'ppo';
  if (extra.length > 0) throw new Error(`${who}: expected one options object, got ${extra.length} extra argument(s)`);
  const b = resolveBase(who, options, PPO_KEYS);
  const nSteps = intAtLeast(who, 'nSteps', options.nSteps, 128, 1);
  const nEpochs = intAtLeast(who, 'nEpochs', options.nEpochs, 10, 1);
  const batchSize = intAtLeast(who, 'batchSize', options.batchSize, 64, 1);
  const lambda = numberIn(who, 'lambda', options.lambda, 0.95, 0, 1);
  const lr0 = numberIn(who, 'lr', options.lr, 3e-4, 0, 1, true);
  const clip0 = numberIn(who, 'clipRange', options.clipRange, 0.2, 0, 10, true);
  const valueCoef = numberIn(who, 'valueCoef', options.valueCoef, 0.5, 0, 1e6);
  const entropyCoef = numberIn(who, 'entropyCoef', options.entropyCoef, 0, 0, 1e6);
  const maxGradNorm = numberIn(who, 'maxGradNorm', options.maxGradNorm, 0.5, 0, 1e6);
  const anneal = options.anneal ?? false;
  const hidden = hiddenSizes(who, options.hidden, [64, 64]);

  const runner = new EnvRunner(b.makeEnv, b.envs, b.seed, b.scaleObs);
  const rng = new Generator(b.seed + 1);
  const actor = mlp(runner.obsDim, hidden, runner.actions, 'tanh');
  const critic = mlp(runner.obsDim, hidden, 1, 'tanh');
  const opt = new Adam([...actor.parameters(), ...critic.parameters()], { lr: lr0, eps: 1e-5 });
  const perIteration = nSteps * b.envs;
  let budget = 0; // set below, once the task knows its steps per epoch

  const iterate = (): { loss: number } => {
    // Linear annealing on the fraction of the budget left (Stable-Baselines3's lin_ schedules).
    const left = anneal ? Math.max(0, 1 - runner.steps / budget) : 1;
    opt.paramGroups[0]!.options['lr'] = lr0 * left;
    const clipRange = Math.max(clip0 * left, 1e-8);
    const r = collectRollout(runner, actor, critic, nSteps, rng);
    const { advantages, returns } = rolloutAdvantages(r, b.gamma, lambda);
    const N = r.T * r.n;
    const d = runner.obsDim;
    const order = Int32Array.from({ length: N }, (_, i) => i);
    let lossSum = 0;
    let updates = 0;
    for (let epoch = 0; epoch < nEpochs; epoch++) {
      for (let i = N - 1; i > 0; i--) {
        const j = rng.int(0, i + 1);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      for (let start = 0; start < N; start += batchSize) {
        const idx = order.subarray(start, Math.min(N, start + batchSize));
        const B = idx.length;
        const obs = new Float32Array(B * d);
        const actions = new Int32Array(B);
        const oldLogp = new Float32Array(B);
        const adv = new Float64Array(B);
        const ret = new Float32Array(B);
        idx.forEach((k, m) => {
          obs.set(r.obs.subarray(k * d, (k + 1) * d), m * d);
          actions[m] = r.actions[k]!;
          oldLogp[m] = r.logProbs[k]!;
          adv[m] = advantages[k]!;
          ret[m] = returns[k]!;
        });
        normalizeInPlace(adv); // per minibatch, as Stable-Baselines3
        const x = new Tensor(obs, [B, d]);
        const logits = actor.forward(x);
        const logp = logProbOf(logits, new Tensor(actions, [B]));
        const policyLoss = ppoClipLoss(logp, new Tensor(oldLogp, [B]), new Tensor(Float32Array.from(adv), [B]), clipRange);
        const valueLoss = mseLoss(reshape(critic.forward(x), [B]), new Tensor(ret, [B]));
        let loss = add(policyLoss, mul(valueLoss, valueCoef));
        if (entropyCoef > 0) loss = sub(loss, mul(mean(entropyOf(logits)), entropyCoef));
        lossSum += optimizeStep(opt, loss, { clip: maxGradNorm });
        updates++;
      }
    }
    return { loss: lossSum / updates };
  };

  const task = agentTask(b, {
    runner,
    rng,
    policyNet: actor,
    modules: { actor, critic },
    optimizers: { ppo: opt },
    stepsPerIteration: perIteration,
    iterate,
  });
  budget = b.epochs * task.stepsPerEpoch * perIteration;
  return { task, policyNet: actor, policyKind: 'logits', act: greedyAct(actor), runner, budget };
}

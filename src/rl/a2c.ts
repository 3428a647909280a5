/**
 * Advantage actor-critic, A2C (the synchronous form of Mnih et al. 2016, arXiv:1602.01783), with
 * GAE(lambda) advantages (Schulman et al. 2016, arXiv:1506.02438).
 *
 * The policy gradient theorem (方策勾配定理) with Q^pi replaced by an advantage estimate:
 *   grad_theta J(theta) = E_{pi_theta}[ grad_theta log pi_theta(a|s) Q^pi(s,a) ]
 *                       = E_{pi_theta}[ grad_theta log pi_theta(a|s) (Q^pi(s,a) - V^pi(s)) ]
 * since subtracting the state value V^pi(s) leaves the expectation unchanged and lowers the
 * variance. The critic V_w learns the value function; A_t = GAE(lambda) from its TD errors
 *   delta_t = r_{t+1} + gamma V_w(s_{t+1}) - V_w(s_t).
 * One update per rollout of T steps x n envs, minimizing
 *   L = -mean_t A_t log pi_theta(a_t|s_t) + c_v mean_t (R_t - V_w(s_t))^2 - c_e mean_t H(pi_theta(.|s_t))
 * and then theta^{(t+1)} = theta^{(t)} + epsilon grad_theta J(theta) is the optimizer's step.
 */
import { Tensor } from '../tensor/tensor.js';
import { Generator } from '../tensor/random.js';
import { mul } from '../ops/elementwise/mul.js';
import { add } from '../ops/elementwise/add.js';
import { sub } from '../ops/elementwise/sub.js';
import { neg } from '../ops/elementwise/neg.js';
import { mean } from '../ops/reduce/mean.js';
import { reshape } from '../ops/shape/reshape.js';
import { mseLoss } from '../ops/loss/mseLoss.js';
import { RMSprop } from '../optim/rmsprop.js';
import { Adam } from '../optim/adam.js';
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
import { entropyOf, logProbOf, mlp } from './policy.js';
import { collectRollout, rolloutAdvantages } from './rollout.js';
import { normalizeInPlace } from './returns.js';

export interface A2COptions extends AgentBase {
  /** Steps per env per update, T (default 5, as Stable-Baselines3). */
  nSteps?: number;
  /** GAE lambda (default 1: the n-step return). */
  lambda?: number;
  /** Learning rate (default 7e-4). */
  lr?: number;
  /** 'rmsprop' (alpha 0.99, eps 1e-5, as Stable-Baselines3; default) or 'adam'. */
  optimizer?: 'rmsprop' | 'adam';
  /** Value-loss coefficient c_v (default 0.5). */
  valueCoef?: number;
  /** Entropy-bonus coefficient c_e (default 0). */
  entropyCoef?: number;
  /** Gradient-norm clipping (default 0.5). */
  maxGradNorm?: number;
  /** Normalize the advantages of each update (default false). */
  normalizeAdvantages?: boolean;
  /** Hidden layer sizes of the actor and of the critic (default [64, 64], tanh). */
  hidden?: number[];
}
const A2C_KEYS = [
  ...AGENT_BASE_KEYS,
  'nSteps',
  'lambda',
  'lr',
  'optimizer',
  'valueCoef',
  'entropyCoef',
  'maxGradNorm',
  'normalizeAdvantages',
  'hidden',
];

/**
 * An A2C agent as a TrainTask: `new Trainer(agent.task, { epochs })` trains it.
 * @example const agent = a2c({ makeEnv: () => makeEnv('CartPole-v1'), envs: 8 });
 */
export function a2c(options: A2COptions, ...extra: never[]): Agent {
  const who = 'a2c';
  if (extra.length > 0) throw new Error(`${who}: expected one options object, got ${extra.length} extra argument(s)`);
  const b = resolveBase(who, options, A2C_KEYS);
  const nSteps = intAtLeast(who, 'nSteps', options.nSteps, 5, 1);
  const lambda = numberIn(who, 'lambda', options.lambda, 1, 0, 1);
  const lr = numberIn(who, 'lr', options.lr, 7e-4, 0, 1, true);
  const valueCoef = numberIn(who, 'valueCoef', options.valueCoef, 0.5, 0, 1e6);
  const entropyCoef = numberIn(who, 'entropyCoef', options.entropyCoef, 0, 0, 1e6);
  const maxGradNorm = numberIn(who, 'maxGradNorm', options.maxGradNorm, 0.5, 0, 1e6);
  const optimizer = options.optimizer ?? 'rmsprop';
  if (optimizer !== 'rmsprop' && optimizer !== 'adam')
    throw new Error(`${who}: optimizer must be 'rmsprop' or 'adam', got '${String(optimizer)}'`);
  const hidden = hiddenSizes(who, options.hidden, [64, 64]);
  const normalize = options.normalizeAdvantages ?? false;

  const runner = new EnvRunner(b.makeEnv, b.envs, b.seed, b.scaleObs);
  const rng = new Generator(b.seed + 1);
  const actor = mlp(runner.obsDim, hidden, runner.actions, 'tanh');
  const critic = mlp(runner.obsDim, hidden, 1, 'tanh');
  const params = [...actor.parameters(), ...critic.parameters()];
  const opt = optimizer === 'rmsprop' ? new RMSprop(params, { lr, alpha: 0.99, eps: 1e-5 }) : new Adam(params, { lr });
  const perIteration = nSteps * b.envs;

  const iterate = (): { loss: number } => {
    const r = collectRollout(runner, actor, critic, nSteps, rng);
    const { advantages, returns } = rolloutAdvantages(r, b.gamma, lambda);
    if (normalize) normalizeInPlace(advantages);
    const N = r.T * r.n;
    const x = new Tensor(r.obs, [N, runner.obsDim]);
    const logits = actor.forward(x);
    const logp = logProbOf(logits, new Tensor(r.actions, [N]));
    const adv = new Tensor(Float32Array.from(advantages), [N]);
    const policyLoss = neg(mean(mul(logp, adv)));
    const v = reshape(critic.forward(x), [N]);
    const valueLoss = mseLoss(v, new Tensor(Float32Array.from(returns), [N]));
    let loss = add(policyLoss, mul(valueLoss, valueCoef));
    if (entropyCoef > 0) loss = sub(loss, mul(mean(entropyOf(logits)), entropyCoef));
    return { loss: optimizeStep(opt, loss, { clip: maxGradNorm }) };
  };

  const task = agentTask(b, {
    runner,
    rng,
    policyNet: actor,
    modules: { actor, critic },
    optimizers: { a2c: opt },
    stepsPerIteration: perIteration,
    iterate,
  });
  return {
    task,
    policyNet: actor,
    policyKind: 'logits',
    act: greedyAct(actor),
    runner,
    budget: b.epochs * task.stepsPerEpoch * perIteration,
  };
}

/**
 * Recipes of the deep RL agents, in the one registry (src/train):
 *   rl-cartpole     --algo reinforce | a2c | ppo | dqn | ddqn   CartPole-v1, target: mean return >= 475 over 100 episodes
 *   rl-mountaincar  --algo dqn | ppo                            MountainCar-v0, target: mean return >= -110
 * The settings of each algorithm are data (the tables below): Stable-Baselines3's tuned
 * hyperparameters from rl-baselines3-zoo where it has them (PPO, A2C, DQN), ours for REINFORCE.
 * An epoch is `epochSteps` environment steps; after each the greedy policy is evaluated on
 * `evalEpisodes` episodes with fixed seeds, and the run stops once that mean reaches `target`.
 * Artifacts: policy.safetensors (for `shinsou play`).
 */
import { choiceOption, intOption, numberOption, stringOption, type OptionValues } from '../train/options.js';
import { registerRecipe, type Recipe } from '../train/registry.js';
import type { Module } from '../nn/module.js';
import { makeEnv, type Env } from './env.js';
import { reinforce, type ReinforceOptions } from './reinforce.js';
import { a2c, type A2COptions } from './a2c.js';
import { ppo, type PPOOptions } from './ppo.js';
import { dqn, type DQNOptions } from './dqn.js';
import type { Agent, AgentBase } from './agent.js';
import { encodePolicy } from './saved-policy.js';
import type { Activation } from './policy.js';
import { EnvRunner } from './runner.js';
import { mlp } from './policy.js';

type Algo = 'reinforce' | 'a2c' | 'ppo' | 'dqn' | 'ddqn';
type Specific = Omit<ReinforceOptions & A2COptions & PPOOptions & DQNOptions, keyof AgentBase | 'hidden' | 'lr'>;

/** One algorithm's settings on one environment. */
interface AlgoSettings {
  envs: number;
  lr: number;
  gamma: number;
  hidden: number[];
  /** Everything else the agent takes. */
  more: Partial<Specific>;
}

/** CartPole-v1. PPO, A2C, DQN: rl-baselines3-zoo hyperparams/{ppo,a2c,dqn}.yml (CartPole-v1). */
const CARTPOLE: Record<Algo, AlgoSettings> = {
  reinforce: { envs: 8, lr: 3e-3, gamma: 0.99, hidden: [64, 64], more: { batchSteps: 2000, baseline: 'value', returns: 'reward-to-go' } },
  a2c: { envs: 8, lr: 7e-4, gamma: 0.99, hidden: [64, 64], more: { nSteps: 5, lambda: 1, entropyCoef: 0 } },
  ppo: {
    envs: 8,
    lr: 1e-3,
    gamma: 0.98,
    hidden: [64, 64],
    more: { nSteps: 32, batchSize: 256, lambda: 0.8, nEpochs: 20, entropyCoef: 0, anneal: true, clipRange: 0.2 },
  },
  dqn: {
    envs: 1,
    lr: 2.3e-3,
    gamma: 0.99,
    hidden: [256, 256],
    more: {
      bufferSize: 100_000,
      learningStarts: 1000,
      batchSize: 64,
      trainFreq: 256,
      gradientSteps: 128,
      targetUpdate: 10,
      explorationFraction: 0.16,
      epsEnd: 0.04,
    },
  },
  ddqn: { envs: 1, lr: 2.3e-3, gamma: 0.99, hidden: [256, 256], more: {} },
};
CARTPOLE.ddqn.more = { ...CARTPOLE.dqn.more, double: true };

/** MountainCar-v0. DQN: rl-baselines3-zoo hyperparams/dqn.yml; PPO: ppo.yml without its running normalization (fixed scaling instead). */
const MOUNTAINCAR: Partial<Record<Algo, AlgoSettings>> = {
  dqn: {
    envs: 1,
    lr: 4e-3,
    gamma: 0.98,
    hidden: [64, 64], // the zoo's is 256-256 (docs/rl.md)
    more: {
      bufferSize: 10_000,
      learningStarts: 1000,
      batchSize: 128,
      trainFreq: 16,
      gradientSteps: 8,
      targetUpdate: 600,
      explorationFraction: 0.2,
      epsEnd: 0.07,
    },
  },
  ppo: {
    envs: 16,
    lr: 3e-4,
    gamma: 0.99,
    hidden: [64, 64],
    more: { nSteps: 16, batchSize: 64, lambda: 0.98, nEpochs: 4, entropyCoef: 0 },
  },
};

function rlOptions(d: { algos: readonly Algo[]; algo: Algo; epochs: number; epochSteps: number; target: number }) {
  return {
    algo: choiceOption(d.algos, d.algo, 'the algorithm'),
    epochs: intOption(d.epochs, 'epochs; the budget is epochs x epoch-steps environment steps', { min: 1, max: 100_000 }),
    epochSteps: intOption(d.epochSteps, 'environment steps per epoch (the greedy policy is evaluated after each)', { min: 1 }),
    envs: intOption(0, "parallel environments (0: the algorithm's setting)"),
    lr: numberOption(0, "learning rate (0: the algorithm's setting)", { min: 0 }),
    hidden: stringOption('', "hidden layer sizes, comma-separated, e.g. '64,64' (empty: the algorithm's setting)"),
    evalEpisodes: intOption(100, 'greedy evaluation episodes after each epoch', { min: 1 }),
    target: numberOption(d.target, 'stop once the evaluation mean return reaches this (the solved threshold)'),
    seed: intOption(0, 'seed of the init, the environments and the sampling', { max: 0x7fffffff }),
  };
}
type RlSpec = ReturnType<typeof rlOptions>;

const parseHidden = (s: string, dflt: number[]): number[] => {
  if (s.trim() === '') return dflt;
  const h = s.split(',').map((v) => Number(v.trim()));
  if (h.some((v) => !Number.isInteger(v) || v < 1))
    throw new Error(`rl recipes: option 'hidden' must be positive integers separated by commas, got '${s}'`);
  return h;
};

function buildAgent(
  envId: string,
  table: Partial<Record<Algo, AlgoSettings>>,
  o: OptionValues<RlSpec>,
  scaleObs: boolean,
): { agent: Agent; hidden: number[]; activation: Activation } {
  const s = table[o.algo]!;
  const hidden = parseHidden(o.hidden, s.hidden);
  const base: AgentBase = {
    makeEnv: () => makeEnv(envId) as Env<unknown, number>,
    envs: o.envs || s.envs,
    epochSteps: o.epochSteps,
    epochs: o.epochs,
    gamma: s.gamma,
    seed: o.seed,
    evalEpisodes: o.evalEpisodes,
    scaleObs,
  };
  const common = { ...base, lr: o.lr || s.lr, hidden };
  switch (o.algo) {
    case 'reinforce':
      return { agent: reinforce({ ...common, ...(s.more as ReinforceOptions) }), hidden, activation: 'tanh' };
    case 'a2c':
      return { agent: a2c({ ...common, ...(s.more as A2COptions) }), hidden, activation: 'tanh' };
    case 'ppo':
      return { agent: ppo({ ...common, ...(s.more as PPOOptions) }), hidden, activation: 'tanh' };
    case 'dqn':
    case 'ddqn':
      return { agent: dqn({ ...common, ...(s.more as DQNOptions) }), hidden, activation: 'relu' };
  }
}

function rlRecipe(
  name: string,
  envId: string,
  description: string,
  table: Partial<Record<Algo, AlgoSettings>>,
  d: Parameters<typeof rlOptions>[0],
  scaleObs: boolean,
): Recipe<RlSpec, null, Module<any, any>> {
  return {
    name,
    family: 'rl',
    description,
    data: { id: 'generated', description: `the ${envId} environment (src/rl), simulated` },
    options: rlOptions(d),
    model: (o) => {
      const env = makeEnv(envId) as Env<unknown, number>;
      const runner = new EnvRunner(() => env, 1, 0, scaleObs);
      const s = table[o.algo]!;
      const dqnLike = o.algo === 'dqn' || o.algo === 'ddqn';
      return mlp(runner.obsDim, parseHidden(o.hidden, s.hidden), runner.actions, dqnLike ? 'relu' : 'tanh');
    },
    prepare: (o) => {
      const { agent, hidden, activation } = buildAgent(envId, table, o, scaleObs);
      const r = agent.runner;
      return {
        task: agent.task,
        trainer: { epochs: o.epochs, monitor: 'evalReturn', mode: 'max', earlyStopping: { target: o.target } },
        summary:
          `${o.algo} on ${envId}: ${r.n} env(s), obs ${r.obsDim}, ${r.actions} actions, MLP ${hidden.join('-')} ${activation}; ` +
          `budget ${agent.budget} env steps, stop at evaluation mean >= ${o.target} over ${o.evalEpisodes} episodes`,
        artifacts: () => ({
          'policy.safetensors': encodePolicy(agent.policyNet, {
            env: envId,
            algo: o.algo,
            kind: agent.policyKind,
            obsDim: r.obsDim,
            actions: r.actions,
            hidden,
            activation,
            scaleObs,
          }),
        }),
      };
    },
  };
}

export const RL_CARTPOLE_RECIPE = registerRecipe(
  rlRecipe(
    'rl-cartpole',
    'CartPole-v1',
    'CartPole-v1 (balance a pole; 500 steps at most) with REINFORCE, A2C, PPO, DQN or Double DQN',
    CARTPOLE,
    { algos: ['reinforce', 'a2c', 'ppo', 'dqn', 'ddqn'], algo: 'ppo', epochs: 20, epochSteps: 10_000, target: 475 },
    false,
  ),
);

export const RL_MOUNTAINCAR_RECIPE = registerRecipe(
  rlRecipe(
    'rl-mountaincar',
    'MountainCar-v0',
    'MountainCar-v0 (drive up the hill; -1 per step, 200 steps at most) with DQN or PPO',
    MOUNTAINCAR,
    { algos: ['dqn', 'ppo'], algo: 'dqn', epochs: 12, epochSteps: 10_000, target: -110 },
    true,
  ),
);

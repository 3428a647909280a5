/**
 * Reinforcement learning: environments in Gymnasium's shape (CartPole-v1, MountainCar-v0,
 * Acrobot-v1, Pendulum-v1, GridWorld), vectorised copies, finite MDPs and the tabular algorithms.
 * Browser-safe.
 */
export { Discrete, Box, type Space } from './spaces.js';
export {
  type Env,
  type StepResult,
  type ResetResult,
  type ResetOptions,
  type VectorStepResult,
  type VectorEnvOptions,
  type AutoresetMode,
  type MakeEnvOptions,
  VectorEnv,
  makeEnv,
  envIds,
} from './env.js';
export { BaseEnv, type EnvOptions } from './envs/base.js';
export { CartPole } from './envs/cartpole.js';
export { MountainCar } from './envs/mountain-car.js';
export { Acrobot } from './envs/acrobot.js';
export { Pendulum } from './envs/pendulum.js';
export { GridWorld, type GridWorldOptions } from './envs/gridworld.js';
export {
  BoardGameEnv,
  ticTacToeEnv,
  goEnv,
  type BoardGameEnvOptions,
  type Opponent,
  type TicTacToeEnvOptions,
  type GoEnvOptions,
} from './envs/board-game.js';
export { type TabularMDP, expectedRewards } from './mdp.js';
export {
  valueIteration,
  policyEvaluation,
  actionValues,
  greedyPolicy,
  qLearning,
  sarsa,
  exploreAction,
  type Exploration,
  type ValueIterationOptions,
  type ValueIterationResult,
  type PolicyEvaluationOptions,
  type TDControlOptions,
  type TDControlResult,
} from './tabular.js';
export {
  softmaxPolicy,
  exactPolicyGradient,
  reinforceEstimate,
  type ObjectiveOptions,
  type ExactPolicyGradient,
  type ReinforceEstimateOptions,
} from './policy-gradient.js';
export { playEpisodes, framesToSvg, randomPolicy, heuristicPolicy, type ActFn, type PlayOptions, type PlayedEpisode } from './play.js';
// Deep RL agents (docs/rl.md): function approximation and policy gradients on the one Trainer.
export { reinforce, type ReinforceOptions } from './reinforce.js';
export { a2c, type A2COptions } from './a2c.js';
export { ppo, ppoClipLoss, type PPOOptions } from './ppo.js';
export { dqn, type DQNOptions } from './dqn.js';
export { type Agent, type AgentBase } from './agent.js';
export { ReplayBuffer, type ReplayBatch } from './replay.js';
export { gae, rewardToGo, differentialRewardToGo, type GaeInput } from './returns.js';
export { EnvRunner, evaluateEpisodes, type RunnerStep, type RunnerState } from './runner.js';
export { encodePolicy, decodePolicy, type PolicyInfo, type LoadedPolicy } from './saved-policy.js';

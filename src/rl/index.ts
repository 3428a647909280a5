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

/**
 * What the deep RL agents share: the run's budget in environment steps, the greedy evaluation the
 * targets are measured with, and the TrainTask shell (src/train) that gives every agent
 * checkpoints, bit-exact resume and early stopping at a target return.
 *
 * One Trainer step is one iteration of the agent (PPO: a rollout and its epochs; DQN: trainFreq
 * env steps and gradientSteps updates); one Trainer epoch is about `epochSteps` environment steps,
 * after which the greedy policy is evaluated on `evalEpisodes` episodes with fixed seeds.
 */
import type { Module } from '../nn/module.js';
import type { Optimizer } from '../optim/optimizer.js';
import type { TrainTask, TaskState } from '../train/trainer.js';
import { Tensor } from '../tensor/tensor.js';
import { Generator } from '../tensor/random.js';
import { noGrad } from '../autograd/grad-mode.js';
import { describe } from '../tensor/validate.js';
import type { Env } from './env.js';
import { EnvRunner, evaluateEpisodes, meanStd, type RunnerState } from './runner.js';
import { greedyActions, obsTensor } from './policy.js';

/** The settings every agent takes. */
export interface AgentBase {
  /** Builds one copy of the environment. */
  makeEnv: () => Env<unknown, number>;
  /** Parallel copies stepped together (default 1). */
  envs?: number;
  /** Environment steps per Trainer epoch (evaluation after each); default 10000. */
  epochSteps?: number;
  /** Epochs of the run: the budget is epochs * epochSteps environment steps (default 10). */
  epochs?: number;
  /** Discount factor gamma (default 0.99). */
  gamma?: number;
  /** Seed of the environments' resets and of the agent's sampling (the init comes from the global generator). */
  seed?: number;
  /** Greedy evaluation episodes at each epoch end (default 100; 0: none). */
  evalEpisodes?: number;
  /** Evaluation episode i starts from reset({ seed: evalSeed + i }) (default 1_000_000). */
  evalSeed?: number;
  /** Map a bounded Box observation from [low, high] to [-1, 1] (default false). */
  scaleObs?: boolean;
}
export const AGENT_BASE_KEYS = ['makeEnv', 'envs', 'epochSteps', 'epochs', 'gamma', 'seed', 'evalEpisodes', 'evalSeed', 'scaleObs'];

export interface ResolvedBase {
  makeEnv: () => Env<unknown, number>;
  envs: number;
  epochSteps: number;
  epochs: number;
  gamma: number;
  seed: number;
  evalEpisodes: number;
  evalSeed: number;
  scaleObs: boolean;
}

/** Refuses unknown keys and bad values; the defaults of AgentBase filled in. */
export function resolveBase(who: string, o: AgentBase, keys: readonly string[]): ResolvedBase {
  if (o === null || typeof o !== 'object' || Array.isArray(o))
    throw new Error(`${who}: options must be a plain object, got ${describe(o)}`);
  for (const k of Object.keys(o)) if (!keys.includes(k)) throw new Error(`${who}: unknown option '${k}' (known: ${keys.join(', ')})`);
  if (typeof o.makeEnv !== 'function') throw new Error(`${who}: makeEnv must be a function returning an Env, got ${describe(o.makeEnv)}`);
  const int = (name: string, v: unknown, dflt: number, min: number): number => {
    if (v === undefined) return dflt;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min)
      throw new Error(`${who}: ${name} must be an integer >= ${min}, got ${describe(v)}`);
    return v;
  };
  const gamma = o.gamma ?? 0.99;
  if (typeof gamma !== 'number' || !(gamma >= 0 && gamma <= 1))
    throw new Error(`${who}: gamma must be a number in [0, 1], got ${describe(gamma)}`);
  return {
    makeEnv: o.makeEnv,
    envs: int('envs', o.envs, 1, 1),
    epochSteps: int('epochSteps', o.epochSteps, 10_000, 1),
    epochs: int('epochs', o.epochs, 10, 1),
    gamma,
    seed: int('seed', o.seed, 0, 0),
    evalEpisodes: int('evalEpisodes', o.evalEpisodes, 100, 0),
    evalSeed: int('evalSeed', o.evalSeed, 1_000_000, 0),
    scaleObs: bool(who, 'scaleObs', o.scaleObs, false),
  };
}

export function bool(who: string, name: string, v: unknown, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  if (typeof v !== 'boolean') throw new Error(`${who}: ${name} must be true or false, got ${describe(v)}`);
  return v;
}

/** Checks a number option in (lo, hi] or [lo, hi]. */
export function numberIn(who: string, name: string, v: unknown, dflt: number, lo: number, hi: number, openLo = false): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || (openLo ? v <= lo : v < lo) || v > hi)
    throw new Error(`${who}: ${name} must be a number in ${openLo ? '(' : '['}${lo}, ${hi}], got ${describe(v)}`);
  return v;
}

export function intAtLeast(who: string, name: string, v: unknown, dflt: number, min: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min)
    throw new Error(`${who}: ${name} must be an integer >= ${min}, got ${describe(v)}`);
  return v;
}

export function hiddenSizes(who: string, v: unknown, dflt: number[]): number[] {
  if (v === undefined) return dflt;
  if (!Array.isArray(v) || v.some((h) => typeof h !== 'number' || !Number.isInteger(h) || h < 1))
    throw new Error(`${who}: hidden must be a list of positive integers, got ${describe(v)}`);
  return [...(v as number[])];
}

/** A trained agent: its TrainTask, the network that acts, and how it acts. */
export interface Agent {
  task: TrainTask;
  /** The network the greedy policy reads: logits for policy methods, Q values for DQN. */
  policyNet: Module<any, any>;
  /** 'logits' (act by arg max of pi) or 'q' (act by arg max of Q). */
  policyKind: 'logits' | 'q';
  /** The greedy action of each row of a [rows, d] batch of observations. */
  act(obs: Float32Array, rows: number): Int32Array;
  /** The runner collecting the training experience. */
  runner: EnvRunner;
  /** Environment steps of the whole run. */
  budget: number;
}

/** The greedy action of a network's scores. */
export function greedyAct(net: Module<any, any>): (obs: Float32Array, rows: number) => Int32Array {
  return (obs, rows) => greedyActions(noGrad(() => net.forward(obsTensor(obs, rows)) as Tensor));
}

/** What every agent's task shares: the runner's and the agent's RNG state in snapshots, and the evaluation. */
export function agentTask(
  b: ResolvedBase,
  parts: {
    runner: EnvRunner;
    rng: Generator;
    policyNet: Module<any, any>;
    modules: Record<string, Module<any, any>>;
    optimizers: Record<string, Optimizer<any>>;
    stepsPerIteration: number;
    iterate(): { loss: number };
    /** Extra task state (a replay buffer, a running average reward). */
    saveExtra?(): TaskState;
    loadExtra?(s: TaskState): void;
  },
): TrainTask {
  const { runner, rng } = parts;
  const act = greedyAct(parts.policyNet);
  return {
    modules: parts.modules,
    optimizers: parts.optimizers,
    stepsPerEpoch: Math.max(1, Math.round(b.epochSteps / parts.stepsPerIteration)),
    trainStep: () => parts.iterate(),
    evaluate: () => {
      const m: Record<string, number> = { envSteps: runner.steps, episodes: runner.episodes };
      const recent = runner.recentMean();
      if (!Number.isNaN(recent)) m['trainReturn'] = recent;
      if (b.evalEpisodes > 0) {
        const { mean, std } = meanStd(evaluateEpisodes(b.makeEnv, act, b.evalEpisodes, b.evalSeed, b.scaleObs));
        m['evalReturn'] = mean;
        m['evalReturnStd'] = std;
      }
      return m;
    },
    saveState: () => {
      const extra = parts.saveExtra?.() ?? {};
      return {
        ...(extra.tensors ? { tensors: extra.tensors } : {}),
        json: { runner: runner.state(), rng: rng.getState(), extra: extra.json ?? null },
      };
    },
    loadState: (s) => {
      const j = s.json as { runner: RunnerState; rng: number[]; extra: unknown };
      runner.loadState(j.runner);
      rng.setState(j.rng);
      parts.loadExtra?.({ tensors: s.tensors ?? {}, json: j.extra });
    },
  };
}

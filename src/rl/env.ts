/**
 * The environment interface, in the shape Gymnasium made familiar: `reset({ seed })` returns the
 * first observation, `step(action)` the next observation, the reward, whether the episode
 * terminated (reached a terminal state of the MDP) or was truncated (cut off by a time limit, the
 * state not terminal), and an info record. {@link VectorEnv} steps n copies together for batched
 * collection; {@link makeEnv} builds an environment by its id.
 *
 * Everything here is browser-safe: no file or process access, randomness from the project's
 * seeded generator.
 */
import { checkArg, checkOptions, checkRest, describe } from '../tensor/validate.js';
import type { Box, Discrete } from './spaces.js';
import { CartPole } from './envs/cartpole.js';
import { MountainCar } from './envs/mountain-car.js';
import { Acrobot } from './envs/acrobot.js';
import { Pendulum } from './envs/pendulum.js';
import { GridWorld } from './envs/gridworld.js';
import { goEnv, ticTacToeEnv } from './envs/board-game.js';

/** What `step` returns. */
export interface StepResult<O> {
  observation: O;
  reward: number;
  /** The episode reached a terminal state: bootstrap with 0 after it. */
  terminated: boolean;
  /** The episode was cut off (time limit) in a non-terminal state: bootstrap with V(s') after it. */
  truncated: boolean;
  info: Record<string, unknown>;
}

/** What `reset` returns. */
export interface ResetResult<O> {
  observation: O;
  info: Record<string, unknown>;
}

/** Options of `reset`. */
export interface ResetOptions {
  /** Re-seeds the environment's generator before drawing the initial state. */
  seed?: number;
  /**
   * Starts from this internal state (as `getState()` returns it) instead of a random one; the
   * built-in environments accept it, see their pages for the layout.
   */
  state?: Float64Array | readonly number[];
}

export interface Env<O = Float64Array, A = number> {
  /** Gymnasium's id, e.g. 'CartPole-v1'. */
  readonly id: string;
  readonly observationSpace: Discrete | Box;
  readonly actionSpace: Discrete | Box;
  reset(opts?: ResetOptions): ResetResult<O>;
  /** One step. Throws on an invalid action and on a step after the episode ended. */
  step(action: A): StepResult<O>;
  /** A text frame of the current state, for `shinsou play` (optional). */
  render?(): string;
}

/** What {@link VectorEnv.step} returns: one entry per copy. */
export interface VectorStepResult<O> {
  observations: O[];
  rewards: Float64Array;
  terminated: boolean[];
  truncated: boolean[];
  /**
   * Each copy's info. In 'same-step' mode a copy that ended and was reset in this step carries
   * `finalObservation` (the last observation of the old episode) and `finalInfo`.
   */
  infos: Record<string, unknown>[];
}

/** How a {@link VectorEnv} restarts a copy whose episode ended. */
export type AutoresetMode = 'next-step' | 'same-step';

export interface VectorEnvOptions {
  /**
   * 'next-step' (Gymnasium 1.x's default for SyncVectorEnv): the step after the one that ended an
   * episode resets that copy, ignores its action and returns the reset observation with reward 0
   * and terminated = truncated = false. 'same-step' (Gymnasium 0.x and Stable-Baselines3): the
   * copy is reset within the step that ended it; the returned observation is the new episode's
   * first, the old episode's last is in `infos[i].finalObservation`. Default 'next-step'.
   */
  autoresetMode?: AutoresetMode;
}

/**
 * n copies of an environment stepped together (Gymnasium's SyncVectorEnv: one thread, in order).
 * `reset({ seed })` seeds copy i with `seed + i`. Copies that end are reset automatically, in
 * the mode chosen by `autoresetMode` (see {@link VectorEnvOptions}).
 */
export class VectorEnv<O = Float64Array, A = number> {
  readonly envs: Env<O, A>[];
  readonly numEnvs: number;
  readonly autoresetMode: AutoresetMode;
  /** Which copies ended in the previous step (next-step mode resets them in this one). */
  private pendingReset: boolean[];
  private started = false;

  constructor(makeEnv: (i: number) => Env<O, A>, n: number, opts: VectorEnvOptions = {}, ...extra: never[]) {
    checkArg('VectorEnv', 'makeEnv', makeEnv, 'function');
    checkArg('VectorEnv', 'n', n, 'positiveInt');
    const o = checkOptions('VectorEnv', 3, opts, { autoresetMode: ['next-step', 'same-step'] });
    checkRest('VectorEnv', extra, 3, 'new VectorEnv(makeEnv, n, opts?)');
    this.envs = Array.from({ length: n }, (_, i) => makeEnv(i));
    this.numEnvs = n;
    this.autoresetMode = o.autoresetMode ?? 'next-step';
    this.pendingReset = Array<boolean>(n).fill(false);
  }

  get singleObservationSpace(): Discrete | Box {
    return this.envs[0]!.observationSpace;
  }

  get singleActionSpace(): Discrete | Box {
    return this.envs[0]!.actionSpace;
  }

  /** Resets every copy; with `seed`, copy i is seeded with `seed + i`. */
  reset(opts: { seed?: number } = {}, ...extra: never[]): { observations: O[]; infos: Record<string, unknown>[] } {
    const o = checkOptions('VectorEnv.reset', 1, opts, { seed: 'int' });
    checkRest('VectorEnv.reset', extra, 1, 'reset({ seed? })');
    const results = this.envs.map((e, i) => e.reset(o.seed != null ? { seed: o.seed + i } : {}));
    this.pendingReset.fill(false);
    this.started = true;
    return { observations: results.map((r) => r.observation), infos: results.map((r) => r.info) };
  }

  /** Steps every copy with its action (`actions.length === numEnvs`). */
  step(actions: readonly A[], ...extra: never[]): VectorStepResult<O> {
    checkRest('VectorEnv.step', extra, 1, 'step(actions)');
    if (!this.started) throw new Error('VectorEnv.step: call reset() before the first step');
    if (!Array.isArray(actions) || actions.length !== this.numEnvs) {
      throw new TypeError(`VectorEnv.step: actions must be an array of ${this.numEnvs} actions (one per copy), got ${describe(actions)}`);
    }
    const n = this.numEnvs;
    const out: VectorStepResult<O> = {
      observations: new Array<O>(n),
      rewards: new Float64Array(n),
      terminated: Array<boolean>(n).fill(false),
      truncated: Array<boolean>(n).fill(false),
      infos: new Array<Record<string, unknown>>(n),
    };
    for (let i = 0; i < n; i++) {
      const env = this.envs[i]!;
      if (this.pendingReset[i]) {
        const r = env.reset();
        out.observations[i] = r.observation;
        out.infos[i] = r.info;
        this.pendingReset[i] = false;
        continue;
      }
      const r = env.step(actions[i]!);
      out.rewards[i] = r.reward;
      out.terminated[i] = r.terminated;
      out.truncated[i] = r.truncated;
      const ended = r.terminated || r.truncated;
      if (ended && this.autoresetMode === 'same-step') {
        const first = env.reset();
        out.observations[i] = first.observation;
        out.infos[i] = { ...first.info, finalObservation: r.observation, finalInfo: r.info };
      } else {
        out.observations[i] = r.observation;
        out.infos[i] = r.info;
        this.pendingReset[i] = ended;
      }
    }
    return out;
  }
}

/** Options of {@link makeEnv}: those of the environment's constructor. */
export type MakeEnvOptions = Record<string, unknown>;

type Factory = (opts: MakeEnvOptions) => Env<unknown, unknown>;

const REGISTRY: Record<string, Factory> = {
  'CartPole-v1': (o) => new CartPole(o),
  'MountainCar-v0': (o) => new MountainCar(o),
  'Acrobot-v1': (o) => new Acrobot(o),
  'Pendulum-v1': (o) => new Pendulum(o) as Env<unknown, unknown>,
  GridWorld: (o) => new GridWorld(o),
  TicTacToe: (o) => ticTacToeEnv(o),
  Go: (o) => goEnv(o),
};

/** The ids {@link makeEnv} knows. */
export function envIds(...extra: never[]): string[] {
  checkRest('envIds', extra, 0, 'envIds()');
  return Object.keys(REGISTRY);
}

/**
 * Builds a registered environment by id: 'CartPole-v1', 'MountainCar-v0', 'Acrobot-v1',
 * 'Pendulum-v1', 'GridWorld', and the board games 'TicTacToe' and 'Go' (two-player, or
 * single-agent against an `opponent`). `opts` go to its constructor (every one takes `seed`; the
 * control tasks and GridWorld `maxEpisodeSteps`; GridWorld its layout and slip; Go its size).
 * @example const env = makeEnv('CartPole-v1', { seed: 1 }); env.reset({ seed: 42 }); env.step(0);
 */
export function makeEnv<O = Float64Array, A = number>(id: string, opts?: MakeEnvOptions, ...extra: never[]): Env<O, A> {
  checkArg('makeEnv', 'id', id, 'string');
  checkRest('makeEnv', extra, 2, 'makeEnv(id, opts?)');
  const f = Object.prototype.hasOwnProperty.call(REGISTRY, id) ? REGISTRY[id] : undefined;
  if (!f) throw new RangeError(`makeEnv: unknown environment id '${id}' (expected one of ${envIds().join(', ')})`);
  return f(opts ?? {}) as Env<O, A>;
}

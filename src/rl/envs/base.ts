/**
 * The bookkeeping every environment shares, so each one writes only its dynamics: the seeded
 * generator, the step counter and Gymnasium's TimeLimit truncation, the check that an episode was
 * reset and has not ended, and the action check against the action space.
 *
 * Seeding follows Gymnasium: `reset({ seed })` re-seeds the environment's generator, `reset()`
 * continues its stream. Unlike Gymnasium an unseeded environment is not random at all: it starts
 * from the `seed` given to its constructor (default 0), so every run is reproducible.
 *
 * `reset({ state })` starts the episode from a given internal state instead of a random one (the
 * Gymnasium parity test uses it: our generator cannot reproduce NumPy's, so the fixture records
 * the initial state); `getState()` reads the internal state back.
 */
import { Generator } from '../../tensor/random.js';
import { checkOptions, checkRest, describe, type Spec } from '../../tensor/validate.js';
import type { Env, ResetOptions, ResetResult, StepResult } from '../env.js';
import { Box, Discrete } from '../spaces.js';

/** Options every built-in environment takes. */
export interface EnvOptions {
  /** Seed of the environment's generator before the first seeded reset. Default 0. */
  seed?: number;
  /** Steps after which an episode is truncated (Gymnasium's TimeLimit); Infinity for none. */
  maxEpisodeSteps?: number;
}

const envOptionSpec: Spec = { seed: 'int', maxEpisodeSteps: 'number' };

/**
 * The constructor check of an environment: `opts` against the common options plus `more`, and no
 * argument after it. Returns the options.
 */
export function checkEnvOptions<T extends EnvOptions>(cls: string, opts: T | undefined, extra: readonly unknown[], more: Spec = {}): T {
  checkRest(cls, extra, 1, `new ${cls}(opts?)`);
  return checkOptions(cls, 1, opts, { ...envOptionSpec, ...more });
}

/** What one transition of the dynamics returns. */
export interface Transition {
  reward: number;
  terminated: boolean;
  info?: Record<string, unknown>;
}

export abstract class BaseEnv<O, A> implements Env<O, A> {
  abstract readonly id: string;
  abstract readonly observationSpace: Discrete | Box;
  abstract readonly actionSpace: Discrete | Box;
  /** Gymnasium's TimeLimit: the step at which an episode is truncated. */
  readonly maxEpisodeSteps: number;
  /** The environment's seeded generator (initial states, slips). */
  protected readonly rng: Generator;
  /** Steps taken in the current episode. */
  elapsedSteps = 0;
  private ended: 'terminated' | 'truncated' | null = null;
  private started = false;

  constructor(opts: EnvOptions, defaultMaxSteps: number) {
    this.rng = new Generator(opts.seed ?? 0);
    const max = opts.maxEpisodeSteps ?? defaultMaxSteps;
    if (!(max > 0) || (!Number.isInteger(max) && max !== Infinity)) {
      throw new RangeError(`${this.constructor.name}: maxEpisodeSteps must be a positive integer or Infinity, got ${describe(max)}`);
    }
    this.maxEpisodeSteps = max;
  }

  /** Draws a fresh initial state (from `this.rng`). */
  protected abstract resetState(): void;
  /** Applies one valid action to the state. */
  protected abstract transition(action: A): Transition;
  /** The observation of the current state. */
  protected abstract observe(): O;
  /** A copy of the internal state (the full state, which may hold more than the observation). */
  abstract getState(): Float64Array;
  /** Sets the internal state; `reset({ state })` calls it. */
  protected abstract setState(state: Float64Array): void;
  /** The number of entries of the internal state. */
  protected abstract readonly stateSize: number;

  reset(opts?: ResetOptions): ResetResult<O> {
    const o = checkOptions(`${this.id}.reset`, 1, opts, { seed: 'int', state: 'any' });
    if (o.seed != null) this.rng.manualSeed(o.seed);
    this.resetState();
    if (o.state != null) {
      const s = o.state as unknown;
      if (
        !(s instanceof Float64Array || Array.isArray(s)) ||
        s.length !== this.stateSize ||
        !Array.from(s as ArrayLike<unknown>).every((v) => typeof v === 'number' && Number.isFinite(v))
      ) {
        throw new TypeError(
          `${this.id}.reset: option 'state' must be ${this.stateSize} finite numbers (the internal state), got ${describe(s)}`,
        );
      }
      this.setState(Float64Array.from(s as ArrayLike<number>));
    }
    this.elapsedSteps = 0;
    this.ended = null;
    this.started = true;
    return { observation: this.observe(), info: {} };
  }

  step(action: A): StepResult<O> {
    if (!this.started) throw new Error(`${this.id}.step: call reset() before the first step`);
    if (this.ended) {
      throw new Error(
        `${this.id}.step: the episode has ended (${this.ended} at step ${this.elapsedSteps}); call reset() to start a new one`,
      );
    }
    this.checkAction(action);
    const t = this.transition(action);
    this.elapsedSteps++;
    const truncated = this.elapsedSteps >= this.maxEpisodeSteps;
    if (t.terminated) this.ended = 'terminated';
    else if (truncated) this.ended = 'truncated';
    return { observation: this.observe(), reward: t.reward, terminated: t.terminated, truncated, info: t.info ?? {} };
  }

  /** Whether the current episode has terminated or been truncated. */
  get done(): boolean {
    return this.ended !== null;
  }

  /** Throws a message naming the environment and the value unless `action` is in the action space. */
  protected checkAction(action: unknown): void {
    checkAction(this.id, this.actionSpace, action);
  }
}

/** The action check shared by environments and wrappers. */
export function checkAction(id: string, space: Discrete | Box, action: unknown): void {
  if (space instanceof Discrete) {
    if (!space.contains(action)) {
      throw new RangeError(`${id}.step: invalid action ${describe(action)}; expected an integer in [0, ${space.n}) (${space.toString()})`);
    }
    return;
  }
  const ok = action instanceof Float64Array || action instanceof Float32Array || Array.isArray(action);
  if (!ok || (action as ArrayLike<unknown>).length !== space.size) {
    throw new TypeError(`${id}.step: invalid action ${describe(action)}; expected ${space.size} numbers (${space.toString()})`);
  }
  const a = action as ArrayLike<unknown>;
  for (let i = 0; i < a.length; i++) {
    if (typeof a[i] !== 'number' || Number.isNaN(a[i])) {
      throw new RangeError(
        `${id}.step: action[${i}] is ${describe(a[i])}; expected a number in [${space.low[i]}, ${space.high[i]}] (${space.toString()})`,
      );
    }
  }
}

/** The float32 rounding Gymnasium's classic-control observations go through, kept in a Float64Array. */
export function float32Observation(values: readonly number[]): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Math.fround(values[i]!);
  return out;
}

/**
 * Batched collection for the deep RL agents: n copies of an environment stepped together, so the
 * policy runs one batched forward per step for all of them, with autoreset (an episode that ends
 * is reset at once and the next observation is the new episode's first).
 *
 * Why not VectorEnv (./env.ts): a run must resume bit for bit, so the environments' states go
 * into the checkpoint. Every episode here starts from reset({ seed }) with a seed drawn from the
 * runner's own Generator, and the runner records the actions since; restoring replays them. That
 * needs nothing from the environment beyond the Env interface and deterministic dynamics given the
 * reset seed, which holds for CartPole, MountainCar, Acrobot and GridWorld without slips. (An env
 * with randomness inside step, such as a slippery GridWorld, would need its own RNG state.)
 */
import { Generator } from '../tensor/random.js';
import { describe } from '../tensor/validate.js';
import type { Env } from './env.js';

/** The length of an observation as a feature vector: Box -> its size, Discrete(n) -> n (one-hot). */
export function featureSize(env: Env<unknown, number>): number {
  const space = env.observationSpace as { n?: number; shape?: readonly number[] };
  if (typeof space.n === 'number') return space.n;
  if (Array.isArray(space.shape)) return space.shape.reduce((a, b) => a * b, 1);
  throw new Error(`featureSize: env '${env.id}' has an observation space that is neither Discrete nor Box: ${describe(space)}`);
}

/**
 * How observations become features: a Box's values (optionally mapped from [low, high] to
 * [-1, 1], for a Box with finite bounds such as MountainCar's), or a Discrete state one-hot.
 */
export class Features {
  readonly size: number;
  private readonly low: Float64Array | null = null;
  private readonly span: Float64Array | null = null;

  constructor(
    readonly env: Env<unknown, number>,
    readonly scale = false,
  ) {
    this.size = featureSize(env);
    if (scale) {
      const space = env.observationSpace as { low?: Float64Array; high?: Float64Array };
      if (!space.low || !space.high || ![...space.low, ...space.high].every(Number.isFinite))
        throw new Error(
          `Features: scaling needs a Box observation space with finite bounds; env '${env.id}' has ${describe(env.observationSpace)}`,
        );
      this.low = space.low;
      this.span = space.high.map((h, i) => h - space.low![i]!);
    }
  }

  /** Writes the features of `obs` at out[offset ...]. */
  write(obs: unknown, out: Float32Array, offset: number): void {
    const size = this.size;
    if (typeof obs === 'number') {
      out.fill(0, offset, offset + size);
      out[offset + obs] = 1;
      return;
    }
    const a = obs as ArrayLike<number>;
    if (a.length !== size)
      throw new Error(`Features: env '${this.env.id}' returned an observation of ${a.length} values, expected ${size}`);
    if (this.low && this.span) for (let i = 0; i < size; i++) out[offset + i] = (2 * (a[i]! - this.low[i]!)) / this.span[i]! - 1;
    else for (let i = 0; i < size; i++) out[offset + i] = a[i]!;
  }
}

/** The number of actions of a Discrete action space. */
export function actionCount(env: Env<unknown, number>): number {
  const n = (env.actionSpace as { n?: number }).n;
  if (typeof n !== 'number')
    throw new Error(`actionCount: env '${env.id}' needs a Discrete action space, got ${describe(env.actionSpace)}`);
  return n;
}

/** One batched step of the runner. */
export interface RunnerStep {
  /** [n] reward of each env's step. */
  rewards: Float64Array;
  /** [n] 1 where the episode terminated (a terminal state: no value after it). */
  terminated: Uint8Array;
  /** [n] 1 where a time limit cut the episode (the state after it still has a value). */
  truncated: Uint8Array;
  /** [n, d] the state each step reached (before any reset): s_{t+1}. */
  nextObs: Float32Array;
  /** [n, d] the observation to act on next (the first of a new episode where one ended). */
  obs: Float32Array;
  /** The episodes that ended in this step: their return and length. */
  finished: { return: number; length: number }[];
}

/** Runner state for a checkpoint (JSON). */
export interface RunnerState {
  rng: number[];
  seeds: number[];
  actions: number[][];
  episodeReturn: number[];
  episodeLength: number[];
  recent: number[];
  steps: number;
  episodes: number;
}

/** How many finished episodes' returns `recentMean` averages (Stable-Baselines3 logs the last 100). */
export const RECENT_EPISODES = 100;

export class EnvRunner {
  readonly envs: Env<unknown, number>[];
  readonly n: number;
  /** Feature length of one observation. */
  readonly obsDim: number;
  readonly actions: number;
  /** [n, obsDim] the current observations. */
  obs: Float32Array;
  /** Environment steps taken (all envs together). */
  steps = 0;
  /** Episodes finished. */
  episodes = 0;
  private readonly rng: Generator;
  private seeds: number[];
  private history: number[][];
  private episodeReturn: number[];
  private episodeLength: number[];
  private recent: number[] = [];

  private readonly features: Features;

  constructor(make: () => Env<unknown, number>, n: number, seed: number, scaleObs = false, ...extra: never[]) {
    const who = 'EnvRunner';
    if (extra.length > 0) throw new Error(`${who}: expected (make, n, seed, scaleObs?), got ${extra.length} extra argument(s)`);
    if (typeof scaleObs !== 'boolean') throw new Error(`${who}: scaleObs must be true or false, got ${describe(scaleObs)}`);
    if (typeof make !== 'function') throw new Error(`${who}: make must be a function returning an Env, got ${describe(make)}`);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${who}: n must be a positive integer, got ${describe(n)}`);
    if (!Number.isInteger(seed) || seed < 0) throw new Error(`${who}: seed must be a non-negative integer, got ${describe(seed)}`);
    this.envs = Array.from({ length: n }, make);
    this.n = n;
    this.features = new Features(this.envs[0]!, scaleObs);
    this.obsDim = this.features.size;
    this.actions = actionCount(this.envs[0]!);
    this.rng = new Generator(seed);
    this.obs = new Float32Array(n * this.obsDim);
    this.seeds = new Array<number>(n).fill(0);
    this.history = this.envs.map(() => []);
    this.episodeReturn = new Array<number>(n).fill(0);
    this.episodeLength = new Array<number>(n).fill(0);
    for (let e = 0; e < n; e++) this.resetEnv(e);
  }

  private resetEnv(e: number): void {
    const seed = this.rng.int(0, 0x7fffffff);
    this.seeds[e] = seed;
    this.history[e] = [];
    this.episodeReturn[e] = 0;
    this.episodeLength[e] = 0;
    const { observation } = this.envs[e]!.reset({ seed });
    this.features.write(observation, this.obs, e * this.obsDim);
  }

  /**
   * Steps every env with its action; an ended episode is recorded and its env reset. With
   * `active`, only the envs where it is true step (the others keep their state; REINFORCE waits
   * for every env to finish its episode).
   */
  step(actions: ArrayLike<number>, active?: ArrayLike<boolean>): RunnerStep {
    const { n, obsDim: d } = this;
    if (actions.length !== n) throw new Error(`EnvRunner.step: expected ${n} actions (one per env), got ${actions.length}`);
    const rewards = new Float64Array(n);
    const terminated = new Uint8Array(n);
    const truncated = new Uint8Array(n);
    const nextObs = new Float32Array(n * d);
    const finished: RunnerStep['finished'] = [];
    let stepped = 0;
    for (let e = 0; e < n; e++) {
      const env = this.envs[e]!;
      if (active && !active[e]) {
        nextObs.set(this.obs.subarray(e * d, (e + 1) * d), e * d);
        continue;
      }
      stepped++;
      const a = actions[e]!;
      const r = env.step(a);
      this.history[e]!.push(a);
      rewards[e] = r.reward;
      terminated[e] = r.terminated ? 1 : 0;
      truncated[e] = r.truncated && !r.terminated ? 1 : 0;
      this.features.write(r.observation, nextObs, e * d);
      this.episodeReturn[e]! += r.reward;
      this.episodeLength[e]!++;
      if (r.terminated || r.truncated) {
        const ep = { return: this.episodeReturn[e]!, length: this.episodeLength[e]! };
        finished.push(ep);
        this.recent.push(ep.return);
        if (this.recent.length > RECENT_EPISODES) this.recent.shift();
        this.episodes++;
        this.resetEnv(e);
      } else this.obs.set(nextObs.subarray(e * d, (e + 1) * d), e * d);
    }
    this.steps += stepped;
    return { rewards, terminated, truncated, nextObs, obs: this.obs.slice(), finished };
  }

  /** Mean return of the last RECENT_EPISODES finished episodes (NaN before the first). */
  recentMean(): number {
    return this.recent.length ? this.recent.reduce((a, b) => a + b, 0) / this.recent.length : NaN;
  }

  state(): RunnerState {
    return {
      rng: this.rng.getState(),
      seeds: [...this.seeds],
      actions: this.history.map((h) => [...h]),
      episodeReturn: [...this.episodeReturn],
      episodeLength: [...this.episodeLength],
      recent: [...this.recent],
      steps: this.steps,
      episodes: this.episodes,
    };
  }

  /** Puts every env back where state() found it: reset with the episode's seed, then replay its actions. */
  loadState(s: RunnerState): void {
    if (!s || s.seeds?.length !== this.n || s.actions?.length !== this.n)
      throw new Error(`EnvRunner.loadState: expected the state of ${this.n} envs, got ${describe(s)}`);
    this.rng.setState(s.rng);
    for (let e = 0; e < this.n; e++) {
      const env = this.envs[e]!;
      let { observation } = env.reset({ seed: s.seeds[e]! });
      for (const a of s.actions[e]!) observation = env.step(a).observation;
      this.features.write(observation, this.obs, e * this.obsDim);
    }
    this.seeds = [...s.seeds];
    this.history = s.actions.map((h) => [...h]);
    this.episodeReturn = [...s.episodeReturn];
    this.episodeLength = [...s.episodeLength];
    this.recent = [...s.recent];
    this.steps = s.steps;
    this.episodes = s.episodes;
  }
}

/**
 * Plays `episodes` episodes, one per copy of the env, all stepped together; episode i starts
 * from reset({ seed: seed + i }). `act` maps a [k, d] batch of observations to k actions.
 * Returns each episode's return (undiscounted), in order.
 */
export function evaluateEpisodes(
  make: () => Env<unknown, number>,
  act: (obs: Float32Array, rows: number) => ArrayLike<number>,
  episodes: number,
  seed: number,
  scaleObs = false,
  maxSteps = 100_000,
  ...extra: never[]
): Float64Array {
  const who = 'evaluateEpisodes';
  if (extra.length > 0)
    throw new Error(`${who}: expected (make, act, episodes, seed, scaleObs?, maxSteps?), got ${extra.length} extra argument(s)`);
  if (typeof make !== 'function') throw new Error(`${who}: make must be a function returning an Env, got ${describe(make)}`);
  if (typeof act !== 'function') throw new Error(`${who}: act must be a function (observations, rows) => actions, got ${describe(act)}`);
  if (!Number.isInteger(episodes) || episodes < 1)
    throw new Error(`${who}: episodes must be a positive integer, got ${describe(episodes)}`);
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`${who}: seed must be a non-negative integer, got ${describe(seed)}`);
  if (typeof scaleObs !== 'boolean') throw new Error(`${who}: scaleObs must be true or false, got ${describe(scaleObs)}`);
  const envs = Array.from({ length: episodes }, make);
  const f = new Features(envs[0]!, scaleObs);
  const d = f.size;
  const returns = new Float64Array(episodes);
  let live = envs.map((_, i) => i);
  const cur = new Float32Array(episodes * d);
  envs.forEach((env, i) => f.write(env.reset({ seed: seed + i }).observation, cur, i * d));
  for (let t = 0; t < maxSteps && live.length > 0; t++) {
    const batch = new Float32Array(live.length * d);
    live.forEach((i, r) => batch.set(cur.subarray(i * d, (i + 1) * d), r * d));
    const actions = act(batch, live.length);
    const still: number[] = [];
    live.forEach((i, r) => {
      const s = envs[i]!.step(actions[r]!);
      returns[i]! += s.reward;
      if (s.terminated || s.truncated) return;
      f.write(s.observation, cur, i * d);
      still.push(i);
    });
    live = still;
  }
  return returns;
}

/** Mean and (population) standard deviation. */
export function meanStd(x: ArrayLike<number>): { mean: number; std: number } {
  let m = 0;
  for (let i = 0; i < x.length; i++) m += x[i]!;
  m /= x.length;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i]! - m) ** 2;
  return { mean: m, std: Math.sqrt(s / x.length) };
}

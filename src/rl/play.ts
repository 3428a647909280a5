/**
 * Watching a policy act: episodes rendered as text frames (each environment's `render()`), and
 * the frames as one animated SVG (SMIL, plays in a browser; no script). Browser-safe; the CLI's
 * `shinsou play` writes what these return. Built-in policies: 'random' (uniform over the action
 * space, seeded) and 'heuristic' (a hand-written controller per task, see {@link heuristicPolicy}).
 */
import { Generator } from '../tensor/random.js';
import { checkArg, checkOptions, checkRest, describe } from '../tensor/validate.js';
import type { Env } from './env.js';
import { GridWorld } from './envs/gridworld.js';
import { valueIteration } from './tabular.js';

/** A policy: the action for an observation. */
export type ActFn<O = unknown, A = unknown> = (observation: O) => A;

export interface PlayOptions {
  /** Episodes to play. Default 1. */
  episodes?: number;
  /** Seed of the first reset (episode i uses seed + i) and of the random policy. Default 0. */
  seed?: number;
  /** The policy: 'random', 'heuristic' or a function. Default 'random'. */
  policy?: 'random' | 'heuristic' | ActFn;
  /** Keep at most this many frames per episode (the first ones). Default 1000. */
  maxFrames?: number;
}

export interface PlayedEpisode {
  /** The text frames, the initial state first. */
  frames: string[];
  /** Sum of the rewards. */
  return: number;
  length: number;
  terminated: boolean;
  truncated: boolean;
}

/**
 * A uniformly random policy over an action space, from a seeded generator; for an environment
 * with `legalActions()` (the board games) uniform over the legal actions.
 */
export function randomPolicy(env: Env<unknown, unknown>, seed = 0, ...extra: never[]): ActFn {
  checkRest('randomPolicy', extra, 2, 'randomPolicy(env, seed?)');
  checkArg('randomPolicy', 'seed', seed, 'int');
  const rng = new Generator(seed);
  const legal = (env as { legalActions?: () => number[] }).legalActions;
  if (typeof legal === 'function') {
    return () => {
      const acts = legal.call(env);
      return acts[rng.int(acts.length)]!;
    };
  }
  const space = env.actionSpace;
  return () => space.sample(rng);
}

/**
 * A hand-written controller, to show a task solved without learning: CartPole-v1 a bang-bang PD
 * law on (x, x', theta, theta'); MountainCar-v0 pushing along the velocity (energy pumping);
 * Acrobot-v1 torque along theta1' + theta2'; GridWorld the optimal policy of value iteration on
 * its model (gamma 0.99). Throws for other environments.
 */
export function heuristicPolicy(env: Env<unknown, unknown>, ...extra: never[]): ActFn {
  checkRest('heuristicPolicy', extra, 1, 'heuristicPolicy(env)');
  switch (env.id) {
    case 'CartPole-v1':
      return (o) => {
        const [x, xd, th, thd] = o as Float64Array;
        return 0.1 * x! + 0.5 * xd! + 10 * th! + 2 * thd! > 0 ? 1 : 0;
      };
    case 'MountainCar-v0':
      return (o) => ((o as Float64Array)[1]! >= 0 ? 2 : 0);
    case 'Acrobot-v1':
      return (o) => ((o as Float64Array)[4]! + (o as Float64Array)[5]! > 0 ? 2 : 0);
    case 'GridWorld': {
      if (!(env instanceof GridWorld)) break;
      const { policy } = valueIteration(env.mdp(), { gamma: 0.99 });
      return (s) => policy[s as number]!;
    }
  }
  throw new RangeError(
    `heuristicPolicy: no hand-written controller for '${env.id}' (there is one for CartPole-v1, MountainCar-v0, Acrobot-v1, GridWorld); use 'random' or a trained policy`,
  );
}

/** Plays episodes with a policy and records each step's text frame. The environment needs `render()`. */
export function playEpisodes(env: Env<unknown, unknown>, opts: PlayOptions = {}, ...extra: never[]): PlayedEpisode[] {
  checkRest('playEpisodes', extra, 2, 'playEpisodes(env, opts?)');
  const o = checkOptions('playEpisodes', 2, opts, { episodes: 'positiveInt', seed: 'int', policy: 'any', maxFrames: 'positiveInt' });
  if (!env || typeof env.render !== 'function')
    throw new TypeError(`playEpisodes: env must be an environment with render(), got ${describe(env)}`);
  const seed = o.seed ?? 0;
  const p = o.policy ?? 'random';
  const act: ActFn =
    p === 'random' ? randomPolicy(env, seed) : p === 'heuristic' ? heuristicPolicy(env) : typeof p === 'function' ? p : badPolicy(p);
  const maxFrames = o.maxFrames ?? 1000;
  const out: PlayedEpisode[] = [];
  for (let e = 0; e < (o.episodes ?? 1); e++) {
    let obs = env.reset({ seed: seed + e }).observation;
    const frames = [env.render()];
    let total = 0;
    let length = 0;
    for (;;) {
      const r = env.step(act(obs));
      obs = r.observation;
      total += r.reward;
      length++;
      if (frames.length < maxFrames) frames.push(env.render());
      if (r.terminated || r.truncated) {
        out.push({ frames, return: total, length, terminated: r.terminated, truncated: r.truncated });
        break;
      }
    }
  }
  return out;
}

function badPolicy(p: unknown): never {
  throw new TypeError(
    `playEpisodes: option 'policy' must be 'random', 'heuristic' or a function (observation) => action, got ${describe(p)}`,
  );
}

const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The frames as one animated SVG: monospace text, one frame shown at a time for 1/fps seconds,
 * looping (SMIL `animate` on each frame's display, discrete timing).
 */
export function framesToSvg(frames: readonly string[], opts: { fps?: number; title?: string } = {}, ...extra: never[]): string {
  checkRest('framesToSvg', extra, 2, 'framesToSvg(frames, opts?)');
  if (!Array.isArray(frames) || frames.length === 0 || !frames.every((f) => typeof f === 'string')) {
    throw new TypeError(`framesToSvg: frames must be a non-empty list of strings, got ${describe(frames)}`);
  }
  const o = checkOptions('framesToSvg', 2, opts, { fps: 'number', title: 'string' });
  const fps = o.fps ?? 10;
  checkArg('framesToSvg', "option 'fps'", fps, 'number');
  if (!(fps > 0)) throw new RangeError(`framesToSvg: option 'fps' must be positive, got ${fps}`);
  const lines = frames.map((f) => f.split('\n'));
  const rows = Math.max(...lines.map((l) => l.length)) + (o.title ? 1 : 0);
  const cols = Math.max(...lines.flat().map((l) => l.length), o.title?.length ?? 0);
  const cw = 8.4;
  const lh = 16;
  const width = Math.ceil(cols * cw + 16);
  const height = rows * lh + 16;
  const n = frames.length;
  const dur = n / fps;
  const kt = (i: number): string => (i / n).toFixed(6);
  const body = lines.map((ls, i) => {
    let anim: string;
    if (n === 1) anim = '';
    else if (i === 0)
      anim = `<animate attributeName="display" values="inline;none" keyTimes="0;${kt(1)}" dur="${dur}s" calcMode="discrete" repeatCount="indefinite"/>`;
    else if (i === n - 1)
      anim = `<animate attributeName="display" values="none;inline" keyTimes="0;${kt(i)}" dur="${dur}s" calcMode="discrete" repeatCount="indefinite"/>`;
    else
      anim = `<animate attributeName="display" values="none;inline;none" keyTimes="0;${kt(i)};${kt(i + 1)}" dur="${dur}s" calcMode="discrete" repeatCount="indefinite"/>`;
    const y0 = 8 + lh * (o.title ? 2 : 1);
    const text = ls.map((l, k) => `<text x="8" y="${y0 + k * lh}">${escapeXml(l)}</text>`).join('');
    return `<g display="${i === 0 ? 'inline' : 'none'}">${anim}${text}</g>`;
  });
  const title = o.title ? `<text x="8" y="${8 + lh}" font-weight="bold">${escapeXml(o.title)}</text>` : '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<rect width="100%" height="100%" fill="white"/>` +
    `<g font-family="monospace" font-size="14" xml:space="preserve" fill="black">${title}${body.join('')}</g></svg>\n`
  );
}

/**
 * `shinsou play <env>`: episodes of an environment rendered as text frames on stdout, and with
 * `--svg` as an animated SVG. The policy is random or a hand-written controller (`--policy
 * heuristic`). `shinsou play RUN` plays a trained policy instead: RUN is an rl-* run folder, its
 * checkpoint.safetensors or its policy.safetensors (docs/rl.md); the environment is the one the
 * policy was trained on, and it acts greedily.
 */
import type { Command } from 'commander';
import { envIds, makeEnv, type Env } from '../../rl/env.js';
import { framesToSvg, playEpisodes, type ActFn, type PlayedEpisode } from '../../rl/play.js';
import { writeFileAtomic } from '../../node/files.js';
import { decodePolicy, type LoadedPolicy } from '../../rl/saved-policy.js';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { intArg, numArg } from '../options.js';

export interface PlayCommandOptions {
  policy?: string;
  episodes?: number;
  seed?: number;
  svg?: string;
  fps?: number;
  maxFrames?: number;
  /** Print only the summary lines, not the frames. */
  quiet?: boolean;
  print?: (line: string) => void;
}

/** The policy file of a run: the folder's or a checkpoint's sibling policy.safetensors, or the file itself. */
export function loadRunPolicy(path: string): LoadedPolicy {
  let file = path;
  if (existsSync(path) && statSync(path).isDirectory()) file = join(path, 'policy.safetensors');
  else if (basename(path) === 'checkpoint.safetensors') file = join(dirname(path), 'policy.safetensors');
  if (!existsSync(file))
    throw new Error(`play: no policy at '${file}' (give an environment id, an rl-* run folder, or its policy.safetensors)`);
  return decodePolicy(new Uint8Array(readFileSync(file)), file);
}

/** Plays `target` (an environment id, or a trained rl-* run) and prints frames and a summary per episode. */
export function runPlay(target: string, o: PlayCommandOptions = {}, act?: ActFn): PlayedEpisode[] {
  const print = o.print ?? ((s: string) => process.stdout.write(`${s}\n`));
  let trained: LoadedPolicy | null = null;
  if (!envIds().includes(target)) {
    if (!existsSync(target))
      throw new Error(
        `play: '${target}' is not an environment id (expected one of ${envIds().join(', ')}) nor a run folder or policy file`,
      );
    trained = loadRunPolicy(target);
    print(`${trained.info.algo} policy for ${trained.info.env} (greedy)`);
  }
  const env = makeEnv(trained ? trained.info.env : target) as Env<unknown, unknown>;
  const policy = act ?? (trained ? (trained.actOn(env as Env<unknown, number>) as ActFn) : undefined) ?? o.policy ?? 'random';
  if (policy !== 'random' && policy !== 'heuristic' && typeof policy !== 'function') {
    throw new Error(`play: --policy must be random or heuristic, got '${String(policy)}'`);
  }
  const episodes = playEpisodes(env, { episodes: o.episodes ?? 1, seed: o.seed ?? 0, policy, maxFrames: o.maxFrames ?? 1000 });
  episodes.forEach((ep, i) => {
    if (!o.quiet) for (const f of ep.frames) print(`${f}\n`);
    const end = ep.terminated ? 'terminated' : 'truncated';
    print(`episode ${i + 1}: return ${Number(ep.return.toFixed(6))}, ${ep.length} steps, ${end}`);
  });
  if (o.svg) {
    const name = trained ? `${trained.info.algo}` : typeof policy === 'function' ? 'policy' : policy;
    writeFileAtomic(
      o.svg,
      framesToSvg(episodes[0]!.frames, {
        fps: o.fps ?? 20,
        title: `${target}, ${name} policy, return ${Number(episodes[0]!.return.toFixed(3))}`,
      }),
    );
    print(`wrote ${o.svg}`);
  }
  return episodes;
}

/** Registers `shinsou play`. */
export function registerPlayCommands(program: Command): void {
  program
    .command('play')
    .description(`play episodes of an environment as text frames (${envIds().join(', ')})`)
    .argument('<env>', 'environment id, or a trained rl-* run folder (or its policy.safetensors)')
    .option('--policy <kind>', 'random | heuristic (a hand-written controller)', 'random')
    .option('--episodes <n>', 'episodes to play', intArg('episodes', 1), 1)
    .option('--seed <n>', 'seed of the first reset and of the random policy', intArg('seed'), 0)
    .option('--svg <file>', 'also write the first episode as an animated SVG')
    .option('--fps <n>', 'frames per second of the SVG (default 20)', numArg('fps', 0, true))
    .option('--max-frames <n>', 'frames kept per episode', intArg('max-frames', 1), 1000)
    .option('--quiet', 'print only the summary line of each episode', false)
    .action((env: string, opts: PlayCommandOptions) => {
      runPlay(env, opts);
    });
}

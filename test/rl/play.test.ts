import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { framesToSvg, makeEnv, playEpisodes } from '../../src/rl/index.js';
import { runPlay } from '../../src/cli/commands/play.js';

test('playEpisodes: the hand-written controllers solve CartPole (500), MountainCar (under 200 steps) and GridWorld; frames are the renders', () => {
  const cp = playEpisodes(makeEnv('CartPole-v1'), { policy: 'heuristic', episodes: 3 });
  assert.deepEqual(
    cp.map((e) => [e.return, e.truncated]),
    [
      [500, true],
      [500, true],
      [500, true],
    ],
  );
  assert.equal(cp[0]!.frames.length, 501);
  const mc = playEpisodes(makeEnv('MountainCar-v0'), { policy: 'heuristic', episodes: 5, maxFrames: 10 });
  for (const e of mc) assert.ok(e.terminated && e.length < 200 && e.frames.length === 10);
  const gw = playEpisodes(makeEnv('GridWorld'), { policy: 'heuristic' })[0]!;
  assert.ok(gw.terminated && gw.return > 0 && gw.frames.at(-1)!.includes('@'));
  // A random CartPole policy falls within a few dozen steps (the usual baseline: ~22 steps on average).
  const rnd = playEpisodes(makeEnv('CartPole-v1'), { episodes: 50, seed: 1 });
  const mean = rnd.reduce((a, e) => a + e.length, 0) / rnd.length;
  assert.ok(mean > 10 && mean < 40, `random CartPole lasts ${mean} steps on average`);
  // A given function is a policy too.
  const left = playEpisodes(makeEnv('CartPole-v1'), { policy: () => 0 })[0]!;
  assert.ok(left.terminated && left.length < 20);
});

test('framesToSvg: one group per frame, each shown in its own slot of the loop; text is escaped', () => {
  const svg = framesToSvg(['a<b', 'c&d', 'e'], { fps: 2, title: 'T' });
  assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
  assert.equal((svg.match(/<g display=/g) ?? []).length, 3);
  assert.equal((svg.match(/<animate /g) ?? []).length, 3);
  assert.ok(svg.includes('a&lt;b') && svg.includes('c&amp;d') && svg.includes('dur="1.5s"'));
  assert.ok(svg.includes('keyTimes="0;0.333333;0.666667"'));
});

test('shinsou play: prints frames and a summary line, writes an animated SVG, names a wrong environment', () => {
  const lines: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'shinsou-play-'));
  try {
    const svg = join(dir, 'gw.svg');
    runPlay('GridWorld', { policy: 'heuristic', svg, print: (l) => lines.push(l) });
    assert.match(lines.join('\n'), /episode 1: return 0\.\d+, \d+ steps, terminated/);
    assert.match(lines.join('\n'), /S \. \. \./);
    assert.match(readFileSync(svg, 'utf8'), /<animate attributeName="display"/);
    const quiet: string[] = [];
    runPlay('TicTacToe', { episodes: 2, quiet: true, print: (l) => quiet.push(l) });
    assert.equal(quiet.length, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.throws(() => runPlay('Pong-v5', {}), /play: 'Pong-v5' is not an environment id \(expected one of CartPole-v1/);
  assert.throws(() => runPlay('CartPole-v1', { policy: 'smart' }), /play: --policy must be random or heuristic, got 'smart'/);
});

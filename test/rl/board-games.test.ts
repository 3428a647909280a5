import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TicTacToe } from '../../src/games/index.js';
import { goEnv, makeEnv, ticTacToeEnv } from '../../src/rl/index.js';

/** Perfect play by exhaustive search (negamax), memoised on the board. */
const memo = new Map<string, number>();
function negamax(g: TicTacToe): number {
  if (g.isTerminal()) return g.result(g.toPlay);
  const key = g.cells.join('');
  const hit = memo.get(key);
  if (hit !== undefined) return hit;
  let best = -Infinity;
  for (const a of g.legalActions()) {
    const c = g.clone();
    c.play(a);
    best = Math.max(best, 0 - negamax(c)); // 0 - x, not -x: a draw stays +0
  }
  memo.set(key, best);
  return best;
}
function perfectMove(g: TicTacToe): number {
  let best = -Infinity;
  let move = -1;
  for (const a of g.legalActions()) {
    const c = g.clone();
    c.play(a);
    const v = -negamax(c);
    if (v > best) [best, move] = [v, a];
  }
  return move;
}

test('TicTacToe: lines win, a full board without a line is a draw, perfect play from the start is a draw', () => {
  const g = new TicTacToe();
  for (const a of [0, 3, 1, 4, 2]) g.play(a);
  assert.ok(g.isTerminal() && g.winner === 0 && g.result(0) === 1 && g.result(1) === -1);
  assert.throws(() => g.play(5), /TicTacToe\.play: illegal move 5 \(the game is over\)/);
  const d = new TicTacToe();
  for (const a of [0, 1, 2, 4, 3, 5, 7, 6, 8]) d.play(a);
  assert.ok(d.isTerminal() && d.winner === -1 && d.result(0) === 0);
  assert.equal(negamax(new TicTacToe()), 0);
  assert.throws(() => new TicTacToe().play(9), /illegal move 9 \(expected a cell 0\.\.8\)/);
});

test('two-player TicTacToe environment: the mover is rewarded, observations are from the side to move, illegal moves are named', () => {
  const env = ticTacToeEnv();
  const first = env.reset();
  assert.deepEqual(first.info.toPlay, 0);
  let r = env.step(0); // X in the corner
  assert.deepEqual([r.reward, r.info.player, r.info.toPlay], [0, 0, 1]);
  // O to move: O's own plane (0..8) is empty, the opponent's (9..17) holds X's mark.
  assert.equal(r.observation[9], 1);
  assert.equal(r.observation[0], 0);
  assert.equal((r.info.legalMask as Uint8Array)[0], 0);
  assert.throws(() => env.step(0), /TicTacToe\.step: illegal action 0 for player 1 \(legal: 1, 2, 3, 4, 5, 6, 7, 8\)/);
  assert.throws(() => env.step(9), /TicTacToe\.step: invalid action the number 9; expected an integer in \[0, 9\)/);
  for (const a of [3, 1, 4]) env.step(a);
  r = env.step(2); // X completes the top row
  assert.ok(r.terminated && r.reward === 1 && r.info.player === 0);
  assert.throws(() => env.step(5), /TicTacToe\.step: the game has ended \(after 5 moves\)/);
});

test('single-agent TicTacToe against a random opponent: perfect play never loses and wins most games, from either side', () => {
  for (const agentPlayer of [0, 1] as const) {
    const env = ticTacToeEnv({ opponent: 'random', agentPlayer, seed: 4 });
    let wins = 0;
    let losses = 0;
    const games = 200;
    for (let i = 0; i < games; i++) {
      env.reset();
      for (;;) {
        const r = env.step(perfectMove(env.game));
        if (r.terminated) {
          if (r.reward > 0) wins++;
          if (r.reward < 0) losses++;
          break;
        }
        assert.equal(r.reward, 0);
      }
    }
    assert.equal(losses, 0);
    assert.ok(wins > (agentPlayer === 0 ? 0.9 : 0.7) * games, `agent ${agentPlayer}: ${wins} wins of ${games}`);
  }
});

test('Go environment: random play on 5x5 ends after two passes with a zero-sum result; AlphaGo Zero planes as observation', () => {
  const env = goEnv({ size: 5, seed: 1 });
  assert.deepEqual(env.observationSpace.shape, [17, 5, 5]);
  assert.equal(env.actionSpace.n, 26);
  let obs = env.reset().observation;
  assert.equal(obs.length, 17 * 25);
  assert.ok(obs.slice(16 * 25).every((v) => v === 1)); // black to move
  const rewards = [0, 0];
  let r;
  let moves = 0;
  const pick = (legal: number[], i: number): number => legal[(i * 7919) % legal.length]!;
  do {
    const legal = env.legalActions();
    // Pass only when the position is crowded, so the game gets somewhere before ending.
    const a = legal.length > 6 ? pick(legal.slice(0, -1), moves) : 25;
    r = env.step(a);
    obs = r.observation;
    const p = r.info.player as 0 | 1;
    rewards[p] = rewards[p]! + r.reward;
    moves++;
  } while (!r.terminated && !r.truncated);
  assert.ok(r.terminated, `ended by ${r.truncated ? 'truncation' : 'termination'} after ${moves} moves`);
  assert.ok(Math.abs(r.reward) === 1);
  assert.equal(rewards[0]! + rewards[1]!, r.reward); // only the last mover is paid
  assert.match(env.render(), /game over/);
  const g = makeEnv('Go', { size: 7, opponent: 'random' });
  g.reset();
  assert.throws(() => g.step(26 * 2), /Go7x7\.step: invalid action the number 52/);
  assert.throws(() => goEnv({ size: 3 }), /GoGame|size/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wilsonInterval } from '../../src/games/go/stats.js';
import type { Game } from '../../src/games/game.js';
import { GoGame } from '../../src/games/go/game.js';
import { Rng } from '../../src/games/rng.js';

test('Wilson interval matches reference values', () => {
  const close = (a: number, b: number): void => assert.ok(Math.abs(a - b) < 1e-4, `${a} vs ${b}`);
  const [lo0, hi0] = wilsonInterval(0, 10);
  close(lo0, 0);
  close(hi0, 0.2775);
  const [lo5, hi5] = wilsonInterval(5, 10);
  close(lo5, 0.2366);
  close(hi5, 0.7634);
  const [lo, hi] = wilsonInterval(10, 10);
  close(lo, 0.7225);
  close(hi, 1);
  assert.deepEqual(wilsonInterval(0, 0), [0, 1]);
});

/** Plays a random game through the generic interface only, as a search would. */
function randomGame<S extends Game<S>>(state: S, rng: Rng, maxMoves: number): S {
  for (let i = 0; i < maxMoves && !state.isTerminal(); i++) {
    const legal = state.legalActions();
    const a = legal[rng.int(legal.length)]!;
    assert.ok(a >= 0 && a < state.actionCount);
    assert.ok(state.isLegal(a));
    state.play(a);
  }
  return state;
}

test('GoGame through the generic Game interface: results are zero-sum, clones independent', () => {
  const rng = new Rng(3);
  for (let i = 0; i < 5; i++) {
    const g = randomGame(new GoGame({ size: 5, komi: 0.5 }), rng, 1000);
    assert.ok(g.isTerminal(), 'random play with passes ends');
    assert.equal(g.result(0), -g.result(1));
    assert.notEqual(g.result(0), 0, 'half-point komi: no draws');
    assert.match(g.toString(), /to play/);
  }
  const a = new GoGame({ size: 7 });
  const b = a.clone();
  randomGame(b, rng, 20);
  assert.equal(a.moves.length, 0);
  assert.equal(a.toPlay, 0);
});

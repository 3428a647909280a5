import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BLACK, WHITE, type Color } from '../../src/games/go/board.js';
import { GoGame } from '../../src/games/go/game.js';
import { gameFromDiagram } from '../../src/games/go/diagram.js';
import { vertexToAction } from '../../src/games/go/coords.js';
import { RandomPlayer } from '../../src/games/go/players/random.js';
import { UctPlayer } from '../../src/games/go/players/uct.js';
import type { Player } from '../../src/games/go/players/player.js';

test('random player never fills its own single-point eyes and passes when nothing else is left', () => {
  const g = gameFromDiagram(`
    . X . X .
    X X X X X
    . X . X .
    X X X X X
    . X . X .`);
  const p = new RandomPlayer({ seed: 1 });
  assert.equal(p.genmove(g, BLACK), g.passAction);
  // Every empty point is a suicide for white, so white must pass too.
  assert.equal(p.genmove(g, WHITE), g.passAction);
  // Across random games, black never plays a point that was a black eye just before.
  for (let seed = 1; seed <= 5; seed++) {
    const game = new GoGame({ size: 7 });
    const players = [new RandomPlayer({ seed }), new RandomPlayer({ seed: seed + 100 })];
    while (!game.isTerminal() && game.moves.length < 300) {
      const c = game.turn;
      const a = players[c - 1]!.genmove(game, c) as number;
      if (a !== game.passAction) assert.equal(game.board.isEye(game.board.pointOf(a), c), false);
      game.play(a);
    }
    assert.ok(game.isTerminal(), 'random self-play ends with two passes');
  }
});

test('random player is deterministic for a seed', () => {
  const run = (seed: number): number[] => {
    const g = new GoGame({ size: 9 });
    const p = new RandomPlayer({ seed });
    for (let i = 0; i < 30; i++) g.play(p.genmove(g, g.turn) as number);
    return g.moves.map((m) => m.action);
  };
  assert.deepEqual(run(4), run(4));
  assert.notDeepEqual(run(4), run(5));
});

test('UCT captures a large group in atari and is deterministic for a seed', () => {
  // Six black stones with a single liberty at E5: white must capture now, or black runs out.
  const g = gameFromDiagram(
    `
    . . . . . . .
    . O O O . . .
    O X X X . . .
    O X X X O . .
    . O O O . . .
    . . . . . . .
    . . . . . . .`,
    { toPlay: WHITE, komi: 0.5 },
  );
  assert.equal(g.board.liberties(g.board.pointOf(vertexToAction('B5', 7)!)), 1);
  const uct = new UctPlayer({ playouts: 2000, seed: 1 });
  const move = uct.genmove(g, WHITE);
  assert.equal(move, vertexToAction('E5', 7));
  assert.ok(uct.lastWinRate > 0.8, `win rate after the capture ${uct.lastWinRate}`);
  const again = new UctPlayer({ playouts: 2000, seed: 1 }).genmove(g, WHITE);
  assert.equal(move, again);
  // With black to move, extending at E5 is the move.
  assert.equal(new UctPlayer({ playouts: 2000, seed: 2 }).genmove(g, BLACK), vertexToAction('E5', 7));
});

async function play(black: Player, white: Player, size: number): Promise<Color | 0> {
  const g = new GoGame({ size, komi: 0.5 });
  while (!g.isTerminal() && g.moves.length < size * size * 3) {
    const c = g.turn;
    const m = await (c === BLACK ? black : white).genmove(g, c);
    if (m === 'resign') {
      g.resign(c);
      break;
    }
    g.play(m);
  }
  return g.winner();
}

test('UCT beats the random player on 7x7', async () => {
  let uctWins = 0;
  for (let i = 0; i < 4; i++) {
    const uct = new UctPlayer({ playouts: 300, seed: i + 1 });
    const rnd = new RandomPlayer({ seed: i + 1 });
    const w = i % 2 === 0 ? await play(uct, rnd, 7) : await play(rnd, uct, 7);
    if ((i % 2 === 0 && w === BLACK) || (i % 2 === 1 && w === WHITE)) uctWins++;
  }
  assert.ok(uctWins >= 3, `UCT won only ${uctWins}/4`);
});

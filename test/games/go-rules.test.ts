import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GoBoard, BLACK, WHITE, EMPTY } from '../../src/games/go/board.js';
import { GoGame } from '../../src/games/go/game.js';
import { gameFromDiagram } from '../../src/games/go/diagram.js';
import { vertexToAction, actionToVertex } from '../../src/games/go/coords.js';
import { areaScore, territoryScore, estimateDead } from '../../src/games/go/score.js';
import { playRandomMove } from '../../src/games/go/playout.js';
import { Rng } from '../../src/games/rng.js';
import { checkBoardInvariants } from './go-helpers.js';

const at = (g: GoGame, v: string): number => {
  const a = vertexToAction(v, g.size);
  assert.ok(a !== null, `bad vertex ${v}`);
  return a;
};
const colorAt = (g: GoGame, v: string): number => g.board.color[g.board.pointOf(at(g, v))]!;

test('board sizes outside 5..19 are rejected with the size in the message', () => {
  assert.throws(() => new GoBoard(4), /\[5, 19\], got 4/);
  assert.throws(() => new GoBoard(20), /got 20/);
  for (const n of [5, 9, 13, 19]) assert.equal(new GoBoard(n).emptyCount, n * n);
});

test('coordinates: GTP vertices skip I and count rows from the bottom', () => {
  assert.equal(vertexToAction('A9', 9), 0);
  assert.equal(vertexToAction('J1', 9), 80);
  assert.equal(vertexToAction('i5', 9), null);
  assert.equal(vertexToAction('K1', 9), null);
  assert.equal(vertexToAction('pass', 9), 81);
  for (let a = 0; a <= 361; a++) assert.equal(vertexToAction(actionToVertex(a, 19), 19), a);
});

test('a single move captures two separate groups at once', () => {
  const g = gameFromDiagram(`
    . . . . .
    . O O O .
    O X . X O
    . O O O .
    . . . . .`);
  assert.equal(g.isLegalMove(BLACK, at(g, 'C3')), false, 'black C3 would be suicide of both groups');
  g.playMove(WHITE, at(g, 'C3'));
  assert.equal(colorAt(g, 'B3'), EMPTY);
  assert.equal(colorAt(g, 'D3'), EMPTY);
  assert.equal(g.board.prisoners[WHITE], 2);
  checkBoardInvariants(g.board);
});

test('snapback: capturing the throw-in leaves three stones to be recaptured (not a ko)', () => {
  const g = gameFromDiagram(
    `
    . . O . .
    X X O . .
    O O . . .
    . . . . .
    . . . . .`,
    { toPlay: WHITE },
  );
  g.play(at(g, 'A5')); // throw-in, black is in atari
  g.play(at(g, 'B5')); // black captures one stone...
  assert.equal(colorAt(g, 'A5'), EMPTY);
  assert.equal(g.board.ko, 0, 'capturing one stone with a 3-stone group is not ko');
  assert.ok(g.isLegal(at(g, 'A5')));
  g.play(at(g, 'A5')); // ...and white takes back three
  for (const v of ['B5', 'A4', 'B4']) assert.equal(colorAt(g, v), EMPTY, v);
  assert.equal(g.board.prisoners[WHITE], 3);
  assert.equal(g.board.prisoners[BLACK], 1);
  checkBoardInvariants(g.board);
});

test('simple ko: immediate recapture is illegal, legal again after a move elsewhere', () => {
  const g = gameFromDiagram(`
    . X O . .
    X O . O .
    . X O . .
    . . . . .
    . . . . .`);
  g.play(at(g, 'C4'));
  assert.equal(colorAt(g, 'B4'), EMPTY);
  assert.equal(g.board.ko, g.board.pointOf(at(g, 'B4')));
  assert.equal(g.isLegal(at(g, 'B4')), false);
  assert.ok(!g.legalActions().includes(at(g, 'B4')));
  g.play(at(g, 'E1'));
  g.play(at(g, 'A1'));
  assert.ok(g.isLegal(at(g, 'B4')));
  g.play(at(g, 'B4'));
  assert.equal(colorAt(g, 'C4'), EMPTY);
  checkBoardInvariants(g.board);
});

test('positional superko forbids retaking a ko when that recreates an earlier position', () => {
  const diagram = `
    . X O . .
    X O . O .
    . X O . .
    . . . . .
    . . . . .`;
  for (const superko of [true, false]) {
    const g = gameFromDiagram(diagram, { superko });
    g.play(at(g, 'C4')); // black takes the ko
    g.play(g.passAction); // white passes (clears the simple-ko ban)
    g.play(g.passAction); // black passes
    // White retaking now repeats the starting position exactly.
    assert.equal(g.isLegalMove(WHITE, at(g, 'B4')), !superko);
  }
});

test('superko catches a longer cycle found in seeded random play', () => {
  // Random play under simple ko on 5x5, watching for a non-pass move that recreates an earlier
  // position; such a move must be legal under simple ko and illegal under positional superko.
  let found = 0;
  for (let seed = 1; seed <= 400 && found < 3; seed++) {
    const rng = new Rng(seed);
    const g = new GoGame({ size: 5, superko: false });
    const seen = new Set<number>([g.board.hash]);
    for (let m = 0; m < 300; m++) {
      const legal = g.legalActions().filter((a) => a !== g.passAction);
      if (legal.length === 0) break;
      const a = legal[rng.int(legal.length)]!;
      const p = g.board.pointOf(a);
      const after = g.board.hashAfter(p, g.turn);
      if (seen.has(after)) {
        // Replay the same record with superko on: the move must be refused there.
        const sk = new GoGame({ size: 5, superko: true });
        for (const mv of g.moves) sk.playMove(mv.color, mv.action);
        assert.equal(sk.isLegalMove(g.turn, a), false, `seed ${seed}: superko should forbid ${actionToVertex(a, 5)}`);
        assert.equal(g.board.ko === p, false, 'a simple-ko recapture is not a superko case');
        found++;
        break;
      }
      g.play(a);
      assert.equal(g.board.hash, after, 'hashAfter predicts the hash');
      seen.add(g.board.hash);
    }
  }
  assert.ok(found >= 1, 'no repetition found in 400 random 5x5 games');
});

test('suicide: illegal by default, removes the group when allowed, legal when it captures', () => {
  const single = gameFromDiagram(`
    . O . . .
    O . . . .
    . . . . .
    . . . . .
    . . . . .`);
  assert.equal(single.isLegal(at(single, 'A5')), false);
  const diagram = `
    . X O . .
    O X O . .
    . O . . .
    . . . . .
    . . . . .`;
  const g = gameFromDiagram(diagram);
  assert.equal(g.isLegal(at(g, 'A5')), false);
  assert.throws(() => g.play(at(g, 'A5')), /illegal move black A5/);
  const s = gameFromDiagram(diagram, { allowSuicide: true });
  assert.ok(s.isLegal(at(s, 'A5')));
  s.play(at(s, 'A5'));
  for (const v of ['A5', 'B5', 'B4']) assert.equal(colorAt(s, v), EMPTY, v);
  assert.equal(s.board.prisoners[WHITE], 3);
  assert.equal(
    gameFromDiagram(
      `
    . O . . .
    O . . . .
    . . . . .
    . . . . .
    . . . . .`,
      { allowSuicide: true },
    ).isLegal(0),
    false,
    'single-stone suicide changes nothing and stays illegal',
  );
  checkBoardInvariants(s.board);
  // A move with no liberties of its own that captures is not suicide.
  const cap = gameFromDiagram(
    `
    . X O . .
    X O . . .
    . . . . .
    . . . . .
    . . . . .`,
    { toPlay: WHITE },
  );
  assert.ok(cap.isLegal(at(cap, 'A5')));
  cap.play(at(cap, 'A5'));
  assert.equal(colorAt(cap, 'B5'), EMPTY);
  assert.equal(colorAt(cap, 'A5'), WHITE);
  checkBoardInvariants(cap.board);
});

test('seki: shared liberties score for nobody and filling one is self-atari', () => {
  const g = gameFromDiagram(
    `
    . O O X .
    X X O X .
    . O O X .
    O O X X .
    X X X . .`,
    { komi: 0.5 },
  );
  const s = areaScore(g.board, 0.5);
  assert.deepEqual(s, { black: 16, white: 7, score: 8.5 });
  for (const v of ['A5', 'A3']) {
    for (const c of [BLACK, WHITE] as const) {
      const b = g.board.clone();
      const p = g.board.pointOf(at(g, v));
      b.play(p, c);
      assert.equal(b.liberties(p), 1, `${c === BLACK ? 'black' : 'white'} ${v} is self-atari`);
    }
  }
  const t = territoryScore(g.board, 0.5);
  assert.equal(t.blackTerritory, 6);
  assert.equal(t.whiteTerritory, 0);
});

test('area score with dead stones and territory score with prisoners', () => {
  const g = gameFromDiagram(
    `
    . X O . .
    . X O . .
    . X O O O
    . X X X X
    . O . . .`,
    { komi: 0 },
  );
  const dead = [g.board.pointOf(at(g, 'B1'))];
  // With B1 on the board the A column and the bottom row touch both colours: neutral.
  assert.deepEqual(areaScore(g.board, 0), { black: 7, white: 10, score: -3 });
  // With B1 dead they form one black region of 9 points.
  assert.deepEqual(areaScore(g.board, 0, dead), { black: 16, white: 9, score: 7 });
  const t = territoryScore(g.board, 0, dead);
  assert.equal(t.blackTerritory, 9);
  assert.equal(t.blackPrisoners, 1);
  assert.equal(t.whiteTerritory, 4);
  assert.equal(t.score, 9 + 1 - 4);
  const est = estimateDead(g.board, BLACK, { playouts: 100, seed: 3 });
  assert.ok(est.dead.includes(dead[0]!), 'playouts find the lone white stone dead');
  assert.ok(!est.dead.includes(g.board.pointOf(at(g, 'B5'))), 'black wall is alive');
});

test('incremental groups, liberties, empties and hash match a brute-force recount in random games', () => {
  for (const size of [5, 9, 19]) {
    const rng = new Rng(size);
    const b = new GoBoard(size);
    let c: 1 | 2 = BLACK;
    let passes = 0;
    for (let m = 0; m < size * size * 3 && passes < 2; m++) {
      passes = playRandomMove(b, c, rng) === 0 ? passes + 1 : 0;
      c = (3 - c) as 1 | 2;
      if (size < 19 || m % 17 === 0) checkBoardInvariants(b);
    }
    checkBoardInvariants(b);
  }
});

test('clone and copyFrom are independent copies; undo replays to the previous position', () => {
  const g = new GoGame({ size: 9 });
  const rng = new Rng(7);
  for (let i = 0; i < 40; i++) {
    const legal = g.legalActions();
    g.play(legal[rng.int(legal.length)]!);
  }
  const c = g.clone();
  const before = g.board.hash;
  const legal = c.legalActions();
  c.play(legal[0]!);
  assert.equal(g.board.hash, before, 'playing on the clone left the original alone');
  assert.equal(c.moves.length, g.moves.length + 1);
  const hashBefore = c.board.hash;
  c.play(c.legalActions()[0]!);
  assert.ok(c.undo());
  assert.equal(c.board.hash, hashBefore);
  assert.equal(new GoGame({ size: 5 }).undo(), false);
});

test('game end: two passes end the game, result follows the area score, resignation wins', () => {
  const g = new GoGame({ size: 5, komi: 0.5 });
  g.play(at(g, 'C3'));
  g.play(g.passAction);
  assert.equal(g.isTerminal(), false);
  g.play(g.passAction);
  assert.ok(g.isTerminal());
  assert.equal(g.result(0), 1);
  assert.equal(g.result(1), -1);
  assert.deepEqual(g.legalActions(), []);
  const r = new GoGame({ size: 5 });
  r.resign(BLACK);
  assert.ok(r.isTerminal());
  assert.equal(r.winner(), WHITE);
  assert.equal(r.actionCount, 26);
});

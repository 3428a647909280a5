import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BLACK, WHITE } from '../../src/games/go/board.js';
import { GoGame } from '../../src/games/go/game.js';
import { gameFromDiagram } from '../../src/games/go/diagram.js';
import { vertexToAction } from '../../src/games/go/coords.js';
import { alphaGoZeroFeatures, alphaGoFeatures, ALPHAGO_PLANE_LAYOUT as L, ALPHAGO_PLANES } from '../../src/games/go/features.js';
import { isLadderCaptured } from '../../src/games/go/ladder.js';
import { transformAction, transformPlanes, transformPolicy, inverseSymmetry, transformXY } from '../../src/games/go/symmetry.js';
import { Rng } from '../../src/games/rng.js';

const plane = (f: Float32Array, c: number, n: number): number[] => Array.from(f.subarray(c * n * n, (c + 1) * n * n));
const idx = (v: string, n: number): number => vertexToAction(v, n)!;

test('AlphaGo Zero planes: own/opponent history and colour plane', () => {
  const g = new GoGame({ size: 5 });
  g.play(idx('C3', 5));
  g.play(idx('D3', 5));
  const f = alphaGoZeroFeatures(g);
  assert.equal(f.length, 17 * 25);
  // Black to play: plane 0 = black now, plane 8 = white now, plane 1 = black one move ago.
  assert.deepEqual(
    plane(f, 0, 5)
      .map((v, a) => (v ? a : -1))
      .filter((a) => a >= 0),
    [idx('C3', 5)],
  );
  assert.deepEqual(
    plane(f, 8, 5)
      .map((v, a) => (v ? a : -1))
      .filter((a) => a >= 0),
    [idx('D3', 5)],
  );
  assert.equal(plane(f, 1, 5)[idx('C3', 5)], 1);
  assert.equal(
    plane(f, 9, 5).reduce((s, v) => s + v, 0),
    0,
    'white had no stone one move ago',
  );
  assert.equal(
    plane(f, 2, 5).reduce((s, v) => s + v, 0),
    0,
    'empty board two moves ago',
  );
  assert.ok(plane(f, 16, 5).every((v) => v === 1));
  g.play(idx('A1', 5));
  const w = alphaGoZeroFeatures(g);
  // White to play: its stones are now the "own" planes and the colour plane is zero.
  assert.equal(plane(w, 0, 5)[idx('D3', 5)], 1);
  assert.equal(plane(w, 8, 5)[idx('A1', 5)], 1);
  assert.ok(plane(w, 16, 5).every((v) => v === 0));
});

const LADDER = `
  . . . . . . . . .
  . . X X . . . . .
  . X O . . . . . .
  . . . . . . . . .
  . . . . . . . . .
  . . . . . . . . .
  . . . . . . . . .
  . . . . . . . . .
  . . . . . . . . .`;
const withBreaker = (d: string): string => {
  const rows = d.trim().split('\n');
  rows[6] = '  . . . . . . O . .';
  return rows.join('\n');
};

test('ladder reader: a ladder works on an open board and fails against a breaker', () => {
  for (const [diagram, captured] of [
    [LADDER, true],
    [withBreaker(LADDER), false],
  ] as const) {
    const g = gameFromDiagram(diagram);
    const b = g.board.clone();
    b.play(g.board.pointOf(idx('C6', 9)), BLACK); // atari from below
    const prey = g.board.pointOf(idx('C7', 9));
    assert.equal(b.liberties(prey), 1);
    assert.equal(isLadderCaptured(b, prey), captured);
  }
});

test('AlphaGo planes: 48 planes, colour partition, ladder, capture and self-atari features', () => {
  const g = gameFromDiagram(LADDER);
  const n = 9;
  const f = alphaGoFeatures(g);
  assert.equal(f.length, ALPHAGO_PLANES * n * n);
  for (let a = 0; a < n * n; a++) {
    assert.equal(f[a]! + f[n * n + a]! + f[2 * n * n + a]!, 1, 'exactly one colour plane per point');
    assert.equal(f[L.ones * n * n + a], 1);
    assert.equal(f[L.zeros * n * n + a], 0);
  }
  const at = (c: number, v: string): number => f[c * n * n + idx(v, n)]!;
  assert.equal(at(L.ladderCapture, 'C6'), 1, 'C6 starts a working ladder');
  assert.equal(at(L.ladderCapture, 'D7'), 0, 'D7 lets white escape downwards');
  assert.equal(at(L.stoneColour, 'B7'), 1, 'black stone is own (black to play)');
  assert.equal(at(L.stoneColour + 1, 'C7'), 1);
  assert.equal(at(L.liberties + 1, 'C7'), 1, 'white stone has 2 liberties');
  assert.equal(at(L.libertiesAfter + 3, 'E5'), 1, 'a lone stone in the open has 4 liberties');
  assert.equal(at(L.sensibleness, 'E5'), 1);
  assert.equal(at(L.sensibleness, 'C7'), 0, 'occupied points are not moves');

  // After the atari, white extending is a ladder escape only when a breaker exists.
  for (const [diagram, escapes] of [
    [LADDER, 0],
    [withBreaker(LADDER), 1],
  ] as const) {
    const h = gameFromDiagram(diagram);
    h.play(idx('C6', n));
    const fw = alphaGoFeatures(h);
    assert.equal(fw[L.ladderEscape * n * n + idx('D7', n)], escapes);
    assert.equal(fw[(L.liberties + 0) * n * n + idx('C7', n)], 1, 'white C7 in atari: 1 liberty');
    // Black capturing at D7 would take one stone.
    const hb = gameFromDiagram(diagram);
    hb.play(idx('C6', n));
    hb.play(idx('J1', n));
    const fb = alphaGoFeatures(hb);
    assert.equal(fb[(L.captureSize + 1) * n * n + idx('D7', n)], 1);
    assert.equal(fb[(L.turnsSince + 1) * n * n + idx('C6', n)], 1, 'C6 was played 2 moves ago');
    assert.equal(fb[(L.turnsSince + 0) * n * n + idx('J1', n)], 1, 'J1 was the last move');
  }
  // Self-atari: white playing A1 in a black corner.
  const s = gameFromDiagram(
    `
    . . . . .
    . . . . .
    . . . . .
    X . . . .
    . X . . .`,
    { toPlay: WHITE },
  );
  const fs = alphaGoFeatures(s);
  assert.equal(fs[(L.selfAtariSize + 0) * 25 + idx('A1', 5)], 0, 'A1 for white is suicide: illegal, no features');
  assert.equal(fs[(L.selfAtariSize + 0) * 25 + idx('A3', 5)], 0);
  assert.equal(fs[(L.libertiesAfter + 1) * 25 + idx('B2', 5)], 1, 'white B2 has 2 liberties');
});

test('symmetries: 8 distinct images, inverses, and features commute with the transform', () => {
  const n = 7;
  const images = new Set<string>();
  for (let s = 0; s < 8; s++) {
    images.add(transformXY(s, 1, 2, n).join(','));
    for (let a = 0; a <= n * n; a++) {
      assert.equal(transformAction(inverseSymmetry(s), transformAction(s, a, n), n), a);
    }
  }
  assert.equal(images.size, 8);
  assert.equal(transformAction(3, 0, n), n * n - 1, 'symmetry 3 is the 180 degree rotation');
  const rng = new Rng(5);
  const g = new GoGame({ size: n });
  for (let i = 0; i < 20; i++) {
    const legal = g.legalActions().filter((a) => a !== g.passAction);
    g.play(legal[rng.int(legal.length)]!);
  }
  for (let s = 0; s < 8; s++) {
    const t = new GoGame({ size: n });
    for (const m of g.moves) t.play(transformAction(s, m.action, n));
    assert.deepEqual(alphaGoZeroFeatures(t), transformPlanes(s, alphaGoZeroFeatures(g), n), `symmetry ${s}`);
    assert.deepEqual(alphaGoFeatures(t), transformPlanes(s, alphaGoFeatures(g), n), `AlphaGo planes, symmetry ${s}`);
    const policy = Float32Array.from({ length: n * n + 1 }, (_, i) => i);
    assert.deepEqual(transformPolicy(inverseSymmetry(s), transformPolicy(s, policy, n), n), policy);
  }
});

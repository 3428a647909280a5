import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BLACK, WHITE } from '../../src/games/go/board.js';
import { GoGame } from '../../src/games/go/game.js';
import { readSgf, writeSgf, parseSgfMainLine, SgfError } from '../../src/games/go/sgf.js';
import { vertexToAction } from '../../src/games/go/coords.js';
import { Rng } from '../../src/games/rng.js';

test('SGF round trip through a file: header, handicap stones, moves, passes, result', () => {
  const g = new GoGame({ size: 9, komi: 0.5 });
  for (const v of ['C3', 'G7', 'C7']) g.placeSetupStone(BLACK, vertexToAction(v, 9)!);
  g.turn = WHITE;
  const rng = new Rng(11);
  for (let i = 0; i < 60; i++) {
    const legal = g.legalActions();
    g.play(legal[rng.int(legal.length)]!);
  }
  g.play(g.passAction);
  const dir = mkdtempSync(join(tmpdir(), 'shinsou-sgf-'));
  const file = join(dir, 'g.sgf');
  writeFileSync(file, writeSgf(g, { blackName: 'A [b]', whiteName: 'B\\w', result: 'W+R' }));
  const text = readFileSync(file, 'utf8');
  assert.match(text, /HA\[3\]/);
  assert.match(text, /AB\[cg\]\[gc\]\[cc\]/);
  const { game, info } = readSgf(text);
  assert.deepEqual(info.blackName, 'A [b]');
  assert.deepEqual(info.whiteName, 'B\\w');
  assert.equal(info.result, 'W+R');
  assert.equal(info.komi, 0.5);
  assert.equal(info.handicap, 3);
  assert.equal(game.setup.length, 3);
  assert.deepEqual(game.moves, g.moves);
  assert.equal(game.board.hash, g.board.hash);
  assert.equal(game.moves[0]!.color, WHITE, 'white moves first after handicap');
});

test('SGF reader: FF[3] tt pass, variations skipped, escapes, compressed point lists', () => {
  const text = `(;GM[1]FF[4]SZ[5]KM[6.5]PB[Bl\\]ack]AB[aa:bb]
    ;W[cc];B[tt]
    (;W[dd]C[main line];B[ee])
    (;W[ee];B[dd]))`;
  const { game, info } = readSgf(text);
  assert.equal(info.blackName, 'Bl]ack');
  assert.equal(game.setup.length, 4);
  assert.deepEqual(
    game.moves.map((m) => m.action),
    [2 * 5 + 2, 25, 3 * 5 + 3, 4 * 5 + 4],
  );
  const nodes = parseSgfMainLine(text);
  assert.equal(nodes.length, 5);
  assert.equal(nodes[3]!.get('C')![0], 'main line');
});

test('SGF errors name the byte offset and what was expected', () => {
  const bad = '(;SZ[9]KM[6.5';
  assert.throws(
    () => parseSgfMainLine(bad),
    (e: unknown) => e instanceof SgfError && /unterminated value of property KM/.test(e.message) && e.offset === bad.length,
  );
  assert.throws(() => parseSgfMainLine('(;SZ[9];B[aa]x'), /byte offset 13: unexpected character 'x'/);
  // Offsets count UTF-8 bytes: the comment holds a 3-byte character.
  assert.throws(() => parseSgfMainLine('(;C[深]B x'), /byte offset 10: expected '\[' after property B/);
  assert.throws(() => parseSgfMainLine('hello'), /no game tree/);
  assert.throws(() => readSgf('(;SZ[25])'), /unsupported board size SZ\[25\]/);
  assert.throws(() => readSgf('(;SZ[5];B[cc];W[cc])'), /move 2 W\[cc\] is illegal/);
});

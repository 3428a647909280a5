// Cross-checks against GNU Go over GTP: stones and legal moves at every move of real games, GNU
// Go's SGF output, and a tiny match through `shinsou match`. Skipped when GNU Go is not installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BLACK, WHITE, type Color } from '../../src/games/go/board.js';
import { GoGame } from '../../src/games/go/game.js';
import { actionToVertex, vertexToAction } from '../../src/games/go/coords.js';
import { GtpClient } from '../../src/node/go/gtp-client.js';
import { RandomPlayer } from '../../src/games/go/players/random.js';
import { readSgf } from '../../src/games/go/sgf.js';
import { runMatch } from '../../src/node/go/match.js';
import { findGnuGo } from './go-helpers.js';

const gnugo = findGnuGo();
const skip = gnugo ? false : 'GNU Go not installed (apt-get install gnugo)';

const vertexSet = (reply: string): string[] =>
  reply
    .split(/\s+/)
    .filter(Boolean)
    .map((v) => v.toUpperCase())
    .sort();
const ourStones = (g: GoGame, c: Color): string[] =>
  g.board
    .stones(c)
    .map((p) => actionToVertex(g.board.actionOf(p), g.size))
    .sort();
const ourLegal = (g: GoGame, c: Color): string[] => {
  const out: string[] = [];
  for (let a = 0; a < g.passAction; a++) if (g.isLegalMove(c, a)) out.push(actionToVertex(a, g.size));
  return out.sort();
};

/** Compares stones of both colours and the legal moves of both colours with GNU Go. */
async function compare(engine: GtpClient, g: GoGame, where: string): Promise<void> {
  for (const [c, name] of [
    [BLACK, 'black'],
    [WHITE, 'white'],
  ] as const) {
    assert.deepEqual(ourStones(g, c), vertexSet(await engine.send(`list_stones ${name}`)), `${where}: ${name} stones`);
  }
  // GNU Go's ko ban applies to the side to move only; compare that side and, away from ko, the other.
  const toMove = g.turn;
  assert.deepEqual(
    ourLegal(g, toMove),
    vertexSet(await engine.send(`all_legal ${toMove === BLACK ? 'black' : 'white'}`)),
    `${where}: legal moves`,
  );
}

test(
  'GNU Go self-play (9x9) and random play (9x9, 19x19): stones and legal moves agree at every move',
  { skip, timeout: 60_000 },
  async () => {
    const engine = new GtpClient(`${gnugo} --mode gtp --level 1 --seed 7`, 'gnugo');
    try {
      // GNU Go playing both sides, then our random player (many captures, no eye filling) on 9x9
      // and on 19x19 (a few hundred moves).
      const cases = [
        ['gnugo', 9],
        ['random', 9],
        ['random', 19],
      ] as const;
      for (const [mode, SIZE] of cases) {
        await engine.send(`boardsize ${SIZE}`);
        await engine.send('clear_board');
        await engine.send('komi 6.5');
        const g = new GoGame({ size: SIZE, komi: 6.5, superko: false });
        const random = new RandomPlayer({ seed: 5 });
        let passes = 0;
        for (let m = 0; m < 3 * SIZE * SIZE && passes < 2; m++) {
          const c = g.turn;
          const cs = c === BLACK ? 'black' : 'white';
          let action: number;
          if (mode === 'gnugo') {
            const reply = await engine.send(`genmove ${cs}`);
            if (reply.toLowerCase() === 'resign') break;
            action = vertexToAction(reply, SIZE)!;
            assert.notEqual(action, null, `unparsable GNU Go move ${reply}`);
            assert.ok(g.isLegalMove(c, action), `GNU Go's ${cs} ${reply} is illegal for us at move ${m + 1}`);
          } else {
            action = random.genmove(g, c) as number;
            await engine.send(`play ${cs} ${actionToVertex(action, SIZE)}`);
          }
          g.playMove(c, action);
          passes = action === g.passAction ? passes + 1 : 0;
          await compare(engine, g, `${mode} game ${SIZE}x${SIZE}, move ${m + 1} (${cs} ${actionToVertex(action, SIZE)})`);
        }
        assert.ok(g.moves.length > 20, `${mode} game too short: ${g.moves.length} moves`);
        if (mode === 'random') assert.ok(g.board.prisoners[1]! + g.board.prisoners[2]! > 5, 'random game had captures');
        // GNU Go's SGF of the final position (setup stones) reads back to the same stones.
        const sgf = await engine.send('printsgf');
        const { game, info } = readSgf(sgf);
        assert.equal(info.size, SIZE);
        assert.ok(Number.isFinite(info.komi)); // GNU Go sometimes reports its own komi here
        assert.deepEqual(ourStones(game, BLACK), ourStones(g, BLACK));
        assert.deepEqual(ourStones(game, WHITE), ourStones(g, WHITE));
      }
    } finally {
      await engine.close();
    }
  },
);

test('shinsou match: our random engine against GNU Go level 1, SGF written and adjudicated', { skip, timeout: 60_000 }, async () => {
  const cli = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
  const out = mkdtempSync(join(tmpdir(), 'shinsou-match-'));
  const summary = await runMatch({
    black: `"${process.execPath}" "${cli}" gtp --player random --seed 3`,
    white: `${gnugo} --mode gtp --level 1 --chinese-rules`,
    games: 2,
    size: 7,
    komi: 7,
    maxMoves: 80,
    outDir: out,
  });
  assert.equal(summary.games.length, 2);
  assert.equal(summary.games[0]!.black, 'A');
  assert.equal(summary.games[1]!.black, 'B', 'colours alternate');
  assert.match(summary.names.B, /GNU Go/);
  assert.equal(summary.wins.A + summary.wins.B + summary.draws, 2);
  assert.ok(summary.wins.B >= 1, 'GNU Go beats a random player at least once');
  const [lo, hi] = summary.intervalA;
  assert.ok(lo >= 0 && hi <= 1 && lo <= summary.rateA && summary.rateA <= hi);
  const files = readdirSync(out).sort();
  assert.deepEqual(files, ['game-001.sgf', 'game-002.sgf']);
  for (const [i, f] of files.entries()) {
    const rec = summary.games[i]!;
    assert.notEqual(rec.reason, 'engine error', rec.note);
    if (rec.reason !== 'resignation') assert.ok(rec.ourScore !== null && rec.ourTerritoryScore !== null);
    if (rec.reason !== 'resignation')
      assert.ok(rec.engineScores.B !== null && /^[BW]\+|^0/.test(rec.engineScores.B), `GNU Go final_score: ${rec.engineScores.B}`);
    const { game, info } = readSgf(readFileSync(join(out, f), 'utf8'));
    assert.equal(info.result, rec.result);
    assert.equal(game.moves.length, rec.moves);
    assert.equal(info.size, 7);
  }
});

// Property and fuzz tests of the Go text formats: SGF (parser and round trip) and GTP (the engine
// and the line reader of `shinsou gtp`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { GoGame } from '../../src/games/go/game.js';
import { readSgf, writeSgf, parseSgfMainLine, SgfError } from '../../src/games/go/sgf.js';
import { GtpEngine } from '../../src/games/go/gtp/engine.js';
import { boundedLines } from '../../src/node/go/gtp-serve.js';
import { RandomPlayer } from '../../src/games/go/players/random.js';
import { parseDecimal } from '../../src/games/numbers.js';
import { params, explains } from './_budget.js';
import { GTP_NUMBER_WORDS, GTP_WORDS } from '../games/go-helpers.js';

/** A game of random legal moves (choices index the legal list), with random komi and size. */
const gameArb = fc
  .record({
    size: fc.integer({ min: 5, max: 9 }),
    komi: fc.integer({ min: -20, max: 20 }).map((k) => k / 2),
    choices: fc.array(fc.nat(), { maxLength: 60 }),
  })
  .map(({ size, komi, choices }) => {
    const g = new GoGame({ size, komi });
    for (const c of choices) {
      if (g.isTerminal()) break;
      const legal = g.legalActions();
      g.play(legal[c % legal.length]!);
    }
    return g;
  });

test('fuzz SGF: random games round-trip through writeSgf/readSgf with any names', () => {
  fc.assert(
    fc.property(gameArb, fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }), (g, name) => {
      const { game, info } = readSgf(writeSgf(g, { blackName: name, comment: `${name}\\]` }));
      assert.equal(info.size, g.size);
      assert.equal(info.komi, g.komi);
      assert.equal(info.blackName, name);
      assert.deepEqual(game.moves, g.moves);
      assert.equal(game.board.hash, g.board.hash);
    }),
    params(0.5),
  );
});

const sgfErr = /^(SGF parse error at byte offset \d+: |SGF: )/;
const sgfToken = fc.oneof(
  fc.constantFrom(
    '(',
    ')',
    ';',
    '[',
    ']',
    '\\',
    'B',
    'W',
    'AB',
    'AW',
    'SZ',
    'KM',
    'HA',
    'PL',
    'C',
    'FF',
    'aa',
    'cc',
    'tt',
    'zz',
    ':',
    '9',
    '19',
    '25',
    '0x10',
    '6.5',
    '-1',
    ' ',
    '\n',
    '\r\n',
    'ab:cd',
  ),
  fc.string({ unit: 'binary', maxLength: 3 }),
);

test('fuzz SGF: random text and random token soup are parsed or explained', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => {
      explains(() => parseSgfMainLine(s), sgfErr, [SgfError]);
      explains(() => readSgf(s), sgfErr, [SgfError]);
    }),
    params(),
  );
  fc.assert(
    fc.property(fc.array(sgfToken, { maxLength: 40 }), (tokens) => {
      const s = `(;${tokens.join('')}`;
      explains(() => readSgf(s), sgfErr, [SgfError]);
      explains(() => readSgf(`${s})`), sgfErr, [SgfError]);
    }),
    params(),
  );
});

test('fuzz SGF: a written game with random edits is read or explained', () => {
  fc.assert(
    fc.property(gameArb, fc.array(fc.tuple(fc.nat(), sgfToken), { minLength: 1, maxLength: 3 }), (g, edits) => {
      let s = writeSgf(g);
      for (const [at, tok] of edits) {
        const i = at % (s.length + 1);
        s = s.slice(0, i) + tok + s.slice(i + 1);
      }
      explains(() => readSgf(s), sgfErr, [SgfError]);
    }),
    params(0.5),
  );
});

/** A GTP response: `=id text` or `?id text`, ending in one blank line. */
function framed(r: string | null): void {
  if (r === null) return;
  assert.match(r, /^[=?]\d* [^]*\n\n$/);
  assert.ok(!r.slice(0, -2).includes('\n\n'), `blank line inside a response: ${JSON.stringify(r)}`);
}

const gtpWord = fc.oneof(fc.constantFrom(...GTP_WORDS), fc.constantFrom(...GTP_NUMBER_WORDS), fc.string({ unit: 'binary', maxLength: 4 }));

test('fuzz GTP: random command sequences always get one framed response and no internal error', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.tuple(fc.option(fc.nat(999)), fc.array(gtpWord, { minLength: 1, maxLength: 4 })), { maxLength: 25 }),
      async (lines) => {
        const e = new GtpEngine({ size: 7, player: new RandomPlayer({ seed: 1 }), deadStonePlayouts: 5 });
        for (const [id, words] of lines) {
          const komiBefore = e.game.komi;
          const line = `${id ?? ''} ${words.join(' ')}`;
          const r = await e.handle(line);
          framed(r);
          assert.ok(!r?.includes('internal error'), `internal error for ${JSON.stringify(line)}: ${r}`);
          if (r !== null && id !== null && !line.includes('#') && r[1] !== ' ')
            assert.ok(r.startsWith(`=${id}`) || r.startsWith(`?${id}`), `id kept: ${JSON.stringify(line)} -> ${r}`);
          // komi changes only to a decimal number written in the command. GTP splits on runs of
          // spaces (an empty word vanishes); lines with control characters or comments are left to
          // the framing checks above, since the engine strips those before splitting.
          const plain = words.every((w) => /^[\x21-\x22\x24-\x7e]*$/.test(w));
          const args = words.filter((w) => w.length > 0);
          if (plain && args[0] === 'komi' && r?.startsWith('=')) assert.equal(e.game.komi, parseDecimal(args[1]));
          if (plain && args[0] === 'komi' && r?.startsWith('?')) assert.equal(e.game.komi, komiBefore);
          if (e.quitRequested) break;
        }
      },
    ),
    params(0.3),
  );
});

test('fuzz GTP lines: any chunking of any bytes gives the lines of the text, bounded', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.array(fc.nat(), { maxLength: 6 }),
      fc.integer({ min: 1, max: 20 }),
      async (text, cuts, max) => {
        const bytes = Buffer.from(text, 'utf8');
        const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const chunks: Buffer[] = [];
        let from = 0;
        for (const c of [...at, bytes.length]) {
          chunks.push(bytes.subarray(from, c));
          from = c;
        }
        const got: { text: string; overflow: boolean }[] = [];
        for await (const l of boundedLines(Readable.from(chunks.filter((c) => c.length > 0)), max)) got.push(l);
        const want = text.split('\n');
        if (want[want.length - 1] === '') want.pop();
        assert.equal(got.length, want.length);
        got.forEach((l, i) => {
          const full = want[i]!.endsWith('\r') && want[i]!.length - 1 <= max ? want[i]!.slice(0, -1) : want[i]!;
          assert.equal(l.overflow, full.length > max, `line ${i}`);
          assert.ok(l.text.length <= max);
          assert.ok(full.startsWith(l.text) || want[i]!.startsWith(l.text));
        });
      },
    ),
    params(),
  );
});

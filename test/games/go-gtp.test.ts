import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GtpEngine, preprocess } from '../../src/games/go/gtp/engine.js';
import { RandomPlayer } from '../../src/games/go/players/random.js';
import { UctPlayer } from '../../src/games/go/players/uct.js';
import { splitCommandLine } from '../../src/node/go/gtp-client.js';
import { Rng } from '../../src/games/rng.js';
import { GTP_NUMBER_WORDS, GTP_WORDS } from './go-helpers.js';

const REQUIRED = [
  'protocol_version',
  'name',
  'version',
  'known_command',
  'list_commands',
  'boardsize',
  'clear_board',
  'komi',
  'play',
  'genmove',
  'undo',
  'showboard',
  'final_score',
  'final_status_list',
  'time_settings',
  'time_left',
  'quit',
];

test('GTP framing: ids, comments, CR, tabs, blank lines', async () => {
  const e = new GtpEngine({ size: 9 });
  assert.equal(await e.handle('protocol_version'), '= 2\n\n');
  assert.equal(await e.handle('7 name\r'), '=7 shinsou\n\n');
  assert.equal(await e.handle(''), null);
  assert.equal(await e.handle('   # just a comment'), null);
  assert.equal(await e.handle('12\tknown_command\tplay # trailing comment'), '=12 true\n\n');
  assert.equal(await e.handle('known_command frobnicate'), '= false\n\n');
  assert.equal(await e.handle('3 frobnicate'), '?3 unknown command\n\n');
  assert.equal(await e.handle('\x01boardsize 9\x7f'), '= \n\n');
  const list = (await e.handle('list_commands'))!;
  for (const c of REQUIRED) assert.ok(list.includes(`${c}\n`) || list.endsWith(`${c}\n\n`), `list_commands lacks ${c}`);
  assert.equal(preprocess('a\tb\r'), 'a b');
});

test('GTP commands: play, illegal moves, undo, boardsize, komi, scoring, time', async () => {
  const e = new GtpEngine({ size: 9 });
  assert.equal(await e.handle('boardsize 25'), '? unacceptable size\n\n');
  assert.equal(await e.handle('boardsize x'), '? syntax error: boardsize not an integer\n\n');
  assert.equal(await e.handle('boardsize 5'), '= \n\n');
  assert.equal(await e.handle('komi 0.5'), '= \n\n');
  assert.equal(await e.handle('komi abc'), '? syntax error: komi not a float\n\n');
  assert.equal(await e.handle('play black C3'), '= \n\n');
  assert.equal(await e.handle('play w C3'), '? illegal move\n\n');
  assert.equal(await e.handle('play w Z9'), '? syntax error: invalid color or coordinate\n\n');
  assert.equal(await e.handle('play purple C3'), '? syntax error: invalid color or coordinate\n\n');
  assert.equal(await e.handle('play w'), '? syntax error: invalid color or coordinate\n\n');
  assert.equal(await e.handle('play w pass'), '= \n\n');
  assert.equal(await e.handle('play b PASS'), '= \n\n');
  // Black alone on the board owns all 25 points.
  assert.equal(await e.handle('final_score'), '= B+24.5\n\n');
  assert.equal(await e.handle('final_status_list dead'), '= \n\n');
  assert.equal(await e.handle('final_status_list alive'), '= C3\n\n');
  assert.equal(await e.handle('final_status_list nonsense'), '? syntax error: expected alive, dead or seki\n\n');
  assert.equal(await e.handle('undo'), '= \n\n');
  assert.equal(await e.handle('undo'), '= \n\n');
  assert.equal(await e.handle('undo'), '= \n\n');
  assert.equal(await e.handle('undo'), '? cannot undo\n\n');
  assert.equal(await e.handle('list_stones black'), '= \n\n');
  assert.equal(await e.handle('time_settings 300 30 5'), '= \n\n');
  assert.deepEqual(e.timeSettings, [300, 30, 5]);
  assert.equal(await e.handle('time_settings 300'), '? syntax error: time_settings main_time byo_yomi_time byo_yomi_stones\n\n');
  assert.equal(await e.handle('time_left b 120 0'), '= \n\n');
  assert.equal(await e.handle('showboard'), `= \n${e.game.toString()}\n\n`);
  assert.equal(await e.handle('quit'), '= \n\n');
  assert.ok(e.quitRequested);
});

test('GTP genmove plays a legal move for the asked colour, with random and UCT players', async () => {
  for (const player of [new RandomPlayer({ seed: 3 }), new UctPlayer({ playouts: 200, seed: 3 })]) {
    const e = new GtpEngine({ size: 9, player });
    await e.handle('boardsize 7');
    for (let i = 0; i < 6; i++) {
      const color = i % 2 ? 'w' : 'b';
      const r = (await e.handle(`genmove ${color}`))!;
      assert.match(r, /^= ([A-HJ-Z][1-9]|pass|resign)\n\n$/);
      assert.equal(e.game.moves.length, i + 1);
      assert.equal(e.game.moves[i]!.color, i % 2 ? 2 : 1);
    }
    assert.equal(await e.handle('genmove purple'), '? syntax error: invalid color\n\n');
  }
});

test('GTP fuzz: random bytes and random command sequences always get a framed answer', async () => {
  const rng = new Rng(2024);
  const e = new GtpEngine({ size: 7, player: new RandomPlayer({ seed: 1 }), deadStonePlayouts: 20 });
  const framed = (r: string | null): void => {
    if (r === null) return;
    assert.match(r, /^[=?]\d*( [^\n]*)?(\n[^\n]+)*\n\n$|^[=?]\d* [\s\S]*\n\n$/);
    assert.ok(r.endsWith('\n\n'));
  };
  for (let i = 0; i < 1500; i++) {
    const len = rng.int(40);
    let s = '';
    for (let j = 0; j < len; j++) s += String.fromCharCode(rng.int(256));
    framed(await e.handle(s));
  }
  // 'quit' would end the engine's loop early: this test keeps it out of the words.
  const words = [...GTP_WORDS, ...GTP_NUMBER_WORDS].filter((w) => w !== 'quit');
  for (let i = 0; i < 1500; i++) {
    const n = 1 + rng.int(4);
    const parts: string[] = [];
    if (rng.int(3) === 0) parts.push(String(rng.int(1000)));
    for (let j = 0; j < n; j++) parts.push(words[rng.int(words.length)]!);
    const r = await e.handle(parts.join(' '));
    framed(r);
    assert.ok(!r || !r.includes('internal error'), `internal error for '${parts.join(' ')}': ${r}`);
  }
});

test('splitCommandLine handles quotes and escapes', () => {
  assert.deepEqual(splitCommandLine(`/usr/games/gnugo --mode gtp  --level 1`), ['/usr/games/gnugo', '--mode', 'gtp', '--level', '1']);
  assert.deepEqual(splitCommandLine(`node "my dir/main.js" 'a b' c\\ d`), ['node', 'my dir/main.js', 'a b', 'c d']);
  assert.throws(() => splitCommandLine('node "oops'), /unterminated " quote/);
});

test('GTP handicap and loadsgf', async () => {
  const { mkdtempSync, writeFileSync, readFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const e = new GtpEngine({ size: 19, readFile: (p) => readFileSync(p, 'utf8') });
  assert.equal(await new GtpEngine({ size: 9 }).handle('loadsgf x.sgf'), '? cannot load file\n\n', 'no file access without readFile');
  const r = (await e.handle('fixed_handicap 9'))!;
  // The GTP standard points, as GNU Go places them.
  assert.deepEqual(r.slice(2).trim().split(' ').sort(), 'D16 K16 Q16 D10 K10 Q10 D4 K4 Q4'.split(' ').sort());
  assert.equal(e.game.turn, 2, 'white moves after handicap');
  assert.equal(await e.handle('fixed_handicap 2'), '? board not empty\n\n');
  await e.handle('boardsize 8');
  assert.match((await e.handle('fixed_handicap 5'))!, /^\? invalid number of stones/);
  await e.handle('boardsize 9');
  assert.equal(await e.handle('set_free_handicap C3 G7 E5'), '= \n\n');
  assert.equal(e.game.setup.length, 3);
  await e.handle('clear_board');
  assert.equal(await e.handle('set_free_handicap C3 C3'), '? bad vertex list\n\n');
  const dir = mkdtempSync(join(tmpdir(), 'shinsou-gtp-'));
  const file = join(dir, 'g.sgf');
  writeFileSync(file, '(;SZ[7]KM[3.5];B[dd];W[cc];B[ee])');
  assert.equal(await e.handle(`loadsgf ${file} 3`), '= black\n\n');
  assert.equal(e.game.size, 7);
  assert.equal(e.game.komi, 3.5);
  assert.equal(e.game.moves.length, 2);
  assert.equal(await e.handle(`loadsgf ${file}`), '= white\n\n');
  assert.match((await e.handle(`loadsgf ${join(dir, 'missing.sgf')}`))!, /^\? cannot load file: .*missing\.sgf.*\n\n$/);
});

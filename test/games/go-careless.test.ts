// What a careless input must not break in the Go protocol and file readers: numbers in other
// notations, resign where a move belongs, endless files and lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { GtpEngine } from '../../src/games/go/gtp/engine.js';
import { serveGtp, boundedLines } from '../../src/node/go/gtp-serve.js';
import { readSgf, parseSgfMainLine } from '../../src/games/go/sgf.js';
import { parseDecimal, parseInteger } from '../../src/games/numbers.js';
import { READ_LIMITS, readTextFileLimited, readFileLimited } from '../../src/node/files.js';

test('numbers: decimal notation only (no 0x10, 1e1, blank, Infinity)', () => {
  for (const [t, v] of [
    ['6.5', 6.5],
    ['-3', -3],
    ['.5', 0.5],
    ['7.', 7],
    ['+0', 0],
    ['0010', 10],
  ] as const)
    assert.equal(parseDecimal(t), v, t);
  for (const t of ['0x10', '1e1', '', ' ', 'Infinity', 'NaN', '0b1', '1_000', '6,5', '1'.repeat(400), undefined])
    assert.equal(parseDecimal(t), null, String(t));
  for (const t of ['1.0', '0x10', '1e3', '', '9007199254740993']) assert.equal(parseInteger(t), null, t);
  assert.equal(parseInteger('-42'), -42);
});

test('GTP: komi, time and handicap numbers in other notations are syntax errors', async () => {
  const e = new GtpEngine({ size: 9 });
  for (const k of ['0x10', '1e1', 'Infinity', '0b11']) assert.equal(await e.handle(`komi ${k}`), '? syntax error: komi not a float\n\n', k);
  assert.equal(e.game.komi, 7.5, 'komi unchanged');
  assert.equal(await e.handle('komi -0.5'), '= \n\n');
  assert.equal(e.game.komi, -0.5);
  assert.match((await e.handle('time_settings 0x10 0 0'))!, /^\? syntax error: time_settings/);
  assert.match((await e.handle('time_left b 1e3 0'))!, /^\? syntax error: time_left/);
  assert.match((await e.handle('time_left b 10 -1'))!, /^\? syntax error: time_left/);
  assert.match((await e.handle('fixed_handicap 0x2'))!, /^\? syntax error: number of stones/);
  assert.match((await e.handle('loadsgf x.sgf 1.5'))!, /^\? cannot load file/, 'no reader: fails before the move number');
});

test('GTP: play <color> resign is refused (resign is a genmove answer), later moves still play', async () => {
  const e = new GtpEngine({ size: 9 });
  assert.equal(await e.handle('play black resign'), '? syntax error: resign is not a move (play takes a vertex or pass)\n\n');
  assert.equal(e.game.resigned, 0);
  assert.equal(await e.handle('play black C3'), '= \n\n');
  assert.equal(await e.handle('play white D4'), '= \n\n');
});

test('GTP loadsgf: an endless file is refused naming the limit; a bad move number is a syntax error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shinsou-careless-'));
  const sgf = join(dir, 'g.sgf');
  writeFileSync(sgf, '(;SZ[7]KM[3.5];B[dd];W[cc])');
  const e = new GtpEngine({ size: 9, readFile: (p) => readTextFileLimited(p, READ_LIMITS.sgf, 'SGF') });
  assert.equal(await e.handle(`loadsgf ${sgf} 0x2`), '? syntax error: move_number\n\n');
  if (existsSync('/dev/zero')) {
    assert.match(
      (await e.handle('loadsgf /dev/zero'))!,
      /^\? cannot load file: SGF \/dev\/zero: read more than 16777216 bytes, over the limit of 16 MiB for SGF files/,
    );
  }
  const big = join(dir, 'big.sgf');
  writeFileSync(big, Buffer.alloc(2048, 0x20));
  assert.throws(
    () => readFileLimited(big, 1024, 'SGF'),
    /SGF .*big\.sgf: the file is 2048 bytes, over the limit of 1 KiB for SGF files \(pass a larger maxBytes/,
  );
  assert.equal(readFileLimited(big, 2048, 'SGF').length, 2048);
  assert.throws(() => readFileLimited(dir, 10, 'SGF'), /is a directory/);
});

test(
  'shinsou gtp: loadsgf /dev/zero answers a failure quickly and the engine keeps serving',
  { skip: !existsSync('/dev/zero') },
  async () => {
    const cli = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
    const child = spawn(process.execPath, [cli, 'gtp', '--player', 'random', '--size', '9'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (out += d));
    child.stdin.end('1 loadsgf /dev/zero\n2 play b C3\n3 quit\n');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 0);
    assert.match(out, /^\?1 cannot load file: SGF \/dev\/zero: .*16 MiB/);
    assert.match(out, /\n=2 \n\n=3 \n\n$/);
  },
);

test('GTP serve: an endless line is answered as too long, in bounded memory, and serving goes on', async () => {
  const e = new GtpEngine({ size: 9 });
  // 8 MiB without a newline, then a command: only the first 64 characters are ever held.
  function* chunks(): Generator<Buffer> {
    yield Buffer.from('7 komi ');
    for (let k = 0; k < 128; k++) yield Buffer.alloc(65536, 0x31);
    yield Buffer.from('\nname\n');
  }
  let out = '';
  const sink = new (await import('node:stream')).Writable({
    write(c, _e, cb) {
      out += String(c);
      cb();
    },
  });
  await serveGtp(e, Readable.from(chunks()), sink, 64);
  assert.equal(out, '?7 line too long (over 64 characters)\n\n= shinsou\n\n');
  // Lines: CRLF, a last line without LF, multi-byte characters split across chunks.
  const lines: string[] = [];
  const bytes = Buffer.from('a\r\nb深\nc');
  for await (const l of boundedLines(Readable.from([bytes.subarray(0, 5), bytes.subarray(5)]), 10)) lines.push(l.text);
  assert.deepEqual(lines, ['a', 'b深', 'c']);
});

test('SGF: deep nesting is no stack overflow, numbers are strict, sizes agree', () => {
  const depth = 200_000;
  const deep = '(;SZ[9]' + '(;B[aa]'.repeat(depth) + ')'.repeat(depth) + ')';
  assert.equal(parseSgfMainLine(deep).length, depth + 1);
  assert.throws(() => parseSgfMainLine('(;SZ[9]' + '('.repeat(depth)), /SGF parse error at byte offset \d+/);
  assert.throws(() => readSgf('(;SZ[9]KM[0x10])'), /SGF: bad komi KM\[0x10\]/);
  assert.throws(() => readSgf('(;SZ[0x9])'), /unsupported board size SZ\[0x9\]/);
  assert.throws(() => readSgf('(;SZ[9:13])'), /unsupported board size SZ\[9:13\]/);
  assert.throws(() => readSgf('(;SZ[9]HA[two])'), /SGF: bad handicap HA\[two\]/);
  assert.equal(readSgf('(;SZ[9:9]KM[ 6.5 ])').info.komi, 6.5);
  assert.equal(readSgf('(;SZ[9]KM[])').info.komi, 0);
});

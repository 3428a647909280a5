// Shared helpers for the Go tests: a brute-force oracle for the incremental board state.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { GoBoard, BLACK, WHITE, EMPTY } from '../../src/games/go/board.js';
import { ZOBRIST, combineHash } from '../../src/games/go/zobrist.js';

/**
 * Recomputes groups, liberties and the hash from the stone colours alone and asserts that the
 * board's incremental bookkeeping agrees: same group partition, pseudo-liberty count, atari flag
 * and liberty point in atari, empty list, and Zobrist hash.
 */
export function checkBoardInvariants(b: GoBoard): void {
  const s = b.stride;
  let lo = 0;
  let hi = 0;
  const empties = new Set<number>();
  for (let p = 0; p < b.area; p++) {
    const c = b.color[p]!;
    if (c === EMPTY) empties.add(p);
    if (c !== BLACK && c !== WHITE) continue;
    const k = (p * 2 + (c - 1)) * 2;
    lo ^= ZOBRIST[k]!;
    hi ^= ZOBRIST[k + 1]!;
    // Flood-fill the group of p.
    const group = new Set<number>([p]);
    const stack = [p];
    while (stack.length) {
      const q = stack.pop()!;
      for (const r of [q - s, q - 1, q + 1, q + s]) {
        if (b.color[r] === c && !group.has(r)) {
          group.add(r);
          stack.push(r);
        }
      }
    }
    const libs = new Set<number>();
    let pseudo = 0;
    for (const q of group) {
      assert.equal(b.gid[q], b.gid[p], `stones ${p} and ${q} are connected but have different group ids`);
      for (const r of [q - s, q - 1, q + 1, q + s]) {
        if (b.color[r] === EMPTY) {
          libs.add(r);
          pseudo++;
        }
      }
    }
    const g = b.gid[p]!;
    assert.ok(libs.size > 0, `group at ${p} has no liberties`);
    assert.equal(b.libs[g], pseudo, `pseudo-liberties of group at ${p}`);
    assert.equal(b.groupSize[g], group.size, `size of group at ${p}`);
    assert.equal(b.inAtari(g), libs.size === 1, `atari flag of group at ${p}`);
    if (libs.size === 1) assert.equal(b.atariPoint(g), [...libs][0]);
    assert.equal(b.liberties(p), libs.size);
    assert.deepEqual(new Set(b.groupStones(p)), group);
  }
  assert.equal(b.emptyCount, empties.size, 'empty count');
  for (let i = 0; i < b.emptyCount; i++) {
    const p = b.empties[i]!;
    assert.ok(empties.has(p), `empty list holds ${p}, which is not empty`);
    assert.equal(b.emptyIndex[p], i);
  }
  assert.equal(b.hash, combineHash(lo, hi), 'Zobrist hash');
}

/** GNU Go's binary: /usr/games/gnugo (Debian) or on PATH; null when not installed. */
export function findGnuGo(): string | null {
  if (existsSync('/usr/games/gnugo')) return '/usr/games/gnugo';
  try {
    return execFileSync('sh', ['-c', 'command -v gnugo'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

/** Words that random GTP lines are made of, in the hand-rolled and the fast-check fuzz tests: commands, colours, vertices... */
export const GTP_WORDS = [
  'play',
  'genmove',
  'undo',
  'boardsize',
  'komi',
  'clear_board',
  'final_score',
  'final_status_list',
  'showboard',
  'known_command',
  'time_left',
  'time_settings',
  'list_stones',
  'printsgf',
  'fixed_handicap',
  'set_free_handicap',
  'place_free_handicap',
  'loadsgf',
  'quit',
  'b',
  'w',
  'black',
  'white',
  'pass',
  'PASS',
  'resign',
  'dead',
  'alive',
  'seki',
  'A1',
  'C3',
  'E5',
  'G7',
  'H8',
  'J9',
  'I5',
  'Z0',
  'T19',
] as const;

/** ...and the numbers and separators between them, in notations GTP must accept or refuse. */
export const GTP_NUMBER_WORDS = [
  '5',
  '7',
  '9',
  '19',
  '-1',
  '0',
  '6.5',
  '0x10',
  '1e1',
  '.5',
  'nan',
  'Infinity',
  '99999999999999999999',
  '#',
  '\t',
  '\r',
] as const;

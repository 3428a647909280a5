import { type Color, EMPTY, BLACK, WHITE, GoBoard } from './board.js';
import type { Rng } from '../rng.js';

/**
 * Plays one uniformly random legal move for colour c that does not fill one of c's own eyes, or
 * passes when there is none. Returns the point played, or 0 for a pass.
 *
 * Picks a random start in the empty-point list and scans from there, so a move costs O(1) in
 * the common case and the scan never allocates.
 */
export function playRandomMove(board: GoBoard, c: Color, rng: Rng): number {
  const n = board.emptyCount;
  if (n === 0) {
    board.pass();
    return 0;
  }
  const empties = board.empties;
  const start = rng.int(n);
  for (let i = start; i < n; i++) {
    const p = empties[i]!;
    if (!board.isEye(p, c) && board.isLegal(p, c)) {
      board.play(p, c);
      return p;
    }
  }
  for (let i = 0; i < start; i++) {
    const p = empties[i]!;
    if (!board.isEye(p, c) && board.isLegal(p, c)) {
      board.play(p, c);
      return p;
    }
  }
  board.pass();
  return 0;
}

/**
 * Plays random moves (see {@link playRandomMove}) from the current position, `toPlay` first,
 * until both sides pass in a row or `maxMoves` moves were made. Returns the final area score
 * black minus white, without komi (see {@link playoutScore}). Mutates `board`.
 */
export function randomPlayout(board: GoBoard, toPlay: Color, rng: Rng, maxMoves = board.size * board.size * 3): number {
  let c = toPlay;
  let passes = 0;
  for (let m = 0; m < maxMoves && passes < 2; m++) {
    passes = playRandomMove(board, c, rng) === 0 ? passes + 1 : 0;
    c = (3 - c) as Color;
  }
  return playoutScore(board);
}

/**
 * Area score (black minus white, no komi) of a finished playout: stones plus empty points whose
 * four neighbours all have one colour. At the end of a playout every empty point is such an eye
 * (or a dame/seki point counted for nobody), so this equals Tromp-Taylor scoring there while
 * avoiding a flood fill; use {@link areaScore} for arbitrary positions.
 */
export function playoutScore(board: GoBoard): number {
  const color = board.color;
  const s = board.stride;
  let score = 0;
  for (let y = 1; y <= board.size; y++) {
    for (let p = y * s + 1, end = p + board.size; p < end; p++) {
      const c = color[p]!;
      if (c === BLACK) score++;
      else if (c === WHITE) score--;
      else if (c === EMPTY) {
        const hasB = color[p - s] === BLACK || color[p - 1] === BLACK || color[p + 1] === BLACK || color[p + s] === BLACK;
        const hasW = color[p - s] === WHITE || color[p - 1] === WHITE || color[p + 1] === WHITE || color[p + s] === WHITE;
        if (hasB && !hasW && !hasEmpty(color, p, s)) score++;
        else if (hasW && !hasB && !hasEmpty(color, p, s)) score--;
      }
    }
  }
  return score;
}

function hasEmpty(color: Uint8Array, p: number, s: number): boolean {
  return color[p - s] === EMPTY || color[p - 1] === EMPTY || color[p + 1] === EMPTY || color[p + s] === EMPTY;
}

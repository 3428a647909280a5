import { type Color, GoBoard } from './board.js';

/** Ladders longer than this many moves are assumed to escape (bounds the reading). */
export const LADDER_DEPTH = 100;

/**
 * Simple ladder reader. The group containing the stone at `prey` has exactly one liberty and its
 * owner is to move. Returns true when every way out (extending at the liberty, or capturing an
 * adjacent attacker group that is in atari) still ends in capture, with the attacker answering
 * each extension that leaves two liberties by an atari on one of them.
 */
export function isLadderCaptured(board: GoBoard, prey: number, depth = LADDER_DEPTH): boolean {
  if (depth <= 0) return false;
  const c = board.color[prey]! as Color;
  const libs = board.libertyPoints(prey);
  if (libs.length !== 1) return libs.length === 0;
  for (const m of escapeMoves(board, prey, libs[0]!)) {
    if (!board.isLegal(m, c)) continue;
    const b = board.clone();
    b.play(m, c);
    const n = b.liberties(prey);
    if (n >= 3) return false;
    if (n === 2 && !attackerCaptures(b, prey, depth - 1)) return false;
    // n == 1: this escape fails (the attacker captures next move); try the next one.
  }
  return true;
}

/**
 * The group at `prey` has two liberties and the attacker is to move. Returns true when an atari on
 * one of them leads to a ladder capture.
 */
export function attackerCaptures(board: GoBoard, prey: number, depth = LADDER_DEPTH): boolean {
  if (depth <= 0) return false;
  const attacker = (3 - board.color[prey]!) as Color;
  for (const a of board.libertyPoints(prey)) {
    if (!board.isLegal(a, attacker)) continue;
    const b = board.clone();
    b.play(a, attacker);
    // A self-atari by the attacker that the prey could capture is handled by escapeMoves.
    if (b.liberties(prey) === 1 && isLadderCaptured(b, prey, depth - 1)) return true;
  }
  return false;
}

/** The prey's candidate moves: capture an adjacent attacker group in atari, or extend. */
function escapeMoves(board: GoBoard, prey: number, liberty: number): number[] {
  const out: number[] = [];
  const attacker = 3 - board.color[prey]!;
  const s = board.stride;
  for (const q of board.groupStones(prey)) {
    for (const r of [q - s, q - 1, q + 1, q + s]) {
      if (board.color[r] === attacker && board.inAtari(board.gid[r]!)) {
        const at = board.atariPoint(board.gid[r]!);
        if (!out.includes(at)) out.push(at);
      }
    }
  }
  if (!out.includes(liberty)) out.push(liberty);
  return out;
}

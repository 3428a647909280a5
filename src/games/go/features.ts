import { type Color, BLACK, EMPTY, GoBoard } from './board.js';
import type { GoGame } from './game.js';
import { HISTORY_LENGTH } from './game.js';
import { isLadderCaptured, attackerCaptures } from './ladder.js';

/**
 * Number of AlphaGo Zero input planes: 8 past positions of the player to move's stones, 8 of the
 * opponent's, and one plane that is all ones when black is to move.
 */
export const ALPHAGO_ZERO_PLANES = 17;

/**
 * AlphaGo Zero input features, Float32Array laid out [17, N, N] (row 0 is the top row, as in
 * {@link GoBoard.toString}):
 * - planes 0..7: stones of the player to move at times t, t-1, ..., t-7 (1 where a stone stood);
 * - planes 8..15: stones of the opponent at times t, t-1, ..., t-7;
 * - plane 16: all ones if black is to move, all zeros if white is.
 * Times before the start of the game are all-zero planes.
 */
export function alphaGoZeroFeatures(game: GoGame): Float32Array {
  const n = game.size;
  const area = n * n;
  const out = new Float32Array(ALPHAGO_ZERO_PLANES * area);
  const own = game.turn;
  const b = game.board;
  for (let t = 0; t < HISTORY_LENGTH && t < game.recent.length; t++) {
    const colors = game.recent[t]!;
    for (let a = 0; a < area; a++) {
      const c = colors[b.pointOf(a)];
      if (c === own) out[t * area + a] = 1;
      else if (c === 3 - own) out[(HISTORY_LENGTH + t) * area + a] = 1;
    }
  }
  if (own === BLACK) out.fill(1, 16 * area, 17 * area);
  return out;
}

/** Number of AlphaGo (Lee Sedol version) policy-network input planes (Extended Data Table 2). */
export const ALPHAGO_PLANES = 48;

/**
 * Plane offsets of {@link alphaGoFeatures}, in order. Counts with 8 planes are one-hot with the
 * last plane meaning "this many or more".
 */
export const ALPHAGO_PLANE_LAYOUT = {
  /** 0: stone of the player to move, 1: opponent stone, 2: empty. */
  stoneColour: 0,
  /** All ones. */
  ones: 3,
  /** Stones: moves since the stone was played, 1..8+ (setup stones count from before move 1). */
  turnsSince: 4,
  /** Stones: liberties of their group, 1..8+. */
  liberties: 12,
  /** Legal moves: opponent stones this move would capture, 0..7+. */
  captureSize: 20,
  /** Legal moves: size of own group left in atari by this move, 1..8+ (all zero if not self-atari). */
  selfAtariSize: 28,
  /** Legal moves: liberties of the own group after this move, 1..8+. */
  libertiesAfter: 36,
  /** Legal moves: this move starts a ladder that captures an opponent group. */
  ladderCapture: 44,
  /** Legal moves: this move extends an own group in atari out of a ladder. */
  ladderEscape: 45,
  /** Legal moves that do not fill the mover's own eye. */
  sensibleness: 46,
  /** All zeros. */
  zeros: 47,
} as const;

/**
 * AlphaGo hand-crafted input features (Silver et al. 2016, Extended Data Table 2), Float32Array
 * laid out [48, N, N], from the point of view of the player to move; plane order in
 * {@link ALPHAGO_PLANE_LAYOUT}. Move features are filled only at legal moves (superko included).
 * Costs one board copy per empty point plus ladder reading, fine for data generation but not for
 * playouts.
 */
export function alphaGoFeatures(game: GoGame): Float32Array {
  const L = ALPHAGO_PLANE_LAYOUT;
  const n = game.size;
  const area = n * n;
  const out = new Float32Array(ALPHAGO_PLANES * area);
  const b = game.board;
  const me = game.turn;
  const opp = (3 - me) as Color;
  const set = (plane: number, a: number): void => {
    out[plane * area + a] = 1;
  };
  const bucket = (v: number, lo: number): number => Math.min(v - lo, 7);
  const scratch = new GoBoard(n, { allowSuicide: b.allowSuicide });
  const libCache = new Map<number, number>();
  out.fill(1, L.ones * area, (L.ones + 1) * area);
  for (let a = 0; a < area; a++) {
    const p = b.pointOf(a);
    const c = b.color[p];
    if (c === EMPTY) {
      set(L.stoneColour + 2, a);
      if (!game.isLegalMove(me, a)) continue;
      scratch.copyFrom(b);
      const captured = scratch.play(p, me);
      set(L.captureSize + Math.min(captured, 7), a);
      const libsAfter = scratch.liberties(p);
      set(L.libertiesAfter + bucket(libsAfter, 1), a);
      if (libsAfter === 1) set(L.selfAtariSize + bucket(scratch.groupSize[scratch.gid[p]!]!, 1), a);
      if (!b.isEye(p, me)) set(L.sensibleness, a);
      if (ladderCapture(b, scratch, p, opp)) set(L.ladderCapture, a);
      if (ladderEscape(b, scratch, p, me, libsAfter)) set(L.ladderEscape, a);
      continue;
    }
    set(L.stoneColour + (c === me ? 0 : 1), a);
    const since = game.moves.length - game.placedAt[p]! + 1;
    set(L.turnsSince + bucket(Math.max(since, 1), 1), a);
    const g = b.gid[p]!;
    let libs = libCache.get(g);
    if (libs === undefined) {
      libs = b.liberties(p);
      libCache.set(g, libs);
    }
    set(L.liberties + bucket(libs, 1), a);
  }
  return out;
}

/** After our move at p (board `after`), is some adjacent opponent group in atari and caught in a ladder? */
function ladderCapture(before: GoBoard, after: GoBoard, p: number, opp: Color): boolean {
  const s = before.stride;
  for (const q of [p - s, p - 1, p + 1, p + s]) {
    if (after.color[q] === opp && after.inAtari(after.gid[q]!) && isLadderCaptured(after, q)) return true;
  }
  return false;
}

/**
 * Was an own group next to p in atari before the move, and does the group now containing p escape
 * the ladder (3+ liberties, or 2 that no atari can ladder)?
 */
function ladderEscape(before: GoBoard, after: GoBoard, p: number, me: Color, libsAfter: number): boolean {
  const s = before.stride;
  let wasInAtari = false;
  for (const q of [p - s, p - 1, p + 1, p + s]) {
    if (before.color[q] === me && before.inAtari(before.gid[q]!)) wasInAtari = true;
  }
  if (!wasInAtari) return false;
  if (libsAfter >= 3) return true;
  if (libsAfter <= 1) return false;
  return !attackerCaptures(after, p);
}

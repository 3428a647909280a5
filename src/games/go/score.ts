import { type Color, EMPTY, BLACK, WHITE, BORDER, GoBoard } from './board.js';
import { Rng } from '../rng.js';
import { randomPlayout } from './playout.js';

/** An area (Tromp-Taylor) score. */
export interface AreaScore {
  /** Black stones plus empty points reaching only black. */
  black: number;
  /** White stones plus empty points reaching only white. */
  white: number;
  /** `black - white - komi`: positive means black wins. */
  score: number;
}

/** A territory (Japanese-style) score, for reporting. */
export interface TerritoryScore {
  /** Empty points (and dead enemy stones' points) surrounded by black only. */
  blackTerritory: number;
  whiteTerritory: number;
  /** Prisoners taken by each side: captures during the game plus dead stones. */
  blackPrisoners: number;
  whitePrisoners: number;
  /** `(blackTerritory + blackPrisoners) - (whiteTerritory + whitePrisoners) - komi`. */
  score: number;
}

/**
 * Owner of each point under Tromp-Taylor after removing `dead` stones: a stone's point belongs to
 * its colour; an empty region belongs to a colour when it reaches stones of that colour only.
 * Returns an array indexed by padded point: BLACK, WHITE or EMPTY (neutral or border).
 */
export function ownership(board: GoBoard, dead: Iterable<number> = []): Uint8Array {
  const color = Uint8Array.from(board.color);
  for (const p of dead) if (color[p] === BLACK || color[p] === WHITE) color[p] = EMPTY;
  const owner = new Uint8Array(board.area);
  const seen = new Uint8Array(board.area);
  const s = board.stride;
  const stack: number[] = [];
  const region: number[] = [];
  for (let p = 0; p < board.area; p++) {
    const c = color[p]!;
    if (c === BLACK || c === WHITE) owner[p] = c;
    if (c !== EMPTY || seen[p]) continue;
    // Flood fill one empty region, noting which colours it touches.
    let reach = 0;
    region.length = 0;
    stack.push(p);
    seen[p] = 1;
    while (stack.length) {
      const q = stack.pop()!;
      region.push(q);
      for (const r of [q - s, q - 1, q + 1, q + s]) {
        const cr = color[r]!;
        if (cr === EMPTY) {
          if (!seen[r]) {
            seen[r] = 1;
            stack.push(r);
          }
        } else if (cr !== BORDER) reach |= cr;
      }
    }
    if (reach === BLACK || reach === WHITE) for (const q of region) owner[q] = reach;
  }
  return owner;
}

/**
 * Tromp-Taylor area score with komi, after removing the `dead` stones (padded point indices).
 * With no dead list this is the strict Tromp-Taylor result.
 */
export function areaScore(board: GoBoard, komi: number, dead: Iterable<number> = []): AreaScore {
  const owner = ownership(board, dead);
  let black = 0;
  let white = 0;
  for (let p = 0; p < board.area; p++) {
    if (owner[p] === BLACK) black++;
    else if (owner[p] === WHITE) white++;
  }
  return { black, white, score: black - white - komi };
}

/**
 * Territory score: surrounded empty points plus prisoners (captured during the game, as recorded
 * by the board, plus the dead stones). Points of dead stones count as territory of the side that
 * surrounds them. Seki subtleties of Japanese rules (eyes in seki are not territory) are not
 * modelled: an empty region reaching both colours is neutral, one reaching one colour counts.
 */
export function territoryScore(board: GoBoard, komi: number, dead: Iterable<number> = []): TerritoryScore {
  const deadList = [...dead];
  const owner = ownership(board, deadList);
  let blackTerritory = 0;
  let whiteTerritory = 0;
  for (let p = 0; p < board.area; p++) {
    if (board.color[p] === BLACK || board.color[p] === WHITE) {
      if (!deadList.includes(p)) continue;
    }
    if (owner[p] === BLACK) blackTerritory++;
    else if (owner[p] === WHITE) whiteTerritory++;
  }
  let deadBlack = 0;
  let deadWhite = 0;
  for (const p of deadList) {
    if (board.color[p] === BLACK) deadBlack++;
    else if (board.color[p] === WHITE) deadWhite++;
  }
  const blackPrisoners = board.prisoners[BLACK]! + deadWhite;
  const whitePrisoners = board.prisoners[WHITE]! + deadBlack;
  return {
    blackTerritory,
    whiteTerritory,
    blackPrisoners,
    whitePrisoners,
    score: blackTerritory + blackPrisoners - (whiteTerritory + whitePrisoners) - komi,
  };
}

/** Options for {@link estimateDead}. */
export interface DeadStoneOptions {
  /** Random playouts to average over. Default 200. */
  playouts?: number;
  /** Seed of the playouts. Default 1. */
  seed?: number;
  /**
   * A stone is declared dead when the opponent owns its point at the end of more than this
   * fraction of playouts. Default 0.5.
   */
  threshold?: number;
}

/**
 * Estimates dead stones by random playouts (the usual Monte Carlo ownership estimate): plays
 * `playouts` random games from the position and declares dead every stone whose point ends up
 * owned by the opponent in most of them. Returns the dead points and each point's black ownership
 * in [-1, 1] (+1 always black, -1 always white), indexed by padded point.
 */
export function estimateDead(board: GoBoard, toPlay: Color, options: DeadStoneOptions = {}): { dead: number[]; ownership: Float32Array } {
  const playouts = options.playouts ?? 200;
  const threshold = options.threshold ?? 0.5;
  const rng = new Rng(options.seed ?? 1);
  const blackOwned = new Uint32Array(board.area);
  const whiteOwned = new Uint32Array(board.area);
  const scratch = board.clone();
  for (let i = 0; i < playouts; i++) {
    scratch.copyFrom(board);
    randomPlayout(scratch, toPlay, rng);
    const o = ownership(scratch);
    for (let p = 0; p < board.area; p++) {
      if (o[p] === BLACK) blackOwned[p]! += 1;
      else if (o[p] === WHITE) whiteOwned[p]! += 1;
    }
  }
  const dead: number[] = [];
  const own = new Float32Array(board.area);
  for (let p = 0; p < board.area; p++) {
    own[p] = (blackOwned[p]! - whiteOwned[p]!) / playouts;
    const c = board.color[p];
    if (c === BLACK && whiteOwned[p]! / playouts > threshold) dead.push(p);
    else if (c === WHITE && blackOwned[p]! / playouts > threshold) dead.push(p);
  }
  return { dead, ownership: own };
}

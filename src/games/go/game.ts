import type { Game } from '../game.js';
import { type Color, BLACK, WHITE, GoBoard } from './board.js';
import { areaScore, type AreaScore } from './score.js';
import { actionToVertex } from './coords.js';

/** Options for {@link GoGame}. */
export interface GoGameOptions {
  /** Board size, 5..19. Default 19. */
  size?: number;
  /** Points given to white. Default 7.5. */
  komi?: number;
  /** Forbid recreating any earlier board position (positional superko). Default true. */
  superko?: boolean;
  /** Allow multi-stone suicide. Default false. */
  allowSuicide?: boolean;
}

/** One move of the record: the colour and the action (`size * size` = pass). */
export interface GoMove {
  color: Color;
  action: number;
}

/** How many past positions the game keeps for network input features (AlphaGo Zero uses 8). */
export const HISTORY_LENGTH = 8;

/**
 * A game of Go: a {@link GoBoard} plus the rules that need history (whose turn, passes,
 * positional superko, resignation, the move record, undo) and scoring with komi.
 *
 * Implements {@link Game}: actions are `y * size + x` and `size * size` is pass; player 0 is
 * black. Resignation is not an action (a search never chooses it); call {@link resign}.
 */
export class GoGame implements Game<GoGame> {
  readonly size: number;
  readonly komi: number;
  readonly superko: boolean;
  readonly allowSuicide: boolean;
  readonly actionCount: number;
  /** The current position. Treat as read-only; change it through this class. */
  board: GoBoard;
  /** Colour to move. */
  turn: Color = BLACK;
  /** Consecutive passes just played. */
  passes = 0;
  /** The colour that resigned, or 0. */
  resigned: 0 | Color = 0;
  /** Setup stones (handicap, SGF AB/AW) placed before the first move, as (colour, action). */
  readonly setup: GoMove[] = [];
  /** The moves played, in order. */
  readonly moves: GoMove[] = [];
  /**
   * The last {@link HISTORY_LENGTH} board colour arrays (padded layout), newest first; entry 0
   * is the current position. Snapshots are immutable, so clones share them.
   */
  recent: Uint8Array[] = [];
  /** Per padded point: the move number (1-based) at which its stone was placed, 0 for setup. */
  placedAt: Int32Array;
  private seen: Set<number>;

  constructor(options: GoGameOptions = {}) {
    this.size = options.size ?? 19;
    this.komi = options.komi ?? 7.5;
    this.superko = options.superko ?? true;
    this.allowSuicide = options.allowSuicide ?? false;
    if (!Number.isFinite(this.komi)) throw new RangeError(`GoGame: komi must be a finite number, got ${this.komi}`);
    this.board = new GoBoard(this.size, { allowSuicide: this.allowSuicide });
    this.actionCount = this.size * this.size + 1;
    this.placedAt = new Int32Array(this.board.area);
    this.seen = new Set([this.board.hash]);
    this.recent = [this.board.color.slice()];
  }

  /** The pass action. */
  get passAction(): number {
    return this.size * this.size;
  }

  /** Player to move as 0 (black) or 1 (white). */
  get toPlay(): 0 | 1 {
    return this.turn === BLACK ? 0 : 1;
  }

  /**
   * Places a setup stone (handicap or SGF AB/AW) before any move. Captures are resolved as for a
   * move, but the turn does not change.
   */
  placeSetupStone(color: Color, action: number): void {
    if (this.moves.length) throw new Error('GoGame.placeSetupStone: setup stones must come before the first move');
    const p = this.board.pointOf(action);
    if (this.board.color[p] !== 0) throw new Error(`GoGame.placeSetupStone: ${actionToVertex(action, this.size)} is occupied`);
    this.board.play(p, color);
    this.board.ko = 0;
    this.setup.push({ color, action });
    this.seen.add(this.board.hash);
    this.recent = [this.board.color.slice()];
  }

  /** Whether `color` may play `action` now (pass is always legal while the game is on). */
  isLegalMove(color: Color, action: number): boolean {
    if (!Number.isInteger(action) || action < 0 || action > this.passAction) return false;
    if (action === this.passAction) return true;
    const p = this.board.pointOf(action);
    if (!this.board.isLegal(p, color)) return false;
    return !this.superko || !this.seen.has(this.board.hashAfter(p, color));
  }

  isLegal(action: number): boolean {
    return !this.isTerminal() && this.isLegalMove(this.turn, action);
  }

  legalActions(): number[] {
    if (this.isTerminal()) return [];
    const out: number[] = [];
    for (let a = 0; a < this.passAction; a++) if (this.isLegalMove(this.turn, a)) out.push(a);
    out.push(this.passAction);
    return out;
  }

  play(action: number): void {
    this.playMove(this.turn, action);
  }

  /**
   * Plays `action` for `color` (GTP lets either colour move at any time; the turn passes to the
   * opponent of `color`). Throws an Error naming the move when it is illegal.
   */
  playMove(color: Color, action: number): void {
    if (this.resigned) throw new Error('GoGame.play: the game is over (resignation)');
    if (!this.isLegalMove(color, action)) {
      const who = color === BLACK ? 'black' : 'white';
      throw new Error(
        `GoGame.play: illegal move ${who} ${Number.isInteger(action) && action >= 0 && action <= this.passAction ? actionToVertex(action, this.size) : String(action)}`,
      );
    }
    if (action === this.passAction) {
      this.board.pass();
      this.passes++;
    } else {
      const p = this.board.pointOf(action);
      this.board.play(p, color);
      this.passes = 0;
      this.placedAt[p] = this.moves.length + 1;
      this.seen.add(this.board.hash);
    }
    this.moves.push({ color, action });
    this.turn = (3 - color) as Color;
    this.recent = [this.board.color.slice(), ...this.recent.slice(0, HISTORY_LENGTH - 1)];
  }

  /** Records a resignation by `color`; the game is then over. */
  resign(color: Color): void {
    this.resigned = color;
  }

  /**
   * Takes back the last move by replaying the record without it. Returns false when there is no
   * move to take back. O(moves), which is fine for GTP `undo`.
   */
  undo(): boolean {
    if (this.moves.length === 0) return false;
    const moves = this.moves.slice(0, -1);
    const setup = this.setup.slice();
    this.reset();
    for (const s of setup) this.placeSetupStone(s.color, s.action);
    for (const m of moves) this.playMove(m.color, m.action);
    return true;
  }

  /** Clears the board and the record (keeps size, komi and rules). */
  reset(): void {
    this.board.clear();
    this.turn = BLACK;
    this.passes = 0;
    this.resigned = 0;
    this.setup.length = 0;
    this.moves.length = 0;
    this.placedAt.fill(0);
    this.seen = new Set([this.board.hash]);
    this.recent = [this.board.color.slice()];
  }

  /** Two passes in a row, or a resignation. */
  isTerminal(): boolean {
    return this.passes >= 2 || this.resigned !== 0;
  }

  /** Tromp-Taylor area score with komi after removing `dead` stones (padded point indices). */
  score(dead: Iterable<number> = []): AreaScore {
    return areaScore(this.board, this.komi, dead);
  }

  /** The winner: by resignation, else by area score (0 for a jigo). */
  winner(dead: Iterable<number> = []): 0 | Color {
    if (this.resigned) return (3 - this.resigned) as Color;
    const s = this.score(dead).score;
    return s > 0 ? BLACK : s < 0 ? WHITE : 0;
  }

  result(player: 0 | 1): number {
    const w = this.winner();
    if (w === 0) return 0;
    return (w === BLACK) === (player === 0) ? 1 : -1;
  }

  clone(): GoGame {
    const g = new GoGame({ size: this.size, komi: this.komi, superko: this.superko, allowSuicide: this.allowSuicide });
    g.board.copyFrom(this.board);
    g.turn = this.turn;
    g.passes = this.passes;
    g.resigned = this.resigned;
    g.setup.push(...this.setup);
    g.moves.push(...this.moves);
    g.recent = this.recent.slice();
    g.placedAt.set(this.placedAt);
    g.seen = new Set(this.seen);
    return g;
  }

  toString(): string {
    const who = this.turn === BLACK ? 'black' : 'white';
    const caps = `captures: black ${this.board.prisoners[BLACK]}, white ${this.board.prisoners[WHITE]}`;
    return `${this.board.toString()}\n${who} to play, move ${this.moves.length + 1}, komi ${this.komi}, ${caps}`;
  }
}

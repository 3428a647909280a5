import { type Color, GoBoard } from '../board.js';
import type { GoGame } from '../game.js';
import { Rng } from '../../rng.js';
import { randomPlayout } from '../playout.js';
import type { Player, MoveChoice } from './player.js';

/** Options for {@link UctPlayer}. */
export interface UctOptions {
  /** Simulations (tree descent + one random playout) per move. Default 1000. */
  playouts?: number;
  /** UCB1 exploration constant C in `w/n + C sqrt(ln N / n)`. Default 0.7. */
  exploration?: number;
  /** A leaf's children are created once it has been visited this many times. Default 2. */
  expandThreshold?: number;
  /** Seed of the tree's tie-breaking and of the playouts. Default 1. */
  seed?: number;
  /** Resign when the best move's win rate is below this (0 never resigns). Default 0.05. */
  resignThreshold?: number;
}

/** One tree node: the move that led here, who made it, and its statistics from that mover's view. */
class Node {
  children: Node[] | null = null;
  visits = 0;
  wins = 0;
  constructor(
    /** Padded point played, 0 for pass. */
    readonly point: number,
    /** Colour that played `point`. */
    readonly mover: Color,
  ) {}
}

/**
 * Plain Monte Carlo tree search with UCB1 (UCT) and uniformly random playouts (no eye filling),
 * the pre-deep-learning baseline. Rewards are wins (1) and losses (0) under Tromp-Taylor area
 * scoring with the game's komi. The tree uses simple ko only below the root; root moves respect
 * the game's superko rule. Deterministic for a given seed.
 */
export class UctPlayer implements Player {
  readonly name: string;
  readonly playouts: number;
  readonly exploration: number;
  readonly expandThreshold: number;
  readonly resignThreshold: number;
  private readonly rng: Rng;
  /** Root statistics of the last search, for tests and logs: win rate of the chosen move. */
  lastWinRate = 0.5;

  constructor(options: UctOptions = {}) {
    this.playouts = options.playouts ?? 1000;
    this.exploration = options.exploration ?? 0.7;
    this.expandThreshold = options.expandThreshold ?? 2;
    this.resignThreshold = options.resignThreshold ?? 0.05;
    if (!(this.playouts >= 1)) throw new RangeError(`UctPlayer: playouts must be >= 1, got ${this.playouts}`);
    this.rng = new Rng(options.seed ?? 1);
    this.name = `uct-${this.playouts}`;
  }

  genmove(game: GoGame, color: Color): MoveChoice {
    const board = game.board;
    const opp = (3 - color) as Color;
    // Passing after the opponent's pass ends the game; do it when we already win as things stand.
    const last = game.moves[game.moves.length - 1];
    if (last && last.action === game.passAction) {
      const s = game.score().score;
      if ((color === 1 ? s : -s) > 0) return game.passAction;
    }
    const root = new Node(0, opp);
    root.children = this.rootChildren(game, color);
    if (root.children.length === 0) return game.passAction;

    const scratch = new GoBoard(board.size, { allowSuicide: board.allowSuicide });
    const path: Node[] = [];
    for (let i = 0; i < this.playouts; i++) {
      scratch.copyFrom(board);
      path.length = 0;
      path.push(root);
      let node = root;
      let toMove = color;
      // Selection and expansion.
      for (;;) {
        if (node.children === null) {
          if (node.visits < this.expandThreshold) break;
          node.children = this.expand(scratch, toMove);
        }
        node = this.select(node);
        if (node.point) scratch.play(node.point, toMove);
        else scratch.pass();
        toMove = (3 - toMove) as Color;
        path.push(node);
      }
      const blackMinusWhite = randomPlayout(scratch, toMove, this.rng) - game.komi;
      const winner: Color = blackMinusWhite > 0 ? 1 : 2;
      for (const n of path) {
        n.visits++;
        if (n.mover === winner) n.wins++;
      }
    }
    let best = root.children[0]!;
    for (const c of root.children) if (c.visits > best.visits) best = c;
    this.lastWinRate = best.visits ? best.wins / best.visits : 0.5;
    if (this.lastWinRate < this.resignThreshold && this.playouts >= 100) return 'resign';
    return best.point ? board.actionOf(best.point) : game.passAction;
  }

  /** Root moves: legal under the game's full rules (superko), not filling own eyes. */
  private rootChildren(game: GoGame, color: Color): Node[] {
    const b = game.board;
    const out: Node[] = [];
    for (let a = 0; a < game.passAction; a++) {
      const p = b.pointOf(a);
      if (b.color[p] === 0 && !b.isEye(p, color) && game.isLegalMove(color, a)) out.push(new Node(p, color));
    }
    this.shuffle(out);
    return out;
  }

  /** Children of an inner node: legal (simple ko) non-eye-filling moves, or a lone pass. */
  private expand(b: GoBoard, color: Color): Node[] {
    const out: Node[] = [];
    for (let i = 0; i < b.emptyCount; i++) {
      const p = b.empties[i]!;
      if (!b.isEye(p, color) && b.isLegal(p, color)) out.push(new Node(p, color));
    }
    if (out.length === 0) out.push(new Node(0, color));
    this.shuffle(out);
    return out;
  }

  /** UCB1; unvisited children first (in their shuffled order). */
  private select(node: Node): Node {
    const children = node.children!;
    const logN = Math.log(node.visits + 1);
    let best = children[0]!;
    let bestValue = -Infinity;
    for (const c of children) {
      if (c.visits === 0) return c;
      const v = c.wins / c.visits + this.exploration * Math.sqrt(logN / c.visits);
      if (v > bestValue) {
        bestValue = v;
        best = c;
      }
    }
    return best;
  }

  private shuffle<T>(xs: T[]): void {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = this.rng.int(i + 1);
      const t = xs[i]!;
      xs[i] = xs[j]!;
      xs[j] = t;
    }
  }
}

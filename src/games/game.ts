/**
 * A small interface for two-player, zero-sum, perfect-information games with a fixed action
 * space, shared by Go, TicTacToe and Connect Four so that search (MCTS, AlphaZero) can be written
 * once. Players are numbered 0 (first to move) and 1.
 */
export interface Game<S extends Game<S>> {
  /** Number of distinct actions (the policy head's width), including pass where the game has it. */
  readonly actionCount: number;
  /** The player to move: 0 (first player) or 1. */
  readonly toPlay: 0 | 1;
  /** All actions legal for the player to move, as indices in [0, actionCount). */
  legalActions(): number[];
  /** Whether `action` is legal for the player to move. */
  isLegal(action: number): boolean;
  /** Plays `action` for the player to move; throws if it is illegal. */
  play(action: number): void;
  /** Whether the game is over. */
  isTerminal(): boolean;
  /**
   * The final result from `player`'s point of view: +1 win, -1 loss, 0 draw.
   * Only meaningful once `isTerminal()` is true.
   */
  result(player: 0 | 1): number;
  /** An independent copy; playing on it leaves this state unchanged. */
  clone(): S;
  /** A human-readable picture of the state. */
  toString(): string;
}

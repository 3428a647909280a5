import type { Color } from '../board.js';
import type { GoGame } from '../game.js';

/** A move choice: an action index (`size * size` = pass) or resignation. */
export type MoveChoice = number | 'resign';

/**
 * Something that chooses moves: the thing behind GTP `genmove`. Implementations may be
 * asynchronous (a neural network evaluated on a worker or GPU), hence the Promise option.
 */
export interface Player {
  /** A short name for logs and SGF PB/PW. */
  readonly name: string;
  /** Chooses a move for `color` in `game`; must not modify `game`. */
  genmove(game: GoGame, color: Color): MoveChoice | Promise<MoveChoice>;
}

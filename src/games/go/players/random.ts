import type { Color } from '../board.js';
import type { GoGame } from '../game.js';
import { Rng } from '../../rng.js';
import type { Player, MoveChoice } from './player.js';

/**
 * The weakest sensible baseline: a uniformly random legal move (superko respected) that does not
 * fill one of its own single-point eyes; passes when no such move exists. Seeded.
 */
export class RandomPlayer implements Player {
  readonly name = 'random';
  private readonly rng: Rng;

  constructor(options: { seed?: number } = {}) {
    this.rng = new Rng(options.seed ?? 1);
  }

  genmove(game: GoGame, color: Color): MoveChoice {
    const b = game.board;
    const candidates: number[] = [];
    for (let i = 0; i < b.emptyCount; i++) {
      const p = b.empties[i]!;
      if (!b.isEye(p, color)) candidates.push(p);
    }
    // Sorting makes the choice independent of the empty list's internal order (which depends on
    // the capture history), so equal positions and seeds give equal moves.
    candidates.sort((a, c) => a - c);
    while (candidates.length) {
      const i = this.rng.int(candidates.length);
      const p = candidates[i]!;
      const action = b.actionOf(p);
      if (game.isLegalMove(color, action)) return action;
      candidates[i] = candidates[candidates.length - 1]!;
      candidates.pop();
    }
    return game.passAction;
  }
}

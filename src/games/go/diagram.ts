import { BLACK, WHITE, type Color } from './board.js';
import { GoGame, type GoGameOptions } from './game.js';

/**
 * Builds a game from a text diagram, one row per line from the top: `X` (or `B`) black,
 * `O` (or `W`) white, `.` or `+` empty; spaces are ignored. The stones become setup stones, so
 * the diagram should be a position with no group lacking liberties. `toPlay` sets the turn
 * (default black). Handy for tests and documentation.
 */
export function gameFromDiagram(diagram: string, options: Omit<GoGameOptions, 'size'> & { toPlay?: Color } = {}): GoGame {
  const rows = diagram
    .split('\n')
    .map((r) => r.replace(/\s+/g, ''))
    .filter((r) => r.length > 0);
  const size = rows.length;
  const game = new GoGame({ ...options, size });
  rows.forEach((row, y) => {
    if (row.length !== size) throw new Error(`gameFromDiagram: row ${y + 1} has ${row.length} points, expected ${size}`);
    for (let x = 0; x < size; x++) {
      const ch = row[x]!.toUpperCase();
      if (ch === 'X' || ch === 'B') game.placeSetupStone(BLACK, y * size + x);
      else if (ch === 'O' || ch === 'W') game.placeSetupStone(WHITE, y * size + x);
      else if (ch !== '.' && ch !== '+') throw new Error(`gameFromDiagram: unexpected '${row[x]}' at row ${y + 1}, column ${x + 1}`);
    }
  });
  game.turn = options.toPlay ?? BLACK;
  return game;
}

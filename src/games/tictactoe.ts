import type { Game } from './game.js';

/** The eight lines of three: rows, columns, diagonals (cells numbered row by row, 0..8). */
const LINES: readonly (readonly [number, number, number])[] = [
  [0, 1, 2],
  [3, 4, 5],
  [6, 7, 8],
  [0, 3, 6],
  [1, 4, 7],
  [2, 5, 8],
  [0, 4, 8],
  [2, 4, 6],
];

/**
 * Tic-tac-toe on a 3x3 board: player 0 (X) moves first; actions are the cells 0..8, row by row.
 * The smallest {@link Game}: exhaustive search solves it (a draw with best play), which makes it
 * the test bed for the two-player environments and search.
 */
export class TicTacToe implements Game<TicTacToe> {
  readonly actionCount = 9;
  /** Per cell: 0 empty, 1 X (player 0), 2 O (player 1). */
  readonly cells = new Uint8Array(9);
  toPlay: 0 | 1 = 0;
  /** The winner once there is one (0 or 1), -1 otherwise. */
  winner: -1 | 0 | 1 = -1;
  private moves = 0;

  legalActions(): number[] {
    if (this.isTerminal()) return [];
    const out: number[] = [];
    for (let i = 0; i < 9; i++) if (this.cells[i] === 0) out.push(i);
    return out;
  }

  isLegal(action: number): boolean {
    return !this.isTerminal() && Number.isInteger(action) && action >= 0 && action < 9 && this.cells[action] === 0;
  }

  play(action: number): void {
    if (!this.isLegal(action)) {
      const why = this.isTerminal()
        ? 'the game is over'
        : Number.isInteger(action) && action >= 0 && action < 9
          ? `cell ${action} is taken`
          : 'expected a cell 0..8';
      throw new Error(`TicTacToe.play: illegal move ${String(action)} (${why})`);
    }
    const mark = this.toPlay + 1;
    this.cells[action] = mark;
    this.moves++;
    for (const [a, b, c] of LINES) {
      if (this.cells[a] === mark && this.cells[b] === mark && this.cells[c] === mark) this.winner = this.toPlay;
    }
    this.toPlay = this.toPlay === 0 ? 1 : 0;
  }

  isTerminal(): boolean {
    return this.winner !== -1 || this.moves === 9;
  }

  result(player: 0 | 1): number {
    if (this.winner === -1) return 0;
    return this.winner === player ? 1 : -1;
  }

  clone(): TicTacToe {
    const g = new TicTacToe();
    g.cells.set(this.cells);
    g.toPlay = this.toPlay;
    g.winner = this.winner;
    g.moves = this.moves;
    return g;
  }

  toString(): string {
    const ch = ['.', 'X', 'O'];
    return [0, 3, 6].map((r) => [0, 1, 2].map((c) => ch[this.cells[r + c]!]).join(' ')).join('\n');
  }
}

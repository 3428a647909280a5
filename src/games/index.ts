/** Games for search and reinforcement learning: a shared game interface, a seeded RNG, tic-tac-toe and Go. */
export type { Game } from './game.js';
export { Rng } from './rng.js';
export { TicTacToe } from './tictactoe.js';
export * from './go/index.js';

/** Games for search and reinforcement learning: a shared game interface, a seeded RNG, and Go. */
export type { Game } from './game.js';
export { Rng } from './rng.js';
export * from './go/index.js';

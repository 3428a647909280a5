import { Generator } from '../tensor/random.js';

/**
 * The seeded generator of the game code: the same xoshiro128** stream as every other random draw
 * in shinsou (src/tensor/random.ts), with the short names the playout loops use. Allocation-free
 * and deterministic across runs and platforms.
 */
export class Rng extends Generator {
  /** @param seed any integer; the same seed always gives the same sequence. */
  constructor(seed = 1) {
    super(seed);
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  nextU32(): number {
    return this.nextUint32();
  }
}

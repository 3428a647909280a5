/**
 * A small seeded pseudo-random generator (xoshiro128**, seeded through splitmix32) for game code: deterministic across runs and platforms, and cheap enough for the
 * inner loop of random playouts (no allocation per draw).
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** @param seed any 32-bit integer; the same seed always gives the same sequence. */
  constructor(seed = 1) {
    let x = seed >>> 0;
    const next = (): number => {
      // splitmix32: spreads a small seed over all state words so that seeds 1 and 2 diverge at once.
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next() | 1;
  }

  /** A uniformly distributed unsigned 32-bit integer (xoshiro128**). */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A uniform integer in [0, n) for 0 < n <= 2^32. */
  int(n: number): number {
    // Multiply-shift avoids the modulo bias of `u32 % n` for n that is not a power of two.
    return Math.floor((this.nextU32() / 4294967296) * n);
  }

  /** A uniform float in [0, 1). */
  float(): number {
    return this.nextU32() / 4294967296;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

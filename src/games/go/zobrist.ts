import { Rng } from '../rng.js';

/** Largest padded board we support: 19x19 plus a one-point border on each side (21*21). */
export const MAX_AREA = 21 * 21;

/**
 * Zobrist keys: two 32-bit words per (point, colour), so a position hash has 53 usable bits
 * (kept as a JS number, see {@link combineHash}), enough that superko collisions are negligible.
 * Generated from a fixed seed so hashes are identical across runs and processes.
 * Layout: index `(p * 2 + (colour - 1)) * 2 + word`.
 */
export const ZOBRIST: Uint32Array = (() => {
  const rng = new Rng(0x5a0b715);
  const keys = new Uint32Array(MAX_AREA * 2 * 2);
  for (let i = 0; i < keys.length; i++) keys[i] = rng.nextU32();
  return keys;
})();

/** Folds the two hash words into one exactly representable number (21 + 32 bits). */
export function combineHash(lo: number, hi: number): number {
  return (hi & 0x1fffff) * 4294967296 + (lo >>> 0);
}

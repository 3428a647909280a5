// The fuzzing budget: a small number of runs per property in the normal suite, more with
// SHINSOU_FUZZ_RUNS=<n> (e.g. 20000 before a release); SHINSOU_FUZZ_SEED picks the seed (below).
import fc from 'fast-check';

export const RUNS = (() => {
  const v = Number(process.env['SHINSOU_FUZZ_RUNS']);
  return Number.isInteger(v) && v > 0 ? v : 150;
})();

/**
 * The seed is fixed in the normal suite, so every run of it (CI's too) checks the same cases and a
 * failure reproduces; SHINSOU_FUZZ_SEED=<n> replays a reported failure, SHINSOU_FUZZ_SEED=random
 * explores new cases (fast-check then prints the seed it drew).
 */
const seedVar = process.env['SHINSOU_FUZZ_SEED'];
const seed = seedVar === 'random' ? undefined : seedVar !== undefined ? Number(seedVar) : 20261129;

/** fast-check parameters for one property: `weight` scales the runs of slow properties down. */
export function params(weight = 1): fc.Parameters<unknown> {
  return { numRuns: Math.max(1, Math.round(RUNS * weight)), ...(seed !== undefined ? { seed } : {}) };
}

/**
 * Asserts that `f` returns or throws a plain Error whose message starts with `prefix`: a parser
 * given careless input must explain itself, never fail with a TypeError or RangeError of its own.
 */
export function explains(f: () => unknown, prefix: RegExp, also: (new (...a: never[]) => Error)[] = []): void {
  try {
    f();
  } catch (e) {
    const ok = e instanceof Error && (e.constructor === Error || also.some((c) => e instanceof c));
    if (!ok || !prefix.test(e.message))
      throw new Error(`unexplained failure: ${e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)}`);
  }
}

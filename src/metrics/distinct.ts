import { checkArg, checkRest, describe } from '../tensor/validate.js';

/**
 * distinct-n (Li et al., "A Diversity-Promoting Objective Function for Neural Conversation
 * Models", NAACL 2016): the number of distinct n-grams over all the sequences divided by the
 * total number of n-grams, corpus-wide. 1 means no n-gram repeats; a model that answers every
 * context the same way scores near 0. n-grams do not cross sequence boundaries; a sequence
 * shorter than n contributes none. Returns 0 when there is no n-gram at all.
 * @example distinctN([['i', 'am', 'here'], ['i', 'am']], 1) // 3 distinct of 5 unigrams = 0.6
 */
export function distinctN(sequences: readonly (readonly (string | number)[])[], n: number, ...extra: never[]): number {
  const ok =
    Array.isArray(sequences) && sequences.every((s) => Array.isArray(s) && s.every((t) => typeof t === 'string' || typeof t === 'number'));
  if (!ok)
    throw new TypeError(`distinctN: argument 1 (sequences) must be a list of token lists (strings or numbers), got ${describe(sequences)}`);
  checkArg('distinctN', 'argument 2 (n)', n, 'positiveInt');
  checkRest('distinctN', extra, 2, 'distinctN(sequences, n)');
  const seen = new Set<string>();
  let total = 0;
  for (const s of sequences) {
    for (let i = 0; i + n <= s.length; i++) {
      // JSON keeps ['a b'] and ['a', 'b'] apart and numbers apart from strings.
      seen.add(JSON.stringify(s.slice(i, i + n)));
      total++;
    }
  }
  return total === 0 ? 0 : seen.size / total;
}

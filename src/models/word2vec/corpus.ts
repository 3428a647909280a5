/**
 * The corpus side of word2vec: tokens, the vocabulary with its counts, the subsampling of
 * frequent words and the unigram^0.75 table that negative samples are drawn from.
 *
 * Subsampling (Mikolov et al. 2013, "Distributed Representations of Words and Phrases and their
 * Compositionality", section 2.3): the paper discards each occurrence of word w with probability
 * 1 - sqrt(t / f(w)), f(w) the word's share of the corpus and t the threshold (~1e-5). The released
 * word2vec.c, and gensim after it, keep an occurrence with probability
 *   P_keep(w) = (sqrt(f(w) / t) + 1) * t / f(w)     (capped at 1)
 * which is the formula used here, so that runs compare with gensim's on equal terms.
 *
 * Negative samples come from the unigram distribution raised to the 3/4 power (same paper, 2.2):
 *   P_n(w) = U(w)^{3/4} / Z
 * held, as in word2vec.c, in a table of `size` slots where word w fills about P_n(w) * size slots,
 * so a draw is one uniform index into the table.
 */
import { checkArg, checkRest, describe } from '../../tensor/validate.js';

/** Throws unless v is an array of strings (or numbers, with kind 'number'), naming fn and the argument. */
export function checkList(fn: string, name: string, v: unknown, kind: 'string' | 'number'): void {
  if (!Array.isArray(v) || !v.every((e) => typeof e === kind && (kind === 'string' || Number.isFinite(e))))
    throw new TypeError(`${fn}: ${name} must be an array of ${kind === 'string' ? 'strings' : 'finite numbers'}, got ${describe(v)}`);
}

/**
 * The tokenisation shared by our runs and the gensim script: lower case, a possessive "'s" joins
 * its noun ("Abraham's" -> abraham), then runs of letters a-z ("burnt-offering" -> burnt offering).
 * @example tokenizeVerse("And Abraham's servant said,") // ['and', 'abraham', 'servant', 'said']
 */
export function tokenizeVerse(text: string, ...extra: never[]): string[] {
  checkArg('tokenizeVerse', 'text', text, 'string');
  checkRest('tokenizeVerse', extra, 1, 'tokenizeVerse(text)');
  return (
    text
      .toLowerCase()
      .replace(/'s\b/g, '')
      .match(/[a-z]+/g) ?? []
  );
}

/** One sentence per line of `text` (a verse of the KJV), tokenised; empty lines dropped. */
export function tokenizeLines(text: string, ...extra: never[]): string[][] {
  checkArg('tokenizeLines', 'text', text, 'string');
  checkRest('tokenizeLines', extra, 1, 'tokenizeLines(text)');
  const out: string[][] = [];
  for (const line of text.split('\n')) {
    const t = tokenizeVerse(line);
    if (t.length > 0) out.push(t);
  }
  return out;
}

/** A word2vec vocabulary: the words seen at least minCount times, most frequent first, with counts. */
export class Word2VecVocab {
  readonly index = new Map<string, number>();
  constructor(
    readonly words: readonly string[],
    readonly counts: readonly number[],
    ...extra: never[]
  ) {
    checkList('Word2VecVocab', 'words', words, 'string');
    checkList('Word2VecVocab', 'counts', counts, 'number');
    checkRest('Word2VecVocab', extra, 2, 'new Word2VecVocab(words, counts)');
    if (words.length !== counts.length)
      throw new Error(`Word2VecVocab: ${words.length} words but ${counts.length} counts (expected one count per word)`);
    words.forEach((w, i) => this.index.set(w, i));
  }

  get size(): number {
    return this.words.length;
  }

  /** Counts the words of the sentences and keeps those seen at least minCount times (ties in first-seen order). */
  static build(sentences: readonly (readonly string[])[], minCount: number): Word2VecVocab {
    if (!Array.isArray(sentences) || !sentences.every((s) => Array.isArray(s)))
      throw new TypeError(`Word2VecVocab.build: sentences must be an array of token arrays, got ${describe(sentences)}`);
    if (!Number.isInteger(minCount) || minCount < 1)
      throw new Error(`Word2VecVocab.build: minCount must be an integer >= 1, got ${minCount}`);
    const counts = new Map<string, number>();
    for (const s of sentences) for (const w of s) counts.set(w, (counts.get(w) ?? 0) + 1);
    const kept = [...counts].filter(([, c]) => c >= minCount);
    kept.sort((a, b) => b[1] - a[1]); // stable: equal counts keep their first-seen order
    if (kept.length === 0) throw new Error(`Word2VecVocab.build: no word occurs ${minCount} times or more (lower minCount)`);
    return new Word2VecVocab(
      kept.map(([w]) => w),
      kept.map(([, c]) => c),
    );
  }

  /** The id of a word, or -1 when it is not in the vocabulary. */
  id(word: string): number {
    return this.index.get(word) ?? -1;
  }

  /**
   * The sentences as one int32 array of word ids (words outside the vocabulary dropped) and the
   * offsets where each sentence starts (length sentences + 1). `raw` counts every token, kept or not,
   * which is what the learning-rate schedule and words/second count (as gensim does).
   */
  encode(sentences: readonly (readonly string[])[]): { ids: Int32Array; offsets: Int32Array; raw: Int32Array } {
    let n = 0;
    for (const s of sentences) for (const w of s) if (this.index.has(w)) n++;
    const ids = new Int32Array(n);
    const offsets = new Int32Array(sentences.length + 1);
    const raw = new Int32Array(sentences.length);
    let k = 0;
    sentences.forEach((s, i) => {
      offsets[i] = k;
      raw[i] = s.length;
      for (const w of s) {
        const id = this.index.get(w);
        if (id !== undefined) ids[k++] = id;
      }
    });
    offsets[sentences.length] = k;
    return { ids, offsets, raw };
  }

  toJSON(): { words: string[]; counts: number[] } {
    return { words: [...this.words], counts: [...this.counts] };
  }

  static fromJSON(j: { words: string[]; counts: number[] }): Word2VecVocab {
    if (!j || !Array.isArray(j.words) || !Array.isArray(j.counts))
      throw new Error('Word2VecVocab.fromJSON: expected { words: string[], counts: number[] }');
    return new Word2VecVocab(j.words, j.counts);
  }
}

/**
 * Keep thresholds for subsampling, as 32-bit integers: an occurrence of word w is kept when
 * keep[w] >= a uniform 32-bit draw, i.e. with probability P_keep(w) above (sample 0: keep all).
 */
export function keepThresholds(counts: readonly number[], sample: number, ...extra: never[]): Uint32Array {
  checkList('keepThresholds', 'counts', counts, 'number');
  checkArg('keepThresholds', 'sample', sample, 'number');
  checkRest('keepThresholds', extra, 2, 'keepThresholds(counts, sample)');
  if (!(sample >= 0) || !Number.isFinite(sample)) throw new Error(`keepThresholds: sample must be a finite number >= 0, got ${sample}`);
  const total = counts.reduce((a, b) => a + b, 0);
  const out = new Uint32Array(counts.length);
  const threshold = sample * total; // t * N: the count at which f(w) = t
  for (let w = 0; w < counts.length; w++) {
    const c = counts[w]!;
    // P_keep(w) = (sqrt(f/t) + 1) * t/f with f/t = c / (t N)
    const p = sample === 0 ? 1 : Math.min(1, (Math.sqrt(c / threshold) + 1) * (threshold / c));
    out[w] = Math.min(0xffffffff, Math.round(p * 0xffffffff));
  }
  return out;
}

/** The probability that keepThresholds keeps an occurrence of each word. */
export function keepProbabilities(counts: readonly number[], sample: number, ...extra: never[]): Float64Array {
  checkList('keepProbabilities', 'counts', counts, 'number');
  checkArg('keepProbabilities', 'sample', sample, 'number');
  checkRest('keepProbabilities', extra, 2, 'keepProbabilities(counts, sample)');
  if (!(sample >= 0)) throw new Error(`keepProbabilities: sample must be a finite number >= 0, got ${sample}`);
  return Float64Array.from(keepThresholds(counts, sample), (k) => k / 0xffffffff);
}

/**
 * The unigram^power table (word2vec.c's layout): `size` slots, word w filling the slots whose
 * position i / size lies below the cumulative share of words 0..w, so each word holds
 * round-ish P_n(w) * size slots and every word at least one.
 */
export function unigramTable(counts: readonly number[], size: number, power = 0.75, ...extra: never[]): Int32Array {
  checkList('unigramTable', 'counts', counts, 'number');
  checkArg('unigramTable', 'size', size, 'positiveInt');
  checkArg('unigramTable', 'power', power, 'number');
  checkRest('unigramTable', extra, 3, 'unigramTable(counts, size, power?)');
  if (!Number.isInteger(size) || size < counts.length)
    throw new Error(`unigramTable: size must be an integer >= the vocabulary size ${counts.length}, got ${size}`);
  if (counts.length === 0) throw new Error('unigramTable: the vocabulary is empty');
  const weights = counts.map((c) => Math.pow(c, power));
  const z = weights.reduce((a, b) => a + b, 0);
  const table = new Int32Array(size);
  // Slot boundaries at round(cumulative share * size), and each word gets at least one slot so
  // that no word is unreachable; the last word takes what is left.
  let start = 0;
  let cum = 0;
  const V = counts.length;
  for (let w = 0; w < V; w++) {
    cum += weights[w]!;
    const end = w === V - 1 ? size : Math.min(size - (V - 1 - w), Math.max(start + 1, Math.round((cum / z) * size)));
    table.fill(w, start, end);
    start = end;
  }
  return table;
}

/**
 * Reading word vectors: cosine nearest neighbours, analogies by 3CosAdd (Mikolov et al. 2013:
 * a : b :: c : ? answered by argmax_w cos(w, b - a + c) over unit vectors, a, b and c excluded,
 * the rule of gensim's most_similar and evaluate_word_analogies), the overlap of two models'
 * neighbour lists, and a 2-D PCA projection for pictures.
 */

import { checkArg, checkRest, describe } from '../../tensor/validate.js';

/** Word vectors with their unit-length copy, for lookups. */
export class WordVectors {
  readonly index = new Map<string, number>();
  /** Rows scaled to unit length (a zero row stays zero). */
  readonly unit: Float32Array;
  constructor(
    readonly words: readonly string[],
    readonly vectors: Float32Array,
    readonly dim: number,
    ...extra: never[]
  ) {
    if (!Array.isArray(words) || !words.every((w) => typeof w === 'string'))
      throw new TypeError(`WordVectors: words must be an array of strings, got ${describe(words)}`);
    if (!(vectors instanceof Float32Array)) throw new TypeError(`WordVectors: vectors must be a Float32Array, got ${describe(vectors)}`);
    checkArg('WordVectors', 'dim', dim, 'positiveInt');
    checkRest('WordVectors', extra, 3, 'new WordVectors(words, vectors, dim)');
    if (vectors.length !== words.length * dim)
      throw new Error(`WordVectors: ${words.length} words of dimension ${dim} need ${words.length * dim} numbers, got ${vectors.length}`);
    words.forEach((w, i) => this.index.set(w, i));
    this.unit = new Float32Array(vectors.length);
    for (let r = 0; r < words.length; r++) {
      let s = 0;
      for (let i = 0; i < dim; i++) s += vectors[r * dim + i]! ** 2;
      const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
      for (let i = 0; i < dim; i++) this.unit[r * dim + i] = vectors[r * dim + i]! * inv;
    }
  }

  get size(): number {
    return this.words.length;
  }

  has(word: string): boolean {
    return this.index.has(word);
  }

  /** The id of a word; an unknown word is refused, naming `who` and suggesting close spellings. */
  id(word: string, who = 'WordVectors'): number {
    const i = this.index.get(word);
    if (i === undefined) {
      const near = this.words.filter((w) => w.startsWith(word.slice(0, Math.max(1, word.length - 2)))).slice(0, 5);
      throw new Error(
        `${who}: the word '${word}' is not in the vocabulary (${this.size} words, lower case${near.length ? `; similar: ${near.join(', ')}` : ''})`,
      );
    }
    return i;
  }

  /** The k rows most similar (cosine) to the unit query q, leaving out `exclude`. */
  nearestTo(q: Float32Array, k: number, exclude: ReadonlySet<number> = new Set()): { word: string; similarity: number }[] {
    const d = this.dim;
    const best: { id: number; s: number }[] = [];
    for (let r = 0; r < this.size; r++) {
      if (exclude.has(r)) continue;
      let s = 0;
      for (let i = 0; i < d; i++) s += this.unit[r * d + i]! * q[i]!;
      if (best.length < k || s > best[best.length - 1]!.s) {
        let at = best.length;
        while (at > 0 && best[at - 1]!.s < s) at--;
        best.splice(at, 0, { id: r, s });
        if (best.length > k) best.pop();
      }
    }
    return best.map((b) => ({ word: this.words[b.id]!, similarity: b.s }));
  }

  /** The k nearest neighbours of a word by cosine similarity (the word itself left out). */
  neighbours(word: string, k = 10): { word: string; similarity: number }[] {
    const id = this.id(word, 'neighbours');
    return this.nearestTo(this.unit.subarray(id * this.dim, (id + 1) * this.dim), k, new Set([id]));
  }

  /** a : b :: c : ?  -> the k best answers by 3CosAdd (argmax cos(w, b - a + c)), a, b, c excluded. */
  analogy(a: string, b: string, c: string, k = 1): { word: string; similarity: number }[] {
    const [ia, ib, ic] = [this.id(a, 'analogy'), this.id(b, 'analogy'), this.id(c, 'analogy')];
    const d = this.dim;
    const q = new Float32Array(d);
    let n = 0;
    for (let i = 0; i < d; i++) {
      q[i] = this.unit[ib * d + i]! - this.unit[ia * d + i]! + this.unit[ic * d + i]!;
      n += q[i]! ** 2;
    }
    const inv = n > 0 ? 1 / Math.sqrt(n) : 0;
    for (let i = 0; i < d; i++) q[i] = q[i]! * inv;
    return this.nearestTo(q, k, new Set([ia, ib, ic]));
  }
}

/** One analogy question a : b :: c : d, with the relation it tests. */
export interface AnalogyQuestion {
  section: string;
  a: string;
  b: string;
  c: string;
  d: string;
}

/**
 * Accuracy of 3CosAdd on the questions whose four words are in the vocabulary (the others are
 * counted as skipped, as gensim's evaluate_word_analogies does), overall and per section.
 */
export function analogyAccuracy(
  wv: WordVectors,
  questions: readonly AnalogyQuestion[],
  ...extra: never[]
): {
  accuracy: number;
  correct: number;
  answered: number;
  skipped: number;
  sections: Record<string, { correct: number; answered: number }>;
} {
  checkVectors('analogyAccuracy', 'wv', wv);
  if (!Array.isArray(questions) || !questions.every((q) => q && ['a', 'b', 'c', 'd'].every((k) => typeof (q as never)[k] === 'string')))
    throw new TypeError(`analogyAccuracy: questions must be an array of { section, a, b, c, d }, got ${describe(questions)}`);
  checkRest('analogyAccuracy', extra, 2, 'analogyAccuracy(wv, questions)');
  let correct = 0;
  let answered = 0;
  const sections: Record<string, { correct: number; answered: number }> = {};
  for (const q of questions) {
    if (![q.a, q.b, q.c, q.d].every((w) => wv.has(w))) continue;
    const sec = (sections[q.section] ??= { correct: 0, answered: 0 });
    const ok = wv.analogy(q.a, q.b, q.c, 1)[0]?.word === q.d;
    answered++;
    sec.answered++;
    if (ok) {
      correct++;
      sec.correct++;
    }
  }
  return { accuracy: answered ? correct / answered : 0, correct, answered, skipped: questions.length - answered, sections };
}

/** Mean share of common words in two models' top-k neighbour lists of each given word (both must know it). */
export function neighbourOverlap(
  a: WordVectors,
  b: WordVectors,
  words: readonly string[],
  k = 10,
  ...extra: never[]
): { mean: number; perWord: Record<string, number> } {
  checkVectors('neighbourOverlap', 'a', a);
  checkVectors('neighbourOverlap', 'b', b);
  if (!Array.isArray(words) || !words.every((w) => typeof w === 'string'))
    throw new TypeError(`neighbourOverlap: words must be an array of strings, got ${describe(words)}`);
  checkArg('neighbourOverlap', 'k', k, 'positiveInt');
  checkRest('neighbourOverlap', extra, 4, 'neighbourOverlap(a, b, words, k?)');
  const perWord: Record<string, number> = {};
  let total = 0;
  for (const w of words) {
    const na = new Set(a.neighbours(w, k).map((x) => x.word));
    const common = b.neighbours(w, k).filter((x) => na.has(x.word)).length;
    perWord[w] = common / k;
    total += common / k;
  }
  return { mean: words.length ? total / words.length : 0, perWord };
}

/**
 * The rows projected on their first two principal components (centred, power iteration with
 * deflation on the d x d covariance, a fixed start so the result is reproducible).
 */
export function pca2(rows: readonly Float32Array[], ...extra: never[]): [number, number][] {
  if (!Array.isArray(rows) || !rows.every((r) => r instanceof Float32Array && r.length === (rows[0] as Float32Array).length))
    throw new TypeError(`pca2: rows must be an array of Float32Arrays of one length, got ${describe(rows)}`);
  checkRest('pca2', extra, 1, 'pca2(rows)');
  const n = rows.length;
  if (n < 2) throw new Error(`pca2: needs at least 2 rows, got ${n}`);
  const d = rows[0]!.length;
  const meanRow = new Float64Array(d);
  for (const r of rows) for (let i = 0; i < d; i++) meanRow[i] = meanRow[i]! + r[i]! / n;
  const X = rows.map((r) => Float64Array.from(r, (v: number, i: number) => v - meanRow[i]!));
  const C = new Float64Array(d * d);
  for (const x of X) for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) C[i * d + j] = C[i * d + j]! + x[i]! * x[j]!;
  const comps: Float64Array[] = [];
  for (let c = 0; c < 2; c++) {
    let v = Float64Array.from({ length: d }, (_, i) => 1 + ((i * 7919) % 13) / 13);
    for (let it = 0; it < 500; it++) {
      const w = new Float64Array(d);
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) w[i] = w[i]! + C[i * d + j]! * v[j]!;
      for (const p of comps) {
        const s = p.reduce((acc, pi, i) => acc + pi * w[i]!, 0);
        for (let i = 0; i < d; i++) w[i] = w[i]! - s * p[i]!;
      }
      const norm = Math.hypot(...w);
      if (norm === 0) break;
      v = w.map((x) => x / norm);
    }
    comps.push(v);
  }
  return X.map((x) => [comps[0]!.reduce((a, p, i) => a + p * x[i]!, 0), comps[1]!.reduce((a, p, i) => a + p * x[i]!, 0)]);
}

function checkVectors(fn: string, name: string, v: unknown): void {
  if (!(v instanceof WordVectors)) throw new TypeError(`${fn}: ${name} must be WordVectors, got ${describe(v)}`);
}

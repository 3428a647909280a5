/**
 * Byte-pair encoding (Sennrich, Haddow & Birch, "Neural Machine Translation of Rare Words with
 * Subword Units", ACL 2016): a subword vocabulary learned from a corpus, here to give the
 * translation models an open vocabulary with a few thousand symbols.
 *
 * Learning: the text is cut into words (a run of letters and digits, or one other character), each
 * word that follows whitespace (or starts the text) marked with a leading '▁' (U+2581, as
 * SentencePiece does), so decoding restores the spacing. Every word starts as its characters;
 * then, `merges` times, the most frequent pair of adjacent symbols over the corpus (word counts
 * weighing each word's pairs; ties broken by the pair's text, so learning is deterministic) is
 * replaced by one new symbol. Encoding applies the learned merges to each word, lowest rank first.
 *
 * Why our own: the issue asks for a vocabulary LEARNED on the training split, in Node and in the
 * browser. The npm tokenizer libraries we checked (Nov 2026) either only load ready-made
 * vocabularies (@huggingface/tokenizers, the JS port of tokenizers: inference only; tiktoken and
 * gpt-tokenizer: fixed OpenAI vocabularies; sentencepiece-js: encodes with a trained model) or are
 * small unmaintained packages (bpe-tokenizer). BPE learning is short enough to write clearly.
 *
 * Characters never seen in training map to <unk> (a documented fallback, never an error);
 * unknownCharacters() lists them so a caller (the `shinsou translate` command) can say so.
 */

import { checkOptions, checkRest, describe } from '../../tensor/validate.js';

export const BPE_SPECIALS = ['<pad>', '<unk>', '<bos>', '<eos>'] as const;
/** The word-start marker. */
export const WORD_START = '\u2581';

/** Words of a text (see the module comment): "Y dijo Dios:" -> ▁Y ▁dijo ▁Dios : */
export function bpeWords(text: string, ...extra: never[]): string[] {
  if (typeof text !== 'string') throw new TypeError(`bpeWords: argument 1 (text) must be a string, got ${describe(text)}`);
  checkRest('bpeWords', extra, 1, 'bpeWords(text)');
  const out: string[] = [];
  for (const m of text.matchAll(/(\s*)([\p{L}\p{M}\p{N}]+|[^\s\p{L}\p{M}\p{N}])/gu)) {
    const startsWord = m.index === 0 || m[1]!.length > 0;
    out.push(startsWord ? WORD_START + m[2]! : m[2]!);
  }
  return out;
}

export interface BpeJson {
  kind: 'bpe';
  /** Every symbol, ids in order: the specials, the alphabet, then one symbol per merge. */
  tokens: string[];
  /** The merges in the order learned, each as its two symbols. */
  merges: [string, string][];
}

export interface BpeLearnOptions {
  /** Merges to learn (the vocabulary gets this many symbols beyond the alphabet; default 8000). */
  merges?: number;
  /** Characters seen fewer times than this are left out of the alphabet (they become <unk>; default 1). */
  minCharCount?: number;
  /** Stop when the best pair occurs fewer times than this (default 2). */
  minPairCount?: number;
}

export class BpeVocab {
  readonly index = new Map<string, number>();
  /** "a b" -> rank of the merge a + b. */
  private readonly ranks = new Map<string, number>();
  private readonly cache = new Map<string, Int32Array>();

  constructor(
    readonly tokens: readonly string[],
    readonly merges: readonly (readonly [string, string])[],
    ...extra: never[]
  ) {
    if (!Array.isArray(tokens) || !tokens.every((t) => typeof t === 'string'))
      throw new TypeError(`BpeVocab: argument 1 (tokens) must be a list of strings, got ${describe(tokens)}`);
    if (!Array.isArray(merges) || !merges.every((m) => Array.isArray(m) && m.length === 2 && m.every((x) => typeof x === 'string')))
      throw new TypeError(`BpeVocab: argument 2 (merges) must be a list of [string, string] pairs, got ${describe(merges)}`);
    checkRest('BpeVocab', extra, 2, 'new BpeVocab(tokens, merges)');
    tokens.forEach((t, i) => this.index.set(t, i));
    BPE_SPECIALS.forEach((s, i) => {
      if (tokens[i] !== s) throw new Error(`BpeVocab: token ${i} must be ${s}, got ${JSON.stringify(tokens[i])}`);
    });
    merges.forEach(([a, b], r) => {
      if (!this.index.has(a + b)) throw new Error(`BpeVocab: merge ${r} (${a} + ${b}) makes a symbol not in the vocabulary`);
      this.ranks.set(`${a} ${b}`, r);
    });
  }

  get size(): number {
    return this.tokens.length;
  }
  get pad(): number {
    return 0;
  }
  get unk(): number {
    return 1;
  }
  get bos(): number {
    return 2;
  }
  get eos(): number {
    return 3;
  }

  /** Learns a vocabulary from `texts` (see the module comment). */
  static learn(texts: Iterable<string>, opts?: BpeLearnOptions, ...extra: never[]): BpeVocab {
    if (typeof texts !== 'object' || texts === null || typeof texts[Symbol.iterator] !== 'function')
      throw new TypeError(`BpeVocab.learn: argument 1 (texts) must be an iterable of strings, got ${describe(texts)}`);
    const o = checkOptions('BpeVocab.learn', 2, opts, {
      merges: 'nonNegativeInt',
      minCharCount: 'nonNegativeInt',
      minPairCount: 'positiveInt',
    });
    checkRest('BpeVocab.learn', extra, 2, 'BpeVocab.learn(texts, { merges, minCharCount, minPairCount })');
    const opts2 = o;
    const numMerges = opts2.merges ?? 8000;
    const minChar = opts2.minCharCount ?? 1;
    const minPair = opts2.minPairCount ?? 2;
    const wordCounts = new Map<string, number>();
    for (const t of texts) {
      if (typeof t !== 'string') throw new TypeError(`BpeVocab.learn: argument 1 (texts) must hold strings, got ${describe(t)}`);
      for (const w of bpeWords(t)) wordCounts.set(w, (wordCounts.get(w) ?? 0) + 1);
    }
    const charCounts = new Map<string, number>();
    for (const [w, c] of wordCounts) for (const ch of w) charCounts.set(ch, (charCounts.get(ch) ?? 0) + c);
    const alphabet = [...charCounts]
      .filter(([, c]) => c >= minChar)
      .map(([ch]) => ch)
      .sort();
    const merges: [string, string][] = [];
    const tokens: string[] = [...BPE_SPECIALS, ...alphabet];
    // the symbols so far: alphabet and merged; a word's character outside them (rarer than
    // minCharCount) is a barrier that never merges and encodes as <unk>
    const have = new Set(tokens);
    const words: string[][] = [];
    const counts: number[] = [];
    for (const [w, c] of wordCounts) {
      words.push([...w]);
      counts.push(c);
    }
    const pairCount = new Map<string, number>();
    const pairWords = new Map<string, Set<number>>();
    const addPairs = (wi: number, sign: number): void => {
      const s = words[wi]!;
      for (let i = 0; i + 1 < s.length; i++) {
        if (!have.has(s[i]!) || !have.has(s[i + 1]!)) continue;
        const k = `${s[i]} ${s[i + 1]}`;
        pairCount.set(k, (pairCount.get(k) ?? 0) + sign * counts[wi]!);
        if (sign > 0) {
          let set = pairWords.get(k);
          if (!set) pairWords.set(k, (set = new Set()));
          set.add(wi);
        }
      }
    };
    for (let wi = 0; wi < words.length; wi++) addPairs(wi, 1);
    while (merges.length < numMerges) {
      let best = '';
      let bestC = 0;
      for (const [k, c] of pairCount) if (c > bestC || (c === bestC && c > 0 && k < best)) [best, bestC] = [k, c];
      if (bestC < minPair) break;
      const sp = best.indexOf(' ', 1);
      const a = best.slice(0, sp);
      const b = best.slice(sp + 1);
      merges.push([a, b]);
      if (!have.has(a + b)) {
        have.add(a + b);
        tokens.push(a + b);
      }
      for (const wi of pairWords.get(best) ?? []) {
        const s = words[wi]!;
        addPairs(wi, -1);
        const merged: string[] = [];
        for (let i = 0; i < s.length; i++) {
          if (i + 1 < s.length && s[i] === a && s[i + 1] === b) {
            merged.push(a + b);
            i++;
          } else merged.push(s[i]!);
        }
        words[wi] = merged;
        addPairs(wi, 1);
      }
      pairCount.delete(best);
      pairWords.delete(best);
    }
    return new BpeVocab(tokens, merges);
  }

  /** The symbols of one word after applying the merges, lowest rank first. */
  private wordIds(word: string): Int32Array {
    const hit = this.cache.get(word);
    if (hit) return hit;
    const s = [...word];
    for (;;) {
      let bestRank = Infinity;
      let at = -1;
      for (let i = 0; i + 1 < s.length; i++) {
        const r = this.ranks.get(`${s[i]} ${s[i + 1]}`);
        if (r !== undefined && r < bestRank) [bestRank, at] = [r, i];
      }
      if (at < 0) break;
      const [a, b] = this.merges[bestRank]!;
      for (let i = 0; i + 1 < s.length; i++) if (s[i] === a && s[i + 1] === b) s.splice(i, 2, a + b);
    }
    const ids = Int32Array.from(s, (sym) => this.index.get(sym) ?? this.unk);
    if (this.cache.size < 200_000) this.cache.set(word, ids);
    return ids;
  }

  /** Token ids of a text (no <bos>/<eos>); characters never seen in training become <unk>. */
  encode(text: string): Int32Array {
    const parts = bpeWords(text).map((w) => this.wordIds(w));
    const out = new Int32Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }

  /** The symbols of a text, as strings (for reading). */
  pieces(text: string): string[] {
    return [...this.encode(text)].map((i) => this.tokens[i]!);
  }

  /** Text of token ids: symbols joined, '▁' read as a space; specials other than <unk> are dropped. */
  decode(ids: ArrayLike<number>): string {
    let s = '';
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (id === this.pad || id === this.bos || id === this.eos) continue;
      s += this.tokens[id] ?? BPE_SPECIALS[1];
    }
    return s.replaceAll(WORD_START, ' ').trim();
  }

  /** The distinct characters of `text` outside the alphabet (they encode as <unk>). */
  unknownCharacters(text: string): string[] {
    const out = new Set<string>();
    for (const ch of text) if (!/\s/u.test(ch) && !this.index.has(ch)) out.add(ch);
    return [...out];
  }

  toJSON(): BpeJson {
    return { kind: 'bpe', tokens: [...this.tokens], merges: this.merges.map(([a, b]) => [a, b]) };
  }

  static fromJSON(j: BpeJson): BpeVocab {
    if (j?.kind !== 'bpe' || !Array.isArray(j.tokens) || !Array.isArray(j.merges))
      throw new Error(`BpeVocab.fromJSON: expected { kind: 'bpe', tokens, merges }, got kind ${JSON.stringify(j?.kind)}`);
    return new BpeVocab(j.tokens, j.merges);
  }
}

import { checkOptions, checkRest, describe } from '../tensor/validate.js';

/**
 * Corpus BLEU (Papineni et al., "BLEU: a Method for Automatic Evaluation of Machine Translation",
 * ACL 2002) computed as sacrebleu computes it by default (Post, "A Call for Clarity in Reporting
 * BLEU Scores", WMT 2018), so our numbers compare with published ones:
 *
 *   BLEU = BP · exp( (1/4) Σ_{n=1..4} log p_n ) · 100
 *   p_n  = Σ_segments Σ_{g ∈ n-grams(hyp)} min(count_hyp(g), max_ref count_ref(g)) / Σ_segments |n-grams(hyp)|
 *   BP   = 1 if c ≥ r, else exp(1 - r / c)      (c: hypothesis tokens, r: reference tokens, corpus-wide;
 *                                                 with several references, each segment's closest length)
 *
 * Statistics are summed over the corpus before dividing (not an average of sentence scores).
 * Both sides are tokenized with the mteval-v13a rules (tokenize13a below), case kept. An order
 * with no match at all gets sacrebleu's default 'exp' smoothing (the NIST rule): the k-th such
 * order counts as 1 / (2^k · total_n) matches. No match of any order gives 0.
 */

// Python's str.isspace() characters: what str.split() and str.rstrip() cut on (JS \s differs: it
// takes U+FEFF and leaves U+001C-U+001F and U+0085).
const PY_SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const SPLIT = new RegExp(`[${PY_SPACE}]+`, 'u');
const TRAIL = new RegExp(`[${PY_SPACE}]+$`, 'u');

/**
 * mteval-v13a tokenization (sacrebleu's default `13a`): drops '<skipped>', joins '-\n', turns
 * newlines into spaces, unescapes &quot; &amp; &lt; &gt;, then spaces out ASCII punctuation and
 * symbols (not apostrophes or hyphens), periods and commas unless between digits, and a dash after
 * a digit. Returns the tokens.
 * @example tokenize13a('He said: "no, 3.5 kg."') // ['He', 'said', ':', '"', 'no', ',', '3.5', 'kg', '.', '"']
 */
export function tokenize13a(line: string, ...extra: never[]): string[] {
  if (typeof line !== 'string') throw new TypeError(`tokenize13a: argument 1 (line) must be a string, got ${describe(line)}`);
  checkRest('tokenize13a', extra, 1, 'tokenize13a(line)');
  let s = line.replaceAll('<skipped>', '').replaceAll('-\n', '').replaceAll('\n', ' ');
  if (s.includes('&')) s = s.replaceAll('&quot;', '"').replaceAll('&amp;', '&').replaceAll('&lt;', '<').replaceAll('&gt;', '>');
  s = ` ${s} `;
  s = s.replace(/([{-~[-` -&(-+:-@/])/g, ' $1 ');
  s = s.replace(/([^0-9])([.,])/g, '$1 $2 ');
  s = s.replace(/([.,])([^0-9])/g, ' $1 $2');
  s = s.replace(/([0-9])(-)/g, '$1 $2 ');
  return s.split(SPLIT).filter((t) => t.length > 0);
}

export interface BleuResult {
  /** Corpus BLEU in [0, 100]. */
  score: number;
  /** Modified n-gram precisions p_1..p_4 in percent (smoothed where an order had no match). */
  precisions: number[];
  /** Brevity penalty BP. */
  bp: number;
  /** Hypothesis tokens c and reference tokens r over the corpus. */
  sysLen: number;
  refLen: number;
  /** Clipped matches and totals per order. */
  correct: number[];
  total: number[];
}

export interface BleuOptions {
  /** Lowercase both sides first (sacrebleu's -lc; default false). */
  lowercase?: boolean;
  /** Highest n-gram order (default 4). */
  maxOrder?: number;
}

function ngramCounts(tokens: readonly string[], maxOrder: number): Map<string, number>[] {
  const out: Map<string, number>[] = [];
  for (let n = 1; n <= maxOrder; n++) {
    const m = new Map<string, number>();
    for (let i = 0; i + n <= tokens.length; i++) {
      // tokens hold no space (they were split on it), so the joined n-gram names it uniquely
      const g = tokens.slice(i, i + n).join(' ');
      m.set(g, (m.get(g) ?? 0) + 1);
    }
    out.push(m);
  }
  return out;
}

/**
 * Corpus BLEU of `hypotheses` against `references`: one list of reference strings per reference
 * set, each as long as `hypotheses` (sacrebleu's layout: `corpusBleu(hyps, [refs])` for one
 * reference per segment). See the module comment for the formula.
 * @example corpusBleu(['the cat sat on the mat'], [['the cat sat on the mat']]).score // 100
 */
export function corpusBleu(
  hypotheses: readonly string[],
  references: readonly (readonly string[])[],
  opts?: BleuOptions,
  ...extra: never[]
): BleuResult {
  const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');
  if (!isStrings(hypotheses))
    throw new TypeError(`corpusBleu: argument 1 (hypotheses) must be a list of strings, got ${describe(hypotheses)}`);
  if (!Array.isArray(references) || references.length === 0 || !references.every(isStrings))
    throw new TypeError(
      `corpusBleu: argument 2 (references) must be a non-empty list of reference sets (lists of strings), got ${describe(references)}`,
    );
  for (const [k, refs] of references.entries())
    if (refs.length !== hypotheses.length)
      throw new Error(`corpusBleu: reference set ${k} has ${refs.length} segments but there are ${hypotheses.length} hypotheses`);
  const o = checkOptions('corpusBleu', 3, opts, { lowercase: 'boolean', maxOrder: 'positiveInt' });
  checkRest('corpusBleu', extra, 3, 'corpusBleu(hypotheses, references, { lowercase, maxOrder })');
  const N = o.maxOrder ?? 4;
  const prep = (s: string): string[] => tokenize13a((o.lowercase ? s.toLowerCase() : s).replace(TRAIL, ''));
  const correct = new Array<number>(N).fill(0);
  const total = new Array<number>(N).fill(0);
  let sysLen = 0;
  let refLen = 0;
  hypotheses.forEach((h, i) => {
    const hyp = prep(h);
    const refs = references.map((r) => prep(r[i]!));
    // the closest reference length (ties: the shorter), as sacrebleu
    let closest = refs[0]!.length;
    for (const r of refs) {
      const d = Math.abs(r.length - hyp.length);
      const dc = Math.abs(closest - hyp.length);
      if (d < dc || (d === dc && r.length < closest)) closest = r.length;
    }
    sysLen += hyp.length;
    refLen += closest;
    const maxRef: Map<string, number>[] = Array.from({ length: N }, () => new Map());
    for (const r of refs)
      ngramCounts(r, N).forEach((m, n) => {
        for (const [g, c] of m) if (c > (maxRef[n]!.get(g) ?? 0)) maxRef[n]!.set(g, c);
      });
    ngramCounts(hyp, N).forEach((m, n) => {
      for (const [g, c] of m) {
        total[n]! += c;
        correct[n]! += Math.min(c, maxRef[n]!.get(g) ?? 0);
      }
    });
  });
  const bp = sysLen < refLen ? (sysLen > 0 ? Math.exp(1 - refLen / sysLen) : 0) : 1;
  const precisions = new Array<number>(N).fill(0);
  if (!correct.some((c) => c > 0)) return { score: 0, precisions, bp, sysLen, refLen, correct, total };
  let smooth = 1;
  for (let n = 0; n < N; n++) {
    if (total[n] === 0) break;
    if (correct[n] === 0) {
      smooth *= 2;
      precisions[n] = 100 / (smooth * total[n]!);
    } else precisions[n] = (100 * correct[n]!) / total[n]!;
  }
  // sacrebleu's my_log: log 0 counts as -9999999999 (an order with no n-gram at all)
  const logSum = precisions.reduce((s, p) => s + (p > 0 ? Math.log(p) : -9999999999), 0);
  return { score: bp * Math.exp(logSum / N), precisions, bp, sysLen, refLen, correct, total };
}

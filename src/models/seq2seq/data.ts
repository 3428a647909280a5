/**
 * Generated sequence-to-sequence tasks (seeded, browser-safe: nothing to download):
 *   addition  "123+45" -> "168": two random operands of up to `digits` digits, every (a, b) pair at
 *             most once, as the curriculum's toy problem (50,000 pairs, 10% held out)
 *   dates     a date written by a person in one of many formats ("Sunday, March 3 1996",
 *             "3/3/96", "3 march 1996", "1996年3月3日", ...) -> ISO 8601 "1996-03-03". The held-out
 *             examples are dates (days) never seen in training in any format.
 * Both return strings; a character vocabulary (seq2seqCharVocab) turns them into ids.
 */
import { Generator } from '../../tensor/random.js';
import { CharVocab } from '../../data/text/vocab.js';
import { checkOptions, checkRest, describe } from '../../tensor/validate.js';

/** One example: the source text and the target text. */
export interface TextPair {
  source: string;
  target: string;
}

/** The special tokens of a seq2seq character vocabulary, at ids 0..3. */
export const PAD = '<pad>';
export const BOS = '<bos>';
export const EOS = '<eos>';
export const SEQ2SEQ_UNK = '<unk>';

/**
 * A character vocabulary for seq2seq: <pad> 0, <bos> 1, <eos> 2, <unk> 3, then every character of
 * `texts` (sorted). Unknown characters encode as <unk>.
 * @example const v = seq2seqCharVocab(['123+45']); v.encode('54') // Int32Array [8, 9]
 */
export function seq2seqCharVocab(texts: readonly string[], ...extra: never[]): CharVocab {
  if (!Array.isArray(texts) || !texts.every((t) => typeof t === 'string'))
    throw new TypeError(`seq2seqCharVocab: argument 1 (texts) must be a list of strings, got ${describe(texts)}`);
  checkRest('seq2seqCharVocab', extra, 1, 'seq2seqCharVocab(texts)');
  const chars = new Set<string>();
  for (const t of texts) for (const ch of t) chars.add(ch);
  return new CharVocab([PAD, BOS, EOS, SEQ2SEQ_UNK, ...[...chars].sort()]);
}

export interface AdditionOptions {
  /** Pairs to generate (default 50,000). */
  count?: number;
  /** Operand digits at most (default 3: operands 0..999). */
  digits?: number;
  /** Seed (default 0). */
  seed?: number;
}

/**
 * `count` distinct additions "a+b" -> "a+b's sum", a and b uniform in [0, 10^digits).
 * @example additionPairs({ count: 2, seed: 1 }) // [{ source: '545+7', target: '552' }, ...]
 */
export function additionPairs(opts: AdditionOptions = {}, ...extra: never[]): TextPair[] {
  const o = checkOptions('additionPairs', 1, opts, { count: 'positiveInt', digits: 'positiveInt', seed: 'int' });
  checkRest('additionPairs', extra, 1, 'additionPairs({ count, digits, seed })');
  const count = o.count ?? 50_000;
  const digits = o.digits ?? 3;
  if (digits > 7) throw new Error(`additionPairs: digits must be at most 7, got ${digits}`);
  const n = 10 ** digits;
  if (count > n * n) throw new Error(`additionPairs: only ${n * n} distinct pairs of ${digits}-digit operands exist, asked for ${count}`);
  const gen = new Generator(o.seed ?? 0);
  const seen = new Set<number>();
  const out: TextPair[] = [];
  while (out.length < count) {
    const a = gen.int(0, n);
    const b = gen.int(0, n);
    if (seen.has(a * n + b)) continue;
    seen.add(a * n + b);
    out.push({ source: `${a}+${b}`, target: String(a + b) });
  }
  return out;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const JA_WEEKDAYS = ['日', '月', '火', '水', '木', '金', '土'];

/** A calendar date; weekday 0 = Sunday. */
interface Day {
  y: number;
  m: number;
  d: number;
  w: number;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');
const ordinal = (n: number): string => {
  const t = n % 100;
  if (t >= 11 && t <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
};
const yy = (y: number): string => pad2(y % 100);

/**
 * The human formats (US month/day order with '/', day.month with '.' and '-'). Two-digit years
 * read as 1950-2049, so the generator's dates stay in that range.
 */
export const DATE_FORMATS: readonly ((x: Day) => string)[] = [
  (x) => `${WEEKDAYS[x.w]}, ${MONTHS[x.m - 1]} ${x.d} ${x.y}`,
  (x) => `${WEEKDAYS[x.w]}, ${MONTHS[x.m - 1]} ${x.d}, ${x.y}`,
  (x) => `${WEEKDAYS[x.w]} ${x.d} ${MONTHS[x.m - 1]} ${x.y}`,
  (x) => `${WEEKDAYS[x.w]!.slice(0, 3)} ${x.d} ${MONTHS[x.m - 1]!.slice(0, 3)} ${x.y}`,
  (x) => `${MONTHS[x.m - 1]} ${x.d}, ${x.y}`,
  (x) => `${MONTHS[x.m - 1]} ${x.d} ${x.y}`,
  (x) => `${MONTHS[x.m - 1]} ${ordinal(x.d)}, ${x.y}`,
  (x) => `${x.d} ${MONTHS[x.m - 1]} ${x.y}`,
  (x) => `${x.d} ${MONTHS[x.m - 1]!.toLowerCase()} ${x.y}`,
  (x) => `the ${ordinal(x.d)} of ${MONTHS[x.m - 1]}, ${x.y}`,
  (x) => `${MONTHS[x.m - 1]!.slice(0, 3)} ${x.d}, ${x.y}`,
  (x) => `${x.d} ${MONTHS[x.m - 1]!.slice(0, 3)} ${x.y}`,
  (x) => `${pad2(x.d)} ${MONTHS[x.m - 1]!.slice(0, 3).toLowerCase()} ${yy(x.y)}`,
  (x) => `${WEEKDAYS[x.w]!.toUpperCase()}, ${MONTHS[x.m - 1]!.toUpperCase()} ${x.d}, ${x.y}`,
  (x) => `${x.m}/${x.d}/${yy(x.y)}`,
  (x) => `${x.m}/${x.d}/${x.y}`,
  (x) => `${pad2(x.m)}/${pad2(x.d)}/${x.y}`,
  (x) => `${x.d}.${x.m}.${x.y}`,
  (x) => `${pad2(x.d)}.${pad2(x.m)}.${yy(x.y)}`,
  (x) => `${pad2(x.d)}-${pad2(x.m)}-${x.y}`,
  (x) => `${x.y}/${x.m}/${x.d}`,
  (x) => `${x.y}.${pad2(x.m)}.${pad2(x.d)}`,
  (x) => `${x.y}${pad2(x.m)}${pad2(x.d)}`,
  (x) => `${x.y}年${x.m}月${x.d}日`,
  (x) => `${x.y}年${x.m}月${x.d}日(${JA_WEEKDAYS[x.w]})`,
];

/** ISO 8601: 1996-03-03. */
export function isoDate(y: number, m: number, d: number): string {
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

/** The day `index` days after 1950-01-01 (UTC, proleptic Gregorian as Date computes it). */
function dayAt(index: number): Day {
  const t = new Date(Date.UTC(1950, 0, 1) + index * 86_400_000);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate(), w: t.getUTCDay() };
}

/** Days from 1950-01-01 to 2049-12-31. */
export const DATE_DAYS = Math.round((Date.UTC(2050, 0, 1) - Date.UTC(1950, 0, 1)) / 86_400_000);

export interface DatesOptions {
  /** Training examples (default 40,000). */
  trainSize?: number;
  /** Held-out examples (default 5,000). */
  validSize?: number;
  /** Fraction of the days 1950-2049 kept for the held-out examples only (default 0.1). */
  heldOutDays?: number;
  /** Seed (default 0). */
  seed?: number;
}

/**
 * Human-written dates -> ISO dates. Days 1950-01-01 .. 2049-12-31 are split at random: a
 * `heldOutDays` fraction of them only ever appears in `valid`; each example draws a day of its
 * side and one of DATE_FORMATS uniformly.
 * @example datePairs({ trainSize: 2, validSize: 1 }).train[0] // { source: '14.2.1983', target: '1983-02-14' }
 */
export function datePairs(opts: DatesOptions = {}, ...extra: never[]): { train: TextPair[]; valid: TextPair[] } {
  const o = checkOptions('datePairs', 1, opts, { trainSize: 'positiveInt', validSize: 'positiveInt', heldOutDays: 'number', seed: 'int' });
  checkRest('datePairs', extra, 1, 'datePairs({ trainSize, validSize, heldOutDays, seed })');
  const frac = o.heldOutDays ?? 0.1;
  if (!(frac > 0 && frac < 1)) throw new Error(`datePairs: heldOutDays must be in (0, 1), got ${frac}`);
  const gen = new Generator(o.seed ?? 0);
  // Fisher-Yates over the day indices: the first `nValid` are the held-out days.
  const days = Int32Array.from({ length: DATE_DAYS }, (_, i) => i);
  for (let i = days.length - 1; i > 0; i--) {
    const j = gen.int(0, i + 1);
    const t = days[i]!;
    days[i] = days[j]!;
    days[j] = t;
  }
  const nValid = Math.round(DATE_DAYS * frac);
  const draw = (from: number, to: number, n: number): TextPair[] =>
    Array.from({ length: n }, () => {
      const day = dayAt(days[gen.int(from, to)]!);
      const fmt = DATE_FORMATS[gen.int(0, DATE_FORMATS.length)]!;
      return { source: fmt(day), target: isoDate(day.y, day.m, day.d) };
    });
  const valid = draw(0, nValid, o.validSize ?? 5000);
  const train = draw(nValid, DATE_DAYS, o.trainSize ?? 40_000);
  return { train, valid };
}

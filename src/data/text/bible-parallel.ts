/**
 * A Spanish-English parallel corpus from two Bibles aligned by verse: Reina-Valera 1909 (SWORD
 * module spaRV1909eb, Debian `sword-text-sparv`) and the World English Bible (engWEB2015eb,
 * Debian `sword-text-web`). This file is browser-safe: it turns the text of `diatheke -f internal`
 * (one verse per line, "Genesis 1:1: <w savlm=...>In</w> ...") into plain verses, aligns the two
 * translations by reference and splits the pairs by book. src/node/bible-parallel.ts runs diatheke.
 *
 * Markup: the modules are OSIS. Word tags (<w>, Strong's numbers in attributes), quotes, poetry
 * lines, paragraphs and the RV1909's <transChange> (words the translators added) keep their words
 * and lose their tags; footnotes (<note>) and non-canonical headings (<title>) are dropped with
 * their text. A canonical psalm title (WEB puts "A Psalm by David..." in a <title canonical="true">
 * before verse 1; RV1909 writes it inside verse 1) is kept at the start of verse 1, so the two
 * sides say the same thing. Two <w> elements with nothing between them (the WEB has
 * "<w>God</w><w>created</w>") are separated by a space.
 */
import { checkOptions, checkRest, describe } from '../../tensor/validate.js';

/** The 66 books: OSIS id (what diatheke accepts), the usual English name, the name diatheke prints. */
export const BIBLE_BOOKS: readonly { osis: string; name: string; printed: string }[] = (
  [
    ['Gen', 'Genesis'],
    ['Exod', 'Exodus'],
    ['Lev', 'Leviticus'],
    ['Num', 'Numbers'],
    ['Deut', 'Deuteronomy'],
    ['Josh', 'Joshua'],
    ['Judg', 'Judges'],
    ['Ruth', 'Ruth'],
    ['1Sam', '1 Samuel', 'I Samuel'],
    ['2Sam', '2 Samuel', 'II Samuel'],
    ['1Kgs', '1 Kings', 'I Kings'],
    ['2Kgs', '2 Kings', 'II Kings'],
    ['1Chr', '1 Chronicles', 'I Chronicles'],
    ['2Chr', '2 Chronicles', 'II Chronicles'],
    ['Ezra', 'Ezra'],
    ['Neh', 'Nehemiah'],
    ['Esth', 'Esther'],
    ['Job', 'Job'],
    ['Ps', 'Psalms'],
    ['Prov', 'Proverbs'],
    ['Eccl', 'Ecclesiastes'],
    ['Song', 'Song of Solomon'],
    ['Isa', 'Isaiah'],
    ['Jer', 'Jeremiah'],
    ['Lam', 'Lamentations'],
    ['Ezek', 'Ezekiel'],
    ['Dan', 'Daniel'],
    ['Hos', 'Hosea'],
    ['Joel', 'Joel'],
    ['Amos', 'Amos'],
    ['Obad', 'Obadiah'],
    ['Jonah', 'Jonah'],
    ['Mic', 'Micah'],
    ['Nah', 'Nahum'],
    ['Hab', 'Habakkuk'],
    ['Zeph', 'Zephaniah'],
    ['Hag', 'Haggai'],
    ['Zech', 'Zechariah'],
    ['Mal', 'Malachi'],
    ['Matt', 'Matthew'],
    ['Mark', 'Mark'],
    ['Luke', 'Luke'],
    ['John', 'John'],
    ['Acts', 'Acts'],
    ['Rom', 'Romans'],
    ['1Cor', '1 Corinthians', 'I Corinthians'],
    ['2Cor', '2 Corinthians', 'II Corinthians'],
    ['Gal', 'Galatians'],
    ['Eph', 'Ephesians'],
    ['Phil', 'Philippians'],
    ['Col', 'Colossians'],
    ['1Thess', '1 Thessalonians', 'I Thessalonians'],
    ['2Thess', '2 Thessalonians', 'II Thessalonians'],
    ['1Tim', '1 Timothy', 'I Timothy'],
    ['2Tim', '2 Timothy', 'II Timothy'],
    ['Titus', 'Titus'],
    ['Phlm', 'Philemon'],
    ['Heb', 'Hebrews'],
    ['Jas', 'James'],
    ['1Pet', '1 Peter', 'I Peter'],
    ['2Pet', '2 Peter', 'II Peter'],
    ['1John', '1 John', 'I John'],
    ['2John', '2 John', 'II John'],
    ['3John', '3 John', 'III John'],
    ['Jude', 'Jude'],
    ['Rev', 'Revelation', 'Revelation of John'],
  ] as const
).map((b) => ({ osis: b[0], name: b[1], printed: b[2] ?? b[1] }));

/** The SWORD modules (and the Debian packages that install them) of the two sides. */
export const BIBLE_MODULES = {
  es: { module: 'spaRV1909eb', package: 'sword-text-sparv', title: 'Reina-Valera 1909' },
  en: { module: 'engWEB2015eb', package: 'sword-text-web', title: 'World English Bible' },
} as const;

export interface BibleVerse {
  /** OSIS book id ('Gen', '1Sam', ...). */
  book: string;
  chapter: number;
  verse: number;
  text: string;
}

export interface VersePair {
  book: string;
  chapter: number;
  verse: number;
  /** Spanish (source) and English (target). */
  es: string;
  en: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Plain text of one verse's OSIS markup (see the module comment). */
export function osisToText(markup: string, ...extra: never[]): string {
  if (typeof markup !== 'string') throw new TypeError(`osisToText: argument 1 (markup) must be a string, got ${describe(markup)}`);
  checkRest('osisToText', extra, 1, 'osisToText(markup)');
  let s = markup.replace(/<note\b[^>]*\/>/g, '').replace(/<note\b[^>]*>[\s\S]*?<\/note>/g, ' ');
  s = s.replace(/<title\b(?![^>]*canonical="true")[^>]*>[\s\S]*?<\/title>/g, ' ');
  s = s.replace(/<\/w>(?=<w[\s>])/g, '</w> ');
  // a tag between two letters joins them (<w>God</w>, or a line break inside a word never occurs);
  // tags that stand for breaks (lines, paragraphs, milestones) become spaces
  s = s.replace(/<(?:l|lg|lb|div|milestone|item|list|chapter|title)\b[^>]*\/?>|<\/(?:l|lg|div|item|list|title)>/g, ' ');
  s = s.replace(/<[^>]*>/g, '');
  s = s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (m, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return ENTITIES[e] ?? m;
  });
  return s
    .replace(/\s+/g, ' ')
    .replace(/ ([,.;:!?”’)\]])/g, '$1')
    .replace(/([“‘(¡¿[]) /g, '$1')
    .trim();
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The verses of one book from `diatheke -b MODULE -f internal -k BOOK` output: every line that
 * holds "<printed name> C:V: " is a verse; what comes before the reference on the line is pre-verse
 * material (headings), of which only a canonical title of verse 1 is kept (diatheke repeats a
 * psalm's title before every verse of it: those copies are dropped). Empty verses are left out.
 */
export function parseDiathekeBook(output: string, book: string, ...extra: never[]): BibleVerse[] {
  if (typeof output !== 'string') throw new TypeError(`parseDiathekeBook: argument 1 (output) must be a string, got ${describe(output)}`);
  checkRest('parseDiathekeBook', extra, 2, 'parseDiathekeBook(output, book)');
  const b = BIBLE_BOOKS.find((x) => x.osis === book);
  if (!b)
    throw new Error(
      `parseDiathekeBook: unknown book '${book}' (expected an OSIS id such as ${BIBLE_BOOKS.slice(0, 3)
        .map((x) => x.osis)
        .join(', ')})`,
    );
  const ref = new RegExp(`${escapeRe(b.printed)} (\\d+):(\\d+): `);
  const out: BibleVerse[] = [];
  for (const line of output.split('\n')) {
    const m = ref.exec(line);
    if (!m) continue;
    const chapter = Number(m[1]);
    const verse = Number(m[2]);
    const before = line.slice(0, m.index);
    let body = line.slice(m.index + m[0].length);
    if (verse === 1) {
      const titles = [...before.matchAll(/<title\b[^>]*canonical="true"[^>]*>([\s\S]*?)<\/title>/g)].map((t) => t[1]!);
      if (titles.length) body = `${titles.join(' ')} ${body}`;
    }
    const text = osisToText(body);
    if (text) out.push({ book, chapter, verse, text });
  }
  return out;
}

/**
 * Pairs the verses the two translations both have (same book, chapter and verse), in the order of
 * `es`. Verses only one side has (versification differences, verses a translation omits) are left
 * out; so are pairs whose lengths differ by more than `maxRatio` (characters, default 3), which
 * catches the few places where the two versifications number the same text differently.
 */
export function alignVerses(
  es: readonly BibleVerse[],
  en: readonly BibleVerse[],
  opts?: { maxRatio?: number },
  ...extra: never[]
): VersePair[] {
  for (const [i, v] of [es, en].entries())
    if (!Array.isArray(v) || !v.every((x: BibleVerse) => typeof x?.text === 'string' && typeof x.book === 'string'))
      throw new TypeError(
        `alignVerses: argument ${i + 1} (${i ? 'en' : 'es'}) must be a list of verses { book, chapter, verse, text }, got ${describe(v)}`,
      );
  const o = checkOptions('alignVerses', 3, opts, { maxRatio: 'number' });
  checkRest('alignVerses', extra, 3, 'alignVerses(es, en, { maxRatio })');
  const maxRatio = o.maxRatio ?? 3;
  if (!(maxRatio >= 1)) throw new Error(`alignVerses: maxRatio must be >= 1, got ${maxRatio}`);
  const key = (v: BibleVerse): string => `${v.book} ${v.chapter}:${v.verse}`;
  const english = new Map(en.map((v) => [key(v), v.text]));
  const out: VersePair[] = [];
  for (const v of es) {
    const t = english.get(key(v));
    if (t === undefined) continue;
    const r = v.text.length / t.length;
    if (r > maxRatio || r < 1 / maxRatio) continue;
    out.push({ book: v.book, chapter: v.chapter, verse: v.verse, es: v.text, en: t });
  }
  return out;
}

/** Held-out books (whole books, so no verse of a test book is seen in training). */
export const TRANSLATION_VALID_BOOKS = ['Ezra', 'Eph'];
export const TRANSLATION_TEST_BOOKS = ['Ruth', 'Jonah', 'Mark'];

/**
 * Splits pairs by book: `valid` and `test` list OSIS ids held out; `train` is every other book
 * (or the books listed). A book in two splits, or a name that is not a book, is refused.
 */
export function splitPairsByBook(
  pairs: readonly VersePair[],
  books: { valid: readonly string[]; test: readonly string[]; train?: readonly string[] },
  ...extra: never[]
): { train: VersePair[]; valid: VersePair[]; test: VersePair[] } {
  if (!Array.isArray(pairs))
    throw new TypeError(`splitPairsByBook: argument 1 (pairs) must be a list of verse pairs, got ${describe(pairs)}`);
  checkOptions('splitPairsByBook', 2, books, { valid: 'any', test: 'any', train: 'any' });
  for (const k of ['valid', 'test', 'train'] as const) {
    const v = books?.[k];
    if ((v !== undefined || k !== 'train') && !(Array.isArray(v) && v.every((b) => typeof b === 'string')))
      throw new TypeError(`splitPairsByBook: option '${k}' must be a list of OSIS book ids, got ${describe(v)}`);
  }
  checkRest('splitPairsByBook', extra, 2, 'splitPairsByBook(pairs, { valid, test, train })');
  const known = new Set(BIBLE_BOOKS.map((b) => b.osis));
  const all = [...books.valid, ...books.test, ...(books.train ?? [])];
  for (const b of all) if (!known.has(b)) throw new Error(`splitPairsByBook: unknown book '${b}' (OSIS ids: ${[...known].join(', ')})`);
  if (new Set(all).size !== all.length) throw new Error(`splitPairsByBook: a book is in two splits (${all.join(', ')})`);
  const valid = new Set(books.valid);
  const test = new Set(books.test);
  const train = books.train ? new Set(books.train) : null;
  return {
    train: pairs.filter((p) => (train ? train.has(p.book) : !valid.has(p.book) && !test.has(p.book))),
    valid: pairs.filter((p) => valid.has(p.book)),
    test: pairs.filter((p) => test.has(p.book)),
  };
}

/** Pairs as tab-separated lines "book<TAB>chapter<TAB>verse<TAB>es<TAB>en" (the cache format). */
export function formatPairs(pairs: readonly VersePair[], ...extra: never[]): string {
  if (!Array.isArray(pairs) || !pairs.every((p: VersePair) => typeof p?.es === 'string' && typeof p.en === 'string'))
    throw new TypeError(
      `formatPairs: argument 1 (pairs) must be a list of verse pairs { book, chapter, verse, es, en }, got ${describe(pairs)}`,
    );
  checkRest('formatPairs', extra, 1, 'formatPairs(pairs)');
  for (const p of pairs)
    if (/[\t\n]/.test(p.es + p.en)) throw new Error(`formatPairs: the verse ${p.book} ${p.chapter}:${p.verse} holds a tab or a newline`);
  return pairs.map((p) => `${p.book}\t${p.chapter}\t${p.verse}\t${p.es}\t${p.en}\n`).join('');
}

/** The inverse of formatPairs; `source` names the file in errors (with the line number). */
export function parsePairs(text: string, source = 'pairs', ...extra: never[]): VersePair[] {
  if (typeof text !== 'string') throw new TypeError(`parsePairs: argument 1 (text) must be a string, got ${describe(text)}`);
  if (typeof source !== 'string') throw new TypeError(`parsePairs: argument 2 (source) must be a string, got ${describe(source)}`);
  checkRest('parsePairs', extra, 2, 'parsePairs(text, source)');
  const out: VersePair[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line) return;
    const f = line.split('\t');
    if (f.length !== 5 || !/^\d+$/.test(f[1]!) || !/^\d+$/.test(f[2]!))
      throw new Error(`parsePairs: ${source} line ${i + 1}: expected book, chapter, verse, Spanish, English separated by tabs`);
    out.push({ book: f[0]!, chapter: Number(f[1]), verse: Number(f[2]), es: f[3]!, en: f[4]! });
  });
  return out;
}

/**
 * The King James Bible (~31k verses, ~790k words in 66 books) as a language-modelling corpus.
 * Looked up in this order:
 *   1. the data directory: opts.dataDir, else $SHINSOU_DATA, else ~/.cache/shinsou (kjv/kjv.txt)
 *   2. Debian's `bible-kjv-text` (the compressed text in /usr/lib/bible.data) dumped with the
 *      `bible` program of `bible-kjv`: `bible -f Gen1:1-Rev22:21` (pretty-printing off: one verse
 *      per line, "Ge1:1 In the beginning ...")
 *   3. the upstream text: Project Gutenberg's eBook #10 (plain text), parsed into the same lines.
 * The first found is cached in the data directory as kjv.txt. Offline with none of them, the
 * error says which Debian packages to install.
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { READ_LIMITS, fetchLimited, readTextFileLimited, writeFileAtomic } from './files.js';
import { defaultDataDir } from './fashion-mnist.js';

/** The 66 books in canonical order: the `bible` program's abbreviation and the usual name. */
export const KJV_BOOKS: readonly { abbr: string; name: string }[] = [
  ['Ge', 'Genesis'],
  ['Exo', 'Exodus'],
  ['Lev', 'Leviticus'],
  ['Num', 'Numbers'],
  ['Deu', 'Deuteronomy'],
  ['Josh', 'Joshua'],
  ['Jdgs', 'Judges'],
  ['Ruth', 'Ruth'],
  ['1Sm', '1 Samuel'],
  ['2Sm', '2 Samuel'],
  ['1Ki', '1 Kings'],
  ['2Ki', '2 Kings'],
  ['1Chr', '1 Chronicles'],
  ['2Chr', '2 Chronicles'],
  ['Ezra', 'Ezra'],
  ['Neh', 'Nehemiah'],
  ['Est', 'Esther'],
  ['Job', 'Job'],
  ['Psa', 'Psalms'],
  ['Prv', 'Proverbs'],
  ['Eccl', 'Ecclesiastes'],
  ['SSol', 'Song of Solomon'],
  ['Isa', 'Isaiah'],
  ['Jer', 'Jeremiah'],
  ['Lam', 'Lamentations'],
  ['Eze', 'Ezekiel'],
  ['Dan', 'Daniel'],
  ['Hos', 'Hosea'],
  ['Joel', 'Joel'],
  ['Amos', 'Amos'],
  ['Obad', 'Obadiah'],
  ['Jonah', 'Jonah'],
  ['Mic', 'Micah'],
  ['Nahum', 'Nahum'],
  ['Hab', 'Habakkuk'],
  ['Zep', 'Zephaniah'],
  ['Hag', 'Haggai'],
  ['Zec', 'Zechariah'],
  ['Mal', 'Malachi'],
  ['Mat', 'Matthew'],
  ['Mark', 'Mark'],
  ['Luke', 'Luke'],
  ['John', 'John'],
  ['Acts', 'Acts'],
  ['Rom', 'Romans'],
  ['1Cor', '1 Corinthians'],
  ['2Cor', '2 Corinthians'],
  ['Gal', 'Galatians'],
  ['Eph', 'Ephesians'],
  ['Phi', 'Philippians'],
  ['Col', 'Colossians'],
  ['1Th', '1 Thessalonians'],
  ['2Th', '2 Thessalonians'],
  ['1Tim', '1 Timothy'],
  ['2Tim', '2 Timothy'],
  ['Titus', 'Titus'],
  ['Phmn', 'Philemon'],
  ['Heb', 'Hebrews'],
  ['Jas', 'James'],
  ['1Pet', '1 Peter'],
  ['2Pet', '2 Peter'],
  ['1Jn', '1 John'],
  ['2Jn', '2 John'],
  ['3Jn', '3 John'],
  ['Jude', 'Jude'],
  ['Rev', 'Revelation'],
].map(([abbr, name]) => ({ abbr: abbr!, name: name! }));

export interface Verse {
  /** Canonical book name, e.g. 'Genesis', '1 Samuel'. */
  book: string;
  chapter: number;
  verse: number;
  text: string;
}

/** Project Gutenberg's plain-text KJV (eBook #10). */
export const KJV_GUTENBERG_URL = 'https://www.gutenberg.org/cache/epub/10/pg10.txt';
/** The `bible` program's data file from Debian's bible-kjv-text. */
export const DEBIAN_BIBLE_DATA = '/usr/lib/bible.data';

const byAbbr = new Map(KJV_BOOKS.map((b) => [b.abbr.toLowerCase(), b.name]));

/** Parses `bible -f` output (or our cached kjv.txt): lines "Ge1:1 In the beginning ...". */
export function parseBibleDump(text: string): Verse[] {
  const verses: Verse[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\d?[A-Za-z]+)(\d+):(\d+) (.*)$/.exec(line.trimEnd());
    if (!m) continue;
    const book = byAbbr.get(m[1]!.toLowerCase());
    if (!book) throw new Error(`kjv: unknown book abbreviation '${m[1]}' in line: ${line.slice(0, 60)}`);
    verses.push({ book, chapter: Number(m[2]), verse: Number(m[3]), text: m[4]!.trim() });
  }
  return verses;
}

/**
 * Parses Project Gutenberg's KJV: verses "c:v text" that may wrap over several lines, books in
 * canonical order. A new book starts wherever the reference goes back to 1:1.
 */
export function parseGutenberg(text: string): Verse[] {
  const start = text.search(/^\s*1:1 /m);
  const endMark = text.indexOf('*** END OF');
  const body = text.slice(Math.max(0, start), endMark > 0 ? endMark : undefined).replace(/\r/g, '');
  const verses: Verse[] = [];
  let bookIndex = -1;
  const re = /(\d+):(\d+) ([\s\S]*?)(?=\s\d+:\d+ |\n\s*\n|$)/g;
  for (const m of body.matchAll(re)) {
    const chapter = Number(m[1]);
    const verse = Number(m[2]);
    if (chapter === 1 && verse === 1) bookIndex++;
    const book = KJV_BOOKS[bookIndex];
    if (!book) break;
    verses.push({ book: book.name, chapter, verse, text: m[3]!.replace(/\s+/g, ' ').trim() });
  }
  return verses;
}

/** Our cache format: the `bible -f` line format. */
function formatDump(verses: readonly Verse[]): string {
  const abbr = new Map(KJV_BOOKS.map((b) => [b.name, b.abbr]));
  return verses.map((v) => `${abbr.get(v.book)}${v.chapter}:${v.verse} ${v.text}`).join('\n') + '\n';
}

export interface KjvOptions {
  /** Data directory (default $SHINSOU_DATA, else ~/.cache/shinsou); the text is cached in its kjv/ folder. */
  dataDir?: string;
  /** The `bible` program (default: 'bible' on the PATH). */
  bibleProgram?: string;
  /** Try the upstream download when nothing local exists (default true). */
  download?: boolean;
  url?: string;
  log?: (msg: string) => void;
}

/** Dumps the whole text with the `bible` program, or returns null when it is not installed. */
function dumpWithBibleProgram(program: string): string | null {
  const r = spawnSync(program, ['-f', 'Gen1:1-Rev22:21'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error || r.status !== 0 || !r.stdout) return null;
  return r.stdout;
}

/** All 31,102 verses of the KJV (see the module comment for where they come from). */
export async function loadKjv(opts: KjvOptions = {}): Promise<{ verses: Verse[]; source: string }> {
  const log = opts.log ?? (() => {});
  const cache = join(defaultDataDir(opts.dataDir), 'kjv', 'kjv.txt');
  if (existsSync(cache)) return { verses: parseBibleDump(readTextFileLimited(cache, READ_LIMITS.text, 'text')), source: cache };
  const reasons: string[] = [];
  const program = opts.bibleProgram ?? 'bible';
  const dump = dumpWithBibleProgram(program);
  if (dump) {
    const verses = parseBibleDump(dump);
    if (verses.length > 0) {
      writeFileAtomic(cache, formatDump(verses));
      log(`kjv: dumped ${verses.length} verses with \`${program} -f Gen1:1-Rev22:21\` into ${cache}`);
      return { verses, source: `${program} (${DEBIAN_BIBLE_DATA})` };
    }
  }
  reasons.push(`the \`${program}\` program did not run or printed nothing`);
  if (opts.download !== false) {
    const url = opts.url ?? KJV_GUTENBERG_URL;
    try {
      log(`kjv: downloading ${url}`);
      const verses = parseGutenberg(new TextDecoder('utf-8').decode(await fetchLimited(url, READ_LIMITS.text)));
      if (verses.length < 1000) throw new Error(`only ${verses.length} verses could be parsed`);
      writeFileAtomic(cache, formatDump(verses));
      return { verses, source: url };
    } catch (e) {
      reasons.push(`download of ${url} failed: ${(e as Error).message}`);
    }
  }
  throw new Error(
    `kjv: the King James Bible text was not found (${reasons.join('; ')}). ` +
      `Install the Debian packages bible-kjv and bible-kjv-text (apt-get install bible-kjv bible-kjv-text), ` +
      `or put a kjv.txt ("Ge1:1 In the beginning ..." lines) into ${join(defaultDataDir(opts.dataDir), 'kjv')}.`,
  );
}

export interface KjvSplitOptions {
  /** Books held out for validation (default Joshua and Mark). */
  valid?: readonly string[];
  /** Books held out for testing (default Judges and Luke). */
  test?: readonly string[];
  /** Training books (default every book not held out). */
  train?: readonly string[];
}

/** Train/valid/test texts (one verse per line), split by book so no book leaks across splits. */
export function splitByBook(verses: readonly Verse[], o: KjvSplitOptions = {}): { train: string; valid: string; test: string } {
  const valid = new Set(o.valid ?? ['Joshua', 'Mark']);
  const test = new Set(o.test ?? ['Judges', 'Luke']);
  const known = new Set(KJV_BOOKS.map((b) => b.name));
  for (const b of [...valid, ...test, ...(o.train ?? [])]) if (!known.has(b)) throw new Error(`kjv: unknown book '${b}'`);
  const train = o.train ? new Set(o.train) : null;
  const out = { train: [] as string[], valid: [] as string[], test: [] as string[] };
  for (const v of verses) {
    if (valid.has(v.book)) out.valid.push(v.text);
    else if (test.has(v.book)) out.test.push(v.text);
    else if (!train || train.has(v.book)) out.train.push(v.text);
  }
  return { train: out.train.join('\n'), valid: out.valid.join('\n'), test: out.test.join('\n') };
}

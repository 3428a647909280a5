/**
 * The Spanish-English Bible verse pairs (src/data/text/bible-parallel.ts), for Node. Looked up in
 * this order:
 *   1. the data directory: opts.dataDir, else $SHINSOU_DATA, else ~/.cache/shinsou
 *      (bible-es-en/pairs.tsv, the tab-separated cache this loader writes);
 *   2. the SWORD modules Debian's `sword-text-sparv` and `sword-text-web` install under
 *      /usr/share/sword, read book by book with `diatheke -b MODULE -f internal -k BOOK` (Debian
 *      `diatheke`), then aligned by verse and cached as in 1.
 * There is no download: the modules' own format (zText) is read by diatheke. Offline without the
 * packages the error names them: apt-get install diatheke sword-text-sparv sword-text-web.
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import {
  BIBLE_BOOKS,
  BIBLE_MODULES,
  alignVerses,
  formatPairs,
  parseDiathekeBook,
  parsePairs,
  type BibleVerse,
  type VersePair,
} from '../data/text/bible-parallel.js';
import { READ_LIMITS, readTextFileLimited, writeFileAtomic } from './files.js';
import { defaultDataDir } from './fashion-mnist.js';

export interface BibleParallelOptions {
  /** Data directory (default $SHINSOU_DATA, else ~/.cache/shinsou); the pairs are cached in its bible-es-en/ folder. */
  dataDir?: string;
  /** The diatheke program (default 'diatheke' on the PATH). */
  diatheke?: string;
  log?: (msg: string) => void;
}

const INSTALL = `apt-get install diatheke ${BIBLE_MODULES.es.package} ${BIBLE_MODULES.en.package}`;

/** One module's verses, book by book, or the reason it could not be read. */
function readModule(program: string, module: string): { verses: BibleVerse[] } | { error: string } {
  const verses: BibleVerse[] = [];
  for (const b of BIBLE_BOOKS) {
    const r = spawnSync(program, ['-b', module, '-f', 'internal', '-k', b.osis], { encoding: 'utf8', maxBuffer: 64 << 20 });
    if (r.error) return { error: `\`${program}\` did not run (${r.error.message})` };
    if (r.status !== 0)
      return { error: `\`${program} -b ${module} -k ${b.osis}\` exited with status ${r.status}: ${r.stderr.trim().slice(0, 200)}` };
    const got = parseDiathekeBook(r.stdout, b.osis);
    if (got.length === 0)
      return { error: `\`${program} -b ${module} -k ${b.osis}\` printed no verse (is the module ${module} installed?)` };
    verses.push(...got);
  }
  return { verses };
}

/** About 31,000 verse pairs, Spanish (RV1909) and English (WEB), in canonical order (see the module comment). */
export function loadBibleParallel(opts: BibleParallelOptions = {}): { pairs: VersePair[]; source: string } {
  const log = opts.log ?? (() => {});
  const dir = join(defaultDataDir(opts.dataDir), 'bible-es-en');
  const cache = join(dir, 'pairs.tsv');
  if (existsSync(cache)) return { pairs: parsePairs(readTextFileLimited(cache, READ_LIMITS.text, 'verse pairs'), cache), source: cache };
  const program = opts.diatheke ?? 'diatheke';
  const es = readModule(program, BIBLE_MODULES.es.module);
  const en = 'error' in es ? es : readModule(program, BIBLE_MODULES.en.module);
  if ('error' in es || 'error' in en) {
    const why = 'error' in es ? es.error : (en as { error: string }).error;
    throw new Error(
      `bible-parallel: the Spanish and English Bibles were not found (${why}). ` +
        `Install the Debian packages: ${INSTALL}; or put a pairs.tsv ("book<TAB>chapter<TAB>verse<TAB>Spanish<TAB>English" lines) into ${dir}.`,
    );
  }
  const pairs = alignVerses(es.verses, en.verses);
  writeFileAtomic(cache, formatPairs(pairs));
  log(
    `bible-parallel: ${es.verses.length} Spanish and ${en.verses.length} English verses read with diatheke, ${pairs.length} pairs aligned, cached in ${cache}`,
  );
  return { pairs, source: `diatheke (${BIBLE_MODULES.es.module}, ${BIBLE_MODULES.en.module})` };
}

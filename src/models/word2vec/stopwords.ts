import { checkArg, checkRest, describe } from '../../tensor/validate.js';

/**
 * Stop words for choosing "content words" in the KJV: English function words (articles,
 * pronouns, prepositions, conjunctions, auxiliaries and modal verbs, a few adverbs of degree and
 * time) with the KJV's archaic forms (thee, thou, thy, thine, ye, hath, hast, doth, shalt, wilt,
 * unto, thereof, wherefore...). A content word is any other word; docs/word2vec.md compares
 * neighbour lists on the 200 most frequent content words. The list is ours, written for this text.
 */
export const KJV_STOP_WORDS: ReadonlySet<string> = new Set(
  `
a about above after again against all also am an and any are art as at be because been before being
below between both but by can canst could did didst do doth dost down during each either even ever
every for from further had hadst has hast hath have having he her here hers herself him himself his
how i if in into is it its itself just may mayest me might mine more most must my myself neither nay
no nor not now o of off oh on once only or other ought our ours ourselves out over own same shall
shalt she should shouldest so some such than that the thee their theirs them themselves then there
thereof therefore therein thereon thereby thereto these they thine this those thou though through thus
thy thyself to too under unto until up upon us very was wast we were wert what whatsoever when whence
where wherefore wherein whereof whereby whether which while whither who whom whose whosoever why will
wilt with within without would ye yea yet you your yours yourselves also lo behold hither thither
yonder ere among amongst toward towards let
`
    .split(/\s+/)
    .filter(Boolean),
);

/** The n most frequent words of a frequency-sorted word list that are not stop words. */
export function contentWords(
  wordsByFrequency: readonly string[],
  n: number,
  stop: ReadonlySet<string> = KJV_STOP_WORDS,
  ...extra: never[]
): string[] {
  if (!Array.isArray(wordsByFrequency) || !wordsByFrequency.every((w) => typeof w === 'string'))
    throw new TypeError(`contentWords: wordsByFrequency must be an array of strings, got ${describe(wordsByFrequency)}`);
  checkArg('contentWords', 'n', n, 'nonNegativeInt');
  if (!(stop instanceof Set)) throw new TypeError(`contentWords: stop must be a Set of words, got ${describe(stop)}`);
  checkRest('contentWords', extra, 3, 'contentWords(wordsByFrequency, n, stop?)');
  const out: string[] = [];
  for (const w of wordsByFrequency) {
    if (out.length >= n) break;
    if (!stop.has(w)) out.push(w);
  }
  return out;
}

/**
 * An analogy test written for the KJV (our tokenisation: lower case, possessives joined). Each
 * section is a relation given by hand-written word pairs, every word occurring at least 5 times in
 * the KJV; the questions are every ordered couple of distinct pairs (a, b), (c, d) of a section,
 * read "a : b :: c : d", leaving out those whose answer d is one of a, b, c (3CosAdd excludes
 * them, so they could never be answered). fixtures/word2vec/kjv-analogies.txt holds the same
 * questions in the questions-words format gensim reads (`: section` lines, then "a b c d").
 */
import type { AnalogyQuestion } from './evaluate.js';
import { checkRest, describe } from '../../tensor/validate.js';

/** The relations and their pairs (a, b): "b is a's son", "b is a's wife", and so on. */
export const KJV_ANALOGY_PAIRS: Readonly<Record<string, readonly (readonly [string, string])[]>> = {
  // b is a son of a (as the text names him "b the son of a")
  'family-father-son': [
    ['abraham', 'isaac'],
    ['isaac', 'jacob'],
    ['jesse', 'david'],
    ['david', 'solomon'],
    ['solomon', 'rehoboam'],
    ['saul', 'jonathan'],
    ['kish', 'saul'],
    ['nun', 'joshua'],
    ['jephunneh', 'caleb'],
    ['nebat', 'jeroboam'],
    ['ner', 'abner'],
    ['amoz', 'isaiah'],
    ['remaliah', 'pekah'],
    ['nimshi', 'jehu'],
  ],
  'family-husband-wife': [
    ['abraham', 'sarah'],
    ['isaac', 'rebekah'],
    ['jacob', 'rachel'],
    ['ahab', 'jezebel'],
    ['boaz', 'ruth'],
    ['elkanah', 'hannah'],
    ['aquila', 'priscilla'],
    ['ahasuerus', 'esther'],
    ['nabal', 'abigail'],
    ['uriah', 'bathsheba'],
    ['zacharias', 'elisabeth'],
  ],
  'family-male-female': [
    ['man', 'woman'],
    ['men', 'women'],
    ['king', 'queen'],
    ['son', 'daughter'],
    ['sons', 'daughters'],
    ['brother', 'sister'],
    ['brethren', 'sisters'],
    ['father', 'mother'],
    ['husband', 'wife'],
    ['manservant', 'maidservant'],
    ['bridegroom', 'bride'],
  ],
  // places: a land or ancestor and its people
  'places-land-people': [
    ['egypt', 'egyptians'],
    ['moab', 'moabites'],
    ['edom', 'edomites'],
    ['ammon', 'ammonites'],
    ['canaan', 'canaanites'],
    ['amalek', 'amalekites'],
    ['midian', 'midianites'],
    ['syria', 'syrians'],
    ['israel', 'israelites'],
    ['assyria', 'assyrians'],
    ['benjamin', 'benjamites'],
    ['reuben', 'reubenites'],
    ['gad', 'gadites'],
    ['levi', 'levites'],
  ],
  'verbs-past': [
    ['go', 'went'],
    ['come', 'came'],
    ['give', 'gave'],
    ['take', 'took'],
    ['speak', 'spake'],
    ['see', 'saw'],
    ['know', 'knew'],
    ['hear', 'heard'],
    ['bring', 'brought'],
    ['smite', 'smote'],
    ['slay', 'slew'],
    ['stand', 'stood'],
    ['find', 'found'],
    ['send', 'sent'],
  ],
  'verbs-third-person': [
    ['say', 'saith'],
    ['love', 'loveth'],
    ['go', 'goeth'],
    ['come', 'cometh'],
    ['know', 'knoweth'],
    ['give', 'giveth'],
    ['hear', 'heareth'],
    ['see', 'seeth'],
    ['make', 'maketh'],
    ['speak', 'speaketh'],
    ['believe', 'believeth'],
    ['seek', 'seeketh'],
    ['walk', 'walketh'],
    ['do', 'doeth'],
  ],
  'nouns-plural': [
    ['son', 'sons'],
    ['daughter', 'daughters'],
    ['king', 'kings'],
    ['city', 'cities'],
    ['priest', 'priests'],
    ['child', 'children'],
    ['servant', 'servants'],
    ['prophet', 'prophets'],
    ['nation', 'nations'],
    ['hand', 'hands'],
    ['tribe', 'tribes'],
    ['angel', 'angels'],
    ['enemy', 'enemies'],
    ['altar', 'altars'],
  ],
};

/** Every question of KJV_ANALOGY_PAIRS (see the module comment), sections in order. */
export function kjvAnalogyQuestions(...extra: never[]): AnalogyQuestion[] {
  checkRest('kjvAnalogyQuestions', extra, 0, 'kjvAnalogyQuestions()');
  const out: AnalogyQuestion[] = [];
  for (const [section, pairs] of Object.entries(KJV_ANALOGY_PAIRS)) {
    for (const [a, b] of pairs)
      for (const [c, d] of pairs) {
        if (a === c && b === d) continue;
        if (d === a || d === b || d === c) continue;
        out.push({ section, a, b, c, d });
      }
  }
  return out;
}

/** The questions in gensim's questions-words format: ": section" headers, then "a b c d" lines. */
export function formatAnalogies(questions: readonly AnalogyQuestion[], ...extra: never[]): string {
  if (!Array.isArray(questions) || !questions.every((q) => q && typeof (q as AnalogyQuestion).section === 'string'))
    throw new TypeError(`formatAnalogies: questions must be an array of { section, a, b, c, d }, got ${describe(questions)}`);
  checkRest('formatAnalogies', extra, 1, 'formatAnalogies(questions)');
  const lines: string[] = [];
  let section = '';
  for (const q of questions) {
    if (q.section !== section) {
      section = q.section;
      lines.push(`: ${section}`);
    }
    lines.push(`${q.a} ${q.b} ${q.c} ${q.d}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Multi-turn dialogue examples: each turn, with up to k turns before it in the same scene as its
 * context, becomes one example "context -> response" (the HRED/VHRED setting: Serban et al.,
 * "Building End-To-End Dialogue Systems Using Generative Hierarchical Neural Network Models",
 * AAAI 2016). Browser-safe; the turns come from a parser such as parseWesnothDialogue.
 */
import { checkOptions, checkRest, describe } from '../../tensor/validate.js';
import { tokenizeWords } from './vocab.js';
import type { DialogueTurn } from './wesnoth.js';

export interface DialogueExample {
  /** The turns before the response, oldest first (1..contextTurns of them, same scene). */
  context: DialogueTurn[];
  response: DialogueTurn;
}

export interface DialogueExamplesOptions {
  /** Turns of context at most (default 3). */
  contextTurns?: number;
  /** Turns of context at least: a scene's first turns with fewer are not responses (default 1). */
  minContext?: number;
}

/**
 * Examples from turns in order: a scene is a run of consecutive turns with the same source and
 * scene number; a turn's context is the (up to) contextTurns turns before it in its scene.
 * @example dialogueExamples(turns, { contextTurns: 3 }) // [{ context: [t0], response: t1 }, { context: [t0, t1], response: t2 }, ...]
 */
export function dialogueExamples(turns: readonly DialogueTurn[], opts?: DialogueExamplesOptions, ...extra: never[]): DialogueExample[] {
  if (!Array.isArray(turns)) throw new TypeError(`dialogueExamples: argument 1 (turns) must be a list of turns, got ${describe(turns)}`);
  const o = checkOptions('dialogueExamples', 2, opts, { contextTurns: 'positiveInt', minContext: 'positiveInt' });
  checkRest('dialogueExamples', extra, 2, 'dialogueExamples(turns, { contextTurns, minContext })');
  const k = o.contextTurns ?? 3;
  const minContext = o.minContext ?? 1;
  if (minContext > k) throw new Error(`dialogueExamples: minContext (${minContext}) must not exceed contextTurns (${k})`);
  const out: DialogueExample[] = [];
  let start = 0;
  turns.forEach((t, i) => {
    if (!t || typeof t.text !== 'string' || typeof t.speaker !== 'string')
      throw new TypeError(`dialogueExamples: turns[${i}] must be a turn {speaker, text, scene, source}, got ${describe(t)}`);
    const prev = turns[i - 1];
    if (i > 0 && (prev!.scene !== t.scene || prev!.source !== t.source)) start = i;
    const from = Math.max(start, i - k);
    if (i - from >= minContext) out.push({ context: turns.slice(from, i), response: t });
  });
  return out;
}

/**
 * The word tokens of a dialogue turn: accents and typographic quotes and dashes folded to ASCII
 * (’ -> ', — -> -), then tokenizeWords (lower-cased words, numbers and single punctuation marks).
 * @example tokenizeDialogue('Grüü’s axe — ready!') // ['gruu's', 'axe', '-', 'ready', '!']
 */
export function tokenizeDialogue(text: string, ...extra: never[]): string[] {
  if (typeof text !== 'string') throw new TypeError(`tokenizeDialogue: argument 1 (text) must be a string, got ${describe(text)}`);
  checkRest('tokenizeDialogue', extra, 1, 'tokenizeDialogue(text)');
  const ascii = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/\u2026/g, '...');
  return tokenizeWords(ascii);
}

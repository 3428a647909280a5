/**
 * The dialogue of a Wesnoth scenario: the `[message]` turns of a WML file, speakers kept, in the
 * order they are written. Browser-safe: text in, turns out (src/node/wesnoth.ts finds the files).
 *
 * WML, as far as dialogue needs it:
 *   [event] name=start
 *       [message]
 *           speaker=Konrad
 *           message= _ "We must make haste!"     # a translatable string: _ "..."
 *       [/message]
 *   [/event]
 * Handled: translatable strings `_ "..."` and plain `"..."`, doubled quotes inside a string (`""`
 * is one `"`), strings over several lines, pieces joined with `+` (also across lines), raw
 * strings `<< ... >>`, comments and preprocessor lines (`#...`, outside strings), a translation
 * context before `^` ("female^Who goes there?"), Pango markup (`<i>...</i>`) and `$variable`
 * substitutions (dropped). Between attributes a macro call's name is skipped and its arguments
 * are read as WML, so `[message]` blocks passed to a macro count; a message value written as a
 * macro call keeps the translatable strings inside it (`message={WHISPER (_ "Quiet!")}`). A message with no text (only `$variable`) is
 * dropped. `[message]` tags nested in another message's `[option]` are turns of their own, in
 * the order their tags open. Only the message's own attributes count (an `[option]`'s message=
 * is a menu label, not a turn).
 */
import { checkOptions, checkRest, describe } from '../../tensor/validate.js';

/** One turn of dialogue. */
export interface DialogueTurn {
  /** speaker= (else id=, else role=, else 'unknown'); 'narrator', 'unit' and 'second_unit' are WML's generic speakers. */
  speaker: string;
  /** The message text: markup and variables removed, whitespace collapsed. */
  text: string;
  /**
   * The scene: turns in the same `[event]` (the innermost one) share it; turns outside any event
   * have scene -1. Contexts are built within a scene (src/data/text/dialogue.ts).
   */
  scene: number;
  /** Where the turn came from (the `source` option, e.g. the file name). */
  source: string;
}

export interface ParseWesnothOptions {
  /** Stored in every turn's `source` (default ''). */
  source?: string;
}

/** The mainline campaigns of Wesnoth 1.16 and their Debian packages. */
export const WESNOTH_CAMPAIGNS: readonly { name: string; package: string }[] = [
  ['Dead_Water', 'dw'],
  ['Delfadors_Memoirs', 'dm'],
  ['Descent_Into_Darkness', 'did'],
  ['Eastern_Invasion', 'ei'],
  ['Heir_To_The_Throne', 'httt'],
  ['Legend_of_Wesmere', 'low'],
  ['Liberty', 'l'],
  ['Northern_Rebirth', 'nr'],
  ['Sceptre_of_Fire', 'sof'],
  ['Secrets_of_the_Ancients', 'sota'],
  ['Son_Of_The_Black_Eye', 'sotbe'],
  ['The_Hammer_of_Thursagan', 'thot'],
  ['The_Rise_Of_Wesnoth', 'trow'],
  ['The_South_Guard', 'tsg'],
  ['Two_Brothers', 'ttb'],
  ['Under_the_Burning_Suns', 'utbs'],
  ['tutorial', 'data'],
].map(([name, pkg]) => ({ name: name!, package: `wesnoth-1.16-${pkg}` }));

interface Frame {
  tag: string;
  /** For a [message]: its slot in the output and its attributes. */
  slot?: number;
  attrs?: Map<string, string>;
  /** For an [event]: its scene number. */
  scene?: number;
}

/** Cleans a message: translation context, markup and $variables out, whitespace collapsed. */
function cleanText(s: string): string {
  return s
    .replace(/^[A-Za-z][A-Za-z ]*\^/, '')
    .replace(/<[^<>]*>/g, '')
    .replace(/\$[A-Za-z_][\w.]*(?:\[[^\]]*\][\w.]*)*\|?/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The `[message]` turns of one WML file, in order.
 * @example parseWesnothDialogue('[message]\nspeaker=Konrad\nmessage= _ "Onward!"\n[/message]') // [{ speaker: 'Konrad', text: 'Onward!', scene: -1, source: '' }]
 */
export function parseWesnothDialogue(wml: string, opts?: ParseWesnothOptions, ...extra: never[]): DialogueTurn[] {
  if (typeof wml !== 'string') throw new TypeError(`parseWesnothDialogue: argument 1 (wml) must be a string, got ${describe(wml)}`);
  const o = checkOptions('parseWesnothDialogue', 2, opts, { source: 'string' });
  checkRest('parseWesnothDialogue', extra, 2, 'parseWesnothDialogue(wml, { source })');
  const source = o.source ?? '';
  const n = wml.length;
  let i = 0;
  const stack: Frame[] = [];
  const slots: (DialogueTurn | null)[] = [];
  let scenes = 0;

  const skipLine = (): void => {
    while (i < n && wml[i] !== '\n') i++;
  };
  /** A quoted string starting at wml[i] === '"'; '""' inside is one quote. */
  const readString = (): string => {
    let out = '';
    i++;
    while (i < n) {
      const ch = wml[i]!;
      if (ch === '"') {
        if (wml[i + 1] === '"') {
          out += '"';
          i += 2;
          continue;
        }
        i++;
        return out;
      }
      out += ch;
      i++;
    }
    return out; // an unterminated string runs to the end of the file, as the game reads it
  };
  /** A macro call starting at wml[i] === '{', braces balanced, strings skipped; returns its text. */
  const readMacro = (): string => {
    const start = i;
    let depth = 0;
    while (i < n) {
      const ch = wml[i]!;
      if (ch === '"') {
        readString();
        continue;
      }
      i++;
      if (ch === '{') depth++;
      else if (ch === '}' && --depth === 0) break;
    }
    return wml.slice(start, i);
  };
  /** The translatable strings inside a macro call's text. */
  const macroStrings = (s: string): string[] => [...s.matchAll(/_\s*"((?:[^"]|"")*)"/g)].map((m) => m[1]!.replace(/""/g, '"'));
  /** Skips spaces, tabs, newlines and comments (after a '+', a value continues on the next line). */
  const skipBlank = (): void => {
    while (i < n) {
      const ch = wml[i]!;
      if (ch === '#') skipLine();
      else if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n') i++;
      else break;
    }
  };
  /** An attribute value: pieces joined by '+'. Returns the text of its quoted pieces ('' when none). */
  const readValue = (): string => {
    let text = '';
    for (;;) {
      while (i < n && (wml[i] === ' ' || wml[i] === '\t')) i++;
      if (wml[i] === '_' && /[\s"<]/.test(wml[i + 1] ?? '')) {
        i++;
        while (i < n && (wml[i] === ' ' || wml[i] === '\t')) i++;
      }
      const ch = wml[i];
      if (ch === '"') text += readString();
      else if (ch === '<' && wml[i + 1] === '<') {
        const end = wml.indexOf('>>', i + 2);
        text += wml.slice(i + 2, end < 0 ? n : end);
        i = end < 0 ? n : end + 2;
      } else if (ch === '{') text += macroStrings(readMacro()).join(' ');
      else {
        // Unquoted: runs to the end of the line, or to a '+' or a comment ($variables, numbers, ids).
        const start = i;
        while (i < n && wml[i] !== '\n' && wml[i] !== '+' && wml[i] !== '#') i++;
        text += wml.slice(start, i).trim();
      }
      while (i < n && (wml[i] === ' ' || wml[i] === '\t')) i++;
      if (wml[i] !== '+') break;
      i++;
      skipBlank();
    }
    return text;
  };

  /** Pops the innermost tag; a [message] fills its slot (or leaves it empty when it has no text). */
  const closeTop = (): void => {
    const f = stack.pop()!;
    if (f.tag !== 'message') return;
    const a = f.attrs!;
    const text = cleanText(a.get('message') ?? '');
    const ev = [...stack].reverse().find((s) => s.scene !== undefined);
    slots[f.slot!] = text
      ? { speaker: a.get('speaker') || a.get('id') || a.get('role') || 'unknown', text, scene: ev?.scene ?? -1, source }
      : null;
  };

  while (i < n) {
    skipBlank();
    if (i >= n) break;
    const ch = wml[i]!;
    if (ch === '[') {
      const close = wml.indexOf(']', i);
      if (close < 0) break;
      const name = wml.slice(i + 1, close).trim();
      i = close + 1;
      if (name.startsWith('/')) {
        const tag = name.slice(1);
        // Tolerate unbalanced macro bodies: pop to the matching tag, or ignore a stray close.
        const at = stack.map((f) => f.tag).lastIndexOf(tag);
        if (at < 0) continue;
        while (stack.length > at) closeTop();
      } else {
        const tag = name.replace(/^\+/, '');
        const f: Frame = { tag };
        if (tag === 'message') {
          f.slot = slots.length;
          slots.push(null);
          f.attrs = new Map();
        } else if (tag === 'event') f.scene = scenes++;
        stack.push(f);
      }
      continue;
    }
    if (ch === '{') {
      // A macro call: its name is skipped and its arguments are read like the rest, so the
      // [message] blocks a call wraps (e.g. one per branch of a choice macro) are turns too.
      i++;
      while (i < n && /[\w.-]/.test(wml[i]!)) i++;
      continue;
    }
    if (ch === '}' || ch === '(' || ch === ')') {
      i++;
      continue;
    }
    if (ch === '"') {
      readString(); // a string argument of a macro call, not an attribute: not dialogue
      continue;
    }
    if (ch === '_' && /[\s"]/.test(wml[i + 1] ?? '')) {
      i++;
      continue;
    }
    const m = /^([A-Za-z_][\w, ]*?)\s*=/.exec(wml.slice(i, i + 200));
    if (m) {
      i += m[0].length;
      const top = stack[stack.length - 1];
      const value = readValue();
      const key = m[1]!.trim();
      if (top?.tag === 'message' && ['speaker', 'id', 'role', 'message'].includes(key)) {
        top.attrs!.set(key, key === 'message' ? value : value.trim());
      }
      continue;
    }
    skipLine();
  }
  while (stack.length > 0) closeTop(); // tags left open at the end of the file close there
  return slots.filter((t): t is DialogueTurn => t !== null);
}

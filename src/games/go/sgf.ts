import { BLACK, WHITE } from './board.js';
import { GoGame, type GoGameOptions } from './game.js';
import { parseDecimal, parseInteger } from '../numbers.js';

/** One SGF node: property identifier -> list of raw (unescaped) values. */
export type SgfNode = Map<string, string[]>;

/** The header fields we read and write. */
export interface SgfInfo {
  size: number;
  komi: number;
  handicap?: number;
  blackName?: string;
  whiteName?: string;
  /** Result, e.g. `B+3.5`, `W+R`, `0` (jigo), `Void`. */
  result?: string;
  /** Free-text comment for the root node (GC). */
  comment?: string;
  /** Rule set name (RU), e.g. `Chinese`, `Japanese`, `tromp-taylor`. */
  rules?: string;
  date?: string;
}

/** Thrown for malformed SGF; names the byte offset (UTF-8) where parsing failed. */
export class SgfError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`SGF parse error at byte offset ${offset}: ${message}`);
    this.name = 'SgfError';
  }
}

/** UTF-8 length of a string, without Node's Buffer (this module also runs in browsers). */
function utf8Length(s: string): number {
  let n = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && k + 1 < s.length && (s.charCodeAt(k + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      k++;
    } else n += 3;
  }
  return n;
}

/**
 * Parses the main line of the first game tree of an SGF collection into a list of nodes.
 * Variations are skipped: at each branching the first variation (the main line) is followed.
 * The parser keeps its own stack of open trees (no recursion), so nesting depth is bounded only
 * by the input's length, which the file readers bound.
 */
export function parseSgfMainLine(text: string): SgfNode[] {
  let i = 0;
  const fail = (msg: string): never => {
    throw new SgfError(msg, utf8Length(text.slice(0, i)));
  };
  const isWs = (c: string | undefined): boolean =>
    c === ' ' || c === '\n' || c === '\r' || c === '\t' || c === '\f' || c === '\v' || (c !== undefined && c > '\x7f' && /\s/.test(c));
  const skipWs = (): void => {
    while (i < text.length && isWs(text[i])) i++;
  };
  skipWs();
  // Some files carry junk before the first tree (headers, BOM); SGF readers skip to the first '('.
  const start = text.indexOf('(;', i);
  if (start < 0) fail("no game tree: expected '(;'");
  i = start;
  const nodes: SgfNode[] = [];

  /** Reads the nodes of a sequence at i (the ';' of its first node); keeps them when `follow`. */
  const parseSequence = (follow: boolean): void => {
    if (text[i] !== ';') fail("expected ';' to start a node");
    while (text[i] === ';') {
      i++;
      const node: SgfNode = new Map();
      skipWs();
      while (i < text.length && text[i]! >= 'A' && text[i]! <= 'Z') {
        const idStart = i;
        while (i < text.length && /[A-Za-z]/.test(text[i]!)) i++;
        // FF[3] allowed lower-case letters inside identifiers (e.g. "AddBlack"); only capitals count.
        const id = text.slice(idStart, i).replace(/[a-z]/g, '');
        skipWs();
        if (text[i] !== '[') fail(`expected '[' after property ${id}`);
        const values: string[] = [];
        while (text[i] === '[') {
          i++;
          const parts: string[] = [];
          let from = i;
          for (;;) {
            if (i >= text.length) fail(`unterminated value of property ${id}`);
            const ch = text[i]!;
            if (ch === '\\') {
              parts.push(text.slice(from, i));
              i++;
              if (i >= text.length) fail(`unterminated value of property ${id}`);
              // An escaped newline is a soft line break and disappears.
              if (text[i] === '\n' || text[i] === '\r') {
                if (text[i] === '\r' && text[i + 1] === '\n') i++;
              } else parts.push(text[i]!);
              i++;
              from = i;
            } else if (ch === ']') {
              parts.push(text.slice(from, i));
              i++;
              break;
            } else i++;
          }
          values.push(parts.join(''));
          skipWs();
        }
        if (follow) {
          const old = node.get(id);
          if (old) old.push(...values);
          else node.set(id, values);
        }
      }
      if (follow) nodes.push(node);
      skipWs();
    }
  };

  // One entry per open '(': whether its nodes are kept, and whether a child variation was seen
  // (only the first child of a followed tree is followed).
  const open: { follow: boolean; sawChild: boolean }[] = [];
  const enter = (follow: boolean): void => {
    i++; // '('
    skipWs();
    open.push({ follow, sawChild: false });
    parseSequence(follow);
  };
  enter(true);
  while (open.length > 0) {
    const top = open[open.length - 1]!;
    if (text[i] === '(') {
      const follow = top.follow && !top.sawChild;
      top.sawChild = true;
      enter(follow);
      continue;
    }
    if (text[i] !== ')')
      fail(i >= text.length ? "unexpected end of input: expected ')'" : `unexpected character '${text[i]}': expected ')'`);
    i++;
    skipWs();
    open.pop();
  }
  return nodes;
}

/** SGF point "ab" -> action (x = 'a'.., y = 'a'.. from the top); "" or "tt" (size <= 19) is pass. */
export function sgfPointToAction(v: string, size: number): number | null {
  if (v === '' || (v === 'tt' && size <= 19)) return size * size;
  if (v.length !== 2) return null;
  const x = v.charCodeAt(0) - 97;
  const y = v.charCodeAt(1) - 97;
  if (x < 0 || x >= size || y < 0 || y >= size) return null;
  return y * size + x;
}

/** Action -> SGF point; pass is written as the empty value (FF[4]). */
export function actionToSgfPoint(action: number, size: number): string {
  if (action === size * size) return '';
  const x = action % size;
  return String.fromCharCode(97 + x, 97 + (action - x) / size);
}

/** Expands SGF compressed point lists ("aa:cc" rectangles) into actions. */
function expandPoints(values: string[], size: number, prop: string): number[] {
  const out: number[] = [];
  for (const v of values) {
    const [a, b] = v.split(':');
    const from = sgfPointToAction(a!, size);
    const to = b === undefined ? from : sgfPointToAction(b, size);
    if (from === null || to === null || from === size * size) throw new Error(`SGF: bad point '${v}' in ${prop}`);
    const x0 = from % size,
      y0 = Math.floor(from / size),
      x1 = to % size,
      y1 = Math.floor(to / size);
    for (let y = Math.min(y0, y1); y <= Math.max(y0, y1); y++)
      for (let x = Math.min(x0, x1); x <= Math.max(x0, x1); x++) out.push(y * size + x);
  }
  return out;
}

/**
 * Reads an SGF game (main line) into a {@link GoGame}: SZ, KM, HA with AB/AW setup stones, and
 * the B/W moves. Setup stones in later nodes are applied as further setup only before the first
 * move. Throws SgfError for syntax errors and Error naming the move number for illegal moves.
 */
export function readSgf(text: string, rules: Omit<GoGameOptions, 'size' | 'komi'> = {}): { game: GoGame; info: SgfInfo } {
  const nodes = parseSgfMainLine(text);
  const root = nodes[0]!;
  const first = (id: string): string | undefined => root.get(id)?.[0];
  const sz = first('SZ') ?? '19';
  // SZ[19] or FF[4]'s SZ[cols:rows] (square boards only).
  const [cols, rows = cols] = sz
    .trim()
    .split(':')
    .map((d) => parseInteger(d.trim()));
  const size = cols ?? NaN;
  if (cols === null || cols !== rows || size < 5 || size > 19) throw new Error(`SGF: unsupported board size SZ[${sz}] (5..19 supported)`);
  const km = first('KM')?.trim();
  const komi = km === undefined || km === '' ? 0 : parseDecimal(km);
  if (komi === null) throw new Error(`SGF: bad komi KM[${first('KM')}] (expected a decimal number such as 6.5)`);
  const info: SgfInfo = { size, komi };
  const ha = first('HA');
  if (ha !== undefined) {
    const h = parseInteger(ha.trim());
    if (h === null || h < 0) throw new Error(`SGF: bad handicap HA[${ha}] (expected a non-negative integer)`);
    info.handicap = h;
  }
  const opt = (id: string, key: 'blackName' | 'whiteName' | 'result' | 'comment' | 'rules' | 'date'): void => {
    const v = first(id);
    if (v !== undefined) info[key] = v;
  };
  opt('PB', 'blackName');
  opt('PW', 'whiteName');
  opt('RE', 'result');
  opt('GC', 'comment');
  opt('RU', 'rules');
  opt('DT', 'date');
  const game = new GoGame({ ...rules, size, komi });
  let moveNo = 0;
  for (const node of nodes) {
    for (const [prop, color] of [
      ['AB', BLACK],
      ['AW', WHITE],
    ] as const) {
      const vals = node.get(prop);
      if (!vals) continue;
      if (game.moves.length) throw new Error(`SGF: ${prop} setup after move ${game.moves.length} is not supported`);
      for (const a of expandPoints(vals, size, prop)) game.placeSetupStone(color, a);
    }
    if (node === root && game.setup.length && !root.has('B')) {
      // After handicap stones white moves first unless PL says otherwise.
      const pl = first('PL');
      game.turn = pl === 'B' ? BLACK : pl === 'W' ? WHITE : game.setup.every((s) => s.color === BLACK) ? WHITE : BLACK;
    }
    for (const [prop, color] of [
      ['B', BLACK],
      ['W', WHITE],
    ] as const) {
      const v = node.get(prop)?.[0];
      if (v === undefined) continue;
      moveNo++;
      const a = sgfPointToAction(v, size);
      if (a === null) throw new Error(`SGF: bad move ${prop}[${v}] at move ${moveNo}`);
      try {
        game.playMove(color, a);
      } catch (e) {
        throw new Error(`SGF: move ${moveNo} ${prop}[${v}] is illegal: ${(e as Error).message}`);
      }
    }
  }
  return { game, info };
}

function escape(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/]/g, '\\]');
}

/** Writes a game as FF[4] SGF: header, setup stones, then one node per move. */
export function writeSgf(game: GoGame, info: Partial<SgfInfo> = {}): string {
  const size = game.size;
  const head: string[] = ['FF[4]', 'GM[1]', 'CA[UTF-8]', 'AP[shinsou:0.1.0]', `SZ[${size}]`, `KM[${info.komi ?? game.komi}]`];
  if (info.rules) head.push(`RU[${escape(info.rules)}]`);
  const handicap = info.handicap ?? (game.setup.length && game.setup.every((s) => s.color === BLACK) ? game.setup.length : 0);
  if (handicap) head.push(`HA[${handicap}]`);
  if (info.blackName) head.push(`PB[${escape(info.blackName)}]`);
  if (info.whiteName) head.push(`PW[${escape(info.whiteName)}]`);
  if (info.date) head.push(`DT[${escape(info.date)}]`);
  if (info.result) head.push(`RE[${escape(info.result)}]`);
  if (info.comment) head.push(`GC[${escape(info.comment)}]`);
  const ab = game.setup.filter((s) => s.color === BLACK).map((s) => `[${actionToSgfPoint(s.action, size)}]`);
  const aw = game.setup.filter((s) => s.color === WHITE).map((s) => `[${actionToSgfPoint(s.action, size)}]`);
  if (ab.length) head.push(`AB${ab.join('')}`);
  if (aw.length) head.push(`AW${aw.join('')}`);
  const moves = game.moves.map((m) => `;${m.color === BLACK ? 'B' : 'W'}[${actionToSgfPoint(m.action, size)}]`);
  const lines: string[] = [];
  for (let i = 0; i < moves.length; i += 10) lines.push(moves.slice(i, i + 10).join(''));
  return `(;${head.join('')}\n${lines.join('\n')}${lines.length ? '\n' : ''})\n`;
}

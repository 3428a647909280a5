import { type Color, BLACK, WHITE, MIN_SIZE, MAX_SIZE } from '../board.js';
import { GoGame } from '../game.js';
import { actionToVertex, vertexToAction } from '../coords.js';
import { estimateDead } from '../score.js';
import { writeSgf, readSgf } from '../sgf.js';
import { fixedHandicap } from '../handicap.js';
import type { Player } from '../players/player.js';
import { RandomPlayer } from '../players/random.js';
import { parseDecimal, parseInteger } from '../../numbers.js';

/** Options for {@link GtpEngine}. */
export interface GtpEngineOptions {
  /** The player behind `genmove`. Default: a seeded {@link RandomPlayer}. */
  player?: Player;
  /** Initial board size. Default 19. */
  size?: number;
  /** Initial komi. Default 7.5. */
  komi?: number;
  /** Positional superko for `play`/`genmove`. Default false, matching GNU Go and most servers (simple ko). */
  superko?: boolean;
  /** Random playouts used to find dead stones for final_score/final_status_list. Default 300. */
  deadStonePlayouts?: number;
  name?: string;
  version?: string;
  /**
   * Reads a file for `loadsgf` (the engine itself touches no file system, so it also runs in
   * browsers; `shinsou gtp` passes a size-bounded reader). Without it, loadsgf answers
   * `? cannot load file`; when it throws, the answer carries its message.
   */
  readFile?: (path: string) => string;
}

/** A command implementation: gets the arguments, returns the success text or throws GtpFailure. */
type Handler = (args: string[]) => string | Promise<string>;

/** Raised by a handler to produce a `? message` failure response. */
class GtpFailure extends Error {}

/**
 * A GTP version 2 engine, usable in-process: feed it one line with {@link handle} and get the
 * exact bytes to send back (`=id result\n\n` or `?id message\n\n`), or null for blank and comment
 * lines. Any input, however malformed, yields a response, never an exception.
 */
export class GtpEngine {
  game: GoGame;
  player: Player;
  /** Set by `quit`; the stdio loop exits once the response is written. */
  quitRequested = false;
  /** Last `time_settings` (main seconds, byo-yomi seconds, byo-yomi stones). */
  timeSettings: [number, number, number] = [0, 0, 0];
  /** Last `time_left` per colour (seconds, stones). */
  readonly timeLeft = new Map<Color, [number, number]>();
  private readonly superko: boolean;
  private readonly deadStonePlayouts: number;
  private readonly name: string;
  private readonly version: string;
  private readonly readFile: ((path: string) => string) | null;
  private readonly commands: Map<string, Handler>;

  constructor(options: GtpEngineOptions = {}) {
    this.player = options.player ?? new RandomPlayer();
    this.superko = options.superko ?? false;
    this.deadStonePlayouts = options.deadStonePlayouts ?? 300;
    this.name = options.name ?? 'shinsou';
    this.version = options.version ?? '0.1.0';
    this.readFile = options.readFile ?? null;
    this.game = new GoGame({ size: options.size ?? 19, komi: options.komi ?? 7.5, superko: this.superko });
    this.commands = new Map<string, Handler>([
      ['protocol_version', () => '2'],
      ['name', () => this.name],
      ['version', () => `${this.version} (${this.player.name})`],
      ['known_command', (a) => (this.commands.has(a[0] ?? '') ? 'true' : 'false')],
      ['list_commands', () => [...this.commands.keys()].join('\n')],
      [
        'quit',
        () => {
          this.quitRequested = true;
          return '';
        },
      ],
      ['boardsize', (a) => this.boardsize(a)],
      [
        'clear_board',
        () => {
          this.newGame(this.game.size, this.game.komi);
          return '';
        },
      ],
      [
        'komi',
        (a) => {
          const k = parseDecimal(a[0]);
          if (k === null) throw new GtpFailure('syntax error: komi not a float');
          // Komi may change mid-game in GTP; keep the moves, swap the scoring constant.
          this.replayWith(this.game.size, k);
          return '';
        },
      ],
      ['play', (a) => this.play(a)],
      ['genmove', (a) => this.genmove(a)],
      [
        'undo',
        () => {
          if (!this.game.undo()) throw new GtpFailure('cannot undo');
          return '';
        },
      ],
      ['showboard', () => `\n${this.game.toString()}`],
      ['final_score', () => this.finalScore()],
      ['final_status_list', (a) => this.finalStatusList(a)],
      [
        'time_settings',
        (a) => {
          const v = a.slice(0, 3).map(parseInteger);
          if (v.length !== 3 || v.some((x) => x === null || x < 0))
            throw new GtpFailure('syntax error: time_settings main_time byo_yomi_time byo_yomi_stones');
          this.timeSettings = v as [number, number, number];
          return '';
        },
      ],
      [
        'time_left',
        (a) => {
          const c = parseColor(a[0]);
          const t = parseDecimal(a[1]);
          const s = parseInteger(a[2]);
          if (c === null || t === null || s === null || s < 0) throw new GtpFailure('syntax error: time_left color time stones');
          this.timeLeft.set(c, [t, s]);
          return '';
        },
      ],
      [
        'list_stones',
        (a) => {
          const c = parseColor(a[0]);
          if (c === null) throw new GtpFailure('syntax error: invalid color');
          return this.game.board
            .stones(c)
            .map((p) => actionToVertex(this.game.board.actionOf(p), this.game.size))
            .join(' ');
        },
      ],
      ['fixed_handicap', (a) => this.placeHandicap(a)],
      ['place_free_handicap', (a) => this.placeHandicap(a)],
      ['set_free_handicap', (a) => this.setFreeHandicap(a)],
      ['loadsgf', (a) => this.loadSgf(a)],
      ['printsgf', () => writeSgf(this.game, { blackName: '?', whiteName: '?' }).trimEnd()],
    ]);
  }

  /**
   * Handles one input line and returns the full response (ending in a blank line), or null when
   * the line holds no command (empty or comment only).
   */
  async handle(rawLine: string): Promise<string | null> {
    const line = preprocess(rawLine);
    if (line === '') return null;
    const m = /^(\d+)?\s*(.*)$/.exec(line)!;
    const id = m[1] ?? '';
    const words = m[2]!.split(' ').filter((w) => w !== '');
    const name = words[0];
    if (name === undefined) return `?${id} syntax error: missing command\n\n`;
    const handler = this.commands.get(name);
    if (!handler) return `?${id} unknown command\n\n`;
    try {
      const result = await handler(words.slice(1));
      return `=${id} ${result}\n\n`;
    } catch (e) {
      const msg = e instanceof GtpFailure ? e.message : `internal error: ${e instanceof Error ? e.message : String(e)}`;
      return `?${id} ${msg.replace(/\n+/g, ' ')}\n\n`;
    }
  }

  /** Names of the supported commands. */
  listCommands(): string[] {
    return [...this.commands.keys()];
  }

  private newGame(size: number, komi: number): void {
    this.game = new GoGame({ size, komi, superko: this.superko });
  }

  private replayWith(size: number, komi: number): void {
    const old = this.game;
    this.newGame(size, komi);
    for (const s of old.setup) this.game.placeSetupStone(s.color, s.action);
    for (const m of old.moves) this.game.playMove(m.color, m.action);
    this.game.turn = old.turn;
    if (old.resigned) this.game.resign(old.resigned);
  }

  /**
   * `fixed_handicap n` (and `place_free_handicap n`, which we answer with the same fixed points):
   * places the stones on an empty board and returns their vertices.
   */
  private placeHandicap(a: string[]): string {
    const n = parseInteger(a[0]);
    if (n === null) throw new GtpFailure('syntax error: number of stones');
    if (this.game.moves.length || this.game.setup.length) throw new GtpFailure('board not empty');
    let points: number[];
    try {
      points = fixedHandicap(this.game.size, n);
    } catch (e) {
      throw new GtpFailure(`invalid number of stones: ${(e as Error).message}`);
    }
    for (const p of points) this.game.placeSetupStone(BLACK, p);
    this.game.turn = WHITE;
    return points.map((p) => actionToVertex(p, this.game.size)).join(' ');
  }

  /** `set_free_handicap v1 v2 ...`: the controller chose the points. */
  private setFreeHandicap(a: string[]): string {
    if (this.game.moves.length || this.game.setup.length) throw new GtpFailure('board not empty');
    const points = a.map((v) => vertexToAction(v, this.game.size));
    if (points.length < 2 || points.some((p) => p === null || p === this.game.passAction) || new Set(points).size !== points.length) {
      throw new GtpFailure('bad vertex list');
    }
    for (const p of points) this.game.placeSetupStone(BLACK, p!);
    this.game.turn = WHITE;
    return '';
  }

  /** `loadsgf file [move_number]`: loads the main line, up to (not including) move_number. */
  private loadSgf(a: string[]): string {
    if (!a[0]) throw new GtpFailure('syntax error: loadsgf filename [move_number]');
    let text: string;
    if (!this.readFile) throw new GtpFailure('cannot load file');
    try {
      text = this.readFile(a[0]);
    } catch (e) {
      throw new GtpFailure(`cannot load file: ${(e as Error).message}`);
    }
    let loaded: GoGame;
    try {
      loaded = readSgf(text, { superko: this.superko }).game;
    } catch (e) {
      throw new GtpFailure(`cannot load file: ${(e as Error).message}`);
    }
    const upTo = a[1] === undefined ? Infinity : parseInteger(a[1]);
    if (upTo === null || upTo < 1) throw new GtpFailure('syntax error: move_number');
    this.newGame(loaded.size, loaded.komi);
    for (const s of loaded.setup) this.game.placeSetupStone(s.color, s.action);
    this.game.turn = loaded.moves[0]?.color ?? loaded.turn;
    for (const m of loaded.moves.slice(0, Math.max(0, upTo - 1))) this.game.playMove(m.color, m.action);
    return this.game.turn === BLACK ? 'black' : 'white';
  }

  private boardsize(a: string[]): string {
    const n = Number(a[0]);
    if (a.length < 1 || !/^\d+$/.test(a[0]!)) throw new GtpFailure('syntax error: boardsize not an integer');
    if (n < MIN_SIZE || n > MAX_SIZE) throw new GtpFailure('unacceptable size');
    this.newGame(n, this.game.komi);
    return '';
  }

  private play(a: string[]): string {
    const c = parseColor(a[0]);
    if (c === null || a[1] === undefined) throw new GtpFailure('syntax error: invalid color or coordinate');
    // GTP's play takes a vertex or pass; resign is only ever an answer to genmove. (Taking it here
    // ended the game with '=' and left every later move to fail as illegal.)
    if (a[1].toLowerCase() === 'resign') throw new GtpFailure('syntax error: resign is not a move (play takes a vertex or pass)');
    const action = vertexToAction(a[1], this.game.size);
    if (action === null) throw new GtpFailure('syntax error: invalid color or coordinate');
    if (this.game.resigned) throw new GtpFailure('illegal move: the game is over (resignation)');
    if (!this.game.isLegalMove(c, action)) throw new GtpFailure('illegal move');
    this.game.playMove(c, action);
    return '';
  }

  private async genmove(a: string[]): Promise<string> {
    const c = parseColor(a[0]);
    if (c === null) throw new GtpFailure('syntax error: invalid color');
    if (this.game.resigned) throw new GtpFailure('game is over (resignation)');
    const choice = await this.player.genmove(this.game, c);
    if (choice === 'resign') {
      this.game.resign(c);
      return 'resign';
    }
    // A buggy player must not corrupt the game: fall back to a pass.
    const action = this.game.isLegalMove(c, choice) ? choice : this.game.passAction;
    this.game.playMove(c, action);
    return actionToVertex(action, this.game.size);
  }

  /** Dead stones by Monte Carlo ownership (deterministic: seeded by the move count). */
  deadStones(): number[] {
    const g = this.game;
    return estimateDead(g.board, g.turn, { playouts: this.deadStonePlayouts, seed: 1 + g.moves.length }).dead;
  }

  private finalScore(): string {
    const g = this.game;
    if (g.resigned) return `${g.resigned === BLACK ? 'W' : 'B'}+R`;
    const s = g.score(this.deadStones()).score;
    return formatScore(s);
  }

  private finalStatusList(a: string[]): string {
    const status = a[0]?.toLowerCase();
    if (status !== 'alive' && status !== 'dead' && status !== 'seki') throw new GtpFailure('syntax error: expected alive, dead or seki');
    const b = this.game.board;
    // Seki is not detected separately: stones that survive playouts are reported alive.
    if (status === 'seki') return '';
    const dead = new Set(this.deadStones());
    const out: string[] = [];
    for (const c of [BLACK, WHITE] as const) {
      for (const p of b.stones(c)) if (dead.has(p) === (status === 'dead')) out.push(actionToVertex(b.actionOf(p), b.size));
    }
    return out.join(' ');
  }
}

/** `B+3.5`, `W+0.5`, or `0` for a draw: the GTP final_score format. */
export function formatScore(blackMinusWhite: number): string {
  if (blackMinusWhite === 0) return '0';
  return blackMinusWhite > 0 ? `B+${blackMinusWhite}` : `W+${-blackMinusWhite}`;
}

/** GTP colours: b, black, w, white (any case). */
export function parseColor(s: string | undefined): Color | null {
  const t = s?.toLowerCase();
  if (t === 'b' || t === 'black') return BLACK;
  if (t === 'w' || t === 'white') return WHITE;
  return null;
}

/**
 * GTP section 3.1 preprocessing: drop CR and other control characters except tab and LF,
 * turn tabs into spaces, cut `#` comments, and trim.
 */
export function preprocess(line: string): string {
  let out = '';
  for (const ch of line) {
    const code = ch.codePointAt(0)!;
    if (ch === '#') break;
    if (ch === '\t') out += ' ';
    else if (code < 32 || code === 127) continue;
    else out += ch;
  }
  return out.trim();
}

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Color, BLACK, WHITE } from '../../games/go/board.js';
import { GoGame } from '../../games/go/game.js';
import { actionToVertex, vertexToAction } from '../../games/go/coords.js';
import { writeSgf } from '../../games/go/sgf.js';
import { GtpClient } from './gtp-client.js';
import { formatScore } from '../../games/go/gtp/engine.js';
import { wilsonInterval } from '../../games/go/stats.js';
import { territoryScore } from '../../games/go/score.js';

/** Options for {@link runMatch}. */
export interface MatchOptions {
  /** Command line of engine A, black in odd-numbered games (1, 3, ...). */
  black: string;
  /** Command line of engine B, white in odd-numbered games. */
  white: string;
  /** Number of games. Default 2. */
  games?: number;
  /** Board size. Default 9. */
  size?: number;
  /** Komi. Default 7. */
  komi?: number;
  /** Directory for one SGF per game (created). Default: no files. */
  outDir?: string;
  /** Stop a game after this many moves and score it as it stands. Default 3 * size^2. */
  maxMoves?: number;
  /** Called after each game (progress display). */
  onGame?: (record: GameRecord, done: number, total: number) => void;
  /** Called after each move (fine-grained progress). */
  onMove?: (game: number, move: number) => void;
}

/** Which engine: A is `black` of the options, B is `white`. */
export type EngineId = 'A' | 'B';

/** The outcome of one game. */
export interface GameRecord {
  /** 1-based game number. */
  index: number;
  /** The engine that played black. */
  black: EngineId;
  /** The winner, or null for a draw or a void game. */
  winner: EngineId | null;
  /** SGF-style result: `B+R`, `W+3.5`, `0`, `Void`. */
  result: string;
  reason: 'resignation' | 'two passes' | 'move cap' | 'illegal move' | 'engine error';
  moves: number;
  /** Our Tromp-Taylor score (black minus white minus komi) after removing agreed dead stones. */
  ourScore: number | null;
  /** The same position counted by territory and prisoners (Japanese-style), for reporting only. */
  ourTerritoryScore: number | null;
  /** Each engine's `final_score` reply (or the error text). */
  engineScores: Record<EngineId, string | null>;
  /** Number of stones both engines listed as dead. */
  agreedDead: number;
  /**
   * True when an engine's `final_score` names a different winner than our count (typically an
   * engine scoring by territory, e.g. GNU Go without `--chinese-rules`, or a dead-stone dispute).
   */
  disputed: boolean;
  sgfPath?: string;
  /** Detail for illegal moves and engine errors. */
  note?: string;
}

/** The match total. */
export interface MatchSummary {
  games: GameRecord[];
  names: Record<EngineId, string>;
  wins: Record<EngineId, number>;
  draws: number;
  /** Engine A's score rate (wins + draws/2) / games, with its 95% Wilson interval. */
  rateA: number;
  intervalA: [number, number];
}

/**
 * Plays a match between two GTP engines: colours alternate game by game, each game runs to two
 * passes, a resignation or the move cap, and is adjudicated by our own Tromp-Taylor count after
 * removing the stones that both engines list as dead (`final_status_list dead`); the engines'
 * `final_score` replies are recorded alongside. Moves are refereed with simple ko (like GNU Go):
 * an illegal or unparsable move loses the game.
 */
export async function runMatch(options: MatchOptions): Promise<MatchSummary> {
  const games = options.games ?? 2;
  const size = options.size ?? 9;
  const komi = options.komi ?? 7;
  const maxMoves = options.maxMoves ?? 3 * size * size;
  const engines: Record<EngineId, GtpClient> = { A: new GtpClient(options.black, 'A'), B: new GtpClient(options.white, 'B') };
  const names: Record<EngineId, string> = { A: options.black, B: options.white };
  const records: GameRecord[] = [];
  try {
    for (const id of ['A', 'B'] as const) {
      const n = await engines[id].send('name').catch(() => '');
      const v = await engines[id].send('version').catch(() => '');
      if (n) names[id] = `${n}${v ? ` ${v}` : ''}`;
    }
    if (options.outDir) mkdirSync(options.outDir, { recursive: true });
    for (let g = 1; g <= games; g++) {
      const blackId: EngineId = g % 2 === 1 ? 'A' : 'B';
      const rec = await playOneGame(engines, blackId, g, size, komi, maxMoves, names, options);
      records.push(rec);
      options.onGame?.(rec, g, games);
    }
  } finally {
    await Promise.all([engines.A.close(), engines.B.close()]);
  }
  const wins = { A: 0, B: 0 };
  let draws = 0;
  for (const r of records) {
    if (r.winner) wins[r.winner]++;
    else if (r.result === '0') draws++;
  }
  const n = records.length;
  const rateA = n ? (wins.A + draws / 2) / n : 0;
  return { games: records, names, wins, draws, rateA, intervalA: wilsonInterval(wins.A + draws / 2, n) };
}

async function playOneGame(
  engines: Record<EngineId, GtpClient>,
  blackId: EngineId,
  index: number,
  size: number,
  komi: number,
  maxMoves: number,
  names: Record<EngineId, string>,
  options: MatchOptions,
): Promise<GameRecord> {
  const whiteId: EngineId = blackId === 'A' ? 'B' : 'A';
  const engineOf = (c: Color): EngineId => (c === BLACK ? blackId : whiteId);
  const referee = new GoGame({ size, komi, superko: false });
  const rec: GameRecord = {
    index,
    black: blackId,
    winner: null,
    result: 'Void',
    reason: 'two passes',
    moves: 0,
    ourScore: null,
    ourTerritoryScore: null,
    engineScores: { A: null, B: null },
    agreedDead: 0,
    disputed: false,
  };
  const setWinner = (c: Color, how: string): void => {
    rec.winner = engineOf(c);
    rec.result = `${c === BLACK ? 'B' : 'W'}+${how}`;
  };
  try {
    for (const id of ['A', 'B'] as const) {
      await engines[id].send(`boardsize ${size}`);
      await engines[id].send('clear_board');
      await engines[id].send(`komi ${komi}`);
    }
    let color: Color = BLACK;
    let ended = false;
    while (referee.moves.length < maxMoves) {
      const mover = engines[engineOf(color)];
      const reply = (await mover.send(`genmove ${color === BLACK ? 'b' : 'w'}`)).toLowerCase();
      if (reply === 'resign') {
        rec.reason = 'resignation';
        setWinner((3 - color) as Color, 'R');
        ended = true;
        break;
      }
      const action = vertexToAction(reply, size);
      if (action === null || !referee.isLegalMove(color, action)) {
        rec.reason = 'illegal move';
        rec.note = `${engineOf(color)} played ${reply} as ${color === BLACK ? 'black' : 'white'}`;
        setWinner((3 - color) as Color, 'F');
        ended = true;
        break;
      }
      referee.playMove(color, action);
      options.onMove?.(index, referee.moves.length);
      await engines[engineOf((3 - color) as Color)].send(`play ${color === BLACK ? 'b' : 'w'} ${actionToVertex(action, size)}`);
      if (referee.passes >= 2) {
        ended = true;
        break;
      }
      color = (3 - color) as Color;
    }
    if (!ended) rec.reason = 'move cap';
    if (rec.reason === 'two passes' || rec.reason === 'move cap') await adjudicate(engines, referee, rec, engineOf);
  } catch (e) {
    rec.reason = 'engine error';
    rec.note = e instanceof Error ? e.message : String(e);
  }
  rec.moves = referee.moves.length;
  if (options.outDir) {
    rec.sgfPath = join(options.outDir, `game-${String(index).padStart(3, '0')}.sgf`);
    const comment = [
      `shinsou match game ${index}: ${rec.reason}`,
      `our Tromp-Taylor score after agreed dead stones: ${rec.ourScore === null ? 'n/a' : formatScore(rec.ourScore)}`,
      `territory count (reporting only): ${rec.ourTerritoryScore === null ? 'n/a' : formatScore(rec.ourTerritoryScore)}`,
      `final_score A: ${rec.engineScores.A ?? 'n/a'}, B: ${rec.engineScores.B ?? 'n/a'}`,
      rec.note ?? '',
    ].join('\n');
    writeFileSync(
      rec.sgfPath,
      writeSgf(referee, {
        blackName: names[blackId],
        whiteName: names[whiteId],
        result: rec.result,
        rules: 'Tromp-Taylor (simple ko)',
        comment,
        date: new Date().toISOString().slice(0, 10),
      }),
    );
  }
  return rec;
}

/** Scores a finished (or capped) game: our count after agreed dead stones, plus both engines' claims. */
async function adjudicate(
  engines: Record<EngineId, GtpClient>,
  referee: GoGame,
  rec: GameRecord,
  engineOf: (c: Color) => EngineId,
): Promise<void> {
  const deadLists: Set<number>[] = [];
  for (const id of ['A', 'B'] as const) {
    rec.engineScores[id] = await engines[id].send('final_score').catch((e: Error) => `error: ${e.message}`);
    try {
      const reply = await engines[id].send('final_status_list dead');
      const pts = new Set<number>();
      for (const v of reply.split(/\s+/)) {
        const a = v ? vertexToAction(v, referee.size) : null;
        if (a !== null && a !== referee.passAction) pts.add(referee.board.pointOf(a));
      }
      deadLists.push(pts);
    } catch {
      // An engine without final_status_list agrees to nothing; the other's list then stands alone.
    }
  }
  let agreed: number[] = [];
  if (deadLists.length === 1) agreed = [...deadLists[0]!];
  else if (deadLists.length === 2) agreed = [...deadLists[0]!].filter((p) => deadLists[1]!.has(p));
  rec.agreedDead = agreed.length;
  const s = referee.score(agreed).score;
  rec.ourScore = s;
  rec.ourTerritoryScore = territoryScore(referee.board, referee.komi, agreed).score;
  const sign = (claim: string | null): number | null => {
    const m = claim ? /^([BW])\+/i.exec(claim) : null;
    if (claim === '0') return 0;
    return m ? (m[1]!.toUpperCase() === 'B' ? 1 : -1) : null;
  };
  for (const id of ['A', 'B'] as const) {
    const c = sign(rec.engineScores[id]);
    if (c !== null && c !== Math.sign(s)) rec.disputed = true;
  }
  if (s === 0) rec.result = '0';
  else setResult(rec, s > 0 ? BLACK : WHITE, Math.abs(s), engineOf);
}

function setResult(rec: GameRecord, c: Color, margin: number, engineOf: (c: Color) => EngineId): void {
  rec.winner = engineOf(c);
  rec.result = `${c === WHITE ? 'W' : 'B'}+${margin}`;
}

/** A plain-text table of a match summary. */
export function formatSummary(s: MatchSummary): string {
  const n = s.games.length;
  const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
  const record = (id: EngineId, asBlack: boolean): string => {
    const played = s.games.filter((g) => (g.black === id) === asBlack);
    return `${played.filter((g) => g.winner === id).length}/${played.length}`;
  };
  const lines = [
    `games: ${n}, draws: ${s.draws}, void: ${s.games.filter((g) => g.result === 'Void').length}, final_score disputes: ${s.games.filter((g) => g.disputed).length}`,
    `A ${s.names.A}: ${s.wins.A} wins (as black ${record('A', true)}, as white ${record('A', false)})`,
    `B ${s.names.B}: ${s.wins.B} wins (as black ${record('B', true)}, as white ${record('B', false)})`,
    `A score rate ${pct(s.rateA)}, 95% Wilson interval [${pct(s.intervalA[0])}, ${pct(s.intervalA[1])}]`,
  ];
  return lines.join('\n');
}

/**
 * Two-player board games from src/games as environments. One {@link Game} is wrapped in two ways:
 *
 * - two-player (no `opponent`): each `step` plays for the player to move, and the reward goes to
 *   that player: +1 if its move won, -1 if it lost, 0 otherwise (a draw included), as in
 *   PettingZoo's turn-based games. `info.player` is who moved, `info.toPlay` who moves next.
 * - single-agent (`opponent` given): the agent plays `agentPlayer` (0 moves first); after its move
 *   the opponent replies inside the same `step`, and the reward is the final result from the
 *   agent's side (+1, -1, 0) on the step that ends the game.
 *
 * The observation is the position encoded from the side of the player to move (so one network
 * serves both players); `info.legalMask` (1 per legal action) and `legalActions()` give the legal
 * moves, `game` the current position for search. An illegal move is an error naming the game, the
 * action and the legal ones.
 */
import { Generator } from '../../tensor/random.js';
import { checkOptions, checkRest, describe } from '../../tensor/validate.js';
import type { Game } from '../../games/game.js';
import { TicTacToe } from '../../games/tictactoe.js';
import { GoGame } from '../../games/go/game.js';
import { ALPHAGO_ZERO_PLANES, alphaGoZeroFeatures } from '../../games/go/features.js';
import type { Env, ResetResult, StepResult } from '../env.js';
import { Box, Discrete } from '../spaces.js';

/** An opponent: a move for the position (called only when it is the opponent's turn). */
export type Opponent<G> = 'random' | ((game: G, rng: Generator) => number);

export interface BoardGameEnvOptions<G extends Game<G>> {
  /** The environment's name in messages, e.g. 'TicTacToe'. */
  id: string;
  /** A new game at its initial position. */
  newGame: () => G;
  /** The position from the side of the player to move, as a vector of `observationSpace.size`. */
  encode: (game: G) => Float64Array;
  observationSpace: Box;
  /** Makes the environment single-agent: the opponent's moves are played inside `step`. */
  opponent?: Opponent<G>;
  /** The side the agent plays in single-agent mode (0 moves first). Default 0. */
  agentPlayer?: 0 | 1;
  /** Seed of the generator the opponent draws from. Default 0. */
  seed?: number;
  /** Plies after which the game is truncated. Default Infinity. */
  maxEpisodeSteps?: number;
}

export class BoardGameEnv<G extends Game<G>> implements Env<Float64Array, number> {
  readonly id: string;
  readonly observationSpace: Box;
  readonly actionSpace: Discrete;
  readonly agentPlayer: 0 | 1;
  readonly maxEpisodeSteps: number;
  private readonly newGame: () => G;
  private readonly encode: (game: G) => Float64Array;
  private readonly opponent: ((game: G, rng: Generator) => number) | null;
  private readonly rng: Generator;
  private current: G | null = null;
  private ended = false;
  /** Moves played in this episode (both players). */
  elapsedSteps = 0;

  constructor(opts: BoardGameEnvOptions<G>, ...extra: never[]) {
    checkRest('BoardGameEnv', extra, 1, 'new BoardGameEnv(opts)');
    const o = checkOptions('BoardGameEnv', 1, opts, {
      id: 'string',
      newGame: 'function',
      encode: 'function',
      observationSpace: 'any',
      opponent: 'any',
      agentPlayer: 'int',
      seed: 'int',
      maxEpisodeSteps: 'number',
    });
    if (!o.id || !o.newGame || !o.encode || !(o.observationSpace instanceof Box)) {
      throw new TypeError(
        `BoardGameEnv: options id (a string), newGame and encode (functions) and observationSpace (a Box) are required, got ${describe(opts)}`,
      );
    }
    if (o.opponent !== undefined && o.opponent !== 'random' && typeof o.opponent !== 'function') {
      throw new TypeError(
        `BoardGameEnv: option 'opponent' must be 'random' or a function (game, rng) => action, got ${describe(o.opponent)}`,
      );
    }
    if (o.agentPlayer !== undefined && o.agentPlayer !== 0 && o.agentPlayer !== 1) {
      throw new RangeError(`BoardGameEnv: option 'agentPlayer' must be 0 or 1, got ${describe(o.agentPlayer)}`);
    }
    this.id = o.id;
    this.newGame = o.newGame;
    this.encode = o.encode;
    this.observationSpace = o.observationSpace;
    this.actionSpace = new Discrete(o.newGame().actionCount);
    this.agentPlayer = o.agentPlayer ?? 0;
    this.maxEpisodeSteps = o.maxEpisodeSteps ?? Infinity;
    this.rng = new Generator(o.seed ?? 0);
    this.opponent =
      o.opponent === undefined
        ? null
        : o.opponent === 'random'
          ? (g: G, rng: Generator) => {
              const legal = g.legalActions();
              return legal[rng.int(legal.length)]!;
            }
          : o.opponent;
  }

  /** The current position (do not change it; clone it to search). */
  get game(): G {
    if (!this.current) throw new Error(`${this.id}: call reset() first`);
    return this.current;
  }

  legalActions(): number[] {
    return this.game.legalActions();
  }

  private info(player: 0 | 1 | null): Record<string, unknown> {
    const g = this.game;
    const legalMask = new Uint8Array(g.actionCount);
    for (const a of g.legalActions()) legalMask[a] = 1;
    return { player, toPlay: g.toPlay, legalMask };
  }

  reset(opts?: { seed?: number }, ...extra: never[]): ResetResult<Float64Array> {
    checkRest(`${this.id}.reset`, extra, 1, 'reset({ seed? })');
    const o = checkOptions(`${this.id}.reset`, 1, opts, { seed: 'int' });
    if (o.seed != null) this.rng.manualSeed(o.seed);
    this.current = this.newGame();
    this.ended = false;
    this.elapsedSteps = 0;
    if (this.opponent && this.agentPlayer === 1) this.opponentMove();
    return { observation: this.encode(this.current), info: this.info(null) };
  }

  private opponentMove(): void {
    const g = this.game;
    const a = this.opponent!(g, this.rng);
    if (!g.isLegal(a)) throw new Error(`${this.id}: the opponent chose the illegal action ${describe(a)}`);
    g.play(a);
    this.elapsedSteps++;
  }

  step(action: number): StepResult<Float64Array> {
    if (!this.current) throw new Error(`${this.id}.step: call reset() before the first step`);
    if (this.ended)
      throw new Error(`${this.id}.step: the game has ended (after ${this.elapsedSteps} moves); call reset() to start a new one`);
    const g = this.current;
    if (!this.actionSpace.contains(action)) {
      throw new RangeError(
        `${this.id}.step: invalid action ${describe(action)}; expected an integer in [0, ${this.actionSpace.n}) (${this.actionSpace.toString()})`,
      );
    }
    if (!g.isLegal(action)) {
      const legal = g.legalActions();
      const shown = legal.length > 20 ? `${legal.slice(0, 20).join(', ')}, ...` : legal.join(', ');
      throw new RangeError(`${this.id}.step: illegal action ${action} for player ${g.toPlay} (legal: ${shown})`);
    }
    const mover = g.toPlay;
    g.play(action);
    this.elapsedSteps++;
    let reward = 0;
    const me = this.opponent ? this.agentPlayer : mover;
    if (this.opponent && !g.isTerminal()) this.opponentMove();
    const terminated = g.isTerminal();
    if (terminated) reward = g.result(me);
    const truncated = !terminated && this.elapsedSteps >= this.maxEpisodeSteps;
    this.ended = terminated || truncated;
    return { observation: this.encode(g), reward, terminated, truncated, info: this.info(mover) };
  }

  render(): string {
    return `${this.game.toString()}\n${this.game.isTerminal() ? 'game over' : `player ${this.game.toPlay} to move`}, move ${this.elapsedSteps}`;
  }
}

/** Two planes of 3x3 from the side of the player to move: its marks, then the opponent's. */
function encodeTicTacToe(g: TicTacToe): Float64Array {
  const out = new Float64Array(18);
  const own = g.toPlay + 1;
  for (let i = 0; i < 9; i++) {
    const c = g.cells[i]!;
    if (c === own) out[i] = 1;
    else if (c !== 0) out[9 + i] = 1;
  }
  return out;
}

export interface TicTacToeEnvOptions {
  opponent?: Opponent<TicTacToe>;
  agentPlayer?: 0 | 1;
  seed?: number;
}

/** Tic-tac-toe as an environment; observation [2, 3, 3] (own marks, opponent's marks). */
export function ticTacToeEnv(opts: TicTacToeEnvOptions = {}, ...extra: never[]): BoardGameEnv<TicTacToe> {
  checkRest('ticTacToeEnv', extra, 1, 'ticTacToeEnv(opts?)');
  const o = checkOptions('ticTacToeEnv', 1, opts, { opponent: 'any', agentPlayer: 'int', seed: 'int' });
  return new BoardGameEnv<TicTacToe>({
    id: 'TicTacToe',
    newGame: () => new TicTacToe(),
    encode: encodeTicTacToe,
    observationSpace: new Box(0, 1, [2, 3, 3]),
    ...o,
  });
}

export interface GoEnvOptions {
  /** Board size 5..19. Default 9. */
  size?: number;
  /** Default 7.5. */
  komi?: number;
  opponent?: Opponent<GoGame>;
  agentPlayer?: 0 | 1;
  seed?: number;
  /** Default 4 * size^2 moves. */
  maxEpisodeSteps?: number;
}

/**
 * Go as an environment (GoGame's rules: positional superko, Tromp-Taylor area score with komi).
 * Actions y * size + x and size^2 = pass; the game ends after two passes. Observation AlphaGo
 * Zero's 17 planes [17, size, size] (src/games/go/features.ts).
 */
export function goEnv(opts: GoEnvOptions = {}, ...extra: never[]): BoardGameEnv<GoGame> {
  checkRest('goEnv', extra, 1, 'goEnv(opts?)');
  const o = checkOptions('goEnv', 1, opts, {
    size: 'positiveInt',
    komi: 'number',
    opponent: 'any',
    agentPlayer: 'int',
    seed: 'int',
    maxEpisodeSteps: 'number',
  });
  const size = o.size ?? 9;
  const komi = o.komi ?? 7.5;
  new GoGame({ size, komi }); // validates size and komi with GoGame's own messages
  return new BoardGameEnv<GoGame>({
    id: `Go${size}x${size}`,
    newGame: () => new GoGame({ size, komi }),
    encode: (g) => Float64Array.from(alphaGoZeroFeatures(g)),
    observationSpace: new Box(0, 1, [ALPHAGO_ZERO_PLANES, size, size]),
    opponent: o.opponent,
    agentPlayer: o.agentPlayer,
    seed: o.seed,
    maxEpisodeSteps: o.maxEpisodeSteps ?? 4 * size * size,
  });
}

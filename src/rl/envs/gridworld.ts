/**
 * GridWorld: a grid of cells, some walls, some terminal with a reward, moves that slip sideways.
 * The default layout is the 4x3 world of Russell and Norvig (Artificial Intelligence: A Modern
 * Approach, 3rd ed., figure 17.1): step reward -0.04, +1 and -1 exits, the intended move with
 * probability 0.8 and each perpendicular one with 0.1. Its exact model P(s'|s,a) and r(s,a,s') is
 * {@link GridWorld.mdp}, for the tabular algorithms.
 *
 * Layout: one string per row, top row first. '.' a free cell, '#' a wall, 'S' the start, and
 * any character with an entry in `rewards` (default G: +1, X: -1) a terminal cell paying that
 * reward on entry. States are the non-wall cells numbered row by row; the observation is the
 * state number. Actions: 0 up, 1 right, 2 down, 3 left. A move into a wall or off the grid
 * leaves the agent in place. Every step pays `stepReward`, plus the terminal reward when it
 * enters a terminal cell (so with gamma = 1 the values are Russell and Norvig's utilities).
 */
import { describe, type Spec } from '../../tensor/validate.js';
import type { TabularMDP } from '../mdp.js';
import { Discrete } from '../spaces.js';
import { BaseEnv, checkEnvOptions, type EnvOptions, type Transition } from './base.js';

export interface GridWorldOptions extends EnvOptions {
  /** Rows, top first. Default Russell and Norvig's 4x3 world: ['...G', '.#.X', 'S...']. */
  layout?: string[];
  /** Probability that the move goes to one of the two perpendicular directions (half each). Default 0.2. */
  slip?: number;
  /** Reward of every step. Default -0.04. */
  stepReward?: number;
  /** Terminal cells: layout character -> reward on entering. Default { G: 1, X: -1 }. */
  rewards?: Record<string, number>;
  /** Start each episode in a uniformly drawn non-terminal state instead of 'S' (exploring starts). Default false. */
  exploringStarts?: boolean;
}

const gridSpec: Spec = { layout: 'any', slip: 'number', stepReward: 'number', rewards: 'any', exploringStarts: 'boolean' };

/** Row and column steps of the actions up, right, down, left. */
const MOVES: readonly (readonly [number, number])[] = [
  [-1, 0],
  [0, 1],
  [1, 0],
  [0, -1],
];
const ARROWS = ['^', '>', 'v', '<'];

export class GridWorld extends BaseEnv<number, number> {
  readonly id = 'GridWorld';
  readonly observationSpace: Discrete;
  readonly actionSpace = new Discrete(4);
  readonly layout: readonly string[];
  readonly rows: number;
  readonly cols: number;
  readonly slip: number;
  readonly stepReward: number;
  readonly exploringStarts: boolean;
  /** Cell (row, col) of each state. */
  readonly cells: readonly (readonly [number, number])[];
  /** Terminal reward of each state (0 for non-terminal). */
  readonly terminalReward: Float64Array;
  /** 1 for terminal states. */
  readonly isTerminal: Uint8Array;
  readonly startState: number;
  protected readonly stateSize = 1;
  private index: Int32Array; // cell -> state, -1 for walls
  private s = 0;

  /** @param opts layout, slip, stepReward, rewards, exploringStarts; `seed`; `maxEpisodeSteps` (default 100). */
  constructor(opts: GridWorldOptions = {}, ...extra: never[]) {
    super(checkEnvOptions('GridWorld', opts, extra, gridSpec), 100);
    const layout = opts.layout ?? ['...G', '.#.X', 'S...'];
    if (
      !Array.isArray(layout) ||
      layout.length === 0 ||
      !layout.every((r) => typeof r === 'string' && r.length === layout[0]!.length && r.length > 0)
    ) {
      throw new TypeError(`GridWorld: option 'layout' must be a non-empty list of equally long strings, got ${describe(layout)}`);
    }
    const rewards = opts.rewards ?? { G: 1, X: -1 };
    if (
      typeof rewards !== 'object' ||
      rewards === null ||
      !Object.values(rewards).every((v) => typeof v === 'number' && Number.isFinite(v))
    ) {
      throw new TypeError(`GridWorld: option 'rewards' must map layout characters to finite numbers, got ${describe(rewards)}`);
    }
    const slip = opts.slip ?? 0.2;
    if (!(slip >= 0 && slip <= 1)) throw new RangeError(`GridWorld: option 'slip' must be in [0, 1], got ${describe(slip)}`);
    this.layout = [...layout];
    this.rows = layout.length;
    this.cols = layout[0]!.length;
    this.slip = slip;
    this.stepReward = opts.stepReward ?? -0.04;
    this.exploringStarts = opts.exploringStarts ?? false;
    this.index = new Int32Array(this.rows * this.cols).fill(-1);
    const cells: [number, number][] = [];
    const term: number[] = [];
    let start = -1;
    for (let r = 0; r < this.rows; r++) {
      for (let c = 0; c < this.cols; c++) {
        const ch = layout[r]![c]!;
        if (ch === '#') continue;
        if (ch !== '.' && ch !== 'S' && !Object.prototype.hasOwnProperty.call(rewards, ch)) {
          throw new RangeError(
            `GridWorld: layout cell (${r}, ${c}) is '${ch}'; expected '.', '#', 'S' or a key of rewards (${Object.keys(rewards).join(', ')})`,
          );
        }
        this.index[r * this.cols + c] = cells.length;
        if (ch === 'S') {
          if (start >= 0) throw new RangeError(`GridWorld: layout has more than one start cell 'S'`);
          start = cells.length;
        }
        term.push(ch === '.' || ch === 'S' ? NaN : rewards[ch]!);
        cells.push([r, c]);
      }
    }
    if (start < 0) throw new RangeError(`GridWorld: layout has no start cell 'S'`);
    this.cells = cells;
    this.startState = start;
    this.isTerminal = Uint8Array.from(term, (t) => (Number.isNaN(t) ? 0 : 1));
    this.terminalReward = Float64Array.from(term, (t) => (Number.isNaN(t) ? 0 : t));
    if (this.isTerminal.every((t) => t === 0)) throw new RangeError('GridWorld: layout has no terminal cell');
    this.observationSpace = new Discrete(cells.length);
  }

  get nStates(): number {
    return this.cells.length;
  }

  /** The state at (row, col), or -1 for a wall. */
  stateAt(row: number, col: number): number {
    return this.index[row * this.cols + col]!;
  }

  /** Where action `a` taken for real (after any slip) leads from state s. */
  private moveTo(s: number, a: number): number {
    const [r, c] = this.cells[s]!;
    const [dr, dc] = MOVES[a]!;
    const nr = r + dr;
    const nc = c + dc;
    if (nr < 0 || nr >= this.rows || nc < 0 || nc >= this.cols) return s;
    const t = this.index[nr * this.cols + nc]!;
    return t < 0 ? s : t;
  }

  /** The outcomes of (s, a): the intended move with 1 - slip, each perpendicular one with slip / 2. */
  private outcomes(s: number, a: number): [next: number, p: number][] {
    const out: [number, number][] = [[this.moveTo(s, a), 1 - this.slip]];
    if (this.slip > 0) {
      out.push([this.moveTo(s, (a + 1) % 4), this.slip / 2]);
      out.push([this.moveTo(s, (a + 3) % 4), this.slip / 2]);
    }
    return out;
  }

  /** The exact model: P(s'|s,a), r(s,a,s') and the terminal states. */
  mdp(): TabularMDP {
    const S = this.nStates;
    const A = 4;
    const P = new Float64Array(S * A * S);
    const R = new Float64Array(S * A * S);
    for (let s = 0; s < S; s++) {
      for (let a = 0; a < A; a++) {
        const row = (s * A + a) * S;
        if (this.isTerminal[s]) {
          P[row + s] = 1; // absorbing, reward 0
          continue;
        }
        for (const [t, p] of this.outcomes(s, a)) {
          P[row + t] = P[row + t]! + p;
          R[row + t] = this.stepReward + this.terminalReward[t]!;
        }
      }
    }
    return { nStates: S, nActions: A, P, R, terminal: Uint8Array.from(this.isTerminal) };
  }

  protected resetState(): void {
    if (!this.exploringStarts) {
      this.s = this.startState;
      return;
    }
    const free: number[] = [];
    for (let s = 0; s < this.nStates; s++) if (!this.isTerminal[s]) free.push(s);
    this.s = free[this.rng.int(free.length)]!;
  }

  protected transition(action: number): Transition {
    const u = this.rng.random();
    const dir = u < 1 - this.slip ? action : u < 1 - this.slip / 2 ? (action + 1) % 4 : (action + 3) % 4;
    this.s = this.moveTo(this.s, dir);
    return {
      reward: this.stepReward + this.terminalReward[this.s]!,
      terminated: this.isTerminal[this.s] === 1,
      info: { slipped: dir !== action },
    };
  }

  protected observe(): number {
    return this.s;
  }

  getState(): Float64Array {
    return Float64Array.of(this.s);
  }

  protected setState(state: Float64Array): void {
    const s = state[0]!;
    if (!Number.isInteger(s) || s < 0 || s >= this.nStates)
      throw new RangeError(`GridWorld.reset: state ${s} is not a state number in [0, ${this.nStates})`);
    this.s = s;
  }

  /** A text frame: the layout with the agent as '@'. */
  render(): string {
    const [ar, ac] = this.cells[this.s]!;
    const rows = this.layout.map((row, r) => [...row].map((ch, c) => (r === ar && c === ac ? '@' : ch)).join(' '));
    return [...rows, `state=${this.s} step=${this.elapsedSteps}`].join('\n');
  }

  /** The grid with one number per state (e.g. V), walls as '#', formatted with `digits` decimals. */
  formatValues(values: ArrayLike<number>, digits = 3): string {
    const w = digits + 4;
    return this.layout
      .map((row, r) =>
        [...row]
          .map((ch, c) => {
            const s = this.stateAt(r, c);
            return (s < 0 ? '#' : values[s]!.toFixed(digits)).padStart(w);
          })
          .join(' '),
      )
      .join('\n');
  }

  /** The grid with an arrow per non-terminal state for a policy (action per state). */
  formatPolicy(policy: ArrayLike<number>): string {
    return this.layout
      .map((row, r) =>
        [...row]
          .map((ch, c) => {
            const s = this.stateAt(r, c);
            if (s < 0) return '#';
            return this.isTerminal[s] ? ch : ARROWS[policy[s]!]!;
          })
          .join(' '),
      )
      .join('\n');
  }
}

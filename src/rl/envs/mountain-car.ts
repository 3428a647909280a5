/**
 * MountainCar-v0: Moore's under-powered car in a valley (A. Moore, "Efficient memory-based
 * learning for robot control", PhD thesis, Cambridge 1990; the form of Sutton and Barto,
 * Reinforcement Learning, 2nd ed., example 10.1), with the dynamics of Gymnasium's
 * `MountainCarEnv` (checked against Gymnasium 1.3.0 by test/rl/gym-parity.test.ts).
 *
 * State (p, v). Action a in {0: push left, 1: no push, 2: push right}. Each step:
 *
 *   v <- clip(v + (a - 1) 0.001 - 0.0025 cos(3p), -0.07, 0.07)
 *   p <- clip(p + v, -1.2, 0.6);  v <- 0 if p = -1.2 and v < 0
 *
 * Reward -1 every step; terminated when p >= 0.5 (and v >= 0); truncated after 200 steps. The
 * initial position is uniform in [-0.6, -0.4], the velocity 0. Observations are float32-rounded,
 * as Gymnasium returns them.
 */
import { Box, Discrete } from '../spaces.js';
import { BaseEnv, checkEnvOptions, float32Observation, type EnvOptions, type Transition } from './base.js';

const MIN_POSITION = -1.2;
const MAX_POSITION = 0.6;
const MAX_SPEED = 0.07;
const GOAL_POSITION = 0.5;
const GOAL_VELOCITY = 0;
const FORCE = 0.001;
const GRAVITY = 0.0025;

export class MountainCar extends BaseEnv<Float64Array, number> {
  readonly id = 'MountainCar-v0';
  readonly observationSpace = new Box(float32Observation([MIN_POSITION, -MAX_SPEED]), float32Observation([MAX_POSITION, MAX_SPEED]));
  readonly actionSpace = new Discrete(3);
  protected readonly stateSize = 2;
  private position = 0;
  private velocity = 0;

  /** @param opts `seed` (default 0), `maxEpisodeSteps` (default 200, Gymnasium's v0 limit). */
  constructor(opts: EnvOptions = {}, ...extra: never[]) {
    super(checkEnvOptions('MountainCar', opts, extra), 200);
  }

  protected resetState(): void {
    this.position = -0.6 + 0.2 * this.rng.random();
    this.velocity = 0;
  }

  protected transition(action: number): Transition {
    // Gymnasium adds the push and gravity first, then the sum to v: the same rounding.
    let v = this.velocity + ((action - 1) * FORCE + Math.cos(3 * this.position) * -GRAVITY);
    v = Math.min(Math.max(v, -MAX_SPEED), MAX_SPEED);
    let p = this.position + v;
    p = Math.min(Math.max(p, MIN_POSITION), MAX_POSITION);
    if (p === MIN_POSITION && v < 0) v = 0;
    this.position = p;
    this.velocity = v;
    return { reward: -1.0, terminated: p >= GOAL_POSITION && v >= GOAL_VELOCITY };
  }

  protected observe(): Float64Array {
    return float32Observation([this.position, this.velocity]);
  }

  getState(): Float64Array {
    return Float64Array.of(this.position, this.velocity);
  }

  protected setState(s: Float64Array): void {
    this.position = s[0]!;
    this.velocity = s[1]!;
  }

  /** A text frame: the valley's profile sin(3p) sampled along [-1.2, 0.6], the car and the flag. */
  render(): string {
    const width = 60;
    const rows = 10;
    const grid = Array.from({ length: rows }, () => Array<string>(width).fill(' '));
    const rowOf = (p: number): number => rows - 1 - Math.round(((Math.sin(3 * p) + 1) / 2) * (rows - 1));
    const colOf = (p: number): number => Math.round(((p - MIN_POSITION) / (MAX_POSITION - MIN_POSITION)) * (width - 1));
    for (let c = 0; c < width; c++) grid[rowOf(MIN_POSITION + ((MAX_POSITION - MIN_POSITION) * c) / (width - 1))]![c] = '.';
    grid[Math.max(0, rowOf(GOAL_POSITION) - 1)]![colOf(GOAL_POSITION)] = 'F';
    grid[Math.max(0, rowOf(this.position) - 1)]![colOf(this.position)] = 'o';
    const status = `p=${this.position.toFixed(4)} v=${this.velocity.toFixed(5)} step=${this.elapsedSteps}`;
    return [...grid.map((r) => r.join('')), status].join('\n');
  }
}

/**
 * Pendulum-v1: swinging a frictionless pendulum up with a bounded torque, the continuous-action
 * classic of Gymnasium's `PendulumEnv` (checked against Gymnasium 1.3.0 by
 * test/rl/gym-parity.test.ts). Here mainly as the environment with a continuous action, a Box.
 *
 * State (theta, theta'), theta = 0 upright. Action u in [-2, 2] (clipped, as Gymnasium does).
 * With g = 10, m = l = 1, dt = 0.05:
 *
 *   r        = -(normalize(theta)^2 + 0.1 theta'^2 + 0.001 u^2)
 *   theta'  <- clip(theta' + (3g/(2l) sin theta + 3/(m l^2) u) dt, -8, 8)
 *   theta   <- theta + theta' dt
 *
 * Never terminates; truncated after 200 steps. Initial state uniform in [-pi, pi] x [-1, 1].
 * Observation (cos theta, sin theta, theta'), float32-rounded.
 */
import { Box } from '../spaces.js';
import { BaseEnv, checkEnvOptions, float32Observation, type EnvOptions, type Transition } from './base.js';

const MAX_SPEED = 8;
const MAX_TORQUE = 2.0;
const DT = 0.05;
const G = 10.0;
const M = 1.0;
const L = 1.0;

/** ((x + pi) mod 2 pi) - pi with the floored modulo of Python and NumPy. */
function angleNormalize(x: number): number {
  const b = 2 * Math.PI;
  let r = (x + Math.PI) % b;
  if (r !== 0 && r < 0 !== b < 0) r += b;
  return r - Math.PI;
}

export class Pendulum extends BaseEnv<Float64Array, Float64Array | number[]> {
  readonly id = 'Pendulum-v1';
  readonly observationSpace = new Box(float32Observation([-1, -1, -MAX_SPEED]), float32Observation([1, 1, MAX_SPEED]));
  readonly actionSpace = new Box([-MAX_TORQUE], [MAX_TORQUE]);
  protected readonly stateSize = 2;
  private theta = 0;
  private thetaDot = 0;

  /** @param opts `seed` (default 0), `maxEpisodeSteps` (default 200, Gymnasium's v1 limit). */
  constructor(opts: EnvOptions = {}, ...extra: never[]) {
    super(checkEnvOptions('Pendulum', opts, extra), 200);
  }

  protected resetState(): void {
    this.theta = -Math.PI + 2 * Math.PI * this.rng.random();
    this.thetaDot = -1 + 2 * this.rng.random();
  }

  protected transition(action: Float64Array | number[]): Transition {
    const u = Math.min(Math.max(action[0]!, -MAX_TORQUE), MAX_TORQUE);
    const th = this.theta;
    const thdot = this.thetaDot;
    const costs = angleNormalize(th) ** 2 + 0.1 * thdot ** 2 + 0.001 * u ** 2;
    let newthdot = thdot + (((3 * G) / (2 * L)) * Math.sin(th) + (3.0 / (M * L ** 2)) * u) * DT;
    newthdot = Math.min(Math.max(newthdot, -MAX_SPEED), MAX_SPEED);
    this.theta = th + newthdot * DT;
    this.thetaDot = newthdot;
    return { reward: -costs, terminated: false };
  }

  protected observe(): Float64Array {
    return float32Observation([Math.cos(this.theta), Math.sin(this.theta), this.thetaDot]);
  }

  getState(): Float64Array {
    return Float64Array.of(this.theta, this.thetaDot);
  }

  protected setState(s: Float64Array): void {
    this.theta = s[0]!;
    this.thetaDot = s[1]!;
  }

  /** A text frame: the pendulum's rod drawn from the pivot at its angle (up is theta = 0). */
  render(): string {
    const size = 11;
    const c = (size - 1) / 2;
    const grid = Array.from({ length: size }, () => Array<string>(size).fill(' '));
    for (let k = 1; k <= 5; k++) {
      const col = Math.round(c + ((Math.sin(this.theta) * k) / 5) * c);
      const row = Math.round(c - ((Math.cos(this.theta) * k) / 5) * c);
      grid[row]![col] = k === 5 ? '@' : '*';
    }
    grid[c]![c] = 'O';
    return [...grid.map((r) => r.join('')), `theta=${angleNormalize(this.theta).toFixed(3)} step=${this.elapsedSteps}`].join('\n');
  }
}

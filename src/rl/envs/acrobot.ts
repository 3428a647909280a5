/**
 * Acrobot-v1: Sutton's two-link under-actuated pendulum (R. Sutton, "Generalization in
 * reinforcement learning: successful examples using sparse coarse coding", NIPS 1996; the
 * equations of motion of Sutton and Barto, Reinforcement Learning, 1st ed., section 11.3, the
 * "book" variant), with the dynamics of Gymnasium's `AcrobotEnv` (checked against Gymnasium 1.3.0
 * by test/rl/gym-parity.test.ts).
 *
 * State (theta1, theta2, theta1', theta2'); a torque tau in {-1, 0, +1} on the joint between the
 * links. With m = 1, l1 = 1, lc = 0.5, I = 1, g = 9.8:
 *
 *   d1 = m lc^2 + m (l1^2 + lc^2 + 2 l1 lc cos theta2) + 2 I,   d2 = m (lc^2 + l1 lc cos theta2) + I
 *   phi2 = m lc g cos(theta1 + theta2 - pi/2)
 *   phi1 = -m l1 lc theta2'^2 sin theta2 - 2 m l1 lc theta2' theta1' sin theta2 + (m lc + m l1) g cos(theta1 - pi/2) + phi2
 *   theta2'' = (tau + d2/d1 phi1 - m l1 lc theta1'^2 sin theta2 - phi2) / (m lc^2 + I - d2^2/d1)
 *   theta1'' = -(d2 theta2'' + phi1) / d1
 *
 * integrated over dt = 0.2 s by one classical Runge-Kutta (RK4) step; the angles are wrapped
 * into [-pi, pi], the velocities clipped to 4 pi and 9 pi. Reward -1 per step, 0 on the
 * terminating one; terminated when -cos theta1 - cos(theta1 + theta2) > 1 (the tip one link
 * above the pivot); truncated after 500 steps. The initial state is uniform in [-0.1, 0.1]^4,
 * rounded to float32 as Gymnasium does. Observation (cos theta1, sin theta1, cos theta2,
 * sin theta2, theta1', theta2'), float32-rounded.
 */
import { Box, Discrete } from '../spaces.js';
import { BaseEnv, checkEnvOptions, float32Observation, type EnvOptions, type Transition } from './base.js';

const DT = 0.2;
const L1 = 1.0;
const M1 = 1.0;
const M2 = 1.0;
const LC1 = 0.5;
const LC2 = 0.5;
const I1 = 1.0;
const I2 = 1.0;
const G = 9.8;
const MAX_VEL_1 = 4 * Math.PI;
const MAX_VEL_2 = 9 * Math.PI;
const TORQUES = [-1.0, 0.0, 1.0];

/** Time derivative of (theta1, theta2, theta1', theta2') under torque a; Gymnasium's operation order. */
function dsdt(s: readonly number[], a: number): number[] {
  const [theta1, theta2, dtheta1, dtheta2] = s as [number, number, number, number];
  const d1 = M1 * LC1 ** 2 + M2 * (L1 ** 2 + LC2 ** 2 + 2 * L1 * LC2 * Math.cos(theta2)) + I1 + I2;
  const d2 = M2 * (LC2 ** 2 + L1 * LC2 * Math.cos(theta2)) + I2;
  const phi2 = M2 * LC2 * G * Math.cos(theta1 + theta2 - Math.PI / 2.0);
  const phi1 =
    -M2 * L1 * LC2 * dtheta2 ** 2 * Math.sin(theta2) -
    2 * M2 * L1 * LC2 * dtheta2 * dtheta1 * Math.sin(theta2) +
    (M1 * LC1 + M2 * L1) * G * Math.cos(theta1 - Math.PI / 2) +
    phi2;
  const ddtheta2 = (a + (d2 / d1) * phi1 - M2 * L1 * LC2 * dtheta1 ** 2 * Math.sin(theta2) - phi2) / (M2 * LC2 ** 2 + I2 - d2 ** 2 / d1);
  const ddtheta1 = -(d2 * ddtheta2 + phi1) / d1;
  return [dtheta1, dtheta2, ddtheta1, ddtheta2];
}

/** Wraps x into [m, M] by whole turns, as Gymnasium's `wrap`. */
function wrap(x: number, m: number, M: number): number {
  const diff = M - m;
  while (x > M) x = x - diff;
  while (x < m) x = x + diff;
  return x;
}

export class Acrobot extends BaseEnv<Float64Array, number> {
  readonly id = 'Acrobot-v1';
  readonly observationSpace = new Box(
    float32Observation([-1, -1, -1, -1, -MAX_VEL_1, -MAX_VEL_2]),
    float32Observation([1, 1, 1, 1, MAX_VEL_1, MAX_VEL_2]),
  );
  readonly actionSpace = new Discrete(3);
  protected readonly stateSize = 4;
  private s = [0, 0, 0, 0];

  /** @param opts `seed` (default 0), `maxEpisodeSteps` (default 500, Gymnasium's v1 limit). */
  constructor(opts: EnvOptions = {}, ...extra: never[]) {
    super(checkEnvOptions('Acrobot', opts, extra), 500);
  }

  protected resetState(): void {
    this.s = Array.from({ length: 4 }, () => Math.fround(-0.1 + 0.2 * this.rng.random()));
  }

  protected transition(action: number): Transition {
    const torque = TORQUES[action]!;
    // One RK4 step over [0, dt], written as Gymnasium's rk4 computes it (y + dt/2 k, then
    // y + dt/6 (k1 + 2 k2 + 2 k3 + k4)), so the rounding matches.
    const y0 = this.s;
    const dt = DT - 0;
    const dt2 = dt / 2.0;
    const k1 = dsdt(y0, torque);
    const k2 = dsdt(
      y0.map((v, i) => v + dt2 * k1[i]!),
      torque,
    );
    const k3 = dsdt(
      y0.map((v, i) => v + dt2 * k2[i]!),
      torque,
    );
    const k4 = dsdt(
      y0.map((v, i) => v + dt * k3[i]!),
      torque,
    );
    const ns = y0.map((v, i) => v + (dt / 6.0) * (k1[i]! + 2 * k2[i]! + 2 * k3[i]! + k4[i]!));
    ns[0] = wrap(ns[0]!, -Math.PI, Math.PI);
    ns[1] = wrap(ns[1]!, -Math.PI, Math.PI);
    ns[2] = Math.min(Math.max(ns[2]!, -MAX_VEL_1), MAX_VEL_1);
    ns[3] = Math.min(Math.max(ns[3]!, -MAX_VEL_2), MAX_VEL_2);
    this.s = ns;
    const terminated = -Math.cos(ns[0]) - Math.cos(ns[1] + ns[0]) > 1.0;
    return { reward: terminated ? 0.0 : -1.0, terminated };
  }

  protected observe(): Float64Array {
    const [t1, t2, d1, d2] = this.s as [number, number, number, number];
    return float32Observation([Math.cos(t1), Math.sin(t1), Math.cos(t2), Math.sin(t2), d1, d2]);
  }

  getState(): Float64Array {
    return Float64Array.from(this.s);
  }

  protected setState(s: Float64Array): void {
    this.s = Array.from(s);
  }

  /** A text frame: the two links drawn from the pivot, the bar the tip must clear, the step. */
  render(): string {
    const size = 21;
    const c = (size - 1) / 2;
    const grid = Array.from({ length: size }, () => Array<string>(size).fill(' '));
    const scale = c / 2.2;
    const plot = (x: number, y: number, ch: string): void => {
      const col = Math.round(c + x * scale);
      const row = Math.round(c - y * scale);
      if (row >= 0 && row < size && col >= 0 && col < size) grid[row]![col] = ch;
    };
    const barRow = Math.round(c - 1 * scale);
    for (let col = 0; col < size; col++) grid[barRow]![col] = '-';
    const [t1, t2] = this.s as [number, number];
    const p1 = [Math.sin(t1), -Math.cos(t1)] as const;
    const p2 = [p1[0] + Math.sin(t1 + t2), p1[1] - Math.cos(t1 + t2)] as const;
    for (let k = 1; k <= 8; k++) {
      plot((p1[0] * k) / 8, (p1[1] * k) / 8, '#');
      plot(p1[0] + ((p2[0] - p1[0]) * k) / 8, p1[1] + ((p2[1] - p1[1]) * k) / 8, '*');
    }
    plot(0, 0, 'O');
    return [...grid.map((r) => r.join('')), `theta1=${t1.toFixed(3)} theta2=${t2.toFixed(3)} step=${this.elapsedSteps}`].join('\n');
  }
}

/**
 * CartPole-v1: Barto, Sutton and Anderson's pole balancing ("Neuronlike adaptive elements that
 * can solve difficult learning control problems", IEEE SMC 1983), with the dynamics, constants,
 * termination and reward of Gymnasium's `CartPoleEnv` (checked against Gymnasium 1.3.0 by
 * test/rl/gym-parity.test.ts).
 *
 * State (x, x', theta, theta'): cart position and velocity, pole angle (0 = upright) and angular
 * velocity. Action 0 pushes the cart left with 10 N, 1 right. Each step (tau = 0.02 s, explicit
 * Euler):
 *
 *   temp    = (F + m_p l theta'^2 sin theta) / (m_c + m_p)
 *   theta'' = (g sin theta - cos theta temp) / (l (4/3 - m_p cos^2 theta / (m_c + m_p)))
 *   x''     = temp - m_p l theta'' cos theta / (m_c + m_p)
 *
 * with l the half-length 0.5, m_p 0.1, m_c 1.0, g 9.8. Reward +1 every step, the terminating one
 * included; terminated when |x| > 2.4 or |theta| > 12 degrees; truncated after 500 steps.
 * The initial state is uniform in [-0.05, 0.05]^4. Observations are the state rounded to float32,
 * as Gymnasium returns them; the state itself stays in float64.
 */
import { Box, Discrete } from '../spaces.js';
import { BaseEnv, checkEnvOptions, float32Observation, type EnvOptions, type Transition } from './base.js';

const GRAVITY = 9.8;
const MASS_CART = 1.0;
const MASS_POLE = 0.1;
const TOTAL_MASS = MASS_POLE + MASS_CART;
const LENGTH = 0.5; // half the pole's length
const POLEMASS_LENGTH = MASS_POLE * LENGTH;
const FORCE_MAG = 10.0;
const TAU = 0.02;
const THETA_THRESHOLD = (12 * 2 * Math.PI) / 360;
const X_THRESHOLD = 2.4;

export class CartPole extends BaseEnv<Float64Array, number> {
  readonly id = 'CartPole-v1';
  readonly observationSpace = new Box(
    float32Observation([-X_THRESHOLD * 2, -Infinity, -THETA_THRESHOLD * 2, -Infinity]),
    float32Observation([X_THRESHOLD * 2, Infinity, THETA_THRESHOLD * 2, Infinity]),
  );
  readonly actionSpace = new Discrete(2);
  protected readonly stateSize = 4;
  private x = 0;
  private xDot = 0;
  private theta = 0;
  private thetaDot = 0;

  /** @param opts `seed` (default 0), `maxEpisodeSteps` (default 500, Gymnasium's v1 limit). */
  constructor(opts: EnvOptions = {}, ...extra: never[]) {
    super(checkEnvOptions('CartPole', opts, extra), 500);
  }

  protected resetState(): void {
    const u = (): number => -0.05 + 0.1 * this.rng.random();
    this.x = u();
    this.xDot = u();
    this.theta = u();
    this.thetaDot = u();
  }

  protected transition(action: number): Transition {
    const force = action === 1 ? FORCE_MAG : -FORCE_MAG;
    const cos = Math.cos(this.theta);
    const sin = Math.sin(this.theta);
    // The order of operations is Gymnasium's, so the float64 results agree to the last bits.
    const temp = (force + POLEMASS_LENGTH * (this.thetaDot * this.thetaDot) * sin) / TOTAL_MASS;
    const thetaAcc = (GRAVITY * sin - cos * temp) / (LENGTH * (4.0 / 3.0 - (MASS_POLE * (cos * cos)) / TOTAL_MASS));
    const xAcc = temp - (POLEMASS_LENGTH * thetaAcc * cos) / TOTAL_MASS;
    this.x = this.x + TAU * this.xDot;
    this.xDot = this.xDot + TAU * xAcc;
    this.theta = this.theta + TAU * this.thetaDot;
    this.thetaDot = this.thetaDot + TAU * thetaAcc;
    const terminated = this.x < -X_THRESHOLD || this.x > X_THRESHOLD || this.theta < -THETA_THRESHOLD || this.theta > THETA_THRESHOLD;
    return { reward: 1.0, terminated };
  }

  protected observe(): Float64Array {
    return float32Observation([this.x, this.xDot, this.theta, this.thetaDot]);
  }

  getState(): Float64Array {
    return Float64Array.of(this.x, this.xDot, this.theta, this.thetaDot);
  }

  protected setState(s: Float64Array): void {
    [this.x, this.xDot, this.theta, this.thetaDot] = s as unknown as [number, number, number, number];
  }

  /** A text frame: the track from -2.4 to 2.4, the cart, and the pole drawn at its angle. */
  render(): string {
    const width = 49;
    const col = (x: number): number => Math.round(((x + X_THRESHOLD) / (2 * X_THRESHOLD)) * (width - 1));
    const rows = 5;
    const grid = Array.from({ length: rows + 2 }, () => Array<string>(width).fill(' '));
    const cx = Math.min(width - 1, Math.max(0, col(this.x)));
    // The pole, 2 * LENGTH = 1 m long, drawn in track units (one row is 0.2 m of height).
    for (let r = 1; r <= rows; r++) {
      const h = (r / rows) * 2 * LENGTH;
      const c = col(this.x + Math.tan(this.theta) * h);
      if (c >= 0 && c < width) grid[rows - r]![c] = Math.abs(this.theta) < 0.05 ? '|' : this.theta > 0 ? '/' : '\\';
    }
    for (let c = cx - 2; c <= cx + 2; c++) if (c >= 0 && c < width) grid[rows]![c] = c === cx ? 'o' : '=';
    grid[rows + 1]!.fill('-');
    const status = `x=${this.x.toFixed(3)} theta=${((this.theta * 180) / Math.PI).toFixed(2)}deg step=${this.elapsedSteps}`;
    return [...grid.map((r) => r.join('')), status].join('\n');
  }
}

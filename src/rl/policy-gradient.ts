/**
 * The policy gradient theorem on a finite MDP, computed exactly and estimated by REINFORCE, so it
 * can be checked numerically (test/rl/policy-gradient.test.ts) in the curriculum's notation.
 *
 * A softmax-tabular policy with parameters theta[s * A + a]:
 *
 *   pi_theta(a|s) = exp(theta(s,a)) / sum_b exp(theta(s,b)),
 *   d/d theta(s,b) log pi_theta(a|s) = 1[a = b] - pi_theta(b|s)
 *
 * The goodness of a policy J(theta), defined two ways (the curriculum's 割引報酬和 and 平均報酬):
 *
 *   discounted:     J(theta) = sum_s mu(s) V^pi(s)                  (mu the start distribution)
 *   average reward: J(theta) = sum_s d^pi(s) sum_a pi(a|s) r(s,a)   (d^pi the stationary distribution)
 *
 * and the policy gradient theorem (Sutton, McAllester, Singh and Mansour, NIPS 1999):
 *
 *   grad J(theta) = sum_s rho^pi(s) sum_a grad pi_theta(a|s) Q^pi(s,a)
 *                 = E_pi[ grad log pi_theta(a|s) Q^pi(s,a) ]
 *
 * with rho^pi(s) = sum_t gamma^t Pr(s_t = s) the discounted occupancy (discounted case) or d^pi(s)
 * with the differential Q (average-reward case). REINFORCE (Williams 1992) estimates it from
 * sampled episodes: grad J ~ sum_t gamma^t G_t grad log pi_theta(a_t|s_t), G_t the discounted
 * return from t. Everything is exact linear algebra on Float64Arrays (solveLinear).
 */
import type { Generator } from '../tensor/random.js';
import { checkOptions, checkRest, describe } from '../tensor/validate.js';
import { checkMDP, expectedRewards, solveLinear, type TabularMDP } from './mdp.js';

/** pi_theta(a|s) of a softmax-tabular policy, at s * nActions + a. */
export function softmaxPolicy(theta: Float64Array, nActions: number, ...extra: never[]): Float64Array {
  checkRest('softmaxPolicy', extra, 2, 'softmaxPolicy(theta, nActions)');
  if (!(theta instanceof Float64Array) || !Number.isInteger(nActions) || nActions <= 0 || theta.length % nActions !== 0) {
    throw new TypeError(
      `softmaxPolicy: theta must be a Float64Array of nStates * nActions entries, got ${describe(theta)} with nActions=${describe(nActions)}`,
    );
  }
  const pi = new Float64Array(theta.length);
  for (let base = 0; base < theta.length; base += nActions) {
    let m = -Infinity;
    for (let a = 0; a < nActions; a++) m = Math.max(m, theta[base + a]!);
    let z = 0;
    for (let a = 0; a < nActions; a++) z += pi[base + a] = Math.exp(theta[base + a]! - m);
    for (let a = 0; a < nActions; a++) pi[base + a] = pi[base + a]! / z;
  }
  return pi;
}

export interface ObjectiveOptions {
  /** 'discounted' (needs gamma < 1, or terminal states reached surely) or 'average' (an ergodic MDP). Default 'discounted'. */
  objective?: 'discounted' | 'average';
  /** Discount gamma in [0, 1] for the discounted objective. Default 0.9. */
  gamma?: number;
  /** Start distribution mu(s) for the discounted objective. Default uniform over non-terminal states. */
  start?: Float64Array;
}

export interface ExactPolicyGradient {
  /** J(theta). */
  J: number;
  /** grad J(theta) by the policy gradient theorem, at s * nActions + a. */
  grad: Float64Array;
  /** Q^pi(s,a) (discounted) or the differential Q(s,a) (average reward). */
  Q: Float64Array;
  /** rho^pi(s): the discounted occupancy sum_t gamma^t Pr(s_t = s), or the stationary distribution d^pi. */
  occupancy: Float64Array;
}

function startOf(fn: string, mdp: TabularMDP, start: Float64Array | undefined): Float64Array {
  const S = mdp.nStates;
  if (start === undefined) {
    const free = mdp.terminal.reduce((n, t) => n + (t ? 0 : 1), 0);
    return Float64Array.from(mdp.terminal, (t) => (t ? 0 : 1 / free));
  }
  if (!(start instanceof Float64Array) || start.length !== S || Math.abs(start.reduce((a, b) => a + b, 0) - 1) > 1e-9) {
    throw new TypeError(`${fn}: option 'start' must be a Float64Array of ${S} probabilities summing to 1, got ${describe(start)}`);
  }
  return start;
}

/**
 * J(theta) of a softmax-tabular policy computed exactly, and its gradient by the policy gradient
 * theorem (see the header): linear solves for V^pi and rho^pi (discounted) or for d^pi and the
 * differential values (average reward).
 */
export function exactPolicyGradient(
  mdp: TabularMDP,
  theta: Float64Array,
  opts: ObjectiveOptions = {},
  ...extra: never[]
): ExactPolicyGradient {
  const fn = 'exactPolicyGradient';
  checkRest(fn, extra, 3, `${fn}(mdp, theta, opts?)`);
  checkMDP(fn, mdp);
  const o = checkOptions(fn, 3, opts, { objective: ['discounted', 'average'], gamma: 'number', start: 'any' });
  const { nStates: S, nActions: A, P, terminal } = mdp;
  if (!(theta instanceof Float64Array) || theta.length !== S * A)
    throw new TypeError(`${fn}: theta must be a Float64Array of ${S * A} entries, got ${describe(theta)}`);
  const pi = softmaxPolicy(theta, A);
  const r = expectedRewards(mdp);
  // P_pi(s'|s) and r_pi(s) under the policy; terminal states lead nowhere (value 0).
  const Ppi = new Float64Array(S * S);
  const rpi = new Float64Array(S);
  for (let s = 0; s < S; s++) {
    if (terminal[s]) continue;
    for (let a = 0; a < A; a++) {
      const w = pi[s * A + a]!;
      rpi[s] = rpi[s]! + w * r[s * A + a]!;
      for (let t = 0; t < S; t++) if (!terminal[t]) Ppi[s * S + t] = Ppi[s * S + t]! + w * P[(s * A + a) * S + t]!;
    }
  }
  const Q = new Float64Array(S * A);
  const occupancy = new Float64Array(S);
  let J: number;
  if ((o.objective ?? 'discounted') === 'discounted') {
    const gamma = o.gamma ?? 0.9;
    if (!(gamma >= 0 && gamma <= 1)) throw new RangeError(`${fn}: option 'gamma' must be in [0, 1], got ${describe(gamma)}`);
    const mu = startOf(fn, mdp, o.start);
    // V^pi = (I - gamma P_pi)^-1 r_pi;  rho^pi = (I - gamma P_pi^T)^-1 mu.
    const M = new Float64Array(S * S);
    const MT = new Float64Array(S * S);
    for (let s = 0; s < S; s++) {
      for (let t = 0; t < S; t++) {
        M[s * S + t] = (s === t ? 1 : 0) - gamma * Ppi[s * S + t]!;
        MT[t * S + s] = M[s * S + t]!;
      }
    }
    const V = solveLinear(fn, M, rpi);
    occupancy.set(solveLinear(fn, MT, mu));
    J = mu.reduce((acc, m, s) => acc + m * V[s]!, 0);
    for (let s = 0; s < S; s++) {
      if (terminal[s]) continue;
      for (let a = 0; a < A; a++) {
        let q = r[s * A + a]!;
        for (let t = 0; t < S; t++) if (!terminal[t]) q += gamma * P[(s * A + a) * S + t]! * V[t]!;
        Q[s * A + a] = q;
      }
    }
  } else {
    if (terminal.some((t) => t === 1))
      throw new RangeError(`${fn}: the average-reward objective needs a continuing MDP (no terminal states)`);
    // d^pi: d^T P_pi = d^T with sum d = 1 (the last balance equation replaced by the normalisation).
    const M = new Float64Array(S * S);
    const b = new Float64Array(S);
    for (let s = 0; s < S; s++) for (let t = 0; t < S; t++) M[t * S + s] = Ppi[s * S + t]! - (s === t ? 1 : 0);
    for (let s = 0; s < S; s++) M[(S - 1) * S + s] = 1;
    b[S - 1] = 1;
    occupancy.set(solveLinear(fn, M, b));
    J = occupancy.reduce((acc, d, s) => acc + d * rpi[s]!, 0);
    // Differential values: h = r_pi - J + P_pi h with d . h = 0 (the last equation replaced).
    const H = new Float64Array(S * S);
    const c = new Float64Array(S);
    for (let s = 0; s < S; s++) {
      for (let t = 0; t < S; t++) H[s * S + t] = (s === t ? 1 : 0) - Ppi[s * S + t]!;
      c[s] = rpi[s]! - J;
    }
    for (let t = 0; t < S; t++) H[(S - 1) * S + t] = occupancy[t]!;
    c[S - 1] = 0;
    const h = solveLinear(fn, H, c);
    for (let s = 0; s < S; s++) {
      for (let a = 0; a < A; a++) {
        let q = r[s * A + a]! - J;
        for (let t = 0; t < S; t++) q += P[(s * A + a) * S + t]! * h[t]!;
        Q[s * A + a] = q;
      }
    }
  }
  // grad_theta(s,b) J = rho(s) sum_a d pi(a|s)/d theta(s,b) Q(s,a) = rho(s) pi(b|s) (Q(s,b) - sum_a pi(a|s) Q(s,a)).
  const grad = new Float64Array(S * A);
  for (let s = 0; s < S; s++) {
    if (terminal[s]) continue;
    let vbar = 0;
    for (let a = 0; a < A; a++) vbar += pi[s * A + a]! * Q[s * A + a]!;
    for (let b = 0; b < A; b++) grad[s * A + b] = occupancy[s]! * pi[s * A + b]! * (Q[s * A + b]! - vbar);
  }
  return { J, grad, Q, occupancy };
}

export interface ReinforceEstimateOptions {
  /** Episodes sampled. */
  episodes: number;
  /** Discount gamma in [0, 1]. Default 0.9. */
  gamma?: number;
  /** Start distribution; default uniform over non-terminal states. */
  start?: Float64Array;
  /** Cut an episode after this many steps (the estimator is then biased by gamma^maxSteps). Default 1000. */
  maxSteps?: number;
  /**
   * Weight of step t: 'discounted' uses gamma^t G_t (the unbiased estimator of the discounted
   * objective's gradient); 'undiscounted' drops gamma^t, the common practice, which estimates a
   * different vector. Default 'discounted'.
   */
  weighting?: 'discounted' | 'undiscounted';
}

/**
 * The REINFORCE estimate of grad J(theta) on a finite MDP: the mean over sampled episodes of
 * sum_t gamma^t G_t grad log pi_theta(a_t|s_t), with its standard error per component.
 */
export function reinforceEstimate(
  mdp: TabularMDP,
  theta: Float64Array,
  rng: Generator,
  opts: ReinforceEstimateOptions,
  ...extra: never[]
): { mean: Float64Array; stdErr: Float64Array } {
  const fn = 'reinforceEstimate';
  checkRest(fn, extra, 4, `${fn}(mdp, theta, rng, opts)`);
  checkMDP(fn, mdp);
  const o = checkOptions(fn, 4, opts, {
    episodes: 'positiveInt',
    gamma: 'number',
    start: 'any',
    maxSteps: 'positiveInt',
    weighting: ['discounted', 'undiscounted'],
  });
  if (o.episodes === undefined) throw new TypeError(`${fn}: option 'episodes' is required (a positive integer)`);
  if (!rng || typeof (rng as { random?: unknown }).random !== 'function')
    throw new TypeError(`${fn}: rng must be a Generator, got ${describe(rng)}`);
  const { nStates: S, nActions: A, P, R, terminal } = mdp;
  const gamma = o.gamma ?? 0.9;
  const maxSteps = o.maxSteps ?? 1000;
  const mu = startOf(fn, mdp, o.start);
  const pi = softmaxPolicy(theta, A);
  const draw = (p: Float64Array, base: number, n: number): number => {
    let u = rng.random();
    for (let i = 0; i < n; i++) if ((u -= p[base + i]!) < 0) return i;
    return n - 1;
  };
  const sum = new Float64Array(S * A);
  const sumSq = new Float64Array(S * A);
  const g = new Float64Array(S * A);
  const states: number[] = [];
  const actions: number[] = [];
  const rewards: number[] = [];
  for (let ep = 0; ep < o.episodes; ep++) {
    states.length = actions.length = rewards.length = 0;
    let s = draw(mu, 0, S);
    for (let t = 0; t < maxSteps && !terminal[s]; t++) {
      const a = draw(pi, s * A, A);
      const next = draw(P, (s * A + a) * S, S);
      states.push(s);
      actions.push(a);
      rewards.push(R[(s * A + a) * S + next]!);
      s = next;
    }
    g.fill(0);
    let G = 0;
    for (let t = states.length - 1; t >= 0; t--) {
      G = rewards[t]! + gamma * G; // G_t = r_{t+1} + gamma G_{t+1}
      const w = (o.weighting === 'undiscounted' ? 1 : Math.pow(gamma, t)) * G;
      const st = states[t]!;
      const at = actions[t]!;
      for (let b = 0; b < A; b++) g[st * A + b] = g[st * A + b]! + w * ((b === at ? 1 : 0) - pi[st * A + b]!);
    }
    for (let i = 0; i < g.length; i++) {
      sum[i] = sum[i]! + g[i]!;
      sumSq[i] = sumSq[i]! + g[i]! * g[i]!;
    }
  }
  const n = o.episodes;
  const mean = sum.map((v) => v / n);
  const stdErr = sumSq.map((v, i) => Math.sqrt(Math.max(0, v / n - mean[i]! * mean[i]!) / Math.max(1, n - 1)));
  return { mean, stdErr };
}

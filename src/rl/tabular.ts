/**
 * Tabular reinforcement learning on a finite MDP, in the curriculum's notation (a state s, an
 * action a, a policy pi(a|s), a discount gamma, the transition model P(s'|s,a) and the reward
 * r(s,a,s'); terminal states have value 0):
 *
 * State-value and action-value functions of a policy pi, the Bellman expectation equations:
 *
 *   V^pi(s)   = sum_a pi(a|s) sum_s' P(s'|s,a) [ r(s,a,s') + gamma V^pi(s') ]
 *   Q^pi(s,a) = sum_s' P(s'|s,a) [ r(s,a,s') + gamma sum_a' pi(a'|s') Q^pi(s',a') ]
 *
 * and the Bellman optimality equations, solved by value iteration:
 *
 *   V*(s) = max_a sum_s' P(s'|s,a) [ r(s,a,s') + gamma V*(s') ],   Q*(s,a) = sum_s' P [ r + gamma max_a' Q*(s',a') ]
 *
 * Learning from experience without the model (Watkins' Q-learning, 1989; Rummery and Niranjan's
 * SARSA, 1994), after each transition (s, a, r, s'):
 *
 *   Q-learning:  Q(s,a) <- Q(s,a) + alpha [ r + gamma max_a' Q(s',a') - Q(s,a) ]
 *   SARSA:       Q(s,a) <- Q(s,a) + alpha [ r + gamma Q(s',a') - Q(s,a) ]      (a' the action taken next)
 *
 * with the target's second term 0 when s' is terminal (and kept when the episode was only
 * truncated). Exploration trades exploitation (the greedy action) against trying others:
 * epsilon-greedy (a uniform action with probability epsilon) or softmax/Boltzmann
 * (pi(a|s) proportional to exp(Q(s,a) / tau)).
 *
 * Tables are Float64Arrays: V[s], Q[s * nActions + a], a stochastic policy pi[s * nActions + a],
 * a deterministic one as one action per state (Int32Array).
 */
import { Generator } from '../tensor/random.js';
import { checkArg, checkOptions, checkRest, describe } from '../tensor/validate.js';
import type { Env } from './env.js';
import { checkMDP, solveLinear, type TabularMDP } from './mdp.js';
import { Discrete } from './spaces.js';

export interface ValueIterationOptions {
  /** Discount gamma in [0, 1]. gamma = 1 needs every policy to reach a terminal state. Default 0.9. */
  gamma?: number;
  /** Stop when the largest change of V in a sweep is below this. Default 1e-12. */
  tol?: number;
  /** Give up after this many sweeps (throws). Default 100000. */
  maxIterations?: number;
}

export interface ValueIterationResult {
  /** V*(s). */
  V: Float64Array;
  /** Q*(s,a), at s * nActions + a. */
  Q: Float64Array;
  /** A greedy optimal action per state (the lowest index among ties; 0 for terminal states). */
  policy: Int32Array;
  /** Sweeps done. */
  iterations: number;
  /** The largest change of V in each sweep (the contraction at work). */
  deltas: number[];
}

const gammaOf = (fn: string, g: number | undefined, dflt: number): number => {
  const gamma = g ?? dflt;
  if (!(gamma >= 0 && gamma <= 1)) throw new RangeError(`${fn}: option 'gamma' must be in [0, 1], got ${describe(gamma)}`);
  return gamma;
};

/** Q(s,a) = sum_s' P(s'|s,a) [ r(s,a,s') + gamma V(s') ]: the one-step lookahead of V. */
export function actionValues(mdp: TabularMDP, V: Float64Array, gamma: number, ...extra: never[]): Float64Array {
  checkRest('actionValues', extra, 3, 'actionValues(mdp, V, gamma)');
  checkMDP('actionValues', mdp);
  const { nStates: S, nActions: A, P, R, terminal } = mdp;
  if (!(V instanceof Float64Array) || V.length !== S)
    throw new TypeError(`actionValues: V must be a Float64Array of ${S} values, got ${describe(V)}`);
  checkArg('actionValues', 'gamma', gamma, 'number');
  const Q = new Float64Array(S * A);
  for (let s = 0; s < S; s++) {
    if (terminal[s]) continue;
    for (let a = 0; a < A; a++) {
      const row = (s * A + a) * S;
      let q = 0;
      for (let t = 0; t < S; t++) {
        const p = P[row + t]!;
        if (p !== 0) q += p * (R[row + t]! + gamma * (terminal[t] ? 0 : V[t]!));
      }
      Q[s * A + a] = q;
    }
  }
  return Q;
}

/** The greedy policy of a Q table: argmax_a Q(s,a) per state, the lowest index among ties within `tieTol`. */
export function greedyPolicy(Q: Float64Array, nActions: number, tieTol = 0, ...extra: never[]): Int32Array {
  checkRest('greedyPolicy', extra, 3, 'greedyPolicy(Q, nActions, tieTol?)');
  if (!(Q instanceof Float64Array)) throw new TypeError(`greedyPolicy: Q must be a Float64Array, got ${describe(Q)}`);
  checkArg('greedyPolicy', 'nActions', nActions, 'positiveInt');
  if (Q.length % nActions !== 0) throw new RangeError(`greedyPolicy: Q has ${Q.length} entries, not a multiple of nActions=${nActions}`);
  const S = Q.length / nActions;
  const pi = new Int32Array(S);
  for (let s = 0; s < S; s++) {
    let best = 0;
    for (let a = 1; a < nActions; a++) if (Q[s * nActions + a]! > Q[s * nActions + best]! + tieTol) best = a;
    pi[s] = best;
  }
  return pi;
}

/**
 * Value iteration: V_{k+1}(s) = max_a sum_s' P(s'|s,a) [ r + gamma V_k(s') ] until the largest
 * change is below `tol`; a gamma-contraction, so it converges for gamma < 1.
 * @example const { V, policy } = valueIteration(new GridWorld().mdp(), { gamma: 1 });
 */
export function valueIteration(mdp: TabularMDP, opts: ValueIterationOptions = {}, ...extra: never[]): ValueIterationResult {
  checkRest('valueIteration', extra, 2, 'valueIteration(mdp, opts?)');
  checkMDP('valueIteration', mdp);
  const o = checkOptions('valueIteration', 2, opts, { gamma: 'number', tol: 'number', maxIterations: 'positiveInt' });
  const gamma = gammaOf('valueIteration', o.gamma, 0.9);
  const tol = o.tol ?? 1e-12;
  const maxIt = o.maxIterations ?? 100000;
  const { nStates: S, nActions: A } = mdp;
  let V = new Float64Array(S);
  const deltas: number[] = [];
  for (let it = 1; it <= maxIt; it++) {
    const Q = actionValues(mdp, V, gamma);
    const next = new Float64Array(S);
    let delta = 0;
    for (let s = 0; s < S; s++) {
      if (mdp.terminal[s]) continue;
      let m = -Infinity;
      for (let a = 0; a < A; a++) m = Math.max(m, Q[s * A + a]!);
      next[s] = m;
      delta = Math.max(delta, Math.abs(m - V[s]!));
    }
    V = next;
    deltas.push(delta);
    if (delta < tol) {
      const Qstar = actionValues(mdp, V, gamma);
      return { V, Q: Qstar, policy: greedyPolicy(Qstar, A, 1e-12), iterations: it, deltas };
    }
  }
  throw new Error(
    `valueIteration: no convergence to tol=${tol} in ${maxIt} sweeps (last change ${deltas.at(-1)}); with gamma=${gamma} = 1 some policy may never terminate`,
  );
}

export interface PolicyEvaluationOptions {
  /** Discount gamma in [0, 1]. Default 0.9. */
  gamma?: number;
  /** 'exact' solves the linear system (I - gamma P_pi) V = r_pi; 'iterative' sweeps the Bellman expectation equation. Default 'exact'. */
  method?: 'exact' | 'iterative';
  /** Iterative: stop when the largest change is below this. Default 1e-12. */
  tol?: number;
  /** Iterative: give up after this many sweeps (throws). Default 100000. */
  maxIterations?: number;
}

/** pi as a table of probabilities pi[s * A + a] (a deterministic policy becomes one-hot rows). */
function policyTable(fn: string, mdp: TabularMDP, policy: Float64Array | Int32Array): Float64Array {
  const { nStates: S, nActions: A } = mdp;
  if (policy instanceof Int32Array) {
    if (policy.length !== S) throw new RangeError(`${fn}: a deterministic policy needs ${S} actions (one per state), got ${policy.length}`);
    const pi = new Float64Array(S * A);
    policy.forEach((a, s) => {
      if (!(a >= 0 && a < A)) throw new RangeError(`${fn}: policy[${s}] = ${a} is not an action in [0, ${A})`);
      pi[s * A + a] = 1;
    });
    return pi;
  }
  if (!(policy instanceof Float64Array) || policy.length !== S * A) {
    throw new TypeError(
      `${fn}: policy must be an Int32Array of ${S} actions or a Float64Array of ${S}x${A} probabilities, got ${describe(policy)}`,
    );
  }
  for (let s = 0; s < S; s++) {
    let sum = 0;
    for (let a = 0; a < A; a++) sum += policy[s * A + a]!;
    if (Math.abs(sum - 1) > 1e-9) throw new RangeError(`${fn}: pi(.|s=${s}) sums to ${sum}, expected 1`);
  }
  return policy;
}

/**
 * Policy evaluation: V^pi and Q^pi of a given policy, from the Bellman expectation equations
 * (see the header), either exactly by a linear solve or by iterating them.
 */
export function policyEvaluation(
  mdp: TabularMDP,
  policy: Float64Array | Int32Array,
  opts: PolicyEvaluationOptions = {},
  ...extra: never[]
): { V: Float64Array; Q: Float64Array; iterations: number } {
  checkRest('policyEvaluation', extra, 3, 'policyEvaluation(mdp, policy, opts?)');
  checkMDP('policyEvaluation', mdp);
  const o = checkOptions('policyEvaluation', 3, opts, {
    gamma: 'number',
    method: ['exact', 'iterative'],
    tol: 'number',
    maxIterations: 'positiveInt',
  });
  const gamma = gammaOf('policyEvaluation', o.gamma, 0.9);
  const pi = policyTable('policyEvaluation', mdp, policy);
  const { nStates: S, nActions: A, P, terminal } = mdp;
  // P_pi(s'|s) = sum_a pi(a|s) P(s'|s,a) and r_pi(s) = sum_a pi(a|s) sum_s' P r.
  const Ppi = new Float64Array(S * S);
  const rpi = new Float64Array(S);
  const Qr = actionValues(mdp, new Float64Array(S), 0); // expected immediate rewards r(s,a)
  for (let s = 0; s < S; s++) {
    if (terminal[s]) continue;
    for (let a = 0; a < A; a++) {
      const w = pi[s * A + a]!;
      if (w === 0) continue;
      rpi[s] = rpi[s]! + w * Qr[s * A + a]!;
      for (let t = 0; t < S; t++) if (!terminal[t]) Ppi[s * S + t] = Ppi[s * S + t]! + w * P[(s * A + a) * S + t]!;
    }
  }
  let V: Float64Array;
  let iterations = 0;
  if ((o.method ?? 'exact') === 'exact') {
    const M = new Float64Array(S * S);
    for (let s = 0; s < S; s++) for (let t = 0; t < S; t++) M[s * S + t] = (s === t ? 1 : 0) - gamma * Ppi[s * S + t]!;
    V = solveLinear('policyEvaluation', M, rpi);
  } else {
    const tol = o.tol ?? 1e-12;
    const maxIt = o.maxIterations ?? 100000;
    V = new Float64Array(S);
    for (;;) {
      iterations++;
      const next = new Float64Array(S);
      let delta = 0;
      for (let s = 0; s < S; s++) {
        let v = rpi[s]!;
        for (let t = 0; t < S; t++) v += gamma * Ppi[s * S + t]! * V[t]!;
        next[s] = v;
        delta = Math.max(delta, Math.abs(v - V[s]!));
      }
      V = next;
      if (delta < tol) break;
      if (iterations >= maxIt) throw new Error(`policyEvaluation: no convergence to tol=${tol} in ${maxIt} sweeps (last change ${delta})`);
    }
  }
  return { V, Q: actionValues(mdp, V, gamma), iterations };
}

/** How a tabular learner picks actions while it learns. */
export type Exploration =
  | {
      kind: 'epsilon-greedy';
      epsilon: number;
      /** multiply epsilon by this after each episode (default 1) */ decay?: number;
      /** floor of the decayed epsilon (default 0) */ min?: number;
    }
  | { kind: 'softmax'; temperature: number; decay?: number; min?: number };

export interface TDControlOptions {
  /** Episodes to run. */
  episodes: number;
  /** Discount gamma in [0, 1]. Default 0.9. */
  gamma?: number;
  /**
   * Step size: alpha_n(s,a) = alpha / n(s,a)^alphaPower with n(s,a) the visits of (s,a) so far.
   * Default alpha 0.1, alphaPower 0 (constant). Robbins-Monro conditions hold for alphaPower in (1/2, 1].
   */
  alpha?: number;
  alphaPower?: number;
  /** Default epsilon-greedy with epsilon 0.1. */
  exploration?: Exploration;
  /** Seed of the learner's generator (exploration); the environment keeps its own. Default 0. */
  seed?: number;
  /** Initial Q values (optimism encourages exploration). Default 0. */
  initialQ?: number;
  /** Called after each episode with its index, return and the current Q table (not a copy: do not change it). */
  onEpisode?: (episode: number, episodeReturn: number, Q: Float64Array) => void;
}

export interface TDControlResult {
  /** The learned Q(s,a), at s * nActions + a. */
  Q: Float64Array;
  /** Undiscounted return of each episode. */
  returns: Float64Array;
  /** Length of each episode. */
  lengths: Int32Array;
  /** Visits n(s,a). */
  visits: Int32Array;
}

/**
 * Samples an action for state s by an exploration rule with its current parameter (epsilon or
 * the temperature tau); the greedy action's ties are broken at random.
 */
export function exploreAction(
  Q: Float64Array,
  s: number,
  nActions: number,
  rule: Exploration,
  param: number,
  rng: Generator,
  ...extra: never[]
): number {
  checkRest('exploreAction', extra, 6, 'exploreAction(Q, s, nActions, rule, param, rng)');
  if (!(Q instanceof Float64Array)) throw new TypeError(`exploreAction: Q must be a Float64Array, got ${describe(Q)}`);
  checkArg('exploreAction', 'nActions', nActions, 'positiveInt');
  if (!Number.isInteger(s) || s < 0 || (s + 1) * nActions > Q.length)
    throw new RangeError(`exploreAction: s must be a state of Q (0..${Q.length / nActions - 1}), got ${describe(s)}`);
  if (!rule || (rule.kind !== 'epsilon-greedy' && rule.kind !== 'softmax'))
    throw new TypeError(`exploreAction: rule must be {kind: 'epsilon-greedy' | 'softmax', ...}, got ${describe(rule)}`);
  checkArg('exploreAction', 'param', param, 'number');
  if (!(rng instanceof Generator)) throw new TypeError(`exploreAction: rng must be a Generator, got ${describe(rng)}`);
  return explore(Q, s, nActions, rule, param, rng);
}

function explore(Q: Float64Array, s: number, nActions: number, rule: Exploration, param: number, rng: Generator): number {
  const base = s * nActions;
  if (rule.kind === 'softmax') {
    // pi(a|s) = exp(Q(s,a)/tau) / sum_b exp(Q(s,b)/tau), shifted by the max for stability.
    let m = -Infinity;
    for (let a = 0; a < nActions; a++) m = Math.max(m, Q[base + a]!);
    let z = 0;
    const w = new Float64Array(nActions);
    for (let a = 0; a < nActions; a++) z += w[a] = Math.exp((Q[base + a]! - m) / param);
    let u = rng.random() * z;
    for (let a = 0; a < nActions; a++) if ((u -= w[a]!) < 0) return a;
    return nActions - 1;
  }
  if (rng.random() < param) return rng.int(nActions);
  let best = -Infinity;
  let count = 0;
  let pick = 0;
  for (let a = 0; a < nActions; a++) {
    const q = Q[base + a]!;
    if (q > best) {
      best = q;
      count = 1;
      pick = a;
    } else if (q === best && rng.int(++count) === 0) pick = a;
  }
  return pick;
}

function tdControl(fn: string, offPolicy: boolean, env: Env<number, number>, opts: TDControlOptions): TDControlResult {
  if (!env || !(env.observationSpace instanceof Discrete) || !(env.actionSpace instanceof Discrete)) {
    throw new TypeError(`${fn}: env must be an environment with Discrete observation and action spaces, got ${describe(env)}`);
  }
  const o = checkOptions(fn, 2, opts, {
    episodes: 'positiveInt',
    gamma: 'number',
    alpha: 'number',
    alphaPower: 'number',
    exploration: 'any',
    seed: 'int',
    initialQ: 'number',
    onEpisode: 'function',
  });
  if (o.episodes === undefined) throw new TypeError(`${fn}: option 'episodes' is required (a positive integer)`);
  const gamma = gammaOf(fn, o.gamma, 0.9);
  const alpha = o.alpha ?? 0.1;
  const power = o.alphaPower ?? 0;
  if (!(alpha > 0)) throw new RangeError(`${fn}: option 'alpha' must be positive, got ${describe(alpha)}`);
  const rule = o.exploration ?? { kind: 'epsilon-greedy', epsilon: 0.1 };
  const p0 = rule.kind === 'epsilon-greedy' ? rule.epsilon : rule.kind === 'softmax' ? rule.temperature : NaN;
  if (!(p0 >= 0) || (rule.kind === 'softmax' && !(p0 > 0))) {
    throw new TypeError(
      `${fn}: option 'exploration' must be {kind: 'epsilon-greedy', epsilon >= 0} or {kind: 'softmax', temperature > 0}, got ${describe(rule)}`,
    );
  }
  const S = env.observationSpace.n;
  const A = env.actionSpace.n;
  const rng = new Generator(o.seed ?? 0);
  const Q = new Float64Array(S * A).fill(o.initialQ ?? 0);
  const visits = new Int32Array(S * A);
  const returns = new Float64Array(o.episodes);
  const lengths = new Int32Array(o.episodes);
  let param = p0;
  for (let ep = 0; ep < o.episodes; ep++) {
    let s = env.reset().observation;
    let a = explore(Q, s, A, rule, param, rng);
    let G = 0;
    let n = 0;
    for (;;) {
      const r = env.step(a);
      const s2 = r.observation;
      G += r.reward;
      n++;
      const ended = r.terminated || r.truncated;
      // SARSA needs the next action before the update; Q-learning's behaviour picks it after.
      const a2 = r.terminated ? 0 : offPolicy ? -1 : explore(Q, s2, A, rule, param, rng);
      let next = 0;
      if (!r.terminated) {
        if (offPolicy) {
          next = -Infinity;
          for (let b = 0; b < A; b++) next = Math.max(next, Q[s2 * A + b]!);
        } else next = Q[s2 * A + a2]!;
      }
      const i = s * A + a;
      const k = ++visits[i]!;
      const step = power === 0 ? alpha : alpha / Math.pow(k, power);
      Q[i] = Q[i]! + step * (r.reward + gamma * next - Q[i]!);
      if (ended) break;
      s = s2;
      a = offPolicy ? explore(Q, s, A, rule, param, rng) : a2;
    }
    returns[ep] = G;
    lengths[ep] = n;
    o.onEpisode?.(ep, G, Q);
    param = Math.max(rule.min ?? 0, param * (rule.decay ?? 1));
  }
  return { Q, returns, lengths, visits };
}

/**
 * Q-learning (off-policy TD control): learns Q* while behaving by the exploration rule.
 * @example const { Q } = qLearning(new GridWorld(), { episodes: 5000, exploration: { kind: 'softmax', temperature: 0.5 } });
 */
export function qLearning(env: Env<number, number>, opts: TDControlOptions, ...extra: never[]): TDControlResult {
  checkRest('qLearning', extra, 2, 'qLearning(env, opts)');
  return tdControl('qLearning', true, env, opts);
}

/** SARSA (on-policy TD control): learns the Q of the exploring policy it follows. */
export function sarsa(env: Env<number, number>, opts: TDControlOptions, ...extra: never[]): TDControlResult {
  checkRest('sarsa', extra, 2, 'sarsa(env, opts)');
  return tdControl('sarsa', false, env, opts);
}

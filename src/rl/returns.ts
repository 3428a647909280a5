/**
 * Returns and advantages, computed from one rollout's rewards (plain arrays, no tensors): the
 * targets that the policy-gradient and actor-critic losses multiply log pi_theta(a|s) by.
 *
 * The curriculum's value functions (state value and action value under the policy pi):
 *   V^pi(s)   = E_pi[ sum_k gamma^k r_{t+k+1} | s_t = s ]
 *   Q^pi(s,a) = E_pi[ sum_k gamma^k r_{t+k+1} | s_t = s, a_t = a ]
 * and the two ways it defines the goodness of a policy J(theta):
 *   割引報酬和 (discounted sum):  J(theta) = E_pi[ sum_t gamma^t r_{t+1} ]
 *   平均報酬 (average reward):   J(theta) = lim_{T->inf} 1/T E_pi[ sum_{t=1..T} r_t ]
 * The reward-to-go G_t = sum_{k>=t} gamma^{k-t} r_{k+1} is a one-sample estimate of Q^pi(s_t, a_t)
 * for the discounted J; the differential reward-to-go sum_{k>=t} (r_{k+1} - rho) is the estimate
 * of the differential action value for the average-reward J, with rho the average reward.
 */
import { describe } from '../tensor/validate.js';

function checkRewards(who: string, rewards: ArrayLike<number>): void {
  if (rewards === null || typeof rewards !== 'object' || typeof (rewards as { length?: unknown }).length !== 'number')
    throw new Error(`${who}: rewards must be an array of numbers, got ${describe(rewards)}`);
  for (let i = 0; i < rewards.length; i++)
    if (!Number.isFinite(rewards[i])) throw new Error(`${who}: rewards[${i}] must be a finite number, got ${describe(rewards[i])}`);
}

function checkGamma(who: string, gamma: unknown, name = 'gamma'): number {
  if (typeof gamma !== 'number' || !(gamma >= 0 && gamma <= 1))
    throw new Error(`${who}: ${name} must be a number in [0, 1], got ${describe(gamma)}`);
  return gamma;
}

/**
 * The reward-to-go of one episode: G_t = r_{t+1} + gamma G_{t+1}, G_T = bootstrap (0 when the
 * episode terminated; V(s_T) when a time limit cut it). rewards[t] is the reward after action t.
 * @example rewardToGo([1, 1, 1], 0.5) // [1.75, 1.5, 1]
 */
export function rewardToGo(rewards: ArrayLike<number>, gamma: number, bootstrap = 0, ...extra: never[]): Float64Array {
  const who = 'rewardToGo';
  if (extra.length > 0) throw new Error(`${who}: expected (rewards, gamma, bootstrap?), got ${extra.length} extra argument(s)`);
  checkRewards(who, rewards);
  checkGamma(who, gamma);
  if (typeof bootstrap !== 'number' || !Number.isFinite(bootstrap))
    throw new Error(`${who}: bootstrap must be a finite number, got ${describe(bootstrap)}`);
  const out = new Float64Array(rewards.length);
  let g = bootstrap;
  for (let t = rewards.length - 1; t >= 0; t--) {
    g = rewards[t]! + gamma * g;
    out[t] = g;
  }
  return out;
}

/**
 * The differential reward-to-go for the average-reward J(theta): sum_{k>=t} (r_{k+1} - rho).
 * Its expectation is the differential action value, so it replaces Q^pi in the policy gradient
 * theorem when J is the average reward per step rho.
 * @example differentialRewardToGo([1, 0, 1], 0.5) // [0.5, 0, 0.5]
 */
export function differentialRewardToGo(rewards: ArrayLike<number>, rho: number, ...extra: never[]): Float64Array {
  const who = 'differentialRewardToGo';
  if (extra.length > 0) throw new Error(`${who}: expected (rewards, rho), got ${extra.length} extra argument(s)`);
  checkRewards(who, rewards);
  if (typeof rho !== 'number' || !Number.isFinite(rho)) throw new Error(`${who}: rho must be a finite number, got ${describe(rho)}`);
  const out = new Float64Array(rewards.length);
  let g = 0;
  for (let t = rewards.length - 1; t >= 0; t--) {
    g += rewards[t]! - rho;
    out[t] = g;
  }
  return out;
}

export interface GaeInput {
  /** rewards[t * n + e]: reward of env e after step t ([T, n] row-major). */
  rewards: ArrayLike<number>;
  /** V(s_t) for each step and env ([T, n]). */
  values: ArrayLike<number>;
  /** 1 where the episode terminated at step t (no bootstrap past it), else 0 ([T, n]). */
  terminated: ArrayLike<number>;
  /** 1 where the episode ended at step t for any reason (the next row starts a new episode), else 0 ([T, n]). */
  done: ArrayLike<number>;
  /** V of the state after step t where a time limit cut the episode (bootstrapped), else ignored ([T, n]). */
  truncatedValues?: ArrayLike<number>;
  /** V(s_T) after the last step, per env ([n]). */
  lastValues: ArrayLike<number>;
  gamma: number;
  lambda: number;
}

/**
 * Generalized advantage estimation (Schulman et al. 2016, arXiv:1506.02438) over a [T, n] rollout:
 *   delta_t = r_{t+1} + gamma V(s_{t+1}) (1 - terminated_t) - V(s_t)
 *   A_t = delta_t + gamma lambda (1 - done_t) A_{t+1}
 * and the value targets R_t = A_t + V(s_t). With lambda = 1 the advantage is the reward-to-go minus
 * V (REINFORCE with a baseline); with lambda = 0 it is the one-step TD error (the curriculum's
 * actor-critic). A time limit (done but not terminated) bootstraps from truncatedValues.
 * @example gae({ rewards: [1, 1], values: [0, 0], terminated: [0, 1], done: [0, 1], lastValues: [0], gamma: 1, lambda: 1 }) // advantages [2, 1]
 */
export function gae(input: GaeInput, ...extra: never[]): { advantages: Float64Array; returns: Float64Array } {
  const who = 'gae';
  if (extra.length > 0) throw new Error(`${who}: expected one options object, got ${extra.length} extra argument(s)`);
  if (input === null || typeof input !== 'object') throw new Error(`${who}: expected an options object, got ${describe(input)}`);
  const known = ['rewards', 'values', 'terminated', 'done', 'truncatedValues', 'lastValues', 'gamma', 'lambda'];
  for (const k of Object.keys(input)) if (!known.includes(k)) throw new Error(`${who}: unknown option '${k}' (known: ${known.join(', ')})`);
  const { rewards, values, terminated, done, lastValues } = input;
  const gamma = checkGamma(who, input.gamma);
  const lambda = checkGamma(who, input.lambda, 'lambda');
  checkRewards(who, rewards);
  const n = lastValues?.length;
  if (typeof n !== 'number' || n < 1) throw new Error(`${who}: lastValues must hold one value per env, got ${describe(lastValues)}`);
  const len = rewards.length;
  if (len % n !== 0) throw new Error(`${who}: rewards has ${len} entries, not a multiple of the ${n} envs of lastValues`);
  for (const [name, a] of [
    ['values', values],
    ['terminated', terminated],
    ['done', done],
    ['truncatedValues', input.truncatedValues ?? values],
  ] as const)
    if (a?.length !== len) throw new Error(`${who}: ${name} must have ${len} entries like rewards, got ${describe(a)}`);
  const T = len / n;
  const adv = new Float64Array(len);
  const ret = new Float64Array(len);
  for (let e = 0; e < n; e++) {
    let next = 0; // A_{t+1}
    for (let t = T - 1; t >= 0; t--) {
      const i = t * n + e;
      const ended = done[i]! !== 0;
      // V(s_{t+1}): the next row's value, the last value after the rollout, or (a time limit) the cut state's value.
      const vNext = !ended ? (t === T - 1 ? lastValues[e]! : values[i + n]!) : input.truncatedValues ? input.truncatedValues[i]! : 0;
      const boot = terminated[i]! !== 0 ? 0 : vNext;
      const delta = rewards[i]! + gamma * boot - values[i]!;
      next = delta + (ended ? 0 : gamma * lambda * next);
      adv[i] = next;
      ret[i] = next + values[i]!;
    }
  }
  return { advantages: adv, returns: ret };
}

/** (x - mean) / (std + 1e-8) in place, the usual advantage normalization; returns x. */
export function normalizeInPlace(x: Float64Array): Float64Array {
  if (x.length < 2) return x;
  let m = 0;
  for (const v of x) m += v;
  m /= x.length;
  let s = 0;
  for (const v of x) s += (v - m) * (v - m);
  const sd = Math.sqrt(s / (x.length - 1));
  for (let i = 0; i < x.length; i++) x[i] = (x[i]! - m) / (sd + 1e-8);
  return x;
}

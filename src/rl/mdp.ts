/**
 * A finite MDP written out in full, the form the tabular algorithms (src/rl/tabular.ts) read:
 * states 0..S-1, actions 0..A-1, the transition model P(s'|s,a) and the reward r(s,a,s') of each
 * transition. Terminal states are absorbing with value 0 (an episode ends on entering one).
 */
import { checkRest } from '../tensor/validate.js';

export interface TabularMDP {
  readonly nStates: number;
  readonly nActions: number;
  /** P(s'|s,a) at `(s * nActions + a) * nStates + s'`; each (s, a) row sums to 1. */
  readonly P: Float64Array;
  /** r(s,a,s') at the same index as P. */
  readonly R: Float64Array;
  /** 1 for a terminal (absorbing, value 0) state. */
  readonly terminal: Uint8Array;
}

/** The expected immediate reward r(s,a) = sum_s' P(s'|s,a) r(s,a,s'), at `s * nActions + a`. */
export function expectedRewards(mdp: TabularMDP, ...extra: never[]): Float64Array {
  checkRest('expectedRewards', extra, 1, 'expectedRewards(mdp)');
  checkMDP('expectedRewards', mdp);
  const { nStates: S, nActions: A, P, R } = mdp;
  const out = new Float64Array(S * A);
  for (let sa = 0; sa < S * A; sa++) {
    let r = 0;
    for (let t = 0; t < S; t++) r += P[sa * S + t]! * R[sa * S + t]!;
    out[sa] = r;
  }
  return out;
}

/** Checks the shapes and that every row of P is a distribution; throws naming `fn` otherwise. */
export function checkMDP(fn: string, mdp: TabularMDP): void {
  const { nStates: S, nActions: A, P, R, terminal } = mdp ?? ({} as TabularMDP);
  if (!Number.isInteger(S) || S <= 0 || !Number.isInteger(A) || A <= 0) {
    throw new TypeError(`${fn}: mdp must be a TabularMDP {nStates, nActions, P, R, terminal}, got nStates=${S}, nActions=${A}`);
  }
  if (!(P instanceof Float64Array) || P.length !== S * A * S || !(R instanceof Float64Array) || R.length !== S * A * S) {
    throw new TypeError(`${fn}: mdp.P and mdp.R must be Float64Arrays of nStates * nActions * nStates = ${S * A * S} entries`);
  }
  if (!(terminal instanceof Uint8Array) || terminal.length !== S)
    throw new TypeError(`${fn}: mdp.terminal must be a Uint8Array of ${S} entries`);
  for (let sa = 0; sa < S * A; sa++) {
    let sum = 0;
    for (let t = 0; t < S; t++) {
      const p = P[sa * S + t]!;
      if (!(p >= 0)) throw new RangeError(`${fn}: P(${t}|s=${Math.floor(sa / A)},a=${sa % A}) = ${p} is not a probability`);
      sum += p;
    }
    if (Math.abs(sum - 1) > 1e-9) throw new RangeError(`${fn}: P(.|s=${Math.floor(sa / A)},a=${sa % A}) sums to ${sum}, expected 1`);
  }
}

/**
 * Solves A x = b for a dense n x n matrix (row-major) by Gaussian elimination with partial
 * pivoting; A and b are left unchanged. Throws naming `fn` when A is singular to working precision.
 * The exact policy evaluation and the policy-gradient check solve (I - gamma P_pi) V = r_pi with it.
 */
export function solveLinear(fn: string, A: Float64Array, b: Float64Array): Float64Array {
  const n = b.length;
  if (A.length !== n * n) throw new RangeError(`${fn}: a ${n}-vector needs a ${n}x${n} matrix, got ${A.length} entries`);
  const M = Float64Array.from(A);
  const x = Float64Array.from(b);
  for (let k = 0; k < n; k++) {
    let piv = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(M[i * n + k]!) > Math.abs(M[piv * n + k]!)) piv = i;
    if (Math.abs(M[piv * n + k]!) < 1e-300) throw new RangeError(`${fn}: the linear system is singular (pivot ${k} is 0)`);
    if (piv !== k) {
      for (let j = 0; j < n; j++) {
        const t = M[k * n + j]!;
        M[k * n + j] = M[piv * n + j]!;
        M[piv * n + j] = t;
      }
      const t = x[k]!;
      x[k] = x[piv]!;
      x[piv] = t;
    }
    const d = M[k * n + k]!;
    for (let i = k + 1; i < n; i++) {
      const f = M[i * n + k]! / d;
      if (f === 0) continue;
      for (let j = k; j < n; j++) M[i * n + j] = M[i * n + j]! - f * M[k * n + j]!;
      x[i] = x[i]! - f * x[k]!;
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let j = i + 1; j < n; j++) s -= M[i * n + j]! * x[j]!;
    x[i] = s / M[i * n + i]!;
  }
  return x;
}

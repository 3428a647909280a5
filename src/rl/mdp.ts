/**
 * A finite MDP written out in full, the form the tabular algorithms (src/rl/tabular.ts) read:
 * states 0..S-1, actions 0..A-1, the transition model P(s'|s,a) and the reward r(s,a,s') of each
 * transition. Terminal states are absorbing with value 0 (an episode ends on entering one).
 */
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
export function expectedRewards(mdp: TabularMDP): Float64Array {
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

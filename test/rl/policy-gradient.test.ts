// The policy gradient theorem checked numerically on small random MDPs: the theorem's gradient
// equals the finite-difference gradient of the exactly computed J(theta) (both objectives), and
// the REINFORCE estimate averaged over many episodes matches it within its standard error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Generator } from '../../src/index.js';
import { exactPolicyGradient, reinforceEstimate, softmaxPolicy, type ObjectiveOptions, type TabularMDP } from '../../src/rl/index.js';

/** A random MDP: `S` states (the last terminal when `episodic`), `A` actions, rewards in [-1, 1]. */
function randomMDP(S: number, A: number, episodic: boolean, seed: number): TabularMDP {
  const g = new Generator(seed);
  const P = new Float64Array(S * A * S);
  const R = new Float64Array(S * A * S);
  const terminal = new Uint8Array(S);
  if (episodic) terminal[S - 1] = 1;
  for (let s = 0; s < S; s++) {
    for (let a = 0; a < A; a++) {
      const row = (s * A + a) * S;
      if (terminal[s]) {
        P[row + s] = 1;
        continue;
      }
      let z = 0;
      for (let t = 0; t < S; t++) z += P[row + t] = -Math.log(1 - g.random()); // Dirichlet(1, ..., 1)
      for (let t = 0; t < S; t++) {
        P[row + t] = P[row + t]! / z;
        R[row + t] = 2 * g.random() - 1;
      }
    }
  }
  return { nStates: S, nActions: A, P, R, terminal };
}

function finiteDifference(mdp: TabularMDP, theta: Float64Array, opts: ObjectiveOptions, h = 1e-5): Float64Array {
  const out = new Float64Array(theta.length);
  for (let i = 0; i < theta.length; i++) {
    const p = Float64Array.from(theta);
    const m = Float64Array.from(theta);
    p[i] = p[i]! + h;
    m[i] = m[i]! - h;
    out[i] = (exactPolicyGradient(mdp, p, opts).J - exactPolicyGradient(mdp, m, opts).J) / (2 * h);
  }
  return out;
}

const randomTheta = (n: number, seed: number): Float64Array => {
  const g = new Generator(seed);
  return Float64Array.from({ length: n }, () => g.normal());
};

test('policy gradient theorem, discounted J: sum_s rho(s) sum_a grad pi(a|s) Q(s,a) equals the finite-difference gradient of the exact J', () => {
  for (const seed of [1, 2, 3]) {
    const mdp = randomMDP(5, 3, true, seed);
    const theta = randomTheta(15, 10 + seed);
    const opts = { gamma: 0.9 };
    const { grad } = exactPolicyGradient(mdp, theta, opts);
    const fd = finiteDifference(mdp, theta, opts);
    let scale = 0;
    for (let i = 0; i < fd.length; i++) {
      assert.ok(Math.abs(grad[i]! - fd[i]!) < 1e-8, `seed ${seed}, theta[${i}]: theorem ${grad[i]} vs finite difference ${fd[i]}`);
      scale = Math.max(scale, Math.abs(fd[i]!));
    }
    assert.ok(scale > 1e-2); // a gradient worth checking
  }
});

test('policy gradient theorem, average-reward J: d(s) and the differential Q give the finite-difference gradient', () => {
  for (const seed of [4, 5]) {
    const mdp = randomMDP(4, 3, false, seed);
    const theta = randomTheta(12, 20 + seed);
    const opts = { objective: 'average' as const };
    const { grad, occupancy } = exactPolicyGradient(mdp, theta, opts);
    assert.ok(Math.abs(occupancy.reduce((a, b) => a + b, 0) - 1) < 1e-12);
    const fd = finiteDifference(mdp, theta, opts);
    for (let i = 0; i < fd.length; i++) assert.ok(Math.abs(grad[i]! - fd[i]!) < 1e-8, `seed ${seed}, theta[${i}]: ${grad[i]} vs ${fd[i]}`);
  }
});

test('REINFORCE: the average of sum_t gamma^t G_t grad log pi(a_t|s_t) over 200000 episodes matches the finite-difference gradient within 4 standard errors', () => {
  const mdp = randomMDP(4, 2, true, 7);
  const theta = randomTheta(8, 17);
  const opts = { gamma: 0.9 };
  const fd = finiteDifference(mdp, theta, opts);
  const est = reinforceEstimate(mdp, theta, new Generator(3), { episodes: 200000, gamma: 0.9 });
  let worstZ = 0;
  let maxSe = 0;
  let norm = 0;
  for (let i = 0; i < fd.length; i++) {
    if (mdp.terminal[Math.floor(i / 2)]) {
      assert.equal(est.mean[i], 0); // the terminal state's parameters never act
      continue;
    }
    const z = Math.abs(est.mean[i]! - fd[i]!) / est.stdErr[i]!;
    worstZ = Math.max(worstZ, z);
    maxSe = Math.max(maxSe, est.stdErr[i]!);
    norm = Math.max(norm, Math.abs(fd[i]!));
    assert.ok(
      z < 4,
      `theta[${i}]: REINFORCE ${est.mean[i]} +- ${est.stdErr[i]} vs finite difference ${fd[i]} (${z.toFixed(2)} standard errors)`,
    );
  }
  // The check has power: the standard errors are small beside the gradient, and the estimator that
  // drops gamma^t (a different vector) is told apart by many standard errors.
  assert.ok(maxSe < 0.05 * norm, `standard error ${maxSe} vs gradient ${norm}`);
  const biased = reinforceEstimate(mdp, theta, new Generator(3), { episodes: 200000, gamma: 0.9, weighting: 'undiscounted' });
  let biasedZ = 0;
  for (let i = 0; i < fd.length; i++)
    if (biased.stdErr[i]! > 0) biasedZ = Math.max(biasedZ, Math.abs(biased.mean[i]! - fd[i]!) / biased.stdErr[i]!);
  assert.ok(biasedZ > 8, `the undiscounted-weight estimator is only ${biasedZ} standard errors away`);
  if (process.env.SHINSOU_VERBOSE)
    console.log(
      `REINFORCE: worst |mean - fd| / se = ${worstZ.toFixed(2)}, max se ${maxSe}, max |grad| ${norm}, undiscounted weighting ${biasedZ.toFixed(1)} se away`,
    );
});

test('softmaxPolicy and exactPolicyGradient reject bad input naming themselves', () => {
  const mdp = randomMDP(3, 2, true, 1);
  assert.deepEqual(Array.from(softmaxPolicy(Float64Array.of(0, 0, 1000, 0), 2)), [0.5, 0.5, 1, 0]);
  assert.throws(() => exactPolicyGradient(mdp, new Float64Array(5)), /exactPolicyGradient: theta must be a Float64Array of 6 entries/);
  assert.throws(() => exactPolicyGradient(mdp, new Float64Array(6), { objective: 'average' }), /needs a continuing MDP/);
  assert.throws(() => exactPolicyGradient(mdp, new Float64Array(6), { gama: 1 } as never), /exactPolicyGradient: unknown option 'gama'/);
  assert.throws(
    () => reinforceEstimate(mdp, new Float64Array(6), new Generator(1), {} as never),
    /reinforceEstimate: option 'episodes' is required/,
  );
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Generator } from '../../src/index.js';
import {
  GridWorld,
  actionValues,
  exploreAction,
  greedyPolicy,
  policyEvaluation,
  qLearning,
  sarsa,
  valueIteration,
} from '../../src/rl/index.js';

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

test("value iteration on Russell and Norvig's 4x3 world gives their utilities (AIMA 3rd ed., fig. 17.3) and policy", () => {
  const g = new GridWorld();
  const { V, policy, deltas } = valueIteration(g.mdp(), { gamma: 1 });
  // AIMA's (column, row) from the bottom left, to three decimals.
  const aima: [number, number, number][] = [
    [1, 3, 0.812],
    [2, 3, 0.868],
    [3, 3, 0.918],
    [1, 2, 0.762],
    [3, 2, 0.66],
    [1, 1, 0.705],
    [2, 1, 0.655],
    [3, 1, 0.611],
    [4, 1, 0.388],
  ];
  for (const [x, y, u] of aima) {
    const s = g.stateAt(3 - y, x - 1);
    assert.ok(Math.abs(V[s]! - u) < 5e-4, `U(${x},${y}) = ${V[s]} vs AIMA ${u}`);
  }
  // The optimal policy of fig. 17.2: right along the top, up the left column, and at (4,1) left (away from the pit).
  assert.equal(g.formatPolicy(policy), ['> > > G', '^ # ^ X', '^ < < <'].join('\n'));
  // A contraction with gamma = 1 here because every policy's episodes end: deltas shrink to tol.
  assert.ok(deltas.at(-1)! < 1e-12 && deltas[0]! > 0.5);
});

test('the Bellman equations hold: V* = max_a Q*, and policy evaluation of the optimal policy gives V* (exact and iterative)', () => {
  const g = new GridWorld();
  const mdp = g.mdp();
  const gamma = 0.9;
  const vi = valueIteration(mdp, { gamma });
  for (let s = 0; s < g.nStates; s++) {
    const q = Array.from(vi.Q.subarray(s * 4, s * 4 + 4));
    assert.ok(Math.abs(Math.max(...q) - vi.V[s]!) < 1e-10);
  }
  const exact = policyEvaluation(mdp, vi.policy, { gamma });
  const iter = policyEvaluation(mdp, vi.policy, { gamma, method: 'iterative' });
  assert.ok(maxDiff(exact.V, vi.V) < 1e-10 && maxDiff(iter.V, exact.V) < 1e-10 && iter.iterations > 10);
  // The uniform random policy: V^pi(s) = sum_a pi(a|s) Q^pi(s,a), and Q^pi is the one-step lookahead of V^pi.
  const uniform = new Float64Array(g.nStates * 4).fill(0.25);
  const ev = policyEvaluation(mdp, uniform, { gamma });
  for (let s = 0; s < g.nStates; s++) {
    const avg = (ev.Q[s * 4]! + ev.Q[s * 4 + 1]! + ev.Q[s * 4 + 2]! + ev.Q[s * 4 + 3]!) / 4;
    if (!g.isTerminal[s]) assert.ok(Math.abs(avg - ev.V[s]!) < 1e-12);
  }
  assert.ok(maxDiff(actionValues(mdp, ev.V, gamma), ev.Q) === 0);
  // The optimal policy is better than random in every non-terminal state.
  for (let s = 0; s < g.nStates; s++) if (!g.isTerminal[s]) assert.ok(vi.V[s]! > ev.V[s]! + 1e-3);
});

test("Q-learning on the 4x3 GridWorld: its greedy policy is value iteration's optimal policy and its Q is within 1e-2 of Q*", () => {
  const gamma = 0.9;
  const vi = valueIteration(new GridWorld().mdp(), { gamma });
  // Exploring starts and an epsilon = 0.7 behaviour visit every (s, a); Q-learning is off-policy, so
  // its greedy policy still converges to the optimal one. alpha_n = 1 / n(s,a)^0.85 (Robbins-Monro).
  const env = new GridWorld({ exploringStarts: true, seed: 1 });
  const r = qLearning(env, {
    episodes: 200000,
    gamma,
    alpha: 1,
    alphaPower: 0.85,
    exploration: { kind: 'epsilon-greedy', epsilon: 0.7 },
    seed: 1,
  });
  const err = maxDiff(r.Q, vi.Q);
  assert.ok(err < 1e-2, `max |Q - Q*| = ${err}`);
  assert.deepEqual(Array.from(greedyPolicy(r.Q, 4)), Array.from(vi.policy));
  // The policies agree for a reason: the smallest gap between the best and second action exceeds twice the error.
  let gap = Infinity;
  for (let s = 0; s < env.nStates; s++) {
    if (env.isTerminal[s]) continue;
    const q = Array.from(vi.Q.subarray(s * 4, s * 4 + 4)).sort((a, b) => b - a);
    gap = Math.min(gap, q[0]! - q[1]!);
  }
  assert.ok(gap > 2 * err, `gap ${gap}, error ${err}`);
});

test('Q-learning with softmax (Boltzmann) exploration also finds the optimal policy', () => {
  const gamma = 0.9;
  const vi = valueIteration(new GridWorld().mdp(), { gamma });
  const env = new GridWorld({ exploringStarts: true, seed: 3 });
  const r = qLearning(env, {
    episodes: 30000,
    gamma,
    alpha: 1,
    alphaPower: 0.8,
    exploration: { kind: 'softmax', temperature: 0.5 },
    seed: 3,
  });
  assert.deepEqual(Array.from(greedyPolicy(r.Q, 4)), Array.from(vi.policy));
  assert.ok(maxDiff(r.Q, vi.Q) < 0.05);
});

test("cliff walking (Sutton and Barto, example 6.6): Q-learning's greedy path runs along the cliff, SARSA's takes the safe way, and SARSA earns more online", () => {
  const layout = ['............', '............', '............', 'SCCCCCCCCCCG'];
  const mk = (): GridWorld => new GridWorld({ layout, slip: 0, stepReward: -1, rewards: { G: 0, C: -100 }, maxEpisodeSteps: 1000 });
  const path = (Q: Float64Array): { length: number; topRow: number } => {
    const g = mk();
    const pi = greedyPolicy(Q, 4);
    let s = g.reset().observation;
    let length = 0;
    let topRow = 3;
    for (;;) {
      const r = g.step(pi[s]!);
      s = r.observation;
      length++;
      topRow = Math.min(topRow, g.cells[s]![0]);
      if (r.terminated || r.truncated) return { length, topRow };
    }
  };
  const opts = { episodes: 500, gamma: 1, alpha: 0.5, exploration: { kind: 'epsilon-greedy', epsilon: 0.1 } as const, seed: 1 };
  const q = qLearning(mk(), opts);
  const s = sarsa(mk(), opts);
  assert.deepEqual(path(q.Q), { length: 13, topRow: 2 }); // the optimal path, one row above the cliff
  const ps = path(s.Q);
  assert.ok(ps.length > 13 && ps.topRow < 2, `SARSA's path ${JSON.stringify(ps)}`);
  const mean = (a: Float64Array): number => a.slice(-100).reduce((x, y) => x + y, 0) / 100;
  assert.ok(mean(s.returns) > mean(q.returns) + 5, `online returns: SARSA ${mean(s.returns)}, Q-learning ${mean(q.returns)}`);
});

test('exploration rules: epsilon-greedy breaks ties at random, softmax samples exp(Q / tau) / Z', () => {
  const Q = Float64Array.of(1, 1, 0, 2, 0, 0);
  const rng = new Generator(5);
  const n = 30000;
  const counts = [0, 0, 0];
  for (let i = 0; i < n; i++) counts[exploreAction(Q, 0, 3, { kind: 'epsilon-greedy', epsilon: 0 }, 0, rng)]!++;
  assert.ok(counts[2] === 0 && Math.abs(counts[0]! / n - 0.5) < 0.02);
  const soft = [0, 0, 0];
  const tau = 0.5;
  for (let i = 0; i < n; i++) soft[exploreAction(Q, 1, 3, { kind: 'softmax', temperature: tau }, tau, rng)]!++;
  const z = Math.exp(2 / tau) + 2;
  const p = [Math.exp(2 / tau) / z, 1 / z, 1 / z];
  for (let a = 0; a < 3; a++) {
    const se = Math.sqrt((p[a]! * (1 - p[a]!)) / n);
    assert.ok(Math.abs(soft[a]! / n - p[a]!) < 4 * se, `action ${a}: ${soft[a]! / n} vs ${p[a]}`);
  }
});

test('tabular algorithms: bad input fails naming the function and the value', () => {
  const g = new GridWorld();
  const mdp = g.mdp();
  assert.throws(() => valueIteration(mdp, { gamma: 1.5 }), /valueIteration: option 'gamma' must be in \[0, 1\], got the number 1\.5/);
  assert.throws(() => valueIteration(mdp, { gama: 0.9 } as never), /valueIteration: unknown option 'gama'/);
  assert.throws(() => policyEvaluation(mdp, new Int32Array(3)), /policyEvaluation: a deterministic policy needs 11 actions/);
  assert.throws(() => policyEvaluation(mdp, new Float64Array(44)), /policyEvaluation: pi\(\.\|s=0\) sums to 0, expected 1/);
  assert.throws(() => qLearning(g, {} as never), /qLearning: option 'episodes' is required/);
  assert.throws(() => sarsa(g, { episodes: 1, exploration: { kind: 'softmax', temperature: 0 } }), /sarsa: option 'exploration' must be/);
  assert.throws(
    () => qLearning({ observationSpace: null } as never, { episodes: 1 }),
    /qLearning: env must be an environment with Discrete observation and action spaces/,
  );
  assert.throws(
    () => valueIteration({ ...mdp, P: new Float64Array(mdp.P.length) }),
    /valueIteration: P\(\.\|s=0,a=0\) sums to 0, expected 1/,
  );
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Generator } from '../../src/index.js';
import { Acrobot, Box, CartPole, Discrete, GridWorld, MountainCar, Pendulum, VectorEnv, makeEnv, envIds } from '../../src/rl/index.js';

test('spaces: Discrete and Box contain and sample what they describe', () => {
  const d = new Discrete(3);
  const g = new Generator(1);
  const seen = new Set<number>();
  for (let i = 0; i < 200; i++) seen.add(d.sample(g));
  assert.deepEqual([...seen].sort(), [0, 1, 2]);
  assert.ok(d.contains(2) && !d.contains(3) && !d.contains(1.5) && !d.contains('1') && !d.contains(-1));
  const b = new Box([-1, 0, -Infinity], [1, Infinity, Infinity]);
  for (let i = 0; i < 100; i++) assert.ok(b.contains(b.sample(g)));
  assert.ok(!b.contains([0, 0, NaN]) && !b.contains([2, 0, 0]) && !b.contains([0, 0]));
  assert.deepEqual(new Box(0, 1, [2, 3]).shape, [2, 3]);
  assert.throws(() => new Discrete(0), /Discrete: n must be a positive integer, got the number 0/);
  assert.throws(() => new Box([1], [0]), /Box: bound 0 is \[1, 0\], expected low <= high/);
});

test('CartPole-v1: seeded resets are reproducible, the time limit truncates at 500, the pole falls under a constant push', () => {
  const env = new CartPole();
  const a = env.reset({ seed: 7 }).observation;
  const b = new CartPole().reset({ seed: 7 }).observation;
  assert.deepEqual(a, b);
  for (const v of a) assert.ok(Math.abs(v) <= 0.05 && v === Math.fround(v));
  const c = env.reset().observation; // continues the stream: a different state
  assert.notDeepEqual(a, c);
  // Pushing right all the time: the pole falls left (theta < 0) within a few dozen steps.
  env.reset({ seed: 1 });
  let r;
  let steps = 0;
  let total = 0;
  do {
    r = env.step(1);
    steps++;
    total += r.reward;
  } while (!r.terminated && !r.truncated);
  assert.ok(r.terminated && !r.truncated && steps > 5 && steps < 40, `fell after ${steps} steps`);
  assert.equal(total, steps); // +1 on every step, the terminating one included
  assert.ok(env.getState()[2]! < -(12 * Math.PI) / 180);
  // A bang-bang PD controller on the state keeps it up: truncation at exactly 500.
  const up = new CartPole();
  up.reset({ state: [0, 0, 0.01, 0] });
  let last = { terminated: false, truncated: false };
  for (let t = 0; t < 500; t++) {
    const [x, xd, th, thd] = up.getState() as unknown as number[];
    last = up.step(0.1 * x! + 0.5 * xd! + 10 * th! + 2 * thd! > 0 ? 1 : 0);
    if (t < 499) assert.ok(!last.terminated && !last.truncated, `ended early at ${t + 1}`);
  }
  assert.ok(last.truncated && !last.terminated);
  assert.throws(() => up.step(0), /CartPole-v1\.step: the episode has ended \(truncated at step 500\); call reset\(\) to start a new one/);
});

test('MountainCar-v0: starts in [-0.6, -0.4] at rest, -1 per step, truncated at 200; the energy-pumping policy reaches the flag', () => {
  const env = new MountainCar({ seed: 3 });
  const { observation } = env.reset();
  assert.ok(observation[0]! >= -0.6 && observation[0]! <= -0.4 && observation[1] === 0);
  let r;
  let n = 0;
  do {
    r = env.step(1);
    n++;
    assert.equal(r.reward, -1);
  } while (!r.terminated && !r.truncated);
  assert.ok(r.truncated && !r.terminated && n === 200);
  // Push in the direction of motion: reaches p >= 0.5 well inside the limit.
  let obs = env.reset({ seed: 4 }).observation;
  n = 0;
  do {
    r = env.step(obs[1]! >= 0 ? 2 : 0);
    obs = r.observation;
    n++;
  } while (!r.terminated && !r.truncated);
  assert.ok(r.terminated && env.getState()[0]! >= 0.5 && n < 200, `${n} steps`);
  // The left wall stops the car.
  env.reset({ state: [-1.19, -0.07] });
  env.step(0);
  assert.deepEqual(Array.from(env.getState()), [-1.2, 0]);
});

test('Acrobot-v1 and Pendulum-v1: observations within their boxes, Acrobot terminates under energy pumping', () => {
  const env = new Acrobot();
  let obs = env.reset({ seed: 2 }).observation;
  assert.ok(env.observationSpace.contains(obs));
  let r;
  let n = 0;
  do {
    r = env.step(obs[4]! + obs[5]! > 0 ? 2 : 0); // torque along theta1' + theta2': pumps energy in
    obs = r.observation;
    assert.ok(env.observationSpace.contains(obs));
    n++;
  } while (!r.terminated && !r.truncated);
  assert.ok(r.terminated && r.reward === 0 && n < 500, `${n} steps`);
  const p = new Pendulum();
  let o = p.reset({ seed: 5 }).observation;
  for (let t = 0; t < 200; t++) {
    const s = p.step([t % 3 === 0 ? 2 : -2]);
    assert.ok(s.reward <= 0 && p.observationSpace.contains(s.observation));
    o = s.observation;
    assert.equal(s.truncated, t === 199);
  }
  assert.equal(o.length, 3);
});

test('environments: bad input fails with the environment and the value named', () => {
  const env = makeEnv('CartPole-v1');
  assert.throws(() => env.step(0), /CartPole-v1\.step: call reset\(\) before the first step/);
  env.reset();
  assert.throws(() => env.step(2), /CartPole-v1\.step: invalid action the number 2; expected an integer in \[0, 2\) \(Discrete\(2\)\)/);
  assert.throws(() => env.step(0.5), /CartPole-v1\.step: invalid action the number 0\.5/);
  assert.throws(() => env.step('1' as unknown as number), /CartPole-v1\.step: invalid action the string '1'/);
  const p = makeEnv<Float64Array, number[]>('Pendulum-v1');
  p.reset();
  assert.throws(() => p.step([NaN]), /Pendulum-v1\.step: action\[0\] is the number NaN; expected a number in \[-2, 2\]/);
  assert.throws(() => p.step([1, 2]), /Pendulum-v1\.step: invalid action .*; expected 1 numbers/);
  assert.throws(
    () => makeEnv('CartPole-v0'),
    /makeEnv: unknown environment id 'CartPole-v0' \(expected one of CartPole-v1, MountainCar-v0, Acrobot-v1, Pendulum-v1, GridWorld, TicTacToe, Go\)/,
  );
  assert.throws(() => new CartPole({ sed: 1 } as never), /CartPole: unknown option 'sed'/);
  assert.throws(() => new MountainCar({}, 3 as never), /MountainCar: unexpected argument 2/);
  assert.throws(() => env.reset({ state: [0, 0, 0] }), /CartPole-v1\.reset: option 'state' must be 4 finite numbers/);
  assert.throws(() => env.reset({ seed: 1.5 }), /CartPole-v1\.reset: option 'seed' must be an integer/);
  assert.deepEqual(envIds(), ['CartPole-v1', 'MountainCar-v0', 'Acrobot-v1', 'Pendulum-v1', 'GridWorld', 'TicTacToe', 'Go']);
});

test('VectorEnv: seeds copy i with seed + i; next-step and same-step autoreset as Gymnasium describes them', () => {
  const v = new VectorEnv((i) => new MountainCar({ maxEpisodeSteps: 3 + i }), 2);
  const { observations } = v.reset({ seed: 10 });
  assert.deepEqual(observations[1], new MountainCar().reset({ seed: 11 }).observation);
  let r = v.step([1, 1]);
  r = v.step([1, 1]);
  r = v.step([1, 1]); // copy 0 truncated at 3
  assert.deepEqual(r.truncated, [true, false]);
  const last0 = r.observations[0];
  r = v.step([1, 1]); // copy 0 resets (action ignored, reward 0); copy 1 truncated at 4
  assert.deepEqual(
    [r.truncated, r.terminated, Array.from(r.rewards)],
    [
      [false, true],
      [false, false],
      [0, -1],
    ],
  );
  assert.notDeepEqual(r.observations[0], last0);
  assert.equal(r.observations[0]![1], 0); // a fresh episode: velocity 0

  const s = new VectorEnv(() => new MountainCar({ maxEpisodeSteps: 2 }), 1, { autoresetMode: 'same-step' });
  s.reset({ seed: 0 });
  s.step([2]);
  const e = s.step([2]);
  assert.ok(e.truncated[0]);
  const fin = e.infos[0]!.finalObservation as Float64Array;
  assert.ok(fin[1]! !== 0 && e.observations[0]![1] === 0); // the final one moved, the new one is at rest
  assert.throws(() => s.step([0, 1]), /VectorEnv\.step: actions must be an array of 1 actions/);
  assert.throws(() => new VectorEnv(() => new CartPole(), 2, { mode: 'x' } as never), /VectorEnv: unknown option 'mode'/);
});

test('GridWorld: the 4x3 world of Russell and Norvig, its model rows sum to one, slips happen at the configured rate', () => {
  const g = new GridWorld({ seed: 1 });
  assert.equal(g.nStates, 11);
  const m = g.mdp();
  assert.equal(
    m.terminal.reduce((a, b) => a + b, 0),
    2,
  );
  const S = m.nStates;
  const start = g.startState;
  // Up from the start: 0.8 up, 0.1 stays (left wall), 0.1 right.
  const row = (s: number, a: number): number[] => Array.from(m.P.subarray((s * 4 + a) * S, (s * 4 + a + 1) * S));
  const up = row(start, 0);
  assert.ok(
    Math.abs(up[g.stateAt(1, 0)]! - 0.8) < 1e-12 && Math.abs(up[start]! - 0.1) < 1e-12 && Math.abs(up[g.stateAt(2, 1)]! - 0.1) < 1e-12,
  );
  let slips = 0;
  const n = 4000;
  for (let i = 0; i < n; i++) {
    g.reset({ state: [g.stateAt(2, 2)] });
    if (g.step(0).info.slipped) slips++;
  }
  assert.ok(Math.abs(slips / n - 0.2) < 0.03, `slip rate ${slips / n}`);
  assert.throws(
    () => new GridWorld({ layout: ['..', '.'] }),
    /GridWorld: option 'layout' must be a non-empty list of equally long strings/,
  );
  assert.throws(() => new GridWorld({ layout: ['S.Q', '..G'] }), /layout cell \(0, 2\) is 'Q'/);
  assert.match(g.render(), /@/);
});

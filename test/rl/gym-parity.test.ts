// Replays Gymnasium's trajectories (fixtures/rl/gym_trajectories.json, written by
// scripts/fixtures/gym_trajectories.py with Gymnasium 1.3.0): from the initial state Gymnasium's
// reset drew, the same actions must give the same states (to 1e-6), observations, rewards and the
// same termination or truncation step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeEnv } from '../../src/rl/index.js';

interface Step {
  action: number | number[];
  state: number[];
  observation: number[];
  reward: number;
  terminated: boolean;
  truncated: boolean;
}
interface Episode {
  env: string;
  seed: number;
  policy: string;
  initialState: number[];
  initialObservation: number[];
  steps: Step[];
}

const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..', '..');
const fixture = JSON.parse(readFileSync(join(root, 'fixtures', 'rl', 'gym_trajectories.json'), 'utf8')) as {
  gymnasium: string;
  episodes: Episode[];
};

const maxAbs = (a: ArrayLike<number>, b: readonly number[]): number => {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

test('the fixture was written by Gymnasium 1.3.0 and covers terminations and truncations of every environment', () => {
  assert.equal(fixture.gymnasium, '1.3.0');
  for (const id of ['CartPole-v1', 'MountainCar-v0', 'Acrobot-v1']) {
    const eps = fixture.episodes.filter((e) => e.env === id);
    assert.ok(eps.some((e) => e.steps.at(-1)!.terminated) && eps.some((e) => e.steps.at(-1)!.truncated), id);
  }
});

for (const ep of fixture.episodes) {
  test(`Gymnasium parity: ${ep.env} seed ${ep.seed}, ${ep.policy} actions, ${ep.steps.length} steps`, () => {
    const env = makeEnv<Float64Array, number | number[]>(ep.env);
    const first = env.reset({ state: ep.initialState });
    assert.ok(maxAbs(first.observation, ep.initialObservation) <= 1e-6, 'initial observation');
    let worstState = 0;
    let worstObs = 0;
    ep.steps.forEach((s, t) => {
      const r = env.step(s.action);
      const state = (env as unknown as { getState(): Float64Array }).getState();
      const ds = maxAbs(state, s.state);
      const dobs = maxAbs(r.observation, s.observation);
      worstState = Math.max(worstState, ds);
      worstObs = Math.max(worstObs, dobs);
      assert.ok(
        ds <= 1e-6,
        `step ${t + 1}: state differs by ${ds} (ours ${Array.from(state).join(', ')}, Gymnasium ${s.state.join(', ')})`,
      );
      assert.ok(dobs <= 1e-6, `step ${t + 1}: observation differs by ${dobs}`);
      assert.ok(Math.abs(r.reward - s.reward) <= 1e-9, `step ${t + 1}: reward ${r.reward} vs ${s.reward}`);
      assert.equal(r.terminated, s.terminated, `step ${t + 1}: terminated`);
      assert.equal(r.truncated, s.truncated, `step ${t + 1}: truncated`);
    });
    // The last step ended the episode, in both: the same termination step.
    const last = ep.steps.at(-1)!;
    assert.ok(last.terminated || last.truncated);
    assert.throws(() => env.step(ep.steps[0]!.action), /the episode has ended/);
    if (process.env.SHINSOU_VERBOSE) console.log(`${ep.env} seed ${ep.seed}: max |state diff| ${worstState}, max |obs diff| ${worstObs}`);
  });
}

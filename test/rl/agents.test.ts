// The deep RL agents' pieces (returns, GAE, Huber, the target network, PPO's clipped objective,
// the replay buffer), each against a hand-computed case, and quick learning checks on a 5-cell
// GridWorld corridor. Full CartPole/MountainCar runs are recipes (docs/rl.md), not tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Generator, Tensor, manualSeed, tensor, huberLoss, noGrad, softmax, backward } from '../../src/index.js';
import { Trainer } from '../../src/train/index.js';
import { GridWorld } from '../../src/rl/envs/gridworld.js';
import type { Env } from '../../src/rl/env.js';
import { gae, rewardToGo, differentialRewardToGo } from '../../src/rl/returns.js';
import { ReplayBuffer } from '../../src/rl/replay.js';
import { dqn, syncTarget, tdTarget, epsilonAt } from '../../src/rl/dqn.js';
import { ppo, ppoClipLoss } from '../../src/rl/ppo.js';
import { a2c } from '../../src/rl/a2c.js';
import { reinforce } from '../../src/rl/reinforce.js';
import { mlp, obsTensor, sampleCategorical, logProbOf, entropyOf } from '../../src/rl/policy.js';
import { encodePolicy, decodePolicy } from '../../src/rl/saved-policy.js';
import type { Agent } from '../../src/rl/agent.js';
import { EnvRunner, evaluateEpisodes } from '../../src/rl/runner.js';
import { makeEnv } from '../../src/rl/env.js';
import { runPlay } from '../../src/cli/commands/play.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-9, what = ''): void => {
  assert.equal(a.length, b.length, `${what}: lengths`);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) <= tol, `${what}[${i}]: ${a[i]} vs ${b[i]}`);
};

test('rewardToGo and differentialRewardToGo: G_t = r_{t+1} + gamma G_{t+1}, by hand', () => {
  close(rewardToGo([1, 1, 1], 0.5), [1.75, 1.5, 1], 0, 'gamma 0.5');
  close(rewardToGo([1, 2], 0.9, 10), [1 + 0.9 * (2 + 9), 2 + 9], 1e-12, 'bootstrapped');
  close(rewardToGo([0, 0, 5], 1), [5, 5, 5], 0, 'gamma 1');
  close(differentialRewardToGo([1, 0, 1], 0.5), [0.5, 0, 0.5], 0, 'differential');
  assert.throws(() => rewardToGo([1, NaN], 0.9), /rewardToGo: rewards\[1\] must be a finite number/);
  assert.throws(() => rewardToGo([1], 1.5), /rewardToGo: gamma must be a number in \[0, 1\]/);
});

test('gae: a hand-computed case with a termination, a time limit and two envs interleaved', () => {
  // Env 0: rewards 1, 2, 3; V 0.5, 1, 1.5; V(s_3) = 2; gamma 0.9, lambda 0.8, no episode end.
  //   delta = [1 + 0.9*1 - 0.5, 2 + 0.9*1.5 - 1, 3 + 0.9*2 - 1.5] = [1.4, 2.35, 3.3]
  //   A_2 = 3.3, A_1 = 2.35 + 0.72*3.3 = 4.726, A_0 = 1.4 + 0.72*4.726 = 4.80272
  // Env 1: the same, but the episode terminates at t = 1 (no bootstrap, no carry over):
  //   A_2 = 3.3, A_1 = 2 - 1 = 1, A_0 = 1.4 + 0.72*1 = 2.12
  const r = gae({
    rewards: [1, 1, 2, 2, 3, 3],
    values: [0.5, 0.5, 1, 1, 1.5, 1.5],
    terminated: [0, 0, 0, 1, 0, 0],
    done: [0, 0, 0, 1, 0, 0],
    lastValues: [2, 2],
    gamma: 0.9,
    lambda: 0.8,
  });
  close([r.advantages[0]!, r.advantages[2]!, r.advantages[4]!], [4.80272, 4.726, 3.3], 1e-12, 'env 0');
  close([r.advantages[1]!, r.advantages[3]!, r.advantages[5]!], [2.12, 1, 3.3], 1e-12, 'env 1');
  close(r.returns, [4.80272 + 0.5, 2.12 + 0.5, 4.726 + 1, 2, 3.3 + 1.5, 3.3 + 1.5], 1e-12, 'returns = A + V');
  // A time limit at t = 1 bootstraps from the cut state's value (4): A_1 = 2 + 0.9*4 - 1 = 4.6.
  const cut = gae({
    rewards: [1, 2, 3],
    values: [0.5, 1, 1.5],
    terminated: [0, 0, 0],
    done: [0, 1, 0],
    truncatedValues: [0, 4, 0],
    lastValues: [2],
    gamma: 0.9,
    lambda: 0.8,
  });
  close(cut.advantages, [1.4 + 0.72 * 4.6, 4.6, 3.3], 1e-12, 'truncated');
  // lambda = 1: A_t + V(s_t) is the bootstrapped reward-to-go; lambda = 0: the one-step TD error.
  const one = gae({
    rewards: [1, 2, 3],
    values: [0.5, 1, 1.5],
    terminated: [0, 0, 0],
    done: [0, 0, 0],
    lastValues: [2],
    gamma: 0.9,
    lambda: 1,
  });
  close(one.returns, rewardToGo([1, 2, 3], 0.9, 2), 1e-12, 'lambda 1');
  const zero = gae({
    rewards: [1, 2, 3],
    values: [0.5, 1, 1.5],
    terminated: [0, 0, 0],
    done: [0, 0, 0],
    lastValues: [2],
    gamma: 0.9,
    lambda: 0,
  });
  close(zero.advantages, [1.4, 2.35, 3.3], 1e-12, 'lambda 0');
  assert.throws(
    () => gae({ rewards: [1], values: [0], terminated: [0], done: [0], lastValues: [0], gamma: 0.9, lamda: 1 } as never),
    /gae: unknown option 'lamda'/,
  );
  assert.throws(
    () => gae({ rewards: [1, 2, 3], values: [0], terminated: [0], done: [0], lastValues: [0], gamma: 0.9, lambda: 1 }),
    /gae: values must have 3 entries like rewards/,
  );
});

test('Huber loss of the DQN update: 0.5 d^2 inside |d| < 1, |d| - 0.5 outside; gradient clip(d, -1, 1)', () => {
  const q = tensor([0.5, 3, -2, 0], { dtype: 'float64' }).requiresGrad_();
  const y = tensor([0, 0, 0, 0.25], { dtype: 'float64' });
  const loss = huberLoss(q, y, { reduction: 'sum' });
  assert.ok(Math.abs(loss.item() - (0.125 + 2.5 + 1.5 + 0.03125)) < 1e-12);
  backward([loss]);
  close(q.grad!.data as Float64Array, [0.5, 1, -1, -0.25], 1e-12, 'gradient');
});

test('PPO clipped objective: its gradient is zero where the ratio left [1-eps, 1+eps] in the direction the advantage favours', () => {
  // Four samples, B = 4, eps = 0.2; d loss / d logp_i = -A_i rho_i / B where the unclipped term is the min, else 0.
  const oldLogp = tensor([0, 0, 0, 0], { dtype: 'float64' });
  const rho = [1.1, 1.5, 0.5, 1.5]; // inside; above with A > 0 (clipped); below with A < 0 (clipped); above with A < 0 (not clipped)
  const adv = tensor([1, 2, -1, -3], { dtype: 'float64' });
  const logp = tensor(rho.map(Math.log), { dtype: 'float64' }).requiresGrad_();
  const loss = ppoClipLoss(logp, oldLogp, adv, 0.2);
  // min(rho A, clip(rho) A): [1.1, min(3, 2.4), min(-0.5, -0.8), min(-4.5, -3.6)] = [1.1, 2.4, -0.8, -4.5]
  assert.ok(Math.abs(loss.item() - -(1.1 + 2.4 - 0.8 - 4.5) / 4) < 1e-12, `loss ${loss.item()}`);
  backward([loss]);
  close(logp.grad!.data as Float64Array, [-1.1 / 4, 0, 0, (3 * 1.5) / 4], 1e-12, 'gradient');
  // At theta = theta_old the gradient is the policy gradient: -A_i / B.
  const at = tensor([0, 0, 0, 0], { dtype: 'float64' }).requiresGrad_();
  backward([ppoClipLoss(at, oldLogp, adv, 0.2)]);
  close(at.grad!.data as Float64Array, [-0.25, -0.5, 0.25, 0.75], 1e-12, 'gradient at the old policy');
});

test('replay buffer: a seeded draw is reproducible, rows stay whole, the ring overwrites the oldest, state round-trips', () => {
  const buf = new ReplayBuffer(5, 2);
  for (let i = 0; i < 7; i++) buf.add([i, -i], i % 3, i * 10, [i + 0.5, 0], i === 6);
  assert.equal(buf.size, 5);
  const a = buf.sample(16, new Generator(3));
  const b = buf.sample(16, new Generator(3));
  assert.deepEqual(a.obs.data, b.obs.data);
  assert.deepEqual(a.actions.data, b.actions.data);
  assert.notDeepEqual(buf.sample(16, new Generator(4)).obs.data, a.obs.data);
  const seen = new Set<number>();
  for (let k = 0; k < 16; k++) {
    const i = (a.obs.data as Float32Array)[2 * k]!;
    seen.add(i);
    assert.ok(i >= 2 && i <= 6, `transition ${i} was overwritten (capacity 5 keeps 2..6)`);
    assert.equal((a.obs.data as Float32Array)[2 * k + 1], -i);
    assert.equal((a.nextObs.data as Float32Array)[2 * k], i + 0.5);
    assert.equal((a.actions.data as Int32Array)[k], i % 3);
    assert.equal((a.rewards.data as Float32Array)[k], i * 10);
    assert.equal((a.terminated.data as Float32Array)[k], i === 6 ? 1 : 0);
  }
  assert.ok(seen.size >= 4, 'uniform draws reach most of the 5 transitions');
  const copy = new ReplayBuffer(5, 2);
  const s = buf.state();
  copy.loadState(s.tensors, s.json);
  assert.deepEqual(copy.sample(16, new Generator(3)).obs.data, a.obs.data);
  buf.add([9, 9], 0, 0, [9, 9], false);
  copy.add([9, 9], 0, 0, [9, 9], false);
  assert.deepEqual(copy.state().tensors['obs']!.data, buf.state().tensors['obs']!.data, 'the write position was restored');
  assert.throws(() => new ReplayBuffer(0, 2), /ReplayBuffer: capacity must be a positive integer/);
  assert.throws(() => buf.add([1], 0, 0, [1, 2], false), /ReplayBuffer.add: observations must have 2 values/);
});

test('DQN and Double DQN targets by hand; the target network follows the online one only at a sync', () => {
  manualSeed(0);
  const online = mlp(2, [4], 2, 'relu');
  const target = mlp(2, [4], 2, 'relu');
  syncTarget(target, online);
  const batch = new ReplayBuffer(4, 2);
  batch.add([0.1, 0.2], 0, 1, [0.3, -0.4], false);
  batch.add([0.5, 0.6], 1, 2, [-0.7, 0.8], true);
  const b = batch.sample(8, new Generator(0));
  const qt = noGrad(() => target.forward(b.nextObs)).data as Float32Array;
  const qo = noGrad(() => online.forward(b.nextObs)).data as Float32Array;
  // Make the two networks disagree, so DQN's max and Double DQN's pick differ somewhere.
  for (const p of online.parameters()) (p.data as Float32Array).forEach((v, i, a) => (a[i] = v + (i % 2 ? 0.3 : -0.3)));
  const qo2 = noGrad(() => online.forward(b.nextObs)).data as Float32Array;
  const y = tdTarget(b, online, target, 0.9, false).data as Float32Array;
  const y2 = tdTarget(b, online, target, 0.9, true).data as Float32Array;
  for (let k = 0; k < 8; k++) {
    const r = (b.rewards.data as Float32Array)[k]!;
    const live = 1 - (b.terminated.data as Float32Array)[k]!;
    const max = Math.max(qt[2 * k]!, qt[2 * k + 1]!);
    const pick = qo2[2 * k + 1]! > qo2[2 * k]! ? 1 : 0;
    assert.ok(Math.abs(y[k]! - (r + 0.9 * live * max)) < 1e-6, `DQN target ${k}`);
    assert.ok(Math.abs(y2[k]! - (r + 0.9 * live * qt[2 * k + pick]!)) < 1e-6, `Double DQN target ${k}`);
  }
  assert.notDeepEqual(Array.from(qo), Array.from(qo2));
  assert.notDeepEqual(noGrad(() => target.forward(b.nextObs)).data, noGrad(() => online.forward(b.nextObs)).data);
  syncTarget(target, online);
  assert.deepEqual(noGrad(() => target.forward(b.nextObs)).data, noGrad(() => online.forward(b.nextObs)).data);
  close([epsilonAt(0, 1, 0.05, 100), epsilonAt(50, 1, 0.05, 100), epsilonAt(500, 1, 0.05, 100)], [1, 0.525, 0.05], 1e-12, 'epsilon');
});

/** A 5-cell corridor: start in the middle, +1 at the right end (G), -1 at the left (X); at most 12 steps. */
const corridor = (): Env<unknown, number> =>
  new GridWorld({ layout: ['X.S.G'], slip: 0, stepReward: 0, maxEpisodeSteps: 12 }) as unknown as Env<unknown, number>;

test('DQN agent: the target network is synced every targetUpdate env steps, before that round of updates', () => {
  manualSeed(1);
  const agent = dqn({
    makeEnv: corridor,
    hidden: [8],
    learningStarts: 0,
    trainFreq: 4,
    gradientSteps: 2,
    targetUpdate: 4,
    lr: 1e-2,
    batchSize: 4,
    evalEpisodes: 0,
  });
  const [q, target] = [agent.task.modules!['q']!, agent.task.modules!['target']!];
  for (let k = 0; k < 3; k++) {
    const before = q.stateDict();
    const copy = Object.fromEntries(Object.entries(before).map(([n, t]) => [n, Float32Array.from(t.data as Float32Array)]));
    agent.task.trainStep({ epoch: 0, batch: k, step: k });
    for (const [n, t] of Object.entries(target.stateDict()))
      assert.deepEqual(t.data, copy[n], `iteration ${k}: target ${n} = online before the updates`);
    assert.notDeepEqual(q.stateDict()['0.weight']!.data, copy['0.weight'], 'the online network moved');
  }
  const slow = dqn({
    makeEnv: corridor,
    hidden: [8],
    learningStarts: 0,
    trainFreq: 4,
    gradientSteps: 2,
    targetUpdate: 1000,
    lr: 1e-2,
    batchSize: 4,
    evalEpisodes: 0,
  });
  const t0 = Float32Array.from(slow.task.modules!['target']!.stateDict()['0.weight']!.data as Float32Array);
  for (let k = 0; k < 3; k++) slow.task.trainStep({ epoch: 0, batch: k, step: k });
  assert.deepEqual(slow.task.modules!['target']!.stateDict()['0.weight']!.data, t0, 'no sync before targetUpdate steps');
});

test('sampling, log-probabilities and entropy of the categorical policy', () => {
  const logits = tensor([[0, Math.log(3)]]);
  const g = new Generator(5);
  let ones = 0;
  for (let i = 0; i < 4000; i++) ones += sampleCategorical(logits, g)[0]!;
  assert.ok(Math.abs(ones / 4000 - 0.75) < 0.03, `P(a = 1) ~ 0.75, got ${ones / 4000}`);
  close(logProbOf(logits, new Tensor(Int32Array.from([1]), [1])).data as Float32Array, [Math.log(0.75)], 1e-6, 'log pi');
  close(entropyOf(logits).data as Float32Array, [-(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75))], 1e-6, 'entropy');
});

test('the runner resumes an environment mid-episode by replaying its actions from the seeded reset', () => {
  const a = new EnvRunner(corridor, 3, 7);
  const g = new Generator(1);
  const act = () => Int32Array.from({ length: 3 }, () => g.int(0, 4));
  for (let i = 0; i < 9; i++) a.step(act());
  const b = new EnvRunner(corridor, 3, 99);
  b.loadState(a.state());
  assert.deepEqual(b.obs, a.obs);
  for (let i = 0; i < 20; i++) {
    const acts = act();
    const sa = a.step(acts);
    const sb = b.step(acts);
    assert.deepEqual(sb, sa, `step ${i}`);
  }
  assert.deepEqual(b.state(), a.state());
});

/**
 * How well an agent knows the way at the start: pi(right | start) for a policy, and for DQN
 * 1 - |Q(start, right) - Q*(start, right)| with Q* = gamma * 1 = 0.9 (the goal is two steps away).
 */
function preferRight(agent: Agent): number {
  const start = new Float32Array(5);
  start[2] = 1; // the start cell's one-hot (states: X=0, .=1, S=2, .=3, G=4)
  const out = noGrad(() => agent.policyNet.forward(obsTensor(start, 1))).data as Float32Array;
  if (agent.policyKind === 'q') return 1 - Math.abs(out[1]! - 0.9);
  return (softmax(tensor([Array.from(out)]), 1).data as Float32Array)[1]!;
}

async function learns(name: string, agent: Agent, epochs: number, min: number): Promise<void> {
  const before = preferRight(agent);
  await new Trainer(agent.task, { epochs }).fit();
  const after = preferRight(agent);
  const evalReturn = agent.task.evaluate!()['evalReturn']!;
  assert.ok(after >= min && after > before, `${name}: preference for 'right' at the start ${before.toFixed(3)} -> ${after.toFixed(3)}`);
  assert.equal(evalReturn, 1, `${name}: the greedy policy reaches the goal`);
}

test('quick learning on a 5-cell corridor: every agent comes to prefer the way to the goal', async () => {
  const base = { makeEnv: corridor, hidden: [16], evalEpisodes: 4, gamma: 0.9 };
  manualSeed(2);
  await learns(
    'reinforce (no baseline)',
    reinforce({ ...base, envs: 4, batchSteps: 40, baseline: 'none', lr: 2e-2, epochSteps: 400 }),
    2,
    0.8,
  );
  manualSeed(2);
  await learns(
    'reinforce (value baseline, total return)',
    reinforce({ ...base, envs: 4, batchSteps: 40, returns: 'total', lr: 2e-2, epochSteps: 400 }),
    2,
    0.8,
  );
  manualSeed(2);
  await learns(
    'reinforce (average reward)',
    reinforce({ ...base, envs: 4, batchSteps: 40, objective: 'average', lr: 2e-2, epochSteps: 400 }),
    2,
    0.8,
  );
  manualSeed(2);
  await learns('a2c', a2c({ ...base, envs: 4, nSteps: 5, lr: 1e-2, optimizer: 'adam', lambda: 0.9, epochSteps: 400 }), 2, 0.8);
  manualSeed(2);
  await learns('ppo', ppo({ ...base, envs: 4, nSteps: 16, batchSize: 16, nEpochs: 4, lr: 1e-2, epochSteps: 320 }), 2, 0.8);
  manualSeed(2);
  await learns(
    'dqn',
    dqn({
      ...base,
      learningStarts: 50,
      trainFreq: 4,
      gradientSteps: 2,
      targetUpdate: 20,
      lr: 1e-2,
      batchSize: 16,
      explorationFraction: 0.3,
      epochSteps: 200,
    }),
    2,
    0.85,
  );
  manualSeed(2);
  await learns(
    'double dqn',
    dqn({
      ...base,
      double: true,
      learningStarts: 50,
      trainFreq: 4,
      gradientSteps: 2,
      targetUpdate: 20,
      lr: 1e-2,
      batchSize: 16,
      explorationFraction: 0.3,
      epochSteps: 200,
    }),
    2,
    0.85,
  );
});

test('a saved policy decodes to the same greedy actions; agents refuse unknown options, naming themselves', () => {
  manualSeed(3);
  const agent = ppo({ makeEnv: corridor, hidden: [8], nSteps: 4, evalEpisodes: 0 });
  const bytes = encodePolicy(agent.policyNet, {
    env: 'GridWorld',
    algo: 'ppo',
    kind: 'logits',
    obsDim: 5,
    actions: 4,
    hidden: [8],
    activation: 'tanh',
    scaleObs: false,
  });
  const p = decodePolicy(bytes);
  const obs = new Float32Array(25).map((_, i) => (i % 6 === 0 ? 1 : 0));
  assert.deepEqual(p.act(obs, 5), agent.act(obs, 5));
  assert.equal(p.info.env, 'GridWorld');
  assert.throws(() => ppo({ makeEnv: corridor, clip: 0.2 } as never), /ppo: unknown option 'clip' \(known: makeEnv,/);
  assert.throws(() => dqn({ makeEnv: corridor, gamma: 2 }), /dqn: gamma must be a number in \[0, 1\], got the number 2/);
  assert.throws(() => a2c({ makeEnv: corridor, nSteps: 0 }), /a2c: nSteps must be an integer >= 1, got the number 0/);
  assert.throws(
    () => reinforce({ makeEnv: corridor, baseline: 'mean' } as never),
    /reinforce: baseline must be 'value' or 'none', got 'mean'/,
  );
  assert.throws(() => decodePolicy(new Uint8Array(4)), /safetensors <buffer>/);
});

test('shinsou play RUN plays the saved policy greedily: the same returns as the agent evaluated from the same seeds', () => {
  manualSeed(4);
  const make = (): Env<unknown, number> => makeEnv('CartPole-v1') as Env<unknown, number>;
  const agent = ppo({ makeEnv: make, hidden: [8], nSteps: 4, evalEpisodes: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'shinsou-play-'));
  try {
    const info = {
      env: 'CartPole-v1',
      algo: 'ppo',
      kind: 'logits',
      obsDim: 4,
      actions: 2,
      hidden: [8],
      activation: 'tanh',
      scaleObs: false,
    } as const;
    writeFileSync(join(dir, 'policy.safetensors'), encodePolicy(agent.policyNet, { ...info, hidden: [8] }));
    const lines: string[] = [];
    const played = runPlay(dir, { episodes: 3, seed: 11, quiet: true, print: (l) => lines.push(l) });
    const expected = evaluateEpisodes(make, agent.act, 3, 11);
    assert.deepEqual(
      played.map((e) => e.return),
      Array.from(expected),
    );
    assert.match(lines[0]!, /ppo policy for CartPole-v1/);
    assert.throws(
      () => runPlay(join(dir, 'missing'), { quiet: true, print: () => {} }),
      /play: .* is not an environment id .* nor a run folder or policy file/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

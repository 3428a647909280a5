/**
 * The experience replay buffer of DQN (Mnih et al. 2015): a ring of the last `capacity`
 * transitions (s, a, r, s', terminated), sampled uniformly with a seeded Generator so a run (and a
 * resumed run) draws the same minibatches. Sampling from old and new experience alike breaks the
 * correlation between consecutive steps that makes Q-learning with a network unstable.
 * Its contents and position are task state: `state()` gives them as tensors for a snapshot.
 */
import { Tensor } from '../tensor/tensor.js';
import type { Generator } from '../tensor/random.js';
import { describe } from '../tensor/validate.js';

export interface ReplayBatch {
  /** [B, obsDim] float32 */
  obs: Tensor;
  /** [B] int32 */
  actions: Tensor;
  /** [B] float32 */
  rewards: Tensor;
  /** [B, obsDim] float32: the state after the action (the last state of an episode cut by a time limit). */
  nextObs: Tensor;
  /** [B] float32: 1 where the episode terminated (no bootstrap), else 0; a time limit is not a termination. */
  terminated: Tensor;
}

export class ReplayBuffer {
  readonly capacity: number;
  readonly obsDim: number;
  private readonly obs: Float32Array;
  private readonly nextObs: Float32Array;
  private readonly actions: Int32Array;
  private readonly rewards: Float32Array;
  private readonly terminated: Float32Array;
  /** Where the next transition goes. */
  private pos = 0;
  /** Transitions held (<= capacity). */
  size = 0;

  constructor(capacity: number, obsDim: number, ...extra: never[]) {
    const who = 'ReplayBuffer';
    if (extra.length > 0) throw new Error(`${who}: expected (capacity, obsDim), got ${extra.length} extra argument(s)`);
    if (typeof capacity !== 'number' || !Number.isInteger(capacity) || capacity < 1)
      throw new Error(`${who}: capacity must be a positive integer, got ${describe(capacity)}`);
    if (typeof obsDim !== 'number' || !Number.isInteger(obsDim) || obsDim < 1)
      throw new Error(`${who}: obsDim must be a positive integer, got ${describe(obsDim)}`);
    this.capacity = capacity;
    this.obsDim = obsDim;
    this.obs = new Float32Array(capacity * obsDim);
    this.nextObs = new Float32Array(capacity * obsDim);
    this.actions = new Int32Array(capacity);
    this.rewards = new Float32Array(capacity);
    this.terminated = new Float32Array(capacity);
  }

  /** Stores one transition, overwriting the oldest when full. */
  add(obs: ArrayLike<number>, action: number, reward: number, nextObs: ArrayLike<number>, terminated: boolean): void {
    const d = this.obsDim;
    if (obs.length !== d || nextObs.length !== d)
      throw new Error(`ReplayBuffer.add: observations must have ${d} values, got ${obs.length} and ${nextObs.length}`);
    if (!Number.isInteger(action)) throw new Error(`ReplayBuffer.add: action must be an integer, got ${describe(action)}`);
    const i = this.pos;
    this.obs.set(obs, i * d);
    this.nextObs.set(nextObs, i * d);
    this.actions[i] = action;
    this.rewards[i] = reward;
    this.terminated[i] = terminated ? 1 : 0;
    this.pos = (i + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
  }

  /** `batchSize` transitions drawn uniformly with replacement by `rng`. */
  sample(batchSize: number, rng: Generator): ReplayBatch {
    if (this.size === 0) throw new Error('ReplayBuffer.sample: the buffer is empty; add transitions first');
    if (!Number.isInteger(batchSize) || batchSize < 1)
      throw new Error(`ReplayBuffer.sample: batchSize must be a positive integer, got ${describe(batchSize)}`);
    const d = this.obsDim;
    const obs = new Float32Array(batchSize * d);
    const nextObs = new Float32Array(batchSize * d);
    const actions = new Int32Array(batchSize);
    const rewards = new Float32Array(batchSize);
    const terminated = new Float32Array(batchSize);
    for (let b = 0; b < batchSize; b++) {
      const i = rng.int(0, this.size);
      obs.set(this.obs.subarray(i * d, (i + 1) * d), b * d);
      nextObs.set(this.nextObs.subarray(i * d, (i + 1) * d), b * d);
      actions[b] = this.actions[i]!;
      rewards[b] = this.rewards[i]!;
      terminated[b] = this.terminated[i]!;
    }
    return {
      obs: new Tensor(obs, [batchSize, d]),
      actions: new Tensor(actions, [batchSize]),
      rewards: new Tensor(rewards, [batchSize]),
      nextObs: new Tensor(nextObs, [batchSize, d]),
      terminated: new Tensor(terminated, [batchSize]),
    };
  }

  /** The held transitions and the write position, for a snapshot (only the filled rows). */
  state(): { tensors: Record<string, Tensor>; json: { pos: number; size: number } } {
    const n = this.size;
    const d = this.obsDim;
    return {
      tensors: {
        obs: new Tensor(this.obs.slice(0, n * d), [n, d]),
        nextObs: new Tensor(this.nextObs.slice(0, n * d), [n, d]),
        actions: new Tensor(this.actions.slice(0, n), [n]),
        rewards: new Tensor(this.rewards.slice(0, n), [n]),
        terminated: new Tensor(this.terminated.slice(0, n), [n]),
      },
      json: { pos: this.pos, size: n },
    };
  }

  /** Restores what state() gave. */
  loadState(tensors: Record<string, Tensor>, json: { pos: number; size: number }): void {
    const who = 'ReplayBuffer.loadState';
    const { pos, size } = json;
    if (!Number.isInteger(size) || size < 0 || size > this.capacity || !Number.isInteger(pos) || pos < 0 || pos >= this.capacity)
      throw new Error(`${who}: pos ${pos} and size ${size} do not fit a buffer of capacity ${this.capacity}`);
    const take = (name: string, len: number): ArrayLike<number> => {
      const t = tensors[name];
      if (!t || t.numel() !== len) throw new Error(`${who}: tensor '${name}' must hold ${len} values, got ${describe(t)}`);
      return t.data as ArrayLike<number>;
    };
    const d = this.obsDim;
    this.obs.set(take('obs', size * d));
    this.nextObs.set(take('nextObs', size * d));
    this.actions.set(take('actions', size));
    this.rewards.set(take('rewards', size));
    this.terminated.set(take('terminated', size));
    this.pos = pos;
    this.size = size;
  }
}

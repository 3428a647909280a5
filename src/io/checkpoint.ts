/**
 * A training checkpoint as one safetensors file: everything needed to continue a run exactly.
 *   model.<key>                  the model's state dict (PyTorch keys, so strip "model." for torch)
 *   optim.state.<i>.<buffer>     the optimizer's per-parameter tensors (e.g. optim.state.3.expAvg)
 *   __metadata__                 format, epoch, step, and as JSON: the optimizer's step counts and
 *                                groups, the RNG state, the data loader's position, free-form extras.
 * Pure (bytes in memory); src/node/checkpoint.ts writes and reads the files.
 */
import { Tensor } from '../tensor/tensor.js';
import type { StateDict } from '../nn/module.js';
import type { OptimizerStateDict } from '../optim/optimizer.js';
import type { DataLoaderState } from '../data/dataloader.js';

export const CHECKPOINT_FORMAT = 'shinsou.checkpoint/1';

export interface Checkpoint {
  model: StateDict;
  optimizer?: OptimizerStateDict;
  /** Epochs completed (or the epoch in progress, with `loader` telling how far it got). */
  epoch: number;
  /** Optimizer steps taken. */
  step: number;
  /** Generator.getState() of the generator the run draws from (dropout, init). */
  rng?: number[];
  loader?: DataLoaderState;
  /** Anything JSON-able: the recipe and its options, metric history. */
  extra?: Record<string, unknown>;
}

export interface CheckpointParts {
  tensors: Record<string, Tensor>;
  metadata: Record<string, string>;
}

/** Splits a checkpoint into safetensors entries and string metadata. */
export function packCheckpoint(c: Checkpoint): CheckpointParts {
  const tensors: Record<string, Tensor> = {};
  for (const [k, t] of Object.entries(c.model)) tensors[`model.${k}`] = t;
  const metadata: Record<string, string> = {
    format: CHECKPOINT_FORMAT,
    epoch: String(c.epoch),
    step: String(c.step),
  };
  if (c.optimizer) {
    const steps: Record<string, { step: number }> = {};
    for (const [i, st] of Object.entries(c.optimizer.state)) {
      steps[i] = { step: st.step };
      for (const [name, b] of Object.entries(st.buffers)) {
        // float32 when no value needs more (an optimizer over float32 parameters), else float64.
        const exact32 = b.data.every((v) => Math.fround(v) === v || Number.isNaN(v));
        const data = exact32 ? Float32Array.from(b.data) : Float64Array.from(b.data);
        tensors[`optim.state.${i}.${name}`] = new Tensor(data, b.shape);
      }
    }
    metadata['optim'] = JSON.stringify({ state: steps, paramGroups: c.optimizer.paramGroups });
  }
  if (c.rng) metadata['rng'] = JSON.stringify(c.rng.map((v) => (Number.isNaN(v) ? null : v)));
  if (c.loader) metadata['loader'] = JSON.stringify(c.loader);
  if (c.extra) metadata['extra'] = JSON.stringify(c.extra);
  return { tensors, metadata };
}

/** Rebuilds a checkpoint from safetensors contents; `source` names the file in errors. */
export function unpackCheckpoint(parts: CheckpointParts, source = '<buffer>'): Checkpoint {
  const { tensors, metadata } = parts;
  const fail = (msg: string): never => {
    throw new Error(`checkpoint ${source}: ${msg}`);
  };
  if (metadata['format'] !== CHECKPOINT_FORMAT) {
    fail(`__metadata__.format is ${JSON.stringify(metadata['format'])}, expected '${CHECKPOINT_FORMAT}' (a plain state dict? load it with loadFile)`);
  }
  const json = <T>(key: string): T | undefined => {
    const s = metadata[key];
    if (s === undefined) return undefined;
    try {
      return JSON.parse(s) as T;
    } catch (e) {
      return fail(`__metadata__.${key} is not valid JSON: ${(e as Error).message}`);
    }
  };
  const int = (key: string): number => {
    const v = Number(metadata[key]);
    if (!Number.isInteger(v) || v < 0) fail(`__metadata__.${key} must be a non-negative integer, got ${JSON.stringify(metadata[key])}`);
    return v;
  };
  const model: StateDict = {};
  const optimTensors = new Map<string, Record<string, Tensor>>();
  for (const [k, t] of Object.entries(tensors)) {
    if (k.startsWith('model.')) model[k.slice(6)] = t;
    else {
      const m = /^optim\.state\.(\d+)\.(.+)$/.exec(k);
      if (!m) fail(`unexpected tensor '${k}' (expected model.* or optim.state.<index>.<buffer>)`);
      const bufs = optimTensors.get(m![1]!) ?? {};
      bufs[m![2]!] = t;
      optimTensors.set(m![1]!, bufs);
    }
  }
  const out: Checkpoint = { model, epoch: int('epoch'), step: int('step') };
  const optim = json<{ state: Record<string, { step: number }>; paramGroups: OptimizerStateDict['paramGroups'] }>('optim');
  if (optim) {
    const state: OptimizerStateDict['state'] = {};
    for (const [i, st] of Object.entries(optim.state)) {
      const buffers: Record<string, { shape: number[]; data: number[] }> = {};
      for (const [name, t] of Object.entries(optimTensors.get(i) ?? {})) buffers[name] = { shape: [...t.shape], data: Array.from(t.data as ArrayLike<number>) };
      state[Number(i)] = { step: st.step, buffers };
    }
    for (const i of optimTensors.keys()) if (!(i in optim.state)) fail(`optimizer tensors for parameter ${i}, which has no entry in __metadata__.optim`);
    out.optimizer = { state, paramGroups: optim.paramGroups };
  } else if (optimTensors.size > 0) fail('optimizer tensors without __metadata__.optim');
  const rng = json<(number | null)[]>('rng');
  if (rng) out.rng = rng.map((v) => (v === null ? NaN : v));
  const loader = json<DataLoaderState>('loader');
  if (loader) out.loader = loader;
  const extra = json<Record<string, unknown>>('extra');
  if (extra) out.extra = extra;
  return out;
}

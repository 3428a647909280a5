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
import { nameTable } from './safetensors.js';
import { checkArg, checkOptions, checkRest, describe, isPlainObject } from '../tensor/validate.js';

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
export function packCheckpoint(c: Checkpoint, ...rest: never[]): CheckpointParts {
  checkOptions('packCheckpoint', 1, c, {
    model: 'any',
    optimizer: 'any',
    epoch: 'nonNegativeInt',
    step: 'nonNegativeInt',
    rng: 'any',
    loader: 'any',
    extra: 'any',
  });
  if (!isPlainObject(c?.model))
    throw new TypeError(`packCheckpoint: 'model' must be a state dict {name: tensor}, got ${describe(c?.model)}`);
  checkRest('packCheckpoint', rest, 1, 'packCheckpoint({model, epoch, step, optimizer?, rng?, loader?, extra?})');
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
export function unpackCheckpoint(parts: CheckpointParts, source = '<buffer>', ...rest: never[]): Checkpoint {
  checkOptions('unpackCheckpoint', 1, parts, { tensors: 'any', metadata: 'any' });
  if (!isPlainObject(parts.tensors) || !isPlainObject(parts.metadata))
    throw new TypeError(`unpackCheckpoint: argument 1 must be {tensors, metadata} as decodeSafetensors returns, got ${describe(parts)}`);
  checkArg('unpackCheckpoint', 'argument 2 (source)', source, 'string');
  checkRest('unpackCheckpoint', rest, 2, 'unpackCheckpoint({tensors, metadata}, source?)');
  const { tensors, metadata } = parts;
  const fail = (msg: string): never => {
    throw new Error(`checkpoint ${source}: ${msg}`);
  };
  const meta = (key: string): string | undefined => (Object.hasOwn(metadata, key) ? metadata[key] : undefined);
  if (meta('format') !== CHECKPOINT_FORMAT) {
    fail(
      `__metadata__.format is ${JSON.stringify(meta('format'))}, expected '${CHECKPOINT_FORMAT}' (a plain state dict? load it with loadFile)`,
    );
  }
  const json = (key: string): unknown => {
    const s = meta(key);
    if (s === undefined) return undefined;
    try {
      return JSON.parse(s) as unknown;
    } catch (e) {
      return fail(`__metadata__.${key} is not valid JSON: ${(e as Error).message}`);
    }
  };
  const int = (key: string): number => {
    const v = Number(meta(key));
    if (meta(key)?.trim() === '' || !Number.isSafeInteger(v) || v < 0)
      fail(`__metadata__.${key} must be a non-negative integer, got ${JSON.stringify(meta(key))}`);
    return v;
  };
  const model = nameTable<Tensor>();
  const optimTensors = new Map<string, Record<string, Tensor>>();
  for (const [k, t] of Object.entries(tensors)) {
    if (k.startsWith('model.')) model[k.slice(6)] = t;
    else {
      const m = /^optim\.state\.(\d+)\.(.+)$/.exec(k);
      if (!m) fail(`unexpected tensor '${k}' (expected model.* or optim.state.<index>.<buffer>)`);
      const bufs = optimTensors.get(m![1]!) ?? nameTable<Tensor>();
      bufs[m![2]!] = t;
      optimTensors.set(m![1]!, bufs);
    }
  }
  const out: Checkpoint = { model, epoch: int('epoch'), step: int('step') };
  const optim = json('optim');
  if (optim !== undefined) {
    const o = checkOptim(optim, fail);
    const state: OptimizerStateDict['state'] = {}; // keys checked to be indices
    for (const [i, st] of o.state) {
      const buffers = nameTable<{ shape: number[]; data: number[] }>();
      for (const [name, t] of Object.entries(optimTensors.get(i) ?? {}))
        buffers[name] = { shape: [...t.shape], data: Array.from(t.data as ArrayLike<number>) };
      state[Number(i)] = { step: st, buffers };
    }
    for (const i of optimTensors.keys())
      if (!o.state.has(i)) fail(`optimizer tensors for parameter ${i}, which has no entry in __metadata__.optim`);
    out.optimizer = { state, paramGroups: o.paramGroups };
  } else if (optimTensors.size > 0) fail('optimizer tensors without __metadata__.optim');
  const rng = json('rng');
  if (rng !== undefined) {
    if (!Array.isArray(rng) || rng.length !== 5 || !rng.every((v) => v === null || typeof v === 'number')) {
      fail(`__metadata__.rng must be a list of 5 numbers (null for NaN), got ${brief(rng)}`);
    }
    out.rng = (rng as (number | null)[]).map((v) => (v === null ? NaN : v));
  }
  const loader = json('loader');
  if (loader !== undefined) out.loader = checkLoader(loader, fail);
  const extra = json('extra');
  if (extra !== undefined) {
    if (!isObject(extra)) fail(`__metadata__.extra must be an object, got ${brief(extra)}`);
    out.extra = extra as Record<string, unknown>;
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A short JSON rendering of a value for an error message. */
function brief(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/** Checks __metadata__.optim: { state: { "<index>": { step } }, paramGroups: [{ params, options }] }. */
function checkOptim(
  v: unknown,
  fail: (m: string) => never,
): { state: Map<string, number>; paramGroups: OptimizerStateDict['paramGroups'] } {
  const at = '__metadata__.optim';
  if (!isObject(v)) return fail(`${at} must be an object with state and paramGroups, got ${brief(v)}`);
  if (!isObject(v['state'])) return fail(`${at}.state must be an object of { step } per parameter index, got ${brief(v['state'])}`);
  const state = new Map<string, number>();
  for (const [i, st] of Object.entries(v['state'])) {
    if (!/^\d+$/.test(i)) fail(`${at}.state: key ${JSON.stringify(i)} is not a parameter index`);
    if (!isObject(st) || !isCount(st['step']))
      fail(`${at}.state.${i}.step must be a non-negative integer, got ${brief(isObject(st) ? st['step'] : st)}`);
    state.set(i, (st as { step: number }).step);
  }
  const groups = v['paramGroups'];
  if (!Array.isArray(groups)) return fail(`${at}.paramGroups must be a list, got ${brief(groups)}`);
  const paramGroups = groups.map((g: unknown, gi) => {
    const here = `${at}.paramGroups[${gi}]`;
    if (!isObject(g)) return fail(`${here} must be an object with params and options, got ${brief(g)}`);
    const params = g['params'];
    if (!Array.isArray(params) || !params.every(isCount)) fail(`${here}.params must be a list of parameter indices, got ${brief(params)}`);
    const opts = g['options'];
    if (!isObject(opts)) return fail(`${here}.options must be an object, got ${brief(opts)}`);
    const options = nameTable<number | boolean | number[]>();
    for (const [k, x] of Object.entries(opts)) {
      const ok = typeof x === 'number' || typeof x === 'boolean' || (Array.isArray(x) && x.every((y) => typeof y === 'number'));
      if (!ok) fail(`${here}.options.${k} must be a number, boolean or list of numbers, got ${brief(x)}`);
      options[k] = x;
    }
    return { params: params, options };
  });
  return { state, paramGroups };
}

/** Checks __metadata__.loader against DataLoaderState. */
function checkLoader(v: unknown, fail: (m: string) => never): DataLoaderState {
  const at = '__metadata__.loader';
  if (!isObject(v)) return fail(`${at} must be an object with seed, epoch, batch and rng, got ${brief(v)}`);
  if (typeof v['seed'] !== 'number') fail(`${at}.seed must be a number, got ${brief(v['seed'])}`);
  for (const k of ['epoch', 'batch']) if (!isCount(v[k])) fail(`${at}.${k} must be a non-negative integer, got ${brief(v[k])}`);
  const rng = v['rng'];
  if (!Array.isArray(rng) || rng.length !== 5 || !rng.every((x) => x === null || typeof x === 'number')) {
    fail(`${at}.rng must be a list of 5 numbers, got ${brief(rng)}`);
  }
  // JSON writes the generator's NaN (no spare normal) as null.
  const state = (rng as (number | null)[]).map((x) => (x === null ? NaN : x));
  return { seed: v['seed'], epoch: v['epoch'] as number, batch: v['batch'] as number, rng: state };
}

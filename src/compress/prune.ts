/**
 * Pruning: removing the weights or channels that contribute least (the curriculum: 寄与の少ない
 * ニューロンをモデルから削減し高速化と省メモリ化, fewer neurons for speed and memory).
 *
 * Unstructured, global magnitude pruning (Han et al. 2015, "Learning both Weights and Connections
 * for Efficient Neural Networks"): over every Linear and Conv2d weight of a model together, the
 * fraction s with the smallest |w| is set to zero. Each pruned layer keeps a mask m (1 kept, 0
 * pruned) as a buffer `weight_mask` beside its weight, so the mask is in the state dict
 * ('0.weight_mask', as PyTorch's torch.nn.utils.prune names it) and survives saving and loading;
 * training keeps it by calling `applyMasks` after every optimizer step (w <- w * m). A weight
 * pruned once stays pruned: |w| = 0 is the smallest magnitude, so pruning again to a higher
 * sparsity only adds to the mask (iterative pruning, Han et al.; Zhu and Gupta 2017).
 *
 * Structured, channel pruning by L1 norm (Li et al. 2017, "Pruning Filters for Efficient
 * ConvNets"): in a Sequential of Conv2d / BatchNorm2d / Linear with elementwise layers between,
 * each hidden Conv2d keeps the output channels o with the largest sum_{i,k,l} |W[o, i, k, l]|
 * (each hidden Linear its rows with the largest sum_i |W[o, i]|), and a new, smaller dense model
 * is built: the next layer keeps only the matching input channels (after a Flatten, the matching
 * blocks of H x W columns). Its outputs equal the original's with the pruned channels zeroed.
 */
import { Tensor } from '../tensor/tensor.js';
import { ones } from '../tensor/creation.js';
import { checkOptions, checkRest, describe } from '../tensor/validate.js';
import { noGrad } from '../autograd/grad-mode.js';
import { bumpVersion } from '../autograd/version.js';
import { Module, type StateDict } from '../nn/module.js';
import { Sequential } from '../nn/containers.js';
import { Linear } from '../nn/layers/linear.js';
import { Conv2d } from '../nn/layers/conv.js';
import { BatchNorm2d } from '../nn/layers/norm.js';
import { Flatten } from '../nn/layers/basic.js';

/** The buffer name of a pruning mask, beside the weight it masks. */
export const MASK_NAME = 'weight_mask';

type Prunable = Linear | Conv2d;

/** Registers a buffer on a module from outside it (Module.buffer is protected; the mask belongs in the layer's own state). */
abstract class MaskHost extends Module {
  static register(m: Module<any, any>, name: string, t: Tensor): void {
    (m as MaskHost).buffer(name, t);
  }
}

function checkModule(fn: string, model: unknown): void {
  if (!(model instanceof Module)) throw new TypeError(`${fn}: argument 1 (model) must be an nn.Module, got ${describe(model)}`);
}

/** Every Linear and Conv2d of a model with its dotted name: what the magnitude pruning considers. */
export function prunableLayers(model: Module<any, any>, ...extra: never[]): [string, Prunable][] {
  checkRest('prunableLayers', extra, 1, 'prunableLayers(model)');
  checkModule('prunableLayers', model);
  const out: [string, Prunable][] = [];
  for (const [name, m] of model.namedModules()) if (m instanceof Linear || m instanceof Conv2d) out.push([name, m]);
  return out;
}

/** The mask of a layer, or null when it has none. */
export function maskOf(layer: Module<any, any>, ...extra: never[]): Tensor | null {
  checkRest('maskOf', extra, 1, 'maskOf(layer)');
  if (!(layer instanceof Module)) throw new TypeError(`maskOf: argument 1 (layer) must be an nn.Module, got ${describe(layer)}`);
  for (const [n, b] of layer.namedBuffers()) if (n === MASK_NAME) return b;
  return null;
}

/** Sets w <- w * m in place for every masked layer (after each optimizer step, so pruned weights stay zero). */
export function applyMasks(model: Module<any, any>, ...extra: never[]): void {
  checkRest('applyMasks', extra, 1, 'applyMasks(model)');
  checkModule('applyMasks', model);
  for (const [, layer] of prunableLayers(model)) {
    const m = maskOf(layer);
    if (!m) continue;
    noGrad(() => {
      bumpVersion(layer.weight);
      const w = layer.weight.data as { [i: number]: number };
      const mv = m.data;
      for (let i = 0; i < mv.length; i++) if (mv[i] === 0) w[i] = 0;
    });
  }
}

/**
 * Gives every Linear and Conv2d of a model an all-ones mask if it has none, so that a pruned state
 * dict (with its `weight_mask` keys) loads into a freshly built model.
 * @example addMasks(model); model.loadStateDict(loadFile('pruned.safetensors')); // masks restored
 */
export function addMasks(model: Module<any, any>, ...extra: never[]): void {
  checkRest('addMasks', extra, 1, 'addMasks(model)');
  checkModule('addMasks', model);
  for (const [, layer] of prunableLayers(model)) {
    if (!maskOf(layer)) MaskHost.register(layer, MASK_NAME, ones(layer.weight.shape, { dtype: layer.weight.dtype as 'float32' }));
  }
}

/** Loads a state dict that may carry pruning masks: masks are added first where the state has them. */
export function loadPrunedState(model: Module<any, any>, state: StateDict, ...extra: never[]): void {
  checkRest('loadPrunedState', extra, 2, 'loadPrunedState(model, state)');
  checkModule('loadPrunedState', model);
  if (state === null || typeof state !== 'object' || Object.values(state).some((t) => !(t instanceof Tensor)))
    throw new TypeError(`loadPrunedState: argument 2 (state) must be a state dict (tensors by name), got ${describe(state)}`);
  if (Object.keys(state).some((k) => k === MASK_NAME || k.endsWith(`.${MASK_NAME}`))) addMasks(model);
  model.loadStateDict(state);
  applyMasks(model);
}

export interface SparsityReport {
  /** Zero weights / all weights over the prunable layers. */
  sparsity: number;
  zeros: number;
  total: number;
  /** Per layer: its dotted name, zeros and size. */
  layers: { name: string; zeros: number; total: number }[];
}

/** How many of the Linear and Conv2d weights are zero. */
export function sparsity(model: Module<any, any>, ...extra: never[]): SparsityReport {
  checkRest('sparsity', extra, 1, 'sparsity(model)');
  checkModule('sparsity', model);
  const layers = prunableLayers(model).map(([name, layer]) => {
    const w = layer.weight.data;
    let z = 0;
    for (let i = 0; i < w.length; i++) if (w[i] === 0) z++;
    return { name, zeros: z, total: w.length };
  });
  const zeros = layers.reduce((s, l) => s + l.zeros, 0);
  const total = layers.reduce((s, l) => s + l.total, 0);
  return { sparsity: total ? zeros / total : 0, zeros, total, layers };
}

export interface MagnitudePruneOptions {
  /** Fraction in [0, 1) of all Linear and Conv2d weights, together, to set to zero. */
  sparsity: number;
}

/**
 * Global magnitude pruning: masks the fraction `sparsity` of the smallest |w| over all Linear and
 * Conv2d weights (ties at the threshold are pruned in order, so the count is exact), zeroes them,
 * and keeps the masks as `weight_mask` buffers. Earlier masks are kept (pruned weights are zero).
 * @example globalMagnitudePrune(model, { sparsity: 0.9 }); // 90% of the weights are now 0
 */
export function globalMagnitudePrune(model: Module<any, any>, opts: MagnitudePruneOptions, ...extra: never[]): SparsityReport {
  const fn = 'globalMagnitudePrune';
  checkRest(fn, extra, 2, 'globalMagnitudePrune(model, { sparsity })');
  checkModule(fn, model);
  const o = checkOptions(fn, 2, opts, { sparsity: 'number' });
  if (!(o.sparsity >= 0 && o.sparsity < 1)) throw new Error(`${fn}: sparsity must be a number in [0, 1), got ${describe(o.sparsity)}`);
  const layers = prunableLayers(model);
  if (layers.length === 0) throw new Error(`${fn}: the model has no Linear or Conv2d layer to prune`);
  addMasks(model);
  applyMasks(model);
  // Rank every weight by |w| (the pruned ones are 0, so they come first) and prune the first k.
  const total = layers.reduce((s, [, l]) => s + l.weight.numel(), 0);
  const mags = new Float64Array(total);
  let at = 0;
  for (const [, l] of layers) for (const v of l.weight.data) mags[at++] = Math.abs(v);
  const k = Math.round(o.sparsity * total);
  const order = Array.from({ length: total }, (_, i) => i).sort((a, b) => mags[a]! - mags[b]! || a - b);
  const pruned = new Uint8Array(total);
  for (let i = 0; i < k; i++) pruned[order[i]!] = 1;
  at = 0;
  noGrad(() => {
    for (const [, l] of layers) {
      const m = maskOf(l)!;
      bumpVersion(m);
      const mv = m.data as { [i: number]: number };
      for (let i = 0; i < l.weight.numel(); i++) mv[i] = mv[i] === 0 || pruned[at + i] ? 0 : 1;
      at += l.weight.numel();
    }
  });
  applyMasks(model);
  return sparsity(model);
}

export interface ChannelPruneOptions {
  /** Fraction in [0, 1) of the channels (rows) of every hidden Conv2d and Linear to remove. */
  amount: number;
}

/** The L1 norm of each output channel (row) of a weight [out, ...]. */
export function channelNorms(weight: Tensor, ...extra: never[]): Float64Array {
  checkRest('channelNorms', extra, 1, 'channelNorms(weight)');
  if (!(weight instanceof Tensor) || weight.ndim < 2)
    throw new TypeError(`channelNorms: argument 1 (weight) must be a tensor [out, ...], got ${describe(weight)}`);
  const out = weight.shape[0]!;
  const w = weight.data;
  const per = w.length / out;
  const norms = new Float64Array(out);
  for (let o = 0; o < out; o++) for (let i = o * per; i < (o + 1) * per; i++) norms[o]! += Math.abs(w[i]!);
  return norms;
}

/** The channels to keep: the `keep` largest L1 norms, in their original order. */
function keptChannels(weight: Tensor, amount: number): number[] {
  const norms = channelNorms(weight);
  const keep = Math.max(1, Math.round((1 - amount) * norms.length));
  const order = Array.from(norms.keys()).sort((a, b) => norms[b]! - norms[a]! || a - b);
  return order.slice(0, keep).sort((a, b) => a - b);
}

/** Copies selected output rows and input columns (in blocks of `block`) of src into dst. */
function copyRowsCols(src: Tensor, dst: Tensor, rows: number[], cols: number[], inner: number): void {
  const s = src.data;
  const d = dst.data as { [i: number]: number };
  const inSrc = src.numel() / src.shape[0]! / inner;
  let at = 0;
  for (const r of rows) for (const c of cols) for (let k = 0; k < inner; k++) d[at++] = s[(r * inSrc + c) * inner + k]!;
}

function pick(src: Tensor | null, idx: number[], dst: Tensor | null): void {
  if (!src || !dst) return;
  const s = src.data;
  const d = dst.data as { [i: number]: number };
  idx.forEach((c, i) => (d[i] = s[c]!));
}

/** The column indices that input channels `chans` occupy after a Flatten of [C, H, W] (C * hw columns). */
function flattenedColumns(chans: number[], hw: number): number[] {
  return chans.flatMap((c) => Array.from({ length: hw }, (_, k) => c * hw + k));
}

/**
 * The channels `channelPrune` keeps in each hidden Conv2d and Linear of a Sequential, by index of
 * the layer in the Sequential (L1 norm ranking, `amount` removed, at least one kept).
 */
export function channelPlan(model: Sequential, opts: ChannelPruneOptions, ...extra: never[]): Map<number, number[]> {
  checkRest('channelPlan', extra, 2, 'channelPlan(model, { amount })');
  return planChannels('channelPlan', model, opts);
}

/** channelPlan's work, its errors naming the public function `fn` that was called. */
function planChannels(fn: string, model: Sequential, opts: ChannelPruneOptions): Map<number, number[]> {
  if (!(model instanceof Sequential)) throw new TypeError(`${fn}: argument 1 (model) must be an nn.Sequential, got ${describe(model)}`);
  const o = checkOptions(fn, 2, opts, { amount: 'number' });
  if (!(o.amount >= 0 && o.amount < 1)) throw new Error(`${fn}: amount must be a number in [0, 1), got ${describe(o.amount)}`);
  const layers = [...model];
  const weighted = layers.map((m, i) => (m instanceof Conv2d || m instanceof Linear ? i : -1)).filter((i) => i >= 0);
  const plan = new Map<number, number[]>();
  // Every weighted layer but the last (the classes) loses channels.
  for (const i of weighted.slice(0, -1)) {
    const m = layers[i] as Prunable;
    if (m instanceof Conv2d && m.groups !== 1)
      throw new Error(`${fn}: layer ${i} is a grouped Conv2d (groups ${m.groups}); only groups = 1 is supported`);
    plan.set(i, keptChannels(m.weight, o.amount));
  }
  return plan;
}

/**
 * Structured pruning: a new, smaller dense Sequential without the channels of lowest L1 norm in
 * each hidden Conv2d / Linear (the last layer keeps every output). Between two weighted layers
 * only BatchNorm2d (sliced alongside), Flatten and elementwise layers (ReLU, pooling, dropout...)
 * may stand. The model given is left unchanged; the result is in the model's train/eval mode.
 * @example const small = channelPrune(cnn, { amount: 0.5 }); // half the channels, about a quarter of the conv work
 */
export function channelPrune(model: Sequential, opts: ChannelPruneOptions, ...extra: never[]): Sequential {
  const fn = 'channelPrune';
  checkRest(fn, extra, 2, 'channelPrune(model, { amount })');
  const plan = planChannels(fn, model, opts);
  const layers = [...model];
  const out: Module<any, any>[] = [];
  // The input channels the next weighted layer keeps (null: all), and the H x W of a Flatten since.
  let inKept: number[] | null = null;
  let inCount = 0;
  let flattened = false;
  noGrad(() => {
    layers.forEach((m, i) => {
      const rows = plan.get(i) ?? null;
      if (m instanceof Conv2d) {
        if (flattened) throw new Error(`${fn}: layer ${i} is a Conv2d after a Flatten`);
        const cols = inKept ?? Array.from({ length: m.inChannels }, (_, c) => c);
        const keepRows = rows ?? Array.from({ length: m.outChannels }, (_, c) => c);
        const c = new Conv2d(cols.length, keepRows.length, m.kernelSize, {
          stride: m.stride,
          padding: m.padding,
          dilation: m.dilation,
          bias: m.bias !== null,
          dtype: m.weight.dtype as 'float32' | 'float64',
        });
        copyRowsCols(m.weight, c.weight, keepRows, cols, m.kernelSize[0] * m.kernelSize[1]);
        pick(m.bias, keepRows, c.bias);
        out.push(c);
        inKept = rows;
        inCount = m.outChannels;
      } else if (m instanceof Linear) {
        let cols = Array.from({ length: m.inFeatures }, (_, c) => c);
        if (inKept) {
          if (flattened) {
            if (m.inFeatures % inCount !== 0)
              throw new Error(`${fn}: layer ${i} (Linear ${m.inFeatures} inputs) does not follow a Flatten of ${inCount} channels`);
            cols = flattenedColumns(inKept, m.inFeatures / inCount);
          } else cols = inKept;
        }
        const keepRows = rows ?? Array.from({ length: m.outFeatures }, (_, c) => c);
        const l = new Linear(cols.length, keepRows.length, { bias: m.bias !== null, dtype: m.weight.dtype as 'float32' | 'float64' });
        copyRowsCols(m.weight, l.weight, keepRows, cols, 1);
        pick(m.bias, keepRows, l.bias);
        out.push(l);
        inKept = rows;
        inCount = m.outFeatures;
        flattened = false;
      } else if (m instanceof BatchNorm2d) {
        const keep = inKept ?? Array.from({ length: m.numFeatures }, (_, c) => c);
        const bn = new BatchNorm2d(keep.length, {
          eps: m.eps,
          ...(m.momentum !== null ? { momentum: m.momentum } : {}),
          affine: m.weight !== null,
          trackRunningStats: m.runningMean !== null,
        });
        pick(m.weight, keep, bn.weight);
        pick(m.bias, keep, bn.bias);
        pick(m.runningMean, keep, bn.runningMean);
        pick(m.runningVar, keep, bn.runningVar);
        if (m.numBatchesTracked && bn.numBatchesTracked)
          (bn.numBatchesTracked.data as { [i: number]: number })[0] = m.numBatchesTracked.item();
        out.push(bn);
      } else if (m instanceof Flatten) {
        flattened = true;
        out.push(new Flatten());
      } else if (m.parameters().length === 0 && [...m.namedBuffers()].length === 0) {
        out.push(m); // ReLU, pooling, dropout: no state, shared as is
      } else {
        throw new Error(`${fn}: layer ${i} (${m.constructor.name}) has weights that channelPrune does not know how to slice`);
      }
    });
  });
  const pruned = new Sequential(...out);
  return pruned.train(model.training);
}

/**
 * Zeroes, in place, the channels `channelPrune` would remove (weights, bias, and the following
 * BatchNorm2d's weight and bias): the masked twin whose outputs the pruned model reproduces.
 */
export function zeroPrunedChannels(model: Sequential, opts: ChannelPruneOptions, ...extra: never[]): void {
  checkRest('zeroPrunedChannels', extra, 2, 'zeroPrunedChannels(model, { amount })');
  const plan = planChannels('zeroPrunedChannels', model, opts);
  const layers = [...model];
  noGrad(() => {
    let dropped: Set<number> | null = null;
    layers.forEach((m, i) => {
      if (m instanceof Conv2d || m instanceof Linear) {
        const keep = plan.get(i);
        dropped = null;
        if (!keep) return;
        const out = m.weight.shape[0]!;
        dropped = new Set(Array.from({ length: out }, (_, c) => c).filter((c) => !keep.includes(c)));
        const w = m.weight.data as { [j: number]: number };
        const per = m.weight.numel() / out;
        for (const c of dropped) for (let j = c * per; j < (c + 1) * per; j++) w[j] = 0;
        if (m.bias) for (const c of dropped) (m.bias.data as { [j: number]: number })[c] = 0;
        bumpVersion(m.weight);
      } else if (m instanceof BatchNorm2d && dropped) {
        for (const c of dropped) {
          if (m.weight) (m.weight.data as { [j: number]: number })[c] = 0;
          if (m.bias) (m.bias.data as { [j: number]: number })[c] = 0;
        }
      }
    });
  });
}

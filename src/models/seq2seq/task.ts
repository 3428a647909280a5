/**
 * Batches, training task, evaluation and generation of the encoder-decoder (model.ts) for the one
 * loop (src/train). Any token ids work (characters here, subwords for translation): a batch pads
 * the sources at the end with `pad`, and the targets become the decoder inputs <bos> y_1 .. y_n and
 * the outputs y_1 .. y_n <eos>, padded with `pad`, which the loss ignores.
 *
 * Loss: the mean cross entropy per target token (<eos> included), -1/N Σ log p(y^t | y^{<t}, x).
 * Held-out metrics per epoch: the loss, the token accuracy under teacher forcing, and the exact
 * match of greedy decoding (the whole generated sequence equals the target).
 */
import { Tensor } from '../../tensor/tensor.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { Generator } from '../../tensor/random.js';
import { crossEntropy, reshape, argmax, mul } from '../../ops/index.js';
import { Adam } from '../../optim/adam.js';
import { CosineAnnealingLR } from '../../optim/lr-scheduler.js';
import { MapDataset } from '../../data/dataset.js';
import { DataLoader, type DataLoaderState } from '../../data/dataloader.js';
import type { TrainTask, TrainerOptions } from '../../train/trainer.js';
import { BatchStream } from '../../train/stream.js';
import { optimizeStep } from '../../train/step.js';
import { rejectUnknownKeys } from '../../train/options.js';
import { checkOptions, checkRest, describe } from '../../tensor/validate.js';
import { decode, type DecodeOptions } from '../decoding.js';
import type { Seq2Seq, SourceBatch } from './model.js';

/** One example as token ids, without specials. */
export interface IdPair {
  source: Int32Array;
  target: Int32Array;
}

/** The special ids of a vocabulary. */
export interface SpecialIds {
  pad: number;
  bos: number;
  eos: number;
}

/** A collated batch: the source batch, decoder inputs [T, B] and targets [T, B] (int32). */
export interface Seq2SeqBatch extends SourceBatch {
  input: Tensor;
  target: Tensor;
  /** Target tokens in the batch (<eos> included, padding not). */
  tokens: number;
}

const isIds = (v: unknown): v is Int32Array => v instanceof Int32Array;

function checkModel(fn: string, model: unknown): void {
  if (typeof (model as Seq2Seq | null)?.stepDecoder !== 'function' || typeof (model as Seq2Seq).startState !== 'function')
    throw new TypeError(`${fn}: argument 1 (model) must be a Seq2Seq, got ${describe(model)}`);
}

function checkPairs(fn: string, pairs: unknown, what = 'argument 2 (examples)'): asserts pairs is readonly IdPair[] {
  if (
    !Array.isArray(pairs) ||
    pairs.length === 0 ||
    !pairs.every((p: IdPair) => p && isIds(p.source) && p.source.length > 0 && isIds(p.target))
  )
    throw new TypeError(
      `${fn}: ${what} must be a non-empty list of { source, target } Int32Arrays (sources not empty), got ${describe(pairs)}`,
    );
}

function checkIds(fn: string, ids: unknown): asserts ids is SpecialIds {
  const o = checkOptions(fn, 3, ids as SpecialIds, { pad: 'nonNegativeInt', bos: 'nonNegativeInt', eos: 'nonNegativeInt' });
  if (o.pad === undefined || o.bos === undefined || o.eos === undefined)
    throw new TypeError(`${fn}: argument 3 needs the ids pad, bos and eos`);
}

/**
 * Pads a list of examples into one batch (see the module comment).
 * @example collateSeq2Seq([{ source: Int32Array.of(5, 6), target: Int32Array.of(7) }], { pad: 0, bos: 1, eos: 2 })
 */
export function collateSeq2Seq(pairs: readonly IdPair[], ids: SpecialIds, ...extra: never[]): Seq2SeqBatch {
  if (!Array.isArray(pairs) || pairs.length === 0 || !pairs.every((p: IdPair) => p && isIds(p.source) && isIds(p.target)))
    throw new TypeError(
      `collateSeq2Seq: argument 1 (pairs) must be a non-empty list of { source, target } Int32Arrays, got ${describe(pairs)}`,
    );
  const o = checkOptions('collateSeq2Seq', 2, ids, { pad: 'nonNegativeInt', bos: 'nonNegativeInt', eos: 'nonNegativeInt' });
  checkRest('collateSeq2Seq', extra, 2, 'collateSeq2Seq(pairs, { pad, bos, eos })');
  if (o.pad === undefined || o.bos === undefined || o.eos === undefined)
    throw new TypeError('collateSeq2Seq: ids pad, bos and eos are required');
  const B = pairs.length;
  for (const [i, p] of pairs.entries()) if (p.source.length === 0) throw new Error(`collateSeq2Seq: source ${i} is empty`);
  const S = Math.max(...pairs.map((p) => p.source.length));
  const T = Math.max(...pairs.map((p) => p.target.length)) + 1;
  const src = Tensor.empty([S, B], 'int32');
  const input = Tensor.empty([T, B], 'int32');
  const target = Tensor.empty([T, B], 'int32');
  src.storage.fill(o.pad);
  input.storage.fill(o.pad);
  target.storage.fill(o.pad);
  const lengths = new Int32Array(B);
  let tokens = 0;
  pairs.forEach((p: IdPair, b: number) => {
    lengths[b] = p.source.length;
    for (let s = 0; s < p.source.length; s++) src.storage[s * B + b] = p.source[s]!;
    input.storage[b] = o.bos;
    for (let t = 0; t < p.target.length; t++) {
      input.storage[(t + 1) * B + b] = p.target[t]!;
      target.storage[t * B + b] = p.target[t]!;
    }
    target.storage[p.target.length * B + b] = o.eos;
    tokens += p.target.length + 1;
  });
  return { src, lengths, input, target, tokens };
}

/** The source batch alone (for generation). */
function sourceBatch(sources: readonly Int32Array[], pad: number): SourceBatch {
  const B = sources.length;
  const S = Math.max(...sources.map((s) => s.length));
  const src = Tensor.empty([S, B], 'int32');
  src.storage.fill(pad);
  sources.forEach((x, b) => x.forEach((id, s) => (src.storage[s * B + b] = id)));
  return { src, lengths: Int32Array.from(sources, (s) => s.length) };
}

/** Indices 0..n-1 ordered by source length (stable). */
function byLength(sources: readonly Int32Array[]): number[] {
  return sources.map((_, i) => i).sort((a, b) => sources[a]!.length - sources[b]!.length || a - b);
}

/** Generation settings: the decode() options but for bos/eos (taken from `ids`). */
export type GenerateOptions = Omit<DecodeOptions, 'bos' | 'eos'> & { batchSize?: number };

/**
 * Generated target ids (<eos> left off) for each source, in batches, without gradients.
 * @example generateSeq2Seq(model, [vocab.encode('123+45')], { pad: 0, bos: 1, eos: 2 }, { maxLength: 5 })
 */
export function generateSeq2Seq(
  model: Seq2Seq,
  sources: readonly Int32Array[],
  ids: SpecialIds,
  opts: GenerateOptions,
  ...extra: never[]
): number[][] {
  checkModel('generateSeq2Seq', model);
  if (!Array.isArray(sources) || !sources.every((s: unknown) => isIds(s) && s.length > 0))
    throw new TypeError(`generateSeq2Seq: argument 2 (sources) must be a list of non-empty Int32Arrays, got ${describe(sources)}`);
  checkIds('generateSeq2Seq', ids);
  if (opts === undefined || typeof opts !== 'object')
    throw new TypeError(`generateSeq2Seq: argument 4 (opts) must be an options object { maxLength, ... }, got ${describe(opts)}`);
  checkRest('generateSeq2Seq', extra, 4, 'generateSeq2Seq(model, sources, { pad, bos, eos }, { maxLength, method, ... })');
  const { batchSize = 256, ...dec } = opts;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new TypeError(`generateSeq2Seq: option 'batchSize' must be a positive integer, got ${describe(batchSize)}`);
  const wasTraining = model.training;
  model.eval();
  // Batches of sources sorted by length: little padding, and mostly the encoder's fused path.
  const order = byLength(sources);
  const out: number[][] = new Array<number[]>(sources.length);
  try {
    noGrad(() => {
      for (let i = 0; i < order.length; i += batchSize) {
        const rows = order.slice(i, i + batchSize);
        const part = rows.map((r) => sources[r]!);
        const state = model.startState(sourceBatch(part, ids.pad));
        const got = decode(model.stepDecoder(), state, part.length, { ...dec, bos: ids.bos, eos: ids.eos });
        rows.forEach((r, k) => (out[r] = got[k]!));
      }
    });
  } finally {
    model.train(wasTraining);
  }
  return out;
}

/** Sums over a split: loss (nats), tokens, tokens right under teacher forcing, exact matches of greedy decoding. */
export function evaluateSeq2Seq(
  model: Seq2Seq,
  examples: readonly IdPair[],
  ids: SpecialIds,
  batchSize = 256,
  ...extra: never[]
): { loss: number; tokenAccuracy: number; exactMatch: number; examples: number } {
  checkModel('evaluateSeq2Seq', model);
  checkPairs('evaluateSeq2Seq', examples);
  checkIds('evaluateSeq2Seq', ids);
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new TypeError(`evaluateSeq2Seq: argument 4 (batchSize) must be a positive integer, got ${describe(batchSize)}`);
  checkRest('evaluateSeq2Seq', extra, 4, 'evaluateSeq2Seq(model, examples, { pad, bos, eos }, batchSize)');
  const wasTraining = model.training;
  model.eval();
  let nll = 0;
  let tokens = 0;
  let right = 0;
  noGrad(() => {
    const order = byLength(examples.map((e) => e.source));
    for (let i = 0; i < order.length; i += batchSize) {
      const b = collateSeq2Seq(
        order.slice(i, i + batchSize).map((r) => examples[r]!),
        ids,
      );
      const { logits } = model.forward(b, b.input);
      const V = logits.shape[2]!;
      const flat = reshape(logits, [-1, V]);
      const tgt = reshape(b.target, [-1]);
      nll += crossEntropy(flat, tgt, { ignoreIndex: ids.pad, reduction: 'sum' }).item();
      const pred = argmax(flat, 1).contiguous().data;
      const t = tgt.contiguous().data as Int32Array;
      for (let k = 0; k < t.length; k++) if (t[k] !== ids.pad && pred[k] === t[k]) right++;
      tokens += b.tokens;
    }
  });
  model.train(wasTraining);
  const maxLength = Math.max(...examples.map((e) => e.target.length)) + 1;
  const gen = generateSeq2Seq(
    model,
    examples.map((e) => e.source),
    ids,
    { maxLength, batchSize },
  );
  let exact = 0;
  gen.forEach((g, k) => {
    const t = examples[k]!.target;
    if (g.length === t.length && g.every((v, j) => v === t[j])) exact++;
  });
  return { loss: nll / tokens, tokenAccuracy: right / tokens, exactMatch: exact / examples.length, examples: examples.length };
}

export interface Seq2SeqTrainOptions {
  epochs: number;
  batchSize: number;
  /** Adam learning rate (default 1e-3). */
  lr?: number;
  /** Gradient-norm clipping threshold (default 5; 0: none). */
  clip?: number;
  /** Seed of the batch order (default 0). */
  seed?: number;
  /** Steps per epoch at most (default 0: all). */
  maxBatches?: number;
  /** Held-out examples evaluated per epoch (default 0: all). */
  evalLimit?: number;
  /** Stop once the held-out exact match reaches this (default 0: never). */
  target?: number;
  /**
   * Batches of sources of one length (default false): the examples are grouped by source length
   * once (seeded), cut into batches, and the batches shuffled every epoch. No padding is then
   * computed, and the encoder runs its fused whole-sequence LSTM (a padded batch needs the
   * per-step path that stops each sequence at its length).
   */
  bucketByLength?: boolean;
  /**
   * The learning rate over the run: 'constant' (default) or 'cosine', lr_e = lr (1 + cos(π e / epochs)) / 2
   * after epoch e, which lets the last epochs settle (Adam at a constant rate keeps jumping).
   */
  schedule?: 'constant' | 'cosine';
}
const TRAIN_KEYS = ['epochs', 'batchSize', 'lr', 'clip', 'seed', 'maxBatches', 'evalLimit', 'target', 'bucketByLength', 'schedule'];

/** The training examples' indices cut into batches of equal source length (see bucketByLength). */
export function lengthBuckets(examples: readonly IdPair[], batchSize: number, seed: number): number[][] {
  const byLength = new Map<number, number[]>();
  examples.forEach((e, i) => {
    const l = e.source.length;
    if (!byLength.has(l)) byLength.set(l, []);
    byLength.get(l)!.push(i);
  });
  const gen = new Generator(seed);
  const out: number[][] = [];
  for (const l of [...byLength.keys()].sort((a, b) => a - b)) {
    const idx = byLength.get(l)!;
    for (let i = idx.length - 1; i > 0; i--) {
      const j = gen.int(0, i + 1);
      [idx[i], idx[j]] = [idx[j]!, idx[i]!];
    }
    for (let i = 0; i < idx.length; i += batchSize) out.push(idx.slice(i, i + batchSize));
  }
  return out;
}

/** The training task (see the module comment); `valid` is the held-out split. */
export function seq2seqTask(
  model: Seq2Seq,
  data: { train: readonly IdPair[]; valid: readonly IdPair[] },
  ids: SpecialIds,
  o: Seq2SeqTrainOptions,
  ...extra: never[]
): { task: TrainTask; trainer: Omit<TrainerOptions, 'callbacks' | 'info'> } {
  checkModel('seq2seqTask', model);
  if (typeof data !== 'object' || data === null)
    throw new TypeError(`seq2seqTask: argument 2 (data) must be { train, valid }, got ${describe(data)}`);
  checkPairs('seq2seqTask', data.train, 'argument 2 (data.train)');
  checkPairs('seq2seqTask', data.valid, 'argument 2 (data.valid)');
  checkIds('seq2seqTask', ids);
  if (typeof o !== 'object' || o === null)
    throw new TypeError(`seq2seqTask: argument 4 must be an options object { epochs, batchSize, ... }, got ${describe(o)}`);
  rejectUnknownKeys('seq2seqTask', o, TRAIN_KEYS);
  checkRest('seq2seqTask', extra, 4, 'seq2seqTask(model, { train, valid }, { pad, bos, eos }, { epochs, batchSize, ... })');
  if (o.schedule !== undefined && o.schedule !== 'constant' && o.schedule !== 'cosine')
    throw new TypeError(`seq2seqTask: option 'schedule' must be 'constant' or 'cosine', got ${describe(o.schedule)}`);
  for (const k of ['epochs', 'batchSize'] as const)
    if (!Number.isInteger(o[k]) || o[k] < 1)
      throw new TypeError(`seq2seqTask: option '${k}' must be a positive integer, got ${describe(o[k])}`);
  const opt = new Adam(model.parameters(), { lr: o.lr ?? 1e-3 });
  const clip = o.clip ?? 5;
  // Without buckets: batches of shuffled examples. With buckets: shuffled batches of one source length each.
  const buckets = o.bucketByLength ? lengthBuckets(data.train, o.batchSize, o.seed ?? 0) : null;
  const loader = buckets
    ? new DataLoader<number[], number[]>(new MapDataset(buckets.length, (i) => buckets[i]!), {
        batchSize: 1,
        shuffle: true,
        seed: o.seed ?? 0,
        collate: (b) => b[0]!,
      })
    : new DataLoader<number, number[]>(new MapDataset(data.train.length, (i) => i), {
        batchSize: o.batchSize,
        shuffle: true,
        seed: o.seed ?? 0,
        collate: (idx) => idx,
      });
  const batches = new BatchStream(loader);
  const perEpoch = o.maxBatches ? Math.min(o.maxBatches, loader.length) : loader.length;
  const valid = o.evalLimit ? data.valid.slice(0, o.evalLimit) : data.valid;
  const task: TrainTask = {
    modules: { model },
    optimizers: { adam: opt },
    ...(o.schedule === 'cosine' ? { schedulers: { cosine: new CosineAnnealingLR(opt, o.epochs) } } : {}),
    stepsPerEpoch: perEpoch,
    trainStep: () => {
      model.train();
      const b = collateSeq2Seq(
        batches.next().map((i) => data.train[i]!),
        ids,
      );
      const { logits } = model.forward(b, b.input);
      // -1/N Σ_t log p(y^t | y^{<t}, x), padding ignored
      const nll = crossEntropy(reshape(logits, [-1, logits.shape[2]!]), reshape(b.target, [-1]), {
        ignoreIndex: ids.pad,
        reduction: 'sum',
      });
      const loss = optimizeStep(opt, mul(nll, 1 / b.tokens), clip > 0 ? { clip } : {});
      return { loss, examples: b.tokens };
    },
    evaluate: () => {
      const r = evaluateSeq2Seq(model, valid, ids);
      return { validLoss: r.loss, validTokenAccuracy: r.tokenAccuracy, validExactMatch: r.exactMatch };
    },
    saveState: () => ({ json: { batches: batches.state() } }),
    loadState: (s) => {
      batches.load((s.json as { batches: DataLoaderState }).batches);
    },
  };
  return {
    task,
    trainer: {
      epochs: o.epochs,
      monitor: 'validExactMatch',
      mode: 'max',
      logEvery: Math.max(1, Math.min(50, Math.floor(perEpoch / 10))),
      ...(o.target ? { earlyStopping: { target: o.target } } : {}),
    },
  };
}

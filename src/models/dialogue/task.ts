/**
 * The training task of the dialogue models for the one loop (src/train): Adam on the per-token
 * negative ELBO (cross entropy for seq2seq and HRED, plus β·KL for VHRED, β annealed linearly
 * from 0 to 1 over klAnneal steps), gradient-norm clipping, validation after every epoch with
 * the best model kept, and at the end the best model's test perplexity, KL, and the diversity
 * (distinct-1/2) of responses generated for the test contexts.
 *
 * Perplexity is exp(nats per response token). For VHRED the nats are the negative ELBO
 * (reconstruction + KL, one posterior sample with a fixed generator), an upper bound on
 * -log p(w_n | w_<n), as Serban et al. (2017) report it; its reconstruction part alone is
 * `...NllPpl`.
 */
import { Tensor } from '../../tensor/tensor.js';
import { Generator } from '../../tensor/random.js';
import { noGrad } from '../../autograd/grad-mode.js';
import type { StateDict } from '../../nn/module.js';
import { crossEntropy, add, mul, sum, clamp } from '../../ops/index.js';
import { Adam } from '../../optim/adam.js';
import { MapDataset } from '../../data/dataset.js';
import { DataLoader, type DataLoaderState } from '../../data/dataloader.js';
import { distinctN } from '../../metrics/distinct.js';
import type { TrainTask, TrainerOptions } from '../../train/trainer.js';
import { BatchStream } from '../../train/stream.js';
import { optimizeStep } from '../../train/step.js';
import { rejectUnknownKeys } from '../../train/options.js';
import { decode, type DecodeOptions } from '../decoding.js';
import { collateDialogue, type EncodedExample } from './batch.js';
import type { DialogueModel } from './models.js';

export interface DialogueTrainOptions {
  epochs: number;
  batchSize: number;
  /** Adam learning rate (default 1e-3). */
  lr?: number;
  /** Gradient-norm clipping threshold (default 1; 0: none). */
  clip?: number;
  /** VHRED: steps over which the KL weight β rises linearly from 0 to 1 (default 2000; 0: β = 1). */
  klAnneal?: number;
  /**
   * VHRED: free bits (Kingma et al. 2016, batch form): the KL term is B·max(λ, mean_b KL_b), so
   * the optimiser gains nothing from pushing the KL per response below λ nats (default 0: off).
   */
  freeBits?: number;
  /** Seed of the batch order (default 0). */
  seed?: number;
  /** Steps per epoch at most (default 0: all; quick runs and tests). */
  maxBatches?: number;
  /** Batch size of evaluation and generation (default 64). */
  evalBatchSize?: number;
  /** Generated response length at most (default 30). */
  genLength?: number;
  /** Test contexts answered for distinct-n (default 0: all). */
  genContexts?: number;
  /** The end token (the vocabulary's <eos>, also the start symbol). */
  eos: number;
  /** Token ids never generated (e.g. <unk>). */
  exclude?: readonly number[];
}
const KEYS = [
  'epochs',
  'batchSize',
  'lr',
  'clip',
  'klAnneal',
  'freeBits',
  'seed',
  'maxBatches',
  'evalBatchSize',
  'genLength',
  'genContexts',
  'eos',
  'exclude',
];

export interface DialogueSplits {
  train: EncodedExample[];
  valid: EncodedExample[];
  test: EncodedExample[];
}

/** Sums over a split: response tokens, their cross entropy, the KL (VHRED). */
export function evaluateDialogue(
  model: DialogueModel,
  examples: readonly EncodedExample[],
  eos: number,
  batchSize: number,
  seed = 0,
): { nll: number; kl: number; tokens: number; examples: number } {
  const wasTraining = model.training;
  model.eval();
  // One posterior sample per response from a fixed generator: the same ELBO every time.
  model.evalGenerator = new Generator(seed);
  let nll = 0;
  let kl = 0;
  let tokens = 0;
  noGrad(() => {
    for (let i = 0; i < examples.length; i += batchSize) {
      const batch = collateDialogue(examples.slice(i, i + batchSize), eos);
      const out = model.forward(batch);
      nll += crossEntropy(out.logits, batch.targetPacked, { reduction: 'sum' }).item();
      if (out.kl) kl += sum(out.kl).item();
      tokens += batch.tokens;
    }
  });
  model.evalGenerator = null;
  model.train(wasTraining);
  return { nll, kl, tokens, examples: examples.length };
}

/** Generated responses (token ids, <eos> left off) for the contexts of `examples`, batch by batch. */
export function generateResponses(
  model: DialogueModel,
  examples: readonly EncodedExample[],
  o: { eos: number; batchSize: number; seed: number; decode: Omit<DecodeOptions, 'bos' | 'eos' | 'generator' | 'seed'> },
): number[][] {
  const wasTraining = model.training;
  model.eval();
  const gen = new Generator(o.seed);
  const out: number[][] = [];
  noGrad(() => {
    for (let i = 0; i < examples.length; i += o.batchSize) {
      const part = examples.slice(i, i + o.batchSize);
      const batch = collateDialogue(part, o.eos);
      const state = model.startState(batch, gen);
      out.push(...decode(model.stepDecoder(), state, part.length, { ...o.decode, bos: o.eos, eos: o.eos, generator: gen }));
    }
  });
  model.train(wasTraining);
  return out;
}

function copyState(sd: StateDict): StateDict {
  const out: StateDict = {};
  for (const [k, t] of Object.entries(sd)) {
    const c = Tensor.empty(t.shape, t.dtype);
    c.storage.set(t.data as never);
    out[k] = c;
  }
  return out;
}

/** The task (see the module comment); the model's wordDropRate and unk are set by the caller. */
export function dialogueTask(
  model: DialogueModel,
  data: DialogueSplits,
  o: DialogueTrainOptions,
): { task: TrainTask; trainer: Omit<TrainerOptions, 'callbacks' | 'info'> } {
  rejectUnknownKeys('dialogueTask', o, KEYS);
  const lr = o.lr ?? 1e-3;
  const clip = o.clip ?? 1;
  const anneal = o.klAnneal ?? 2000;
  const freeBits = o.freeBits ?? 0;
  const evalB = o.evalBatchSize ?? 64;
  if (data.train.length === 0) throw new Error('dialogueTask: no training examples');
  const opt = new Adam(model.parameters(), { lr });
  const loader = new DataLoader<number, number[]>(new MapDataset(data.train.length, (i) => i), {
    batchSize: o.batchSize,
    shuffle: true,
    seed: o.seed ?? 0,
    collate: (idx) => idx,
  });
  const batches = new BatchStream(loader);
  const perEpoch = o.maxBatches ? Math.min(o.maxBatches, loader.length) : loader.length;
  let best: StateDict | null = null;
  let bestLoss = Infinity;
  const metricsOf = (prefix: string, r: ReturnType<typeof evaluateDialogue>): Record<string, number> => ({
    [`${prefix}Loss`]: (r.nll + r.kl) / r.tokens,
    [`${prefix}Ppl`]: Math.exp((r.nll + r.kl) / r.tokens),
    [`${prefix}NllPpl`]: Math.exp(r.nll / r.tokens),
    [`${prefix}Kl`]: r.kl / r.examples,
  });
  const task: TrainTask = {
    modules: { model },
    optimizers: { adam: opt },
    stepsPerEpoch: perEpoch,
    trainStep: ({ step }) => {
      model.train();
      const batch = collateDialogue(
        batches.next().map((i) => data.train[i]!),
        o.eos,
      );
      const out = model.forward(batch);
      const nll = crossEntropy(out.logits, batch.targetPacked, { reduction: 'sum' });
      // per token: (Σ -log p(w_{n,m} | ...) + β Σ_n KL(q || p)) / tokens, β = min(1, step / klAnneal)
      const beta = anneal > 0 ? Math.min(1, step / anneal) : 1;
      let total = nll;
      let klSum = 0;
      if (out.kl) {
        const kl = sum(out.kl);
        klSum = kl.item();
        // free bits: B·max(λ, mean KL); below λ the KL term has no gradient
        const klTerm = freeBits > 0 ? mul(clamp(mul(kl, 1 / batch.size), freeBits), batch.size) : kl;
        total = add(nll, mul(klTerm, beta));
      }
      const loss = optimizeStep(opt, mul(total, 1 / batch.tokens), { clip });
      return { loss, examples: batch.tokens, totals: { nll: nll.item(), kl: klSum } };
    },
    evaluate: () => {
      const m = metricsOf('valid', evaluateDialogue(model, data.valid, o.eos, evalB));
      if (m['validLoss']! < bestLoss) {
        bestLoss = m['validLoss']!;
        best = copyState(model.stateDict());
      }
      return m;
    },
    finish: () => {
      if (best) model.loadStateDict(best);
      const m = metricsOf('test', evaluateDialogue(model, data.test, o.eos, evalB));
      const contexts = o.genContexts ? data.test.slice(0, o.genContexts) : data.test;
      const common = { maxLength: o.genLength ?? 30, exclude: o.exclude ?? [] };
      const greedy = generateResponses(model, contexts, { eos: o.eos, batchSize: evalB, seed: 1, decode: { ...common, method: 'greedy' } });
      const sampled = generateResponses(model, contexts, {
        eos: o.eos,
        batchSize: evalB,
        seed: 2,
        decode: { ...common, method: 'sample', temperature: 1 },
      });
      const meanLen = (r: number[][]): number => r.reduce((s, x) => s + x.length, 0) / Math.max(1, r.length);
      return {
        bestValidLoss: bestLoss,
        ...m,
        distinct1Greedy: distinctN(greedy, 1),
        distinct2Greedy: distinctN(greedy, 2),
        distinct1Sample: distinctN(sampled, 1),
        distinct2Sample: distinctN(sampled, 2),
        meanLengthGreedy: meanLen(greedy),
        meanLengthSample: meanLen(sampled),
      };
    },
    saveState: () => {
      const tensors: Record<string, Tensor> = {};
      for (const [k, t] of Object.entries(best ?? {})) tensors[`best.${k}`] = t;
      return { tensors, json: { batches: batches.state(), bestLoss: Number.isFinite(bestLoss) ? bestLoss : null, hasBest: best !== null } };
    },
    loadState: (s) => {
      const j = s.json as { batches: DataLoaderState; bestLoss: number | null; hasBest: boolean };
      batches.load(j.batches);
      bestLoss = j.bestLoss ?? Infinity;
      best = null;
      if (j.hasBest) {
        best = {};
        for (const [k, v] of Object.entries(s.tensors ?? {})) if (k.startsWith('best.')) best[k.slice(5)] = v;
      }
    },
  };
  return { task, trainer: { epochs: o.epochs, monitor: 'validLoss', logEvery: Math.max(1, Math.min(50, Math.floor(perEpoch / 10))) } };
}

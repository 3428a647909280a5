/**
 * The training task of the translation models for the one loop (src/train): Adam on the per-token
 * cross entropy of the target (teacher forcing), an optional linear warm-up then inverse-square-root
 * decay of the learning rate (Vaswani et al. 2017, sec. 5.3, with the peak given directly),
 * gradient-norm clipping, and after every epoch the validation loss and the corpus BLEU of greedy
 * translations of the validation books (the best model by validation loss kept). At the end, the
 * best model's test loss and test BLEU with greedy decoding and with beam search.
 */
import { Tensor } from '../../tensor/tensor.js';
import { noGrad } from '../../autograd/grad-mode.js';
import type { StateDict } from '../../nn/module.js';
import { crossEntropy } from '../../ops/index.js';
import { Adam } from '../../optim/adam.js';
import { MapDataset } from '../../data/dataset.js';
import { DataLoader, type DataLoaderState } from '../../data/dataloader.js';
import type { BpeVocab } from '../../data/text/bpe.js';
import { corpusBleu } from '../../metrics/bleu.js';
import type { TrainTask, TrainerOptions } from '../../train/trainer.js';
import { BatchStream } from '../../train/stream.js';
import { optimizeStep } from '../../train/step.js';
import { decode } from '../decoding.js';
import { collateTranslation, lengthBatches, padColumns, type EncodedPair } from './batch.js';
import type { Translator } from './models.js';

export interface TranslateOptions {
  /** 'greedy' (default) or 'beam'. */
  method?: 'greedy' | 'beam';
  /** Beam width (default 4). */
  beamWidth?: number;
  /** Length penalty α of the beam's ((5 + |Y|) / 6)^α (default 0.6). */
  lengthPenalty?: number;
  /** Target tokens at most per sentence (default 2 × source length + 10, capped at maxLength). */
  maxLength?: number;
  /** Sources per batch (greedy; default 64). */
  batchSize?: number;
}

/** Translations (token ids, <eos> left off) of encoded sources. */
export function translateIds(model: Translator, vocab: BpeVocab, sources: readonly Int32Array[], o: TranslateOptions = {}): number[][] {
  const wasTraining = model.training;
  model.eval();
  const out: number[][] = [];
  const B = o.method === 'beam' ? 1 : (o.batchSize ?? 64);
  const cap = o.maxLength ?? 256;
  noGrad(() => {
    for (let i = 0; i < sources.length; i += B) {
      const chunk = sources.slice(i, i + B).map((s) => (s.length ? s : Int32Array.of(vocab.unk)));
      const { t, lengths } = padColumns(chunk, vocab.pad);
      const state = model.startState(t, lengths);
      const longest = Math.max(...chunk.map((s) => s.length));
      out.push(
        ...decode(model.stepDecoder(), state, chunk.length, {
          method: o.method ?? 'greedy',
          maxLength: Math.min(cap, 2 * longest + 10),
          bos: vocab.bos,
          eos: vocab.eos,
          exclude: [vocab.pad, vocab.bos, vocab.unk],
          beamWidth: o.beamWidth ?? 4,
          lengthPenalty: o.lengthPenalty ?? 0.6,
        }),
      );
    }
  });
  model.train(wasTraining);
  return out;
}

/** Corpus BLEU (sacrebleu's default) of the model's translations of `pairs` against their English. */
export function bleuOf(
  model: Translator,
  vocab: BpeVocab,
  encoded: readonly EncodedPair[],
  references: readonly string[],
  o: TranslateOptions = {},
): { bleu: number; hypotheses: string[] } {
  const hyps = translateIds(
    model,
    vocab,
    encoded.map((e) => e.src),
    o,
  ).map((ids) => vocab.decode(ids));
  return { bleu: corpusBleu(hyps, [references]).score, hypotheses: hyps };
}

/** Summed cross entropy and token count over a split. */
export function evaluateLoss(
  model: Translator,
  vocab: BpeVocab,
  pairs: readonly EncodedPair[],
  batchSize: number,
): { nll: number; tokens: number } {
  const wasTraining = model.training;
  model.eval();
  let nll = 0;
  let tokens = 0;
  noGrad(() => {
    for (const idx of lengthBatches(pairs, batchSize)) {
      const batch = collateTranslation(
        idx.map((i) => pairs[i]!),
        vocab,
      );
      nll += crossEntropy(model.forward(batch), batch.targetPacked, { reduction: 'sum' }).item();
      tokens += batch.tokens;
    }
  });
  model.train(wasTraining);
  return { nll, tokens };
}

export interface TranslationTrainOptions {
  epochs: number;
  batchSize: number;
  lr: number;
  /** Warm-up steps (0: a constant lr). Step s gets lr · min(s / w, sqrt(w / s)). */
  warmup: number;
  clip: number;
  seed: number;
  /** Steps per epoch at most (0: all). */
  maxBatches: number;
  /** Validation verses translated for BLEU after each epoch (0: all). */
  bleuVerses: number;
  /** Beam width of the final test BLEU (0: greedy only). */
  beam: number;
  /** Test verses translated with the beam (the first ones; 0: all). */
  beamVerses: number;
  lengthPenalty: number;
  /** Label smoothing of the cross entropy (0: none). */
  labelSmoothing: number;
}

export interface TranslationSplits {
  train: EncodedPair[];
  valid: EncodedPair[];
  test: EncodedPair[];
  /** The English of the valid and test pairs (BLEU references). */
  validRefs: string[];
  testRefs: string[];
}

function copyState(sd: StateDict): StateDict {
  const out: StateDict = {};
  for (const [k, t] of Object.entries(sd)) {
    const c = Tensor.empty(t.shape, t.dtype);
    c.storage.set(t.contiguous().storage.subarray(0, c.storage.length) as never);
    out[k] = c;
  }
  return out;
}

/** The run: the Trainer's task and settings (see the module comment). */
export function translationTask(
  model: Translator,
  vocab: BpeVocab,
  data: TranslationSplits,
  o: TranslationTrainOptions,
): { task: TrainTask; trainer: Omit<TrainerOptions, 'callbacks' | 'info'>; samples: () => string } {
  if (data.train.length === 0) throw new Error('translationTask: no training pairs');
  const opt = new Adam(model.parameters(), { lr: o.lr, beta1: 0.9, beta2: 0.98, eps: 1e-9 });
  const runs = lengthBatches(data.train, o.batchSize);
  const loader = new DataLoader<number, number[]>(new MapDataset(runs.length, (i) => i), {
    batchSize: 1,
    shuffle: true,
    seed: o.seed,
    collate: (idx) => idx,
  });
  const batches = new BatchStream(loader);
  const perEpoch = o.maxBatches ? Math.min(o.maxBatches, loader.length) : loader.length;
  const bleuN = o.bleuVerses ? Math.min(o.bleuVerses, data.valid.length) : data.valid.length;
  let best: StateDict | null = null;
  let bestLoss = Infinity;
  const lrAt = (step: number): number => (o.warmup > 0 ? o.lr * Math.min(step / o.warmup, Math.sqrt(o.warmup / Math.max(1, step))) : o.lr);
  const task: TrainTask = {
    modules: { model },
    optimizers: { adam: opt },
    stepsPerEpoch: perEpoch,
    trainStep: ({ step }) => {
      model.train();
      for (const g of opt.paramGroups) g.options['lr'] = lrAt(step + 1);
      const batch = collateTranslation(
        runs[batches.next()[0]!]!.map((i) => data.train[i]!),
        vocab,
      );
      const logits = model.forward(batch);
      const loss = crossEntropy(logits, batch.targetPacked, { labelSmoothing: o.labelSmoothing });
      return { loss: optimizeStep(opt, loss, { clip: o.clip }), examples: batch.tokens };
    },
    evaluate: () => {
      const v = evaluateLoss(model, vocab, data.valid, 64);
      const validLoss = v.nll / v.tokens;
      const { bleu } = bleuOf(model, vocab, data.valid.slice(0, bleuN), data.validRefs.slice(0, bleuN));
      if (validLoss < bestLoss) {
        bestLoss = validLoss;
        best = copyState(model.stateDict());
      }
      return { validLoss, validPpl: Math.exp(validLoss), validBleu: bleu };
    },
    finish: () => {
      if (best) model.loadStateDict(best);
      const t = evaluateLoss(model, vocab, data.test, 64);
      const greedy = bleuOf(model, vocab, data.test, data.testRefs);
      const out: Record<string, number> = {
        bestValidLoss: bestLoss,
        testLoss: t.nll / t.tokens,
        testPpl: Math.exp(t.nll / t.tokens),
        testBleuGreedy: greedy.bleu,
      };
      if (o.beam > 0) {
        // beam search runs one verse at a time: on the first beamVerses test verses, beside greedy on the same ones
        const n = o.beamVerses ? Math.min(o.beamVerses, data.test.length) : data.test.length;
        const enc = data.test.slice(0, n);
        const refs = data.testRefs.slice(0, n);
        out['testBleuBeam'] = bleuOf(model, vocab, enc, refs, { method: 'beam', beamWidth: o.beam, lengthPenalty: o.lengthPenalty }).bleu;
        out['testBleuGreedySameVerses'] = n === data.test.length ? greedy.bleu : corpusBleu(greedy.hypotheses.slice(0, n), [refs]).score;
        out['beamVerses'] = n;
      }
      return out;
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
  const samples = (): string => {
    const n = Math.min(12, data.test.length);
    const step = Math.max(1, Math.floor(data.test.length / n));
    const picks = Array.from({ length: n }, (_, i) => i * step);
    const enc = picks.map((i) => data.test[i]!);
    const refs = picks.map((i) => data.testRefs[i]!);
    const g = bleuOf(model, vocab, enc, refs).hypotheses;
    const b =
      o.beam > 0 ? bleuOf(model, vocab, enc, refs, { method: 'beam', beamWidth: o.beam, lengthPenalty: o.lengthPenalty }).hypotheses : [];
    return picks
      .map((_, j) => {
        const lines = [`[source]    ${vocab.decode(enc[j]!.src)}`, `[reference] ${refs[j]}`, `[greedy]    ${g[j]}`];
        if (b.length) lines.push(`[beam ${o.beam}]    ${b[j]}`);
        return lines.join('\n') + '\n';
      })
      .join('\n');
  };
  return {
    task,
    trainer: { epochs: o.epochs, monitor: 'validLoss', logEvery: Math.max(1, Math.min(50, Math.floor(perEpoch / 20))) },
    samples,
  };
}

/**
 * Recurrent language models (word or character level) and their training task, following
 * PyTorch's examples/word_language_model so the two can be compared like for like:
 * truncated BPTT over a batchified token stream with the hidden state carried across segments
 * (detached, so gradients stop at the segment boundary), gradient-norm clipping, plain SGD with
 * the learning rate divided by `lrDecay` whenever validation perplexity does not improve,
 * validation every epoch, and the best model kept.
 */
import { Tensor } from '../../tensor/tensor.js';
import { Generator, manualSeed } from '../../tensor/random.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { Module, type StateDict } from '../../nn/module.js';
import { Embedding, Dropout } from '../../nn/layers/basic.js';
import { Linear } from '../../nn/layers/linear.js';
import { LSTM, GRU, RNN, type LSTMState } from '../../nn/layers/recurrent.js';
import { uniform_, zeros_ } from '../../nn/init.js';
import { reshape } from '../../ops/shape/reshape.js';
import { narrow } from '../../ops/shape/narrow.js';
import { crossEntropy } from '../../ops/loss/crossEntropy.js';
import { SGD } from '../../optim/sgd.js';
import { Adam } from '../../optim/adam.js';
import { ReduceLROnPlateau } from '../../optim/lr-scheduler.js';
import { Trainer, type EpochRecord, type TrainTask, type TrainerOptions } from '../../train/trainer.js';
import { optimizeStep } from '../../train/step.js';
import { rejectUnknownKeys } from '../../train/options.js';
import { sampleToken } from '../decoding.js';

export type CellType = 'lstm' | 'gru' | 'rnn_tanh';

export interface LanguageModelOptions {
  vocabSize: number;
  embedSize: number;
  hiddenSize: number;
  numLayers?: number;
  /** Dropout on the embeddings, between layers and before the decoder (default 0.2). */
  dropout?: number;
  cell?: CellType;
}

/** A recurrent state: LSTM {h, c} or the hidden tensor of an RNN/GRU. */
export type RecurrentState = LSTMState | Tensor;

/**
 * encoder (embedding) -> dropout -> recurrent layers -> dropout -> decoder (linear to vocab logits).
 * Names match PyTorch's word_language_model RNNModel (encoder, rnn, decoder), so state dicts
 * move between the two. Init as there: encoder and decoder weights U(-0.1, 0.1), decoder bias 0.
 */
export class RNNLanguageModel extends Module<[Tensor, (RecurrentState | null)?], { logits: Tensor; state: RecurrentState }> {
  readonly encoder: Embedding;
  readonly rnn: LSTM | GRU | RNN;
  readonly decoder: Linear;
  readonly drop: Dropout;
  readonly cell: CellType;

  constructor(readonly opts: LanguageModelOptions) {
    super();
    const p = opts.dropout ?? 0.2;
    const L = opts.numLayers ?? 2;
    this.cell = opts.cell ?? 'lstm';
    this.drop = this.module('drop', new Dropout(p));
    this.encoder = this.module('encoder', new Embedding(opts.vocabSize, opts.embedSize));
    const ro = { numLayers: L, dropout: L > 1 ? p : 0 };
    this.rnn = this.module(
      'rnn',
      this.cell === 'lstm'
        ? new LSTM(opts.embedSize, opts.hiddenSize, ro)
        : this.cell === 'gru'
          ? new GRU(opts.embedSize, opts.hiddenSize, ro)
          : new RNN(opts.embedSize, opts.hiddenSize, ro),
    );
    this.decoder = this.module('decoder', new Linear(opts.hiddenSize, opts.vocabSize));
    uniform_(this.encoder.weight, -0.1, 0.1);
    uniform_(this.decoder.weight, -0.1, 0.1);
    zeros_(this.decoder.bias!);
  }

  /** x: int32 [T, B] token ids -> logits [T*B, V] and the final state. */
  forward(x: Tensor, state: RecurrentState | null = null): { logits: Tensor; state: RecurrentState } {
    const T = x.shape[0]!;
    const B = x.shape[1]!;
    const emb = this.drop.forward(this.encoder.forward(x));
    let out: Tensor;
    let next: RecurrentState;
    if (this.rnn instanceof LSTM) {
      const r = this.rnn.forward(emb, state as LSTMState | null);
      out = r.output;
      next = { h: r.h, c: r.c };
    } else {
      const r = this.rnn.forward(emb, state as Tensor | null);
      out = r.output;
      next = r.h;
    }
    const logits = this.decoder.forward(reshape(this.drop.forward(out), [T * B, this.opts.hiddenSize]));
    return { logits, state: next };
  }
}

/** Cuts the graph behind a carried state (truncated BPTT): same values, no history. */
export function detachState(s: RecurrentState | null): RecurrentState | null {
  if (!s) return null;
  return s instanceof Tensor ? s.detach() : { h: s.h.detach(), c: s.c.detach() };
}

/**
 * Lays a token stream out as B parallel columns: [N, B] int32 with column b holding tokens
 * b*N .. (b+1)*N - 1 (the tail that does not fill a row is dropped), as PyTorch's batchify.
 */
export function batchify(ids: Int32Array, B: number): Tensor {
  const N = Math.floor(ids.length / B);
  if (N < 2) throw new Error(`batchify: ${ids.length} tokens are too few for batch size ${B}`);
  const out = Tensor.empty([N, B], 'int32');
  for (let b = 0; b < B; b++) for (let i = 0; i < N; i++) out.storage[i * B + b] = ids[b * N + i]!;
  return out;
}

/** Segment i of a batchified stream: inputs rows [i, i+len) and targets rows [i+1, i+1+len) flattened. */
export function getBatch(source: Tensor, i: number, bptt: number): { data: Tensor; target: Tensor; len: number } {
  const len = Math.min(bptt, source.shape[0]! - 1 - i);
  const data = narrow(source, 0, i, len).contiguous();
  const target = reshape(narrow(source, 0, i + 1, len).contiguous(), [len * source.shape[1]!]);
  return { data, target, len };
}

/** Mean cross entropy (nats per token) of the model on a batchified stream, state carried. */
export function evaluateLm(model: RNNLanguageModel, source: Tensor, bptt: number): number {
  model.eval();
  let total = 0;
  let count = 0;
  noGrad(() => {
    let state: RecurrentState | null = null;
    for (let i = 0; i < source.shape[0]! - 1; i += bptt) {
      const { data, target, len } = getBatch(source, i, bptt);
      const r = model.forward(data, state);
      state = r.state;
      total += crossEntropy(r.logits, target).item() * len;
      count += len;
    }
  });
  return total / count;
}

export interface LmTrainOptions {
  epochs: number;
  batchSize: number;
  evalBatchSize?: number;
  /** Truncated-BPTT segment length (default 35). */
  bptt?: number;
  /** 'sgd' (default, as PyTorch's example) or 'adam'. */
  optimizer?: 'sgd' | 'adam';
  /** Learning rate (default 20 for SGD, as PyTorch's example; 0.002 for Adam). */
  lr?: number;
  /** Gradient-norm clipping threshold (default 0.25; 0: none). */
  clip?: number;
  /** Divide the learning rate by this when validation perplexity does not improve (default 4). */
  lrDecay?: number;
  /** Seeds the global generator (dropout) before training when given. */
  seed?: number;
  /** Stop an epoch after this many segments (quick runs and tests; default 0: all). */
  maxBatchesPerEpoch?: number;
}
const LM_TRAIN_KEYS = ['epochs', 'batchSize', 'evalBatchSize', 'bptt', 'optimizer', 'lr', 'clip', 'lrDecay', 'seed', 'maxBatchesPerEpoch'];

export interface LmTrainResult {
  history: EpochRecord[];
  bestValidPpl: number;
  testLoss: number;
  testPpl: number;
  /** Mean seconds per training epoch (without evaluation). */
  secondsPerEpoch: number;
}

/** Copies a state dict (a snapshot that later training does not change). */
function snapshot(m: Module<any, any>): StateDict {
  const out: StateDict = {};
  for (const [k, t] of Object.entries(m.stateDict())) {
    const c = Tensor.empty(t.shape, t.dtype);
    c.storage.set(t.data as never);
    out[k] = c;
  }
  return out;
}

/**
 * The language-model task for the Trainer: truncated BPTT over the batchified training stream
 * (the state carried from segment to segment, detached, and reset each epoch), gradient-norm
 * clipping, the learning rate divided by lrDecay whenever validation loss does not improve
 * (ReduceLROnPlateau, patience 0), and the best model by validation kept; finish() reports the
 * best model's test loss. Its snapshot holds the carried state and the best model.
 */
export function lmTask(
  model: RNNLanguageModel,
  ids: { train: Int32Array; valid: Int32Array; test: Int32Array },
  o: LmTrainOptions,
): { task: TrainTask; trainer: Omit<TrainerOptions, 'callbacks' | 'info'> } {
  rejectUnknownKeys('lmTask', o, LM_TRAIN_KEYS);
  const bptt = o.bptt ?? 35;
  const clip = o.clip ?? 0.25;
  const decay = o.lrDecay ?? 4;
  if (!(decay > 1)) throw new Error(`lmTask: lrDecay must be > 1, got ${decay}`);
  const lr = o.lr ?? (o.optimizer === 'adam' ? 0.002 : 20);
  const evalB = o.evalBatchSize ?? 10;
  const train = batchify(ids.train, o.batchSize);
  const valid = batchify(ids.valid, evalB);
  const test = batchify(ids.test, evalB);
  const params = model.parameters();
  const opt = o.optimizer === 'adam' ? new Adam(params, { lr }) : new SGD(params, { lr });
  const plateau = new ReduceLROnPlateau(opt, { factor: 1 / decay, patience: 0, threshold: 0 });
  const segments = Math.ceil((train.shape[0]! - 1) / bptt);
  const perEpoch = o.maxBatchesPerEpoch ? Math.min(o.maxBatchesPerEpoch, segments) : segments;
  let state: RecurrentState | null = null;
  let best: StateDict | null = null;
  let bestLoss = Infinity;
  const task: TrainTask = {
    modules: { model },
    optimizers: { [o.optimizer ?? 'sgd']: opt },
    schedulers: { plateau },
    stepsPerEpoch: perEpoch,
    trainStep: ({ batch }) => {
      if (batch === 0) state = null;
      model.train();
      const { data, target, len } = getBatch(train, batch * bptt, bptt);
      // Truncated BPTT: carry the values of the state, not its history.
      const r = model.forward(data, detachState(state));
      state = r.state;
      const loss = optimizeStep(opt, crossEntropy(r.logits, target), { clip });
      return { loss, examples: len * o.batchSize };
    },
    evaluate: () => {
      const validLoss = evaluateLm(model, valid, bptt);
      if (validLoss < bestLoss) {
        bestLoss = validLoss;
        best = snapshot(model);
      }
      return { validLoss, validPpl: Math.exp(validLoss) };
    },
    finish: () => {
      if (best) model.loadStateDict(best);
      const testLoss = evaluateLm(model, test, bptt);
      return { bestValidPpl: Math.exp(bestLoss), testLoss, testPpl: Math.exp(testLoss) };
    },
    saveState: () => {
      const tensors: Record<string, Tensor> = {};
      if (state instanceof Tensor) tensors['state.h'] = state;
      else if (state) Object.assign(tensors, { 'state.h': state.h, 'state.c': state.c });
      for (const [k, t] of Object.entries(best ?? {})) tensors[`best.${k}`] = t;
      return { tensors, json: { bestLoss: Number.isFinite(bestLoss) ? bestLoss : null, hasBest: best !== null } };
    },
    loadState: (s) => {
      const t = s.tensors ?? {};
      const j = s.json as { bestLoss: number | null; hasBest: boolean };
      state = t['state.c'] ? { h: t['state.h']!, c: t['state.c'] } : (t['state.h'] ?? null);
      bestLoss = j.bestLoss ?? Infinity;
      best = null;
      if (j.hasBest) {
        best = {};
        for (const [k, v] of Object.entries(t)) if (k.startsWith('best.')) best[k.slice(5)] = v;
      }
    },
  };
  return { task, trainer: { epochs: o.epochs, monitor: 'validLoss', logEvery: Math.max(1, Math.min(50, Math.floor(perEpoch / 10))) } };
}

/** Trains on train ids, validates each epoch, and reports test perplexity of the best model. */
export async function trainLm(
  model: RNNLanguageModel,
  ids: { train: Int32Array; valid: Int32Array; test: Int32Array },
  o: LmTrainOptions,
): Promise<LmTrainResult> {
  if (o.seed !== undefined) manualSeed(o.seed);
  const { task, trainer: to } = lmTask(model, ids, o);
  const trainer = new Trainer(task, to);
  const r = await trainer.fit();
  const seconds = trainer.history.reduce((s, e) => s + e.seconds, 0);
  return {
    history: trainer.history,
    bestValidPpl: r.final['bestValidPpl']!,
    testLoss: r.final['testLoss']!,
    testPpl: r.final['testPpl']!,
    secondsPerEpoch: seconds / Math.max(1, trainer.history.length),
  };
}

export interface SampleOptions {
  /** Tokens to generate (default 200). */
  length?: number;
  /** Softmax temperature: < 1 sharper, > 1 flatter (default 1). */
  temperature?: number;
  /** Sample among the k most likely tokens only (default 0: all). */
  topK?: number;
  seed?: number;
  /** Token ids never sampled (e.g. <unk>). */
  exclude?: readonly number[];
}

/**
 * Generates token ids after a prompt (ids, at least one): p(w) ∝ exp(logit_w / temperature),
 * restricted to the top k logits when topK > 0 (the shared sampleToken of src/models/decoding.ts).
 */
export function sampleLm(model: RNNLanguageModel, prompt: ArrayLike<number>, o: SampleOptions = {}): number[] {
  if (prompt.length === 0) throw new Error('sampleLm: the prompt needs at least one token');
  const temperature = o.temperature ?? 1;
  if (!(temperature > 0)) throw new Error(`sampleLm: temperature must be positive, got ${temperature}`);
  const gen = new Generator(o.seed ?? 0);
  const exclude = [...(o.exclude ?? [])];
  const V = model.opts.vocabSize;
  const out: number[] = [];
  model.eval();
  noGrad(() => {
    const x = Tensor.empty([prompt.length, 1], 'int32');
    for (let i = 0; i < prompt.length; i++) x.storage[i] = prompt[i]!;
    let r = model.forward(x);
    for (let n = 0; n < (o.length ?? 200); n++) {
      const all = r.logits.contiguous().data as Float32Array;
      // The last position's logits; the token choice is the zoo's one sampler (models/decoding.ts).
      const pick = sampleToken(all.subarray(all.length - V), gen, { temperature, topK: o.topK ?? 0, exclude });
      out.push(pick);
      const next = Tensor.empty([1, 1], 'int32');
      next.storage[0] = pick;
      r = model.forward(next, r.state);
    }
  });
  return out;
}

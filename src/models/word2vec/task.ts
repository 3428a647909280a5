/**
 * Training word2vec through the one Trainer: one step is a chunk of sentences holding at most
 * 10,000 raw words (gensim's job size), trained with the sparse steps of model.ts on Float32Array
 * views of W_in and W_out (no tensor per pair). Within a chunk, as in word2vec.c and gensim:
 *   - each occurrence of w is kept with probability P_keep(w) (corpus.ts), then
 *   - for each kept position i a reduced window b ~ U{0..window-1} gives the context
 *     positions j in [i - window + b, i + window - b], j != i, inside the sentence;
 *   - skip-gram: one step per (context j, centre i) pair; CBOW: one step per centre, h the mean
 *     of the context's input vectors;
 *   - each step draws `negatives` words from the unigram^0.75 table.
 * The learning rate falls linearly over the run, as in gensim:
 *   alpha = alpha_0 - (alpha_0 - alpha_min) * (raw words before this chunk) / (epochs * raw words),
 * fixed within a chunk. Sentences are visited in corpus order every epoch, so the chunk index
 * and the epoch fix the learning rate; the only other state is the 32-bit random stream, saved in
 * snapshots, so a resumed run continues bit for bit.
 */
import type { TrainTask } from '../../train/trainer.js';
import { Generator } from '../../tensor/random.js';
import { checkArg, checkRest, describe } from '../../tensor/validate.js';
import { rejectUnknownKeys } from '../../train/options.js';
import { keepThresholds, unigramTable, Word2VecVocab } from './corpus.js';
import { cbowStep, skipGramStep, Word2Vec } from './model.js';
import { word2vecChunkWasm } from '../../backend/word2vec.js';

export interface Word2VecTrainOptions {
  mode: 'skipgram' | 'cbow';
  /** Largest distance between the centre and a context word. */
  window: number;
  /** Negative samples per step. */
  negatives: number;
  /** Subsampling threshold t (0: keep every word). */
  sample: number;
  /** Starting and final learning rate of the linear decay. */
  alpha: number;
  minAlpha: number;
  epochs: number;
  /** Seed of the training stream (subsampling, windows, negatives). */
  seed: number;
  /** Raw words per step at most (default 10,000, gensim's job size). */
  chunkWords?: number;
  /** Slots of the unigram table (default 1e6). */
  tableSize?: number;
  /** 'auto' (default): the wasm kernel when WebAssembly SIMD is there, else the JS reference; 'js': always the reference. */
  kernel?: 'auto' | 'js';
}

/** A corpus encoded by Word2VecVocab.encode. */
export interface EncodedCorpus {
  ids: Int32Array;
  offsets: Int32Array;
  raw: Int32Array;
}

/** Sentence ranges of at most chunkWords raw words each (a longer sentence is a chunk of its own). */
export function chunkSentences(raw: Int32Array, chunkWords: number): { start: Int32Array; wordsBefore: Float64Array; words: Int32Array } {
  const starts: number[] = [];
  const before: number[] = [];
  const words: number[] = [];
  let acc = 0;
  let total = 0;
  for (let s = 0; s < raw.length; s++) {
    if (starts.length === 0 || (acc > 0 && acc + raw[s]! > chunkWords)) {
      if (starts.length > 0) words.push(acc);
      starts.push(s);
      before.push(total);
      acc = 0;
    }
    acc += raw[s]!;
    total += raw[s]!;
  }
  words.push(acc);
  starts.push(raw.length);
  return { start: Int32Array.from(starts), wordsBefore: Float64Array.from(before), words: Int32Array.from(words) };
}

const seedStream = (seed: number): number => new Generator(seed).nextUint32() || 0x9e3779b9;

/** The Trainer task of a word2vec run (see the module comment); `wordsPerSecond` reports the training speed so far. */
export function word2vecTask(
  model: Word2Vec,
  vocab: Word2VecVocab,
  corpus: EncodedCorpus,
  o: Word2VecTrainOptions,
  evaluate?: () => Record<string, number>,
  ...extra: never[]
): { task: TrainTask; wordsPerSecond(): number; rawWords: number } {
  const fn = 'word2vecTask';
  if (!(model instanceof Word2Vec)) throw new TypeError(`${fn}: model must be a Word2Vec, got ${describe(model)}`);
  if (!(vocab instanceof Word2VecVocab)) throw new TypeError(`${fn}: vocab must be a Word2VecVocab, got ${describe(vocab)}`);
  if (!corpus || !(corpus.ids instanceof Int32Array) || !(corpus.offsets instanceof Int32Array) || !(corpus.raw instanceof Int32Array))
    throw new TypeError(`${fn}: corpus must be { ids, offsets, raw } (Int32Arrays, from Word2VecVocab.encode), got ${describe(corpus)}`);
  rejectUnknownKeys(fn, o, [
    'mode',
    'window',
    'negatives',
    'sample',
    'alpha',
    'minAlpha',
    'epochs',
    'seed',
    'chunkWords',
    'tableSize',
    'kernel',
  ]);
  if (o.mode !== 'skipgram' && o.mode !== 'cbow')
    throw new TypeError(`${fn}: option 'mode' must be 'skipgram' or 'cbow', got ${describe(o.mode)}`);
  for (const k of ['window', 'negatives', 'epochs'] as const) checkArg(fn, `option '${k}'`, o[k], 'positiveInt');
  for (const k of ['sample', 'alpha', 'minAlpha'] as const) {
    if (typeof o[k] !== 'number' || !(o[k] >= 0) || !Number.isFinite(o[k]))
      throw new TypeError(`${fn}: option '${k}' must be a finite number >= 0, got ${describe(o[k])}`);
  }
  checkArg(fn, "option 'seed'", o.seed, 'nonNegativeInt');
  checkArg(fn, "option 'chunkWords'", o.chunkWords, 'positiveInt', true);
  checkArg(fn, "option 'tableSize'", o.tableSize, 'positiveInt', true);
  if (o.kernel !== undefined && o.kernel !== 'auto' && o.kernel !== 'js')
    throw new TypeError(`${fn}: option 'kernel' must be 'auto' or 'js', got ${describe(o.kernel)}`);
  checkArg(fn, 'evaluate', evaluate, 'function', true);
  checkRest(fn, extra, 5, 'word2vecTask(model, vocab, corpus, options, evaluate?)');
  if (vocab.size !== model.vocabSize) throw new Error(`word2vecTask: vocabulary of ${vocab.size} words, model of ${model.vocabSize}`);
  const d = model.dim;
  const chunks = chunkSentences(corpus.raw, o.chunkWords ?? 10_000);
  const nChunks = chunks.words.length;
  const rawWords = corpus.raw.reduce((a, b) => a + b, 0);
  const totalWords = o.epochs * rawWords;
  const keep = keepThresholds(vocab.counts, o.sample);
  const table = unigramTable(vocab.counts, o.tableSize ?? 1_000_000);
  const tableSize = table.length;
  let maxLen = 1;
  for (let s = 0; s < corpus.raw.length; s++) maxLen = Math.max(maxLen, corpus.offsets[s + 1]! - corpus.offsets[s]!);
  const buf = new Int32Array(maxLen);
  const negs = new Int32Array(Math.max(1, o.negatives));
  const work = new Float32Array(d);
  const h = new Float32Array(d);
  const subsample = o.sample > 0;
  const skipgram = o.mode === 'skipgram';
  // The chunks' sentence starts relative to their first word, for the wasm kernel.
  const chunkOffsets = Array.from({ length: nChunks }, (_, c) => {
    const s0 = chunks.start[c]!;
    const s1 = chunks.start[c + 1]!;
    return Int32Array.from(corpus.offsets.subarray(s0, s1 + 1), (v) => v - corpus.offsets[s0]!);
  });
  let rng = seedStream(o.seed);
  let seconds = 0;
  let wordsDone = 0;

  const trainChunk = (epoch: number, c: number): { loss: number; steps: number } => {
    const progress = (epoch * rawWords + chunks.wordsBefore[c]!) / totalWords;
    const alpha = o.alpha - (o.alpha - o.minAlpha) * progress;
    // Views fetched per chunk: the parameters' storage may move between steps (wasm memory growth).
    const W_in = model.W_in.data as Float32Array;
    const W_out = model.W_out.data as Float32Array;
    if (o.kernel !== 'js') {
      const first = corpus.offsets[chunks.start[c]!]!;
      const r = word2vecChunkWasm({
        W_in,
        W_out,
        dim: d,
        ids: corpus.ids.subarray(first, corpus.offsets[chunks.start[c + 1]!]!),
        offsets: chunkOffsets[c]!,
        keep,
        subsample,
        table,
        window: o.window,
        negatives: o.negatives,
        skipgram,
        alpha,
        maxLen,
        rng,
      });
      if (r) {
        rng = r.rng;
        return r;
      }
    }
    const { ids, offsets } = corpus;
    const window = o.window;
    const nNeg = o.negatives;
    let x = rng;
    let loss = 0;
    let steps = 0;
    for (let s = chunks.start[c]!; s < chunks.start[c + 1]!; s++) {
      let n = 0;
      for (let p = offsets[s]!; p < offsets[s + 1]!; p++) {
        const w = ids[p]!;
        if (subsample) {
          x ^= x << 13;
          x ^= x >>> 17;
          x ^= x << 5;
          if (keep[w]! < x >>> 0) continue;
        }
        buf[n++] = w;
      }
      for (let i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        const b = (x >>> 0) % window;
        const from = Math.max(0, i - window + b);
        const to = Math.min(n, i + window + 1 - b);
        const centre = buf[i]!;
        if (skipgram) {
          for (let j = from; j < to; j++) {
            if (j === i) continue;
            for (let k = 0; k < nNeg; k++) {
              x ^= x << 13;
              x ^= x >>> 17;
              x ^= x << 5;
              negs[k] = table[(x >>> 0) % tableSize]!;
            }
            loss += skipGramStep(W_in, W_out, d, buf[j]!, centre, negs, nNeg, alpha, work);
            steps++;
          }
        } else if (to - from > 1) {
          for (let k = 0; k < nNeg; k++) {
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            negs[k] = table[(x >>> 0) % tableSize]!;
          }
          loss += cbowStep(W_in, W_out, d, buf, from, to, i, centre, negs, nNeg, alpha, h, work);
          steps++;
        }
      }
    }
    rng = x;
    return { loss, steps };
  };

  const task: TrainTask = {
    modules: { model },
    stepsPerEpoch: nChunks,
    trainStep: ({ epoch, batch }) => {
      const t0 = performance.now();
      const r = trainChunk(epoch, batch);
      seconds += (performance.now() - t0) / 1000;
      wordsDone += chunks.words[batch]!;
      const words = chunks.words[batch]!;
      // loss: the chunk's mean step loss; weighted by its raw words in the epoch mean, so the
      // progress bar's examples/s is words/s.
      return { loss: r.steps > 0 ? r.loss / r.steps : 0, examples: words, totals: { steps: r.steps } };
    },
    ...(evaluate ? { evaluate } : {}),
    saveState: () => ({ json: { rng } }),
    loadState: (s) => {
      const j = s.json as { rng: number };
      if (!j || typeof j.rng !== 'number') throw new Error('word2vecTask.loadState: the snapshot has no word2vec stream state');
      rng = j.rng;
    },
  };
  return { task, wordsPerSecond: () => (seconds > 0 ? wordsDone / seconds : 0), rawWords };
}

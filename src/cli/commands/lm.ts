/**
 * Language models on the King James Bible: `shinsou train char-lstm|word-lstm` (through the train
 * command), `shinsou train-lm <recipe>` with every knob, and `shinsou sample <checkpoint>`.
 * A run folder gets best.safetensors (the best model by validation perplexity, with its vocabulary
 * and options in the metadata), metrics.json and curves.svg.
 */
import type { Command } from 'commander';
import { join, resolve } from 'node:path';
import { mkdirSync } from 'node:fs';
import { loadKjv, splitByBook } from '../../node/kjv.js';
import { saveFile, loadFile } from '../../node/checkpoint.js';
import { writeFileAtomic } from '../../node/files.js';
import { trainingCurvesSvg, type CurvePoint } from '../../node/plot.js';
import { CharVocab, WordVocab, Vocab } from '../../data/text/vocab.js';
import { RNNLanguageModel, trainLm, sampleLm, type LanguageModelOptions, type LmEpochSummary } from '../../models/rnn/lm.js';
import { getLmRecipe, type LmRecipe } from '../../models/rnn/lm-recipes.js';
import { intArg, numArg } from '../options.js';

export interface TrainLmOptions {
  epochs?: number;
  batchSize?: number;
  lr?: number;
  seed?: number;
  out?: string;
  dataDir?: string;
  hidden?: number;
  embed?: number;
  layers?: number;
  dropout?: number;
  vocab?: number;
  bptt?: number;
  clip?: number;
  optimizer?: 'sgd' | 'adam';
  /** Comma-separated book names, or 'all' (every book not held out). */
  trainBooks?: string;
  validBooks?: string;
  testBooks?: string;
  /** Segments per epoch at most (quick runs). */
  maxBatches?: number;
  /** Also write the token ids and vocabulary (data.json) for scripts/word_lm_torch.py. */
  exportData?: boolean;
  print?: (line: string) => void;
}

export interface TrainLmResult {
  runDir: string;
  history: LmEpochSummary[];
  testPpl: number;
  bestValidPpl: number;
  secondsPerEpoch: number;
}

const books = (s: string | undefined, dflt: string[] | null): string[] | null =>
  s === undefined ? dflt : s === 'all' ? null : s.split(',').map((b) => b.trim()).filter(Boolean);

/** `shinsou train char-lstm|word-lstm`: the whole run, callable from tests. */
export async function runTrainLm(recipeName: string, o: TrainLmOptions = {}): Promise<TrainLmResult> {
  const print = o.print ?? ((s: string) => process.stdout.write(`${s}\n`));
  const r: LmRecipe = getLmRecipe(recipeName);
  const { verses, source } = await loadKjv({ ...(o.dataDir !== undefined ? { dataDir: o.dataDir } : {}), log: print });
  const split = { train: books(o.trainBooks, r.books.train), valid: books(o.validBooks, r.books.valid)!, test: books(o.testBooks, r.books.test)! };
  const text = splitByBook(verses, { valid: split.valid, test: split.test, ...(split.train ? { train: split.train } : {}) });
  const vocab = r.level === 'char' ? CharVocab.build(text.train) : WordVocab.build(text.train, o.vocab ?? r.vocabSize ?? 10000);
  const ids = { train: vocab.encode(text.train), valid: vocab.encode(text.valid), test: vocab.encode(text.test) };
  const modelOpts: LanguageModelOptions = {
    vocabSize: vocab.size,
    embedSize: o.embed ?? o.hidden ?? r.model.embedSize,
    hiddenSize: o.hidden ?? r.model.hiddenSize,
    numLayers: o.layers ?? r.model.numLayers,
    dropout: o.dropout ?? r.model.dropout,
    cell: r.model.cell,
  };
  const train = {
    epochs: o.epochs ?? r.train.epochs,
    batchSize: o.batchSize ?? r.train.batchSize,
    bptt: o.bptt ?? r.train.bptt,
    optimizer: o.optimizer ?? r.train.optimizer,
    lr: o.lr ?? r.train.lr,
    clip: o.clip ?? r.train.clip,
    lrDecay: r.train.lrDecay,
    seed: o.seed ?? 0,
  };
  const runDir = resolve(o.out ?? join('runs', `${r.name}-${new Date().toISOString().replace(/\..*$/, '').replace(/:/g, '-')}`));
  mkdirSync(runDir, { recursive: true });
  if (o.exportData) {
    writeFileAtomic(join(runDir, 'data.json'), JSON.stringify({ vocab: vocab.tokens, model: modelOpts, train, train_ids: [...ids.train], valid_ids: [...ids.valid], test_ids: [...ids.test] }));
  }
  const { manualSeed } = await import('../../tensor/random.js');
  manualSeed(train.seed);
  const model = new RNNLanguageModel(modelOpts);
  print(`${r.name}: ${modelOpts.numLayers}-layer ${modelOpts.cell} (${modelOpts.hiddenSize} units, embedding ${modelOpts.embedSize}) on the KJV (${source}): ${model.numParameters()} parameters, vocabulary ${vocab.size}`);
  print(`tokens: train ${ids.train.length} (${split.train ? split.train.length + ' books' : 'all other books'}), valid ${ids.valid.length} (${split.valid.join(', ')}), test ${ids.test.length} (${split.test.join(', ')})`);
  print(`run folder ${runDir}`);
  const curves: CurvePoint[] = [];
  const meta = (e: LmEpochSummary | null): Record<string, string> => ({
    format: 'pt',
    recipe: r.name,
    level: r.level,
    model: JSON.stringify(modelOpts),
    train: JSON.stringify(train),
    vocab: JSON.stringify(vocab.toJSON()),
    ...(e ? { epoch: String(e.epoch), valid_ppl: e.validPpl.toFixed(3) } : {}),
  });
  const result = trainLm(model, ids, {
    ...train,
    ...(o.maxBatches !== undefined ? { maxBatchesPerEpoch: o.maxBatches } : {}),
    logEvery: 50,
    onLog: (l) => print(`  epoch ${l.epoch} batch ${l.batch}/${l.batches} lr ${l.lr.toPrecision(3)} loss ${l.loss.toFixed(3)} ppl ${Math.exp(l.loss).toFixed(1)} | ${l.msPerBatch.toFixed(0)} ms/batch`),
    onEpoch: (e) => {
      curves.push({ epoch: e.epoch, split: 'train', loss: e.trainLoss }, { epoch: e.epoch, split: 'valid', loss: e.validLoss });
      print(`epoch ${e.epoch}: lr ${e.lr.toPrecision(3)} train ppl ${Math.exp(e.trainLoss).toFixed(2)} | valid ppl ${e.validPpl.toFixed(2)} | ${e.seconds.toFixed(1)} s (${Math.round(e.tokens / e.seconds)} tokens/s)`);
    },
    onBest: (state, e) => saveFile(join(runDir, 'best.safetensors'), state, meta(e)),
  });
  const metrics = {
    recipe: r.name,
    source,
    model: modelOpts,
    train,
    books: split,
    tokens: { train: ids.train.length, valid: ids.valid.length, test: ids.test.length },
    vocabSize: vocab.size,
    parameters: model.numParameters(),
    epochs: result.history,
    bestValidPpl: result.bestValidPpl,
    testPpl: result.testPpl,
    secondsPerEpoch: result.secondsPerEpoch,
    node: process.version,
  };
  writeFileAtomic(join(runDir, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
  try {
    writeFileAtomic(join(runDir, 'curves.svg'), await trainingCurvesSvg(curves, `${r.name} on the KJV: cross entropy (nats/token)`));
  } catch (e) {
    print(`(no curves.svg: ${(e as Error).message})`);
  }
  print(`done: best valid ppl ${result.bestValidPpl.toFixed(2)}, test ppl ${result.testPpl.toFixed(2)}, ${result.secondsPerEpoch.toFixed(1)} s/epoch; wrote ${join(runDir, 'best.safetensors')}, metrics.json, curves.svg`);
  return { runDir, history: result.history, testPpl: result.testPpl, bestValidPpl: result.bestValidPpl, secondsPerEpoch: result.secondsPerEpoch };
}

export interface SampleCommandOptions {
  prompt?: string;
  length?: number;
  temperature?: number;
  topK?: number;
  seed?: number;
  print?: (line: string) => void;
}

/** `shinsou sample <checkpoint>`: text from a trained language model. */
export function runSample(checkpoint: string, o: SampleCommandOptions = {}): string {
  const print = o.print ?? ((s: string) => process.stdout.write(`${s}\n`));
  const file = loadFile(checkpoint);
  const m = file.metadata;
  if (!m['model'] || !m['vocab']) throw new Error(`sample: ${checkpoint} is not a language-model checkpoint (no model/vocab metadata)`);
  const vocab = Vocab.fromJSON(JSON.parse(m['vocab']) as never);
  const model = new RNNLanguageModel(JSON.parse(m['model']) as LanguageModelOptions);
  model.loadStateDict(file.tensors);
  const word = vocab instanceof WordVocab;
  const prompt = o.prompt ?? (word ? 'and' : 'And ');
  let ids = vocab.encode(prompt);
  // A word prompt is one line: drop the <eos> that encode appends, so generation continues it.
  if (word && ids.length > 1) ids = ids.subarray(0, ids.length - 1);
  if (ids.length === 0) throw new Error(`sample: the prompt ${JSON.stringify(prompt)} has no tokens`);
  const out = sampleLm(model, ids, {
    length: o.length ?? (word ? 60 : 300),
    temperature: o.temperature ?? 0.8,
    topK: o.topK ?? 0,
    seed: o.seed ?? 0,
    exclude: vocab.unk >= 0 ? [vocab.unk] : [],
  });
  const text = word ? vocab.decode([...ids, ...out]) : prompt + vocab.decode(out);
  print(text);
  return text;
}


/** Registers `shinsou train-lm` and `shinsou sample`. */
export function registerLmCommands(program: Command): void {
  program
    .command('train-lm')
    .description('train a language model on the King James Bible (char-lstm | word-lstm) with every option')
    .argument('<recipe>', 'char-lstm | word-lstm')
    .option('--epochs <n>', 'epochs', intArg('epochs'))
    .option('--batch-size <n>', 'parallel streams', intArg('batch-size'))
    .option('--bptt <n>', 'truncated-BPTT segment length', intArg('bptt'))
    .option('--optimizer <name>', 'sgd | adam')
    .option('--lr <x>', 'learning rate (divided by the recipe\'s decay factor when validation does not improve)', numArg('lr', 0))
    .option('--clip <x>', 'gradient-norm clipping threshold', numArg('clip', 0))
    .option('--hidden <n>', 'hidden units per layer', intArg('hidden'))
    .option('--embed <n>', 'embedding size (default: the hidden size)', intArg('embed'))
    .option('--layers <n>', 'LSTM layers', intArg('layers'))
    .option('--dropout <p>', 'dropout', numArg('dropout', 0))
    .option('--vocab <n>', 'word vocabulary size (word-lstm)', intArg('vocab'))
    .option('--train-books <list>', 'comma-separated training books, or all')
    .option('--valid-books <list>', 'comma-separated validation books')
    .option('--test-books <list>', 'comma-separated test books')
    .option('--max-batches <n>', 'segments per epoch at most (quick runs)', intArg('max-batches'))
    .option('--seed <n>', 'seed', intArg('seed'))
    .option('--out <dir>', 'run folder (default runs/<recipe>-<timestamp>)')
    .option('--data-dir <dir>', 'data directory (default $SHINSOU_DATA or ~/.cache/shinsou)')
    .option('--export-data', 'also write data.json (token ids, vocabulary, options) for scripts/word_lm_torch.py')
    .action(async (recipe: string, opts: TrainLmOptions) => {
      await runTrainLm(recipe, opts);
    });

  program
    .command('sample')
    .description('generate text from a language-model checkpoint (best.safetensors of a char-lstm/word-lstm run)')
    .argument('<checkpoint>', 'best.safetensors')
    .option('--prompt <text>', 'text to continue')
    .option('--length <n>', 'tokens to generate', intArg('length'))
    .option('--temperature <t>', 'softmax temperature (default 0.8)', numArg('temperature', 0))
    .option('--top-k <k>', 'sample among the k most likely tokens (default 0: all)', intArg('top-k'))
    .option('--seed <n>', 'seed', intArg('seed'))
    .action((checkpoint: string, opts: SampleCommandOptions) => {
      runSample(checkpoint, opts);
    });
}

/**
 * `shinsou train char-lstm|word-lstm`: the train command's common options mapped onto runTrainLm
 * (--limit caps the segments per epoch; --threads sets the kernel threads; --resume is not
 * supported for language models). Use `shinsou train-lm` for the model and BPTT options.
 */
export async function trainLmFromTrainCommand(
  recipe: string,
  o: { epochs?: number; batchSize?: number; lr?: number; seed?: number; threads?: number; out?: string; dataDir?: string; limit?: number; resume?: string },
): Promise<void> {
  if (o.resume) throw new Error(`train ${recipe}: --resume is not supported for language models`);
  if (o.threads !== undefined) {
    const { setNumThreads } = await import('../../backend/wasm/pool.js');
    setNumThreads(o.threads);
  }
  await runTrainLm(recipe, {
    ...(o.epochs !== undefined ? { epochs: o.epochs } : {}),
    ...(o.batchSize !== undefined ? { batchSize: o.batchSize } : {}),
    ...(o.lr !== undefined ? { lr: o.lr } : {}),
    ...(o.seed !== undefined ? { seed: o.seed } : {}),
    ...(o.out !== undefined ? { out: o.out } : {}),
    ...(o.dataDir !== undefined ? { dataDir: o.dataDir } : {}),
    ...(o.limit !== undefined ? { maxBatches: o.limit } : {}),
  });
}

/**
 * Recipes of the recurrent family, in the one registry (src/train):
 *   char-lstm, word-lstm   language models on the King James Bible (truncated BPTT, plateau decay)
 *   adding                 the adding problem, generated data (LSTM/GRU learn it, the simple RNN does not)
 *   binary-addition        the curriculum's 8-bit addition with the explicit-BPTT simple RNN
 */
import { encodeSafetensors } from '../../io/safetensors.js';
import { CharVocab, WordVocab, type Vocab } from '../../data/text/vocab.js';
import { booleanOption, choiceOption, intOption, numberOption, stringOption, type OptionValues } from '../../train/options.js';
import { registerRecipe, type Recipe } from '../../train/registry.js';
import { RNNLanguageModel, lmTask, sampleLm, type LanguageModelOptions } from './lm.js';
import { addingTask, AddingModel } from './adding.js';
import { binaryAdditionTask } from './binary-addition.js';
import { SimpleRNN } from './simple-rnn.js';

/** The New Testament without Mark and Luke: ~140k words, which trains in minutes. */
export const NT_TRAIN_BOOKS = [
  'Matthew',
  'John',
  'Acts',
  'Romans',
  '1 Corinthians',
  '2 Corinthians',
  'Galatians',
  'Ephesians',
  'Philippians',
  'Colossians',
  '1 Thessalonians',
  '2 Thessalonians',
  '1 Timothy',
  '2 Timothy',
  'Titus',
  'Philemon',
  'Hebrews',
  'James',
  '1 Peter',
  '2 Peter',
  '1 John',
  '2 John',
  '3 John',
  'Jude',
  'Revelation',
];

/** What the language-model recipes need: the corpus, split into texts by book (src/node/kjv.ts provides it). */
export interface KjvData {
  /** Where the text came from (for the log). */
  source: string;
  /** Train/valid/test texts; train null means every book not held out. */
  split(books: { train: string[] | null; valid: string[]; test: string[] }): { train: string; valid: string; test: string };
}

function lmOptions(d: {
  epochs: number;
  batchSize: number;
  bptt: number;
  optimizer: 'sgd' | 'adam';
  lr: number;
  clip: number;
  lrDecay: number;
  hidden: number;
  embed: number;
  dropout: number;
  vocab: number;
}) {
  return {
    epochs: intOption(d.epochs, 'passes over the training text', { min: 1, max: 100_000 }),
    batchSize: intOption(d.batchSize, 'parallel streams', { min: 1, max: 1_000_000 }),
    bptt: intOption(d.bptt, 'truncated-BPTT segment length', { min: 1 }),
    optimizer: choiceOption(['sgd', 'adam'] as const, d.optimizer, 'optimizer'),
    lr: numberOption(d.lr, 'learning rate (divided by lr-decay when validation does not improve)', { min: 0, exclusiveMin: true }),
    clip: numberOption(d.clip, 'gradient-norm clipping threshold (0: none)', { min: 0 }),
    lrDecay: numberOption(d.lrDecay, 'divide the learning rate by this on a validation plateau', { min: 1, exclusiveMin: true }),
    hidden: intOption(d.hidden, 'hidden units per layer', { min: 1 }),
    embed: intOption(d.embed, 'embedding size (0: the hidden size)'),
    layers: intOption(2, 'LSTM layers', { min: 1 }),
    dropout: numberOption(d.dropout, 'dropout', { min: 0, max: 0.99 }),
    vocab: intOption(d.vocab, 'word vocabulary size (word level only)', { min: 3 }),
    trainBooks: stringOption(
      'nt',
      "comma-separated training books; 'nt': the New Testament without Mark and Luke; 'all': every book not held out",
    ),
    validBooks: stringOption('Mark', 'comma-separated validation books'),
    testBooks: stringOption('Luke', 'comma-separated test books'),
    maxBatches: intOption(0, 'segments per epoch at most (0: all; quick runs)'),
    exportData: booleanOption(false, 'also write data.json (token ids, vocabulary, options) for scripts/word_lm_torch.py'),
    seed: intOption(0, 'seed of the init and dropout', { max: 0xffffffff }),
  };
}
type LmSpec = ReturnType<typeof lmOptions>;

const bookList = (s: string): string[] =>
  s
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);

function lmRecipe(
  name: string,
  level: 'char' | 'word',
  description: string,
  d: Parameters<typeof lmOptions>[0],
): Recipe<LmSpec, KjvData, RNNLanguageModel> {
  const texts = (o: OptionValues<LmSpec>, data: KjvData) => {
    const books = {
      train: o.trainBooks === 'nt' ? NT_TRAIN_BOOKS : o.trainBooks === 'all' ? null : bookList(o.trainBooks),
      valid: bookList(o.validBooks),
      test: bookList(o.testBooks),
    };
    const text = data.split(books);
    const vocab: Vocab = level === 'char' ? CharVocab.build(text.train) : WordVocab.build(text.train, o.vocab);
    return { books, text, vocab };
  };
  const modelOptions = (o: OptionValues<LmSpec>, vocab: Vocab): LanguageModelOptions => ({
    vocabSize: vocab.size,
    embedSize: o.embed || o.hidden,
    hiddenSize: o.hidden,
    numLayers: o.layers,
    dropout: o.dropout,
    cell: 'lstm',
  });
  return {
    name,
    family: 'rnn',
    description,
    data: { id: 'kjv', description: 'King James Bible text (Debian bible-kjv-text, or downloaded from Project Gutenberg)' },
    options: lmOptions(d),
    model: (o, data) => new RNNLanguageModel(modelOptions(o, texts(o, data).vocab)),
    prepare: (o, data) => {
      const { books, text, vocab } = texts(o, data);
      const mo = modelOptions(o, vocab);
      const model = new RNNLanguageModel(mo);
      const ids = { train: vocab.encode(text.train), valid: vocab.encode(text.valid), test: vocab.encode(text.test) };
      const train = {
        epochs: o.epochs,
        batchSize: o.batchSize,
        bptt: o.bptt,
        optimizer: o.optimizer,
        lr: o.lr,
        clip: o.clip,
        lrDecay: o.lrDecay,
        maxBatchesPerEpoch: o.maxBatches,
      };
      const { task, trainer } = lmTask(model, ids, train);
      const meta = {
        format: 'pt',
        recipe: name,
        level,
        model: JSON.stringify(mo),
        train: JSON.stringify(train),
        vocab: JSON.stringify(vocab.toJSON()),
      };
      return {
        task,
        trainer,
        summary:
          `${name}: ${mo.numLayers}-layer ${mo.cell} (${mo.hiddenSize} units, embedding ${mo.embedSize}) on the KJV (${data.source}): ${model.numParameters()} parameters, vocabulary ${vocab.size}\n` +
          `tokens: train ${ids.train.length} (${books.train ? `${books.train.length} books` : 'all other books'}), valid ${ids.valid.length} (${books.valid.join(', ')}), test ${ids.test.length} (${books.test.join(', ')})`,
        artifacts: () => {
          const prompt = vocab.encode(level === 'word' ? 'and' : 'And ');
          const seedIds = level === 'word' && prompt.length > 1 ? prompt.subarray(0, prompt.length - 1) : prompt;
          const wasTraining = model.training;
          const out = sampleLm(model, seedIds, {
            length: level === 'word' ? 60 : 300,
            temperature: 0.8,
            exclude: vocab.unk >= 0 ? [vocab.unk] : [],
          });
          model.train(wasTraining);
          const files: Record<string, string | Uint8Array> = {
            'model.safetensors': encodeSafetensors(model.stateDict(), meta),
            'samples.txt': `${vocab.decode([...seedIds, ...out])}\n`,
          };
          if (o.exportData)
            files['data.json'] = JSON.stringify({
              vocab: vocab.tokens,
              model: mo,
              train,
              train_ids: [...ids.train],
              valid_ids: [...ids.valid],
              test_ids: [...ids.test],
            });
          return files;
        },
      };
    },
  };
}

export const WORD_LSTM_RECIPE = registerRecipe(
  lmRecipe('word-lstm', 'word', '2-layer word-level LSTM (200 units, 5k words) on the KJV New Testament', {
    epochs: 6,
    batchSize: 20,
    bptt: 35,
    optimizer: 'sgd',
    lr: 20,
    clip: 0.25,
    lrDecay: 4,
    hidden: 200,
    embed: 200,
    dropout: 0.2,
    vocab: 5000,
  }),
);
export const CHAR_LSTM_RECIPE = registerRecipe(
  lmRecipe('char-lstm', 'char', '2-layer character-level LSTM (256 units) on the KJV New Testament', {
    epochs: 4,
    batchSize: 32,
    bptt: 100,
    optimizer: 'adam',
    lr: 0.002,
    clip: 1,
    lrDecay: 2,
    hidden: 256,
    embed: 64,
    dropout: 0.1,
    vocab: 10000,
  }),
);

const addingSpec = {
  cell: choiceOption(['lstm', 'gru', 'rnn'] as const, 'lstm', 'recurrent cell'),
  seqLen: intOption(100, 'sequence length T', { min: 2 }),
  hidden: intOption(32, 'hidden units', { min: 1 }),
  batchSize: intOption(32, 'sequences per step', { min: 1 }),
  lr: numberOption(0.01, 'Adam learning rate', { min: 0, exclusiveMin: true }),
  clip: numberOption(1, 'gradient-norm clipping threshold (0: none)', { min: 0 }),
  epochs: intOption(15, 'epochs of --epoch-steps steps (fresh data every step)', { min: 1, max: 100_000 }),
  epochSteps: intOption(200, 'steps per epoch', { min: 1 }),
  evalEvery: intOption(50, 'held-out MSE every n steps', { min: 1 }),
  stopBelow: numberOption(0.001, 'stop once the held-out MSE is at or below this (0: never)', { min: 0 }),
  seed: intOption(0, 'seed of the init and the data', { max: 0xffffffff }),
};

export const ADDING_RECIPE = registerRecipe<typeof addingSpec, null, AddingModel>({
  name: 'adding',
  family: 'rnn',
  description: 'the adding problem: a recurrent net sums the two marked values of a long sequence',
  data: { id: 'generated', description: 'random sequences generated from the seed (nothing to install)' },
  options: addingSpec,
  model: (o) => new AddingModel(o.cell, o.hidden),
  prepare: (o) => {
    const { task, model } = addingTask({
      cell: o.cell,
      T: o.seqLen,
      hidden: o.hidden,
      batchSize: o.batchSize,
      lr: o.lr,
      clip: o.clip,
      seed: o.seed,
      stepsPerEpoch: o.epochSteps,
    });
    return {
      task,
      trainer: {
        epochs: o.epochs,
        evalEvery: o.evalEvery,
        evalAtStart: true,
        monitor: 'mse',
        ...(o.stopBelow > 0 ? { earlyStopping: { target: o.stopBelow } } : {}),
      },
      summary: `adding problem, T = ${o.seqLen}: ${o.cell.toUpperCase()} with ${o.hidden} units, ${model.numParameters()} parameters; always answering 1 scores MSE 0.167`,
      artifacts: () => ({
        'model.safetensors': encodeSafetensors(model.stateDict(), {
          format: 'pt',
          recipe: 'adding',
          cell: o.cell,
          hidden: String(o.hidden),
        }),
      }),
    };
  },
});

const binarySpec = {
  hidden: intOption(16, 'hidden units', { min: 1 }),
  lr: numberOption(0.5, 'SGD learning rate', { min: 0, exclusiveMin: true }),
  batchSize: intOption(32, 'pairs per step', { min: 1 }),
  epochs: intOption(50, 'epochs of --epoch-steps steps; stops once every held-out pair is right', { min: 1, max: 100_000 }),
  epochSteps: intOption(100, 'steps per epoch (held-out accuracy after each)', { min: 1 }),
  heldOut: numberOption(0.25, 'fraction of the 16384 operand pairs held out', { min: 0, max: 0.9, exclusiveMin: true }),
  seed: intOption(0, 'seed of the init, the split and the batches', { max: 0xffffffff }),
};

export const BINARY_ADDITION_RECIPE = registerRecipe<typeof binarySpec, null, SimpleRNN>({
  name: 'binary-addition',
  family: 'rnn',
  description: '8-bit binary addition with the simple RNN and explicit BPTT (no autograd)',
  data: { id: 'generated', description: 'all operand pairs below 128, split from the seed (nothing to install)' },
  options: binarySpec,
  model: (o) =>
    new SimpleRNN({
      inputSize: 2,
      hiddenSize: o.hidden,
      outputSize: 1,
      hidden: 'tanh',
      output: 'sigmoid',
      loss: 'mse',
      seed: o.seed,
      weightInitStd: 1,
    }),
  prepare: (o) => {
    const { task, trainPairs, heldOutPairs } = binaryAdditionTask({
      hiddenSize: o.hidden,
      lr: o.lr,
      batchSize: o.batchSize,
      heldOutFraction: o.heldOut,
      seed: o.seed,
      stepsPerEpoch: o.epochSteps,
    });
    return {
      task,
      trainer: { epochs: o.epochs, monitor: 'heldOutAccuracy', mode: 'max', earlyStopping: { target: 1 } },
      summary: `binary addition: simple RNN with ${o.hidden} units; ${trainPairs} training pairs, ${heldOutPairs} held out`,
    };
  },
});

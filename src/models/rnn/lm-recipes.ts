/**
 * Language-model recipes on the King James Bible: `char-lstm` and `word-lstm`. Each fixes the
 * model, the optimisation and the book split; the command line can override any of them.
 */
import type { CellType } from './lm.js';

export type LmRecipeName = 'char-lstm' | 'word-lstm';

export interface LmRecipe {
  name: LmRecipeName;
  level: 'char' | 'word';
  description: string;
  model: { embedSize: number; hiddenSize: number; numLayers: number; dropout: number; cell: CellType };
  train: { epochs: number; batchSize: number; bptt: number; optimizer: 'sgd' | 'adam'; lr: number; clip: number; lrDecay: number };
  /** Word level: vocabulary size (top words of the training text, <unk> and <eos> included). */
  vocabSize?: number;
  /** Books: null train means every book that is not held out. */
  books: { train: string[] | null; valid: string[]; test: string[] };
}

/** The New Testament without Mark and Luke: ~140k words, which trains in minutes. */
export const NT_TRAIN_BOOKS = [
  'Matthew', 'John', 'Acts', 'Romans', '1 Corinthians', '2 Corinthians', 'Galatians', 'Ephesians', 'Philippians', 'Colossians',
  '1 Thessalonians', '2 Thessalonians', '1 Timothy', '2 Timothy', 'Titus', 'Philemon', 'Hebrews', 'James', '1 Peter', '2 Peter',
  '1 John', '2 John', '3 John', 'Jude', 'Revelation',
];

export const LM_RECIPES: Record<LmRecipeName, LmRecipe> = {
  'word-lstm': {
    name: 'word-lstm',
    level: 'word',
    description: '2-layer word-level LSTM (200 units, 5k words)',
    model: { embedSize: 200, hiddenSize: 200, numLayers: 2, dropout: 0.2, cell: 'lstm' },
    train: { epochs: 6, batchSize: 20, bptt: 35, optimizer: 'sgd', lr: 20, clip: 0.25, lrDecay: 4 },
    vocabSize: 5000,
    books: { train: NT_TRAIN_BOOKS, valid: ['Mark'], test: ['Luke'] },
  },
  'char-lstm': {
    name: 'char-lstm',
    level: 'char',
    description: '2-layer character-level LSTM (256 units)',
    model: { embedSize: 64, hiddenSize: 256, numLayers: 2, dropout: 0.1, cell: 'lstm' },
    train: { epochs: 4, batchSize: 32, bptt: 100, optimizer: 'adam', lr: 0.002, clip: 1, lrDecay: 2 },
    books: { train: NT_TRAIN_BOOKS, valid: ['Mark'], test: ['Luke'] },
  },
};

export function isLmRecipe(name: string): name is LmRecipeName {
  return Object.prototype.hasOwnProperty.call(LM_RECIPES, name);
}

export function getLmRecipe(name: string): LmRecipe {
  if (!isLmRecipe(name)) throw new Error(`unknown language-model recipe '${name}' (known: ${Object.keys(LM_RECIPES).join(', ')})`);
  return LM_RECIPES[name];
}

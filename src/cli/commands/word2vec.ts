/**
 * `shinsou neighbours <checkpoint> <word>` and `shinsou analogy <checkpoint> <a> <b> <c>`: reading
 * the vectors of a `shinsou train word2vec` run (its model.safetensors carries the vocabulary).
 */
import type { Command } from 'commander';
import { loadFile } from '../../node/checkpoint.js';
import { Word2VecVocab } from '../../models/word2vec/corpus.js';
import { WordVectors } from '../../models/word2vec/evaluate.js';
import { intArg } from '../options.js';

/** The input vectors W_in of a word2vec model.safetensors, with its vocabulary. */
export function loadWordVectors(checkpoint: string, who: string): WordVectors {
  const file = loadFile(checkpoint);
  const w = file.tensors['W_in'];
  const vocabJson = file.metadata['vocab'];
  if (file.metadata['recipe'] !== 'word2vec' || !w || !vocabJson)
    throw new Error(
      `${who}: ${checkpoint} is not a word2vec model (expected the model.safetensors of a \`shinsou train word2vec\` run, with W_in and a vocabulary)`,
    );
  const vocab = Word2VecVocab.fromJSON(JSON.parse(vocabJson) as never);
  const [V, d] = w.shape as [number, number];
  if (V !== vocab.size) throw new Error(`${who}: ${checkpoint} has ${V} vectors for a vocabulary of ${vocab.size} words`);
  return new WordVectors(vocab.words, Float32Array.from(w.data as Float32Array), d);
}

const fmtRows = (rows: { word: string; similarity: number }[]): string[] =>
  rows.map((r) => `${r.word.padEnd(16)} ${r.similarity.toFixed(4)}`);

/** `shinsou neighbours`: the k nearest words by cosine similarity. Returns the printed lines. */
export function runNeighbours(checkpoint: string, word: string, o: { k?: number; print?: (line: string) => void } = {}): string[] {
  const print = o.print ?? ((s: string) => process.stdout.write(`${s}\n`));
  const wv = loadWordVectors(checkpoint, 'neighbours');
  const lines = fmtRows(wv.neighbours(word.toLowerCase(), o.k ?? 10));
  lines.forEach((l) => print(l));
  return lines;
}

/** `shinsou analogy`: a : b :: c : ? by 3CosAdd (argmax cos(w, b - a + c), a, b and c left out). */
export function runAnalogy(
  checkpoint: string,
  words: [string, string, string],
  o: { k?: number; print?: (line: string) => void } = {},
): string[] {
  const print = o.print ?? ((s: string) => process.stdout.write(`${s}\n`));
  const wv = loadWordVectors(checkpoint, 'analogy');
  const [a, b, c] = words.map((w) => w.toLowerCase()) as [string, string, string];
  const lines = fmtRows(wv.analogy(a, b, c, o.k ?? 5));
  lines.forEach((l) => print(l));
  return lines;
}

/** Registers `shinsou neighbours` and `shinsou analogy`. */
export function registerWord2VecCommands(program: Command): void {
  program
    .command('neighbours')
    .description('nearest words by cosine similarity in a word2vec run (model.safetensors of `shinsou train word2vec`)')
    .argument('<checkpoint>', 'model.safetensors')
    .argument('<word>', 'a word of the vocabulary')
    .option('-k <n>', 'how many neighbours (default 10)', intArg('k', 1))
    .action((checkpoint: string, word: string, opts: { k?: number }) => {
      runNeighbours(checkpoint, word, opts);
    });
  program
    .command('analogy')
    .description('a : b :: c : ? in a word2vec run, by 3CosAdd (e.g. abraham isaac isaac -> jacob)')
    .argument('<checkpoint>', 'model.safetensors')
    .argument('<a>')
    .argument('<b>')
    .argument('<c>')
    .option('-k <n>', 'how many answers (default 5)', intArg('k', 1))
    .action((checkpoint: string, a: string, b: string, c: string, opts: { k?: number }) => {
      runAnalogy(checkpoint, [a, b, c], opts);
    });
}

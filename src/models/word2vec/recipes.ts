/**
 * The `word2vec` recipe: skip-gram or CBOW with negative sampling on the whole King James Bible
 * (one verse per sentence, tokenised by tokenizeVerse), gensim's defaults for everything else
 * (d = 100, window 5, 5 negatives, min-count 5, sample 1e-3, alpha 0.025 falling linearly to 1e-4).
 * After every epoch: 3CosAdd accuracy on the KJV analogy list (analogies.ts). Artifacts:
 * model.safetensors (W_in, W_out, the vocabulary with counts and the options in its metadata, read
 * by `shinsou neighbours` and `shinsou analogy`), neighbours.txt (a few words' nearest neighbours),
 * speed.json (training words per second)
 * and, with --export-corpus, corpus.txt (the tokens, one sentence a line) for scripts/word2vec_gensim.py.
 */
import { encodeSafetensors } from '../../io/safetensors.js';
import { booleanOption, choiceOption, intOption, numberOption, type OptionValues } from '../../train/options.js';
import { registerRecipe } from '../../train/registry.js';
import type { KjvData } from '../rnn/recipes.js';
import { tokenizeLines, Word2VecVocab } from './corpus.js';
import { Word2Vec } from './model.js';
import { word2vecTask } from './task.js';
import { analogyAccuracy, WordVectors } from './evaluate.js';
import { kjvAnalogyQuestions } from './analogies.js';

const word2vecSpec = {
  mode: choiceOption(
    ['skipgram', 'cbow'] as const,
    'skipgram',
    'skip-gram (predict the window from the word) or CBOW (the word from the window mean)',
  ),
  dim: intOption(100, 'vector size d', { min: 1, max: 4096 }),
  window: intOption(5, 'largest distance between a word and its context (reduced at random per word)', { min: 1, max: 100 }),
  negatives: intOption(5, 'negative samples per step, from the unigram^0.75 table', { min: 1, max: 100 }),
  minCount: intOption(5, 'ignore words seen fewer times', { min: 1 }),
  sample: numberOption(1e-3, 'subsampling threshold t of frequent words (0: keep all)', { min: 0, max: 1 }),
  alpha: numberOption(0.025, 'starting learning rate (falls linearly to min-alpha over the run)', { min: 0, exclusiveMin: true }),
  minAlpha: numberOption(0.0001, 'final learning rate', { min: 0 }),
  epochs: intOption(5, 'passes over the corpus', { min: 1, max: 100_000 }),
  chunkWords: intOption(10_000, "raw words per training step at most (gensim's job size); the learning rate is set per step", { min: 1 }),
  exportCorpus: booleanOption(false, 'also write corpus.txt (the tokens, one verse a line) for scripts/word2vec_gensim.py'),
  seed: intOption(0, 'seed of the init and of the training stream (subsampling, windows, negatives)', { max: 0xffffffff }),
};
type Word2VecSpec = typeof word2vecSpec;

/** Words whose neighbours go into neighbours.txt. */
const SHOWCASE = ['god', 'jesus', 'david', 'egypt', 'king', 'water', 'bread', 'sword', 'love', 'spake'];

function corpusOf(data: KjvData, minCount: number) {
  const text = data.split({ train: null, valid: [], test: [] }).train;
  const sentences = tokenizeLines(text);
  const vocab = Word2VecVocab.build(sentences, minCount);
  return { sentences, vocab };
}

export const WORD2VEC_RECIPE = registerRecipe<Word2VecSpec, KjvData, Word2Vec>({
  name: 'word2vec',
  family: 'word2vec',
  description: 'word2vec (skip-gram or CBOW, negative sampling) on the King James Bible',
  data: { id: 'kjv', description: 'King James Bible text (Debian bible-kjv-text, or downloaded from Project Gutenberg)' },
  options: word2vecSpec,
  model: (o, data) => new Word2Vec({ vocabSize: corpusOf(data, o.minCount).vocab.size, dim: o.dim }),
  prepare: (o: OptionValues<Word2VecSpec>, data) => {
    const { sentences, vocab } = corpusOf(data, o.minCount);
    const model = new Word2Vec({ vocabSize: vocab.size, dim: o.dim });
    const corpus = vocab.encode(sentences);
    const questions = kjvAnalogyQuestions();
    const vectors = () => new WordVectors(vocab.words, Float32Array.from(model.W_in.data as Float32Array), o.dim);
    const analogies = () => {
      const r = analogyAccuracy(vectors(), questions);
      return { analogyAccuracy: r.accuracy, analogyAnswered: r.answered };
    };
    const train = {
      mode: o.mode,
      window: o.window,
      negatives: o.negatives,
      sample: o.sample,
      alpha: o.alpha,
      minAlpha: o.minAlpha,
      epochs: o.epochs,
      seed: o.seed,
      chunkWords: o.chunkWords,
    };
    const { task, wordsPerSecond, rawWords } = word2vecTask(model, vocab, corpus, train, analogies);
    task.finish = analogies;
    return {
      task,
      trainer: { epochs: o.epochs, monitor: 'analogyAccuracy', mode: 'max' },
      summary:
        `word2vec ${o.mode}, d = ${o.dim}, window ${o.window}, ${o.negatives} negatives, sample ${o.sample}, on the KJV (${data.source}): ` +
        `${sentences.length} verses, ${rawWords} words, vocabulary ${vocab.size} (min-count ${o.minCount}); ${questions.length} analogy questions`,
      artifacts: () => {
        const wv = vectors();
        const files: Record<string, string | Uint8Array> = {
          'model.safetensors': encodeSafetensors(model.stateDict(), {
            format: 'pt',
            recipe: 'word2vec',
            vocab: JSON.stringify(vocab.toJSON()),
            options: JSON.stringify({ dim: o.dim, minCount: o.minCount, ...train }),
          }),
          // Timing stays out of the metrics, which must repeat bit for bit on resume.
          'speed.json': `${JSON.stringify({ wordsPerSecond: wordsPerSecond(), note: 'raw corpus words per second of training (trainStep), this process, wall clock' })}\n`,
          'neighbours.txt':
            SHOWCASE.filter((w) => wv.has(w))
              .map(
                (w) =>
                  `${w}: ${wv
                    .neighbours(w, 10)
                    .map((n) => `${n.word} ${n.similarity.toFixed(3)}`)
                    .join(', ')}`,
              )
              .join('\n') + '\n',
        };
        if (o.exportCorpus) files['corpus.txt'] = `${sentences.map((s) => s.join(' ')).join('\n')}\n`;
        return files;
      },
    };
  },
});

/**
 * Translation recipes on the Spanish-English Bible (Reina-Valera 1909 -> World English Bible,
 * aligned by verse; src/data/text/bible-parallel.ts), in the one registry (src/train):
 *   translate-seq2seq      LSTM encoder-decoder without attention (the source squeezed into one vector)
 *   translate-transformer  encoder-decoder Transformer (Vaswani et al. 2017), tied embeddings, warm-up
 * All share the data (split by book: Ezra and Ephesians for validation, Ruth, Jonah and Mark for
 * test), one joint BPE vocabulary learned on the training books, Adam, and the evaluation (loss,
 * corpus BLEU as sacrebleu computes it, greedy and beam search), so their BLEU compare like for like.
 */
import { encodeSafetensors } from '../../io/safetensors.js';
import { BpeVocab } from '../../data/text/bpe.js';
import { splitPairsByBook, TRANSLATION_TEST_BOOKS, TRANSLATION_VALID_BOOKS, type VersePair } from '../../data/text/bible-parallel.js';
import { intOption, numberOption, stringOption, type OptionValues } from '../../train/options.js';
import { registerRecipe, type Recipe } from '../../train/registry.js';
import { encodePairs } from './batch.js';
import { translator, type Translator, type TranslatorKind, type TranslatorOptions } from './models.js';
import { translationTask, type TranslationSplits } from './task.js';

/** What the translation recipes need: the verse pairs in canonical order (src/node/bible-parallel.ts). */
export interface TranslationData {
  source: string;
  pairs: VersePair[];
}

interface Defaults {
  epochs: number;
  batchSize: number;
  lr: number;
  warmup: number;
  embed: number;
  hidden: number;
  dropout: number;
  labelSmoothing: number;
}

function translationOptions(d: Defaults) {
  return {
    heads: intOption(4, 'attention heads (transformer)', { min: 1 }),
    layers: intOption(3, 'encoder and decoder layers (transformer)', { min: 1 }),
    epochs: intOption(d.epochs, 'passes over the training verses', { min: 1, max: 100_000 }),
    batchSize: intOption(d.batchSize, 'verse pairs per step (pairs of similar length batched together)', { min: 1, max: 1_000_000 }),
    lr: numberOption(d.lr, 'Adam learning rate (the peak, after warm-up)', { min: 0, exclusiveMin: true }),
    warmup: intOption(d.warmup, 'linear warm-up steps, then lr·sqrt(warmup/step) (0: constant lr)'),
    clip: numberOption(1, 'gradient-norm clipping threshold (0: none)', { min: 0 }),
    labelSmoothing: numberOption(d.labelSmoothing, 'label smoothing of the cross entropy', { min: 0, max: 0.99 }),
    embed: intOption(d.embed, 'embedding size (model width of the Transformer)', { min: 1 }),
    hidden: intOption(d.hidden, 'LSTM state size (feed-forward size of the Transformer)', { min: 1 }),
    dropout: numberOption(d.dropout, 'dropout', { min: 0, max: 0.99 }),
    merges: intOption(2000, 'BPE merges learned on the training books (joint Spanish-English vocabulary)', { min: 0 }),
    maxLen: intOption(64, 'BPE tokens per verse at most (longer sources are cut, longer targets cut without <eos>)', { min: 2 }),
    validBooks: stringOption(TRANSLATION_VALID_BOOKS.join(','), 'comma-separated OSIS ids of the validation books'),
    testBooks: stringOption(TRANSLATION_TEST_BOOKS.join(','), 'comma-separated OSIS ids of the test books'),
    trainBooks: stringOption('rest', "comma-separated OSIS ids of the training books; 'rest': every book not held out"),
    trainLimit: intOption(0, 'training pairs at most, the first ones in canonical order (0: all; quick runs)'),
    maxBatches: intOption(0, 'steps per epoch at most (0: all; quick runs)'),
    bleuVerses: intOption(200, 'validation verses translated (greedy) for the BLEU after each epoch (0: all)'),
    beam: intOption(4, 'beam width of the final test BLEU (0: greedy only)'),
    beamVerses: intOption(300, 'test verses translated with the beam too (the first ones; 0: all)'),
    lengthPenalty: numberOption(0.6, 'length penalty α of the beam search, ((5 + |Y|) / 6)^α', { min: 0 }),
    seed: intOption(0, 'seed of the init, the batch order and dropout', { max: 0xffffffff }),
  };
}
type TranslationSpec = ReturnType<typeof translationOptions>;

const list = (s: string): string[] =>
  s
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);

// Learning the BPE takes seconds: model() and prepare() of one run share it.
const vocabCache = new WeakMap<TranslationData, Map<string, BpeVocab>>();

/** The split, the BPE vocabulary (training books only) and the encoded pairs of a recipe's options. */
export function translationData(o: OptionValues<TranslationSpec>, data: TranslationData): { splits: TranslationSplits; vocab: BpeVocab } {
  const sp = splitPairsByBook(data.pairs, {
    valid: list(o.validBooks),
    test: list(o.testBooks),
    ...(o.trainBooks === 'rest' ? {} : { train: list(o.trainBooks) }),
  });
  const train = o.trainLimit ? sp.train.slice(0, o.trainLimit) : sp.train;
  const key = `${o.merges}|${o.validBooks}|${o.testBooks}|${o.trainBooks}|${o.trainLimit}`;
  let cache = vocabCache.get(data);
  if (!cache) vocabCache.set(data, (cache = new Map()));
  let vocab = cache.get(key);
  if (!vocab) {
    vocab = BpeVocab.learn(
      train.flatMap((p) => [p.es, p.en]),
      { merges: o.merges },
    );
    cache.set(key, vocab);
  }
  const splits: TranslationSplits = {
    train: encodePairs(train, vocab, o.maxLen),
    valid: encodePairs(sp.valid, vocab, o.maxLen),
    test: encodePairs(sp.test, vocab, o.maxLen),
    validRefs: sp.valid.map((p) => p.en),
    testRefs: sp.test.map((p) => p.en),
  };
  return { splits, vocab };
}

function modelOptions(kind: TranslatorKind, o: OptionValues<TranslationSpec>, vocab: BpeVocab): TranslatorOptions {
  const common = { vocabSize: vocab.size, embedSize: o.embed, hiddenSize: o.hidden, dropout: o.dropout };
  if (kind === 'transformer') return { kind, ...common, heads: o.heads, layers: o.layers, maxPositions: 2 * o.maxLen + 16 };
  return { kind, ...common };
}

function translationRecipe(
  name: string,
  kind: TranslatorKind,
  description: string,
  d: Defaults,
): Recipe<TranslationSpec, TranslationData, Translator> {
  return {
    name,
    family: 'translation',
    description,
    data: { id: 'bible-es-en', description: 'Spanish-English Bible verse pairs (Debian diatheke, sword-text-sparv, sword-text-web)' },
    options: translationOptions(d),
    model: (o, data) => translator(modelOptions(kind, o, translationData(o, data).vocab)),
    prepare: (o, data) => {
      const { splits, vocab } = translationData(o, data);
      const mo = modelOptions(kind, o, vocab);
      const model = translator(mo);
      const { task, trainer, samples } = translationTask(model, vocab, splits, {
        epochs: o.epochs,
        batchSize: o.batchSize,
        lr: o.lr,
        warmup: o.warmup,
        clip: o.clip,
        seed: o.seed,
        maxBatches: o.maxBatches,
        bleuVerses: o.bleuVerses,
        beam: o.beam,
        beamVerses: o.beamVerses,
        lengthPenalty: o.lengthPenalty,
        labelSmoothing: o.labelSmoothing,
      });
      const meta = {
        format: 'pt',
        recipe: name,
        kind,
        model: JSON.stringify(mo),
        vocab: JSON.stringify(vocab.toJSON()),
        maxLen: String(o.maxLen),
      };
      const tokens = (e: { tgt: Int32Array }[]): number => e.reduce((s, x) => s + x.tgt.length, 0);
      return {
        task,
        trainer,
        summary:
          `${name}: ${kind} (${kind === 'transformer' ? `d ${o.embed}, feed-forward ${o.hidden}, ${o.heads} heads, ${o.layers}+${o.layers} layers` : `embedding ${o.embed}, hidden ${o.hidden}`}) on ${data.source}: ${model.numParameters()} parameters, BPE vocabulary ${vocab.size} (${o.merges} merges)\n` +
          `verse pairs (target tokens): train ${splits.train.length} (${tokens(splits.train)}), valid ${splits.valid.length} (${tokens(splits.valid)}, ${o.validBooks}), test ${splits.test.length} (${tokens(splits.test)}, ${o.testBooks})`,
        artifacts: () => ({
          'model.safetensors': encodeSafetensors(model.stateDict(), meta),
          'samples.txt': samples(),
        }),
      };
    },
  };
}

export const TRANSLATE_SEQ2SEQ_RECIPE = registerRecipe(
  translationRecipe('translate-seq2seq', 'seq2seq', 'LSTM encoder-decoder without attention, Spanish -> English Bible verses (BPE, BLEU)', {
    epochs: 4,
    batchSize: 64,
    lr: 0.001,
    warmup: 0,
    embed: 128,
    hidden: 256,
    dropout: 0.2,
    labelSmoothing: 0,
  }),
);

export const TRANSLATE_TRANSFORMER_RECIPE = registerRecipe(
  translationRecipe(
    'translate-transformer',
    'transformer',
    'Transformer encoder-decoder (post-norm, tied embeddings, warm-up), Spanish -> English Bible verses (BPE, BLEU)',
    {
      epochs: 4,
      batchSize: 64,
      lr: 0.001,
      warmup: 400,
      embed: 128,
      hidden: 512,
      dropout: 0.1,
      labelSmoothing: 0.1,
    },
  ),
);

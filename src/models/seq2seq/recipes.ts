/**
 * Encoder-decoder recipes on generated data, in the one registry (src/train):
 *   seq2seq-addition  "123+45" -> "168" with an LSTM encoder-decoder, four variants of the
 *                     curriculum's toy problem: baseline, reversed input, peeky decoder, both
 *   attention-dates   human-written dates ("Sunday, March 3 1996", "3/3/96", "1996年3月3日") ->
 *                     ISO "1996-03-03", with a bidirectional encoder and an attention decoder;
 *                     the attention weights of a few held-out dates as a heatmap (attention.svg)
 * Both report the held-out exact match of greedy decoding per epoch.
 */
import { encodeSafetensors } from '../../io/safetensors.js';
import type { CharVocab } from '../../data/text/vocab.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { booleanOption, choiceOption, intOption, numberOption, type OptionValues } from '../../train/options.js';
import { registerRecipe } from '../../train/registry.js';
import { Seq2Seq, type Seq2SeqOptions } from './model.js';
import { additionPairs, datePairs, seq2seqCharVocab, type TextPair } from './data.js';
import { collateSeq2Seq, generateSeq2Seq, seq2seqTask, type IdPair, type SpecialIds } from './task.js';

/** The curriculum's four addition models. */
export const ADDITION_VARIANTS = ['baseline', 'reversed', 'peeky', 'reversed-peeky'] as const;
export type AdditionVariant = (typeof ADDITION_VARIANTS)[number];

function idsOf(vocab: CharVocab): SpecialIds {
  return { pad: vocab.index.get('<pad>')!, bos: vocab.index.get('<bos>')!, eos: vocab.index.get('<eos>')! };
}

function encodePairs(pairs: readonly TextPair[], vocab: CharVocab): IdPair[] {
  return pairs.map((p) => ({ source: vocab.encode(p.source), target: vocab.encode(p.target) }));
}

/** Held-out examples with the greedy answer, right or wrong: a quick look at what the model does. */
function samplesText(model: Seq2Seq, pairs: readonly TextPair[], enc: readonly IdPair[], vocab: CharVocab, n: number): string {
  const pick = pairs.slice(0, n);
  const maxLength = Math.max(...enc.map((e) => e.target.length)) + 1;
  const out = generateSeq2Seq(
    model,
    enc.slice(0, n).map((e) => e.source),
    idsOf(vocab),
    { maxLength },
  );
  return (
    pick
      .map((p, i) => {
        const got = vocab.decode(out[i]!);
        return `${got === p.target ? 'ok ' : 'BAD'} ${JSON.stringify(p.source)} -> ${got}${got === p.target ? '' : ` (want ${p.target})`}`;
      })
      .join('\n') + '\n'
  );
}

const common = (d: { epochs: number; batchSize: number; embed: number; hidden: number; schedule: 'constant' | 'cosine' }) => ({
  epochs: intOption(d.epochs, 'passes over the training pairs', { min: 1, max: 100_000 }),
  batchSize: intOption(d.batchSize, 'pairs per step', { min: 1, max: 1_000_000 }),
  lr: numberOption(0.001, 'Adam learning rate', { min: 0, exclusiveMin: true }),
  schedule: choiceOption(
    ['constant', 'cosine'] as const,
    d.schedule,
    'learning rate over the run: constant, or cosine decay to 0 by the last epoch',
  ),
  clip: numberOption(5, 'gradient-norm clipping threshold (0: none)', { min: 0 }),
  embed: intOption(d.embed, 'character embedding size', { min: 1 }),
  hidden: intOption(d.hidden, 'LSTM units (encoder directions together, and decoder)', { min: 2 }),
  layers: intOption(1, 'stacked LSTM layers', { min: 1, max: 8 }),
  dropout: numberOption(0, 'dropout on embeddings, between layers and before the output', { min: 0, max: 0.9 }),
  maxBatches: intOption(0, 'steps per epoch at most (0: all; quick runs)'),
  evalLimit: intOption(0, 'held-out pairs evaluated per epoch (0: all)'),
  target: numberOption(0, 'stop once the held-out exact match reaches this (0: never)', { min: 0, max: 1 }),
});

const additionSpec = {
  ...common({ epochs: 25, batchSize: 128, embed: 16, hidden: 128, schedule: 'constant' }),
  variant: choiceOption(
    ADDITION_VARIANTS,
    'reversed-peeky',
    'baseline, reversed (read the question backwards), peeky (thought vector at every step), or both',
  ),
  pairs: intOption(50_000, 'distinct additions generated', { min: 10 }),
  digits: intOption(3, 'operand digits at most', { min: 1, max: 7 }),
  heldOut: numberOption(0.1, 'fraction of the pairs held out', { min: 0, max: 0.9, exclusiveMin: true }),
  spacePad: booleanOption(true, "pad every question with spaces to 2*digits+1 characters, as the curriculum ('12+3' -> '12+3   ')"),
  seed: intOption(0, 'seed of the pairs, the split, the init and the batch order', { max: 0xffffffff }),
};
type AdditionSpec = typeof additionSpec;

function additionData(o: OptionValues<AdditionSpec>): { train: TextPair[]; valid: TextPair[]; vocab: CharVocab } {
  const width = 2 * o.digits + 1;
  const all = additionPairs({ count: o.pairs, digits: o.digits, seed: o.seed }).map((p) => ({
    source: o.spacePad ? p.source.padEnd(width, ' ') : p.source,
    target: p.target,
  }));
  // the pairs come in random order: the last heldOut fraction is the held-out split
  const nValid = Math.max(1, Math.round(all.length * o.heldOut));
  const train = all.slice(0, all.length - nValid);
  const valid = all.slice(all.length - nValid);
  const vocab = seq2seqCharVocab(['0123456789+ ']);
  return { train, valid, vocab };
}

function additionModelOptions(o: OptionValues<AdditionSpec>, vocab: CharVocab): Seq2SeqOptions {
  return {
    srcVocab: vocab.size,
    tgtVocab: vocab.size,
    embedSize: o.embed,
    hiddenSize: o.hidden,
    numLayers: o.layers,
    dropout: o.dropout,
    reverseSource: o.variant === 'reversed' || o.variant === 'reversed-peeky',
    peeky: o.variant === 'peeky' || o.variant === 'reversed-peeky',
    padId: idsOf(vocab).pad,
  };
}

export const SEQ2SEQ_ADDITION_RECIPE = registerRecipe<AdditionSpec, null, Seq2Seq>({
  name: 'seq2seq-addition',
  family: 'seq2seq',
  description: "LSTM encoder-decoder learns '123+45' -> '168' (variants: baseline, reversed, peeky, reversed-peeky)",
  data: { id: 'generated', description: 'additions of random operands generated from the seed (nothing to install)' },
  options: additionSpec,
  model: (o) => new Seq2Seq(additionModelOptions(o, additionData(o).vocab)),
  prepare: (o) => {
    const { train, valid, vocab } = additionData(o);
    const mo = additionModelOptions(o, vocab);
    const model = new Seq2Seq(mo);
    const enc = { train: encodePairs(train, vocab), valid: encodePairs(valid, vocab) };
    const ids = idsOf(vocab);
    const { task, trainer } = seq2seqTask(model, enc, ids, {
      epochs: o.epochs,
      batchSize: o.batchSize,
      lr: o.lr,
      clip: o.clip,
      seed: o.seed,
      maxBatches: o.maxBatches,
      evalLimit: o.evalLimit,
      target: o.target,
      schedule: o.schedule,
    });
    const meta = { format: 'pt', recipe: 'seq2seq-addition', model: JSON.stringify(mo), vocab: JSON.stringify(vocab.toJSON()) };
    return {
      task,
      trainer,
      summary:
        `seq2seq-addition (${o.variant}): LSTM encoder-decoder, embedding ${o.embed}, hidden ${o.hidden}, ${model.numParameters()} parameters\n` +
        `pairs: train ${train.length}, held out ${valid.length} (operands up to ${o.digits} digits)`,
      artifacts: () => ({
        'model.safetensors': encodeSafetensors(model.stateDict(), meta),
        'samples.txt': samplesText(model, valid, enc.valid, vocab, 20),
      }),
    };
  },
});

const datesSpec = {
  ...common({ epochs: 12, batchSize: 64, embed: 32, hidden: 128, schedule: 'constant' }),
  attention: choiceOption(
    ['additive', 'dot', 'general', 'concat'] as const,
    'general',
    'attention score (Bahdanau additive, or Luong dot/general/concat)',
  ),
  bidirectional: booleanOption(true, 'bidirectional encoder (hidden/2 units per direction)'),
  bucket: booleanOption(true, 'batches of one source length (no padding; the fused encoder)'),
  trainSize: intOption(20_000, 'training examples', { min: 10 }),
  validSize: intOption(5000, 'held-out examples (on days never seen in training)', { min: 10 }),
  seed: intOption(0, 'seed of the dates, the split, the init and the batch order', { max: 0xffffffff }),
};
type DatesSpec = typeof datesSpec;

function datesData(o: OptionValues<DatesSpec>): { train: TextPair[]; valid: TextPair[]; vocab: CharVocab } {
  const { train, valid } = datePairs({ trainSize: o.trainSize, validSize: o.validSize, seed: o.seed });
  const vocab = seq2seqCharVocab([...train.map((p) => p.source), ...train.map((p) => p.target)]);
  return { train, valid, vocab };
}

function datesModelOptions(o: OptionValues<DatesSpec>, vocab: CharVocab): Seq2SeqOptions {
  return {
    srcVocab: vocab.size,
    tgtVocab: vocab.size,
    embedSize: o.embed,
    hiddenSize: o.hidden,
    numLayers: o.layers,
    dropout: o.dropout,
    bidirectional: o.bidirectional,
    attention: o.attention,
    padId: idsOf(vocab).pad,
  };
}

/**
 * The attention weights a_{t,s} of a few examples under their greedy answers, as a Vega-Lite
 * heatmap spec (one panel per example: source characters across, generated characters down).
 */
export function attentionHeatmapSpec(model: Seq2Seq, pairs: readonly TextPair[], vocab: CharVocab): Record<string, unknown> {
  const ids = idsOf(vocab);
  const enc = encodePairs(pairs, vocab);
  const gen = generateSeq2Seq(
    model,
    enc.map((e) => e.source),
    ids,
    { maxLength: 12 },
  );
  const values: { example: string; s: number; t: number; src: string; out: string; weight: number }[] = [];
  // a character repeats within a date ('1996'): zero-width spaces keep each position's label unique
  const label = (ch: string, i: number): string => (ch === ' ' ? '␣' : ch) + '\u200b'.repeat(i);
  const wasTraining = model.training;
  model.eval();
  noGrad(() => {
    pairs.forEach((p, k) => {
      const b = collateSeq2Seq([{ source: enc[k]!.source, target: Int32Array.from(gen[k]!) }], ids);
      const w = model.forward(b, b.input).attention!.contiguous().data as Float32Array; // [1, T, S]
      const S = enc[k]!.source.length;
      const outChars = [...vocab.decode(gen[k]!), '<eos>'];
      const srcChars = [...p.source];
      outChars.forEach((oc, t) =>
        srcChars.forEach((sc, s) => values.push({ example: p.source, s, t, src: label(sc, s), out: label(oc, t), weight: w[t * S + s]! })),
      );
    });
  });
  model.train(wasTraining);
  // one panel per example (vconcat/concat: facets with independent step-sized scales do not render headlessly)
  const panel = (example: string): Record<string, unknown> => ({
    title: example,
    data: { values: values.filter((v) => v.example === example) },
    width: { step: 14 },
    height: { step: 14 },
    mark: 'rect',
    encoding: {
      x: { field: 'src', type: 'ordinal', title: null, sort: { field: 's' }, axis: { labelAngle: 0 } },
      y: { field: 'out', type: 'ordinal', title: null, sort: { field: 't' } },
      color: { field: 'weight', type: 'quantitative', scale: { scheme: 'greys', domain: [0, 1] } },
    },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'attention weights a(t, s): generated character t (down) reads source character s (across)',
    concat: pairs.map((p) => panel(p.source)),
    columns: 2,
  };
}

export const ATTENTION_DATES_RECIPE = registerRecipe<DatesSpec, null, Seq2Seq>({
  name: 'attention-dates',
  family: 'seq2seq',
  description: "attention seq2seq normalises human-written dates ('Sunday, March 3 1996', '3/3/96') to ISO 1996-03-03",
  data: { id: 'generated', description: 'dates 1950-2049 in 25 formats generated from the seed (nothing to install)' },
  options: datesSpec,
  model: (o) => new Seq2Seq(datesModelOptions(o, datesData(o).vocab)),
  prepare: (o) => {
    const { train, valid, vocab } = datesData(o);
    const mo = datesModelOptions(o, vocab);
    const model = new Seq2Seq(mo);
    const enc = { train: encodePairs(train, vocab), valid: encodePairs(valid, vocab) };
    const { task, trainer } = seq2seqTask(model, enc, idsOf(vocab), {
      epochs: o.epochs,
      batchSize: o.batchSize,
      lr: o.lr,
      clip: o.clip,
      seed: o.seed,
      maxBatches: o.maxBatches,
      evalLimit: o.evalLimit,
      target: o.target,
      bucketByLength: o.bucket,
      schedule: o.schedule,
    });
    const meta = { format: 'pt', recipe: 'attention-dates', model: JSON.stringify(mo), vocab: JSON.stringify(vocab.toJSON()) };
    // one held-out example each of: weekday and month word, lower-case month word, US month/day/yy, Japanese
    const shapes = [/^[A-Z][a-z]+day, [A-Z][a-z]+ \d+ \d{4}$/, /^\d+ [a-z]+ \d{4}$/, /^\d+\/\d+\/\d\d$/, /年.*日$/];
    const heatmapPairs = shapes.map((re) => valid.find((p) => re.test(p.source)) ?? valid[0]!);
    return {
      task,
      trainer,
      summary:
        `attention-dates: ${o.bidirectional ? 'bidirectional ' : ''}LSTM encoder, ${o.attention} attention decoder, embedding ${o.embed}, hidden ${o.hidden}, ${model.numParameters()} parameters; vocabulary ${vocab.size} characters\n` +
        `examples: train ${train.length}, held out ${valid.length} (days never seen in training)`,
      artifacts: () => ({
        'model.safetensors': encodeSafetensors(model.stateDict(), meta),
        'samples.txt': samplesText(model, valid, enc.valid, vocab, 30),
        'attention.vl.json': JSON.stringify(attentionHeatmapSpec(model, heatmapPairs, vocab)),
      }),
    };
  },
});

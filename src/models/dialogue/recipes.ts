/**
 * Dialogue recipes on the Wesnoth campaigns' dialogue, in the one registry (src/train):
 *   dialogue-seq2seq  GRU encoder over the concatenated context (up to 3 turns), GRU decoder
 *   hred              utterance encoder, context RNN over the turns, decoder (Serban et al. 2016)
 *   vhred             HRED with a latent z per response, KL annealing and word drop (Serban et al. 2017)
 * All three share the data (split by campaign), the sizes, Adam and the evaluation, so their test
 * perplexities compare like for like.
 */
import { encodeSafetensors } from '../../io/safetensors.js';
import { dialogueExamples, type DialogueExample } from '../../data/text/dialogue.js';
import { WESNOTH_CAMPAIGNS, type DialogueTurn } from '../../data/text/wesnoth.js';
import type { WordVocab } from '../../data/text/vocab.js';
import { choiceOption, intOption, numberOption, stringOption, type OptionValues } from '../../train/options.js';
import { registerRecipe, type Recipe } from '../../train/registry.js';
import { dialogueModel, type DialogueModel, type DialogueModelKind, type DialogueModelOptions } from './models.js';
import { dialogueVocab, encodeExamples, type EncodedExample } from './batch.js';
import { dialogueTask, generateResponses } from './task.js';

/** What the dialogue recipes need: each campaign's turns in order (src/node/wesnoth.ts provides them). */
export interface WesnothData {
  /** Where the campaigns were read (for the log). */
  source: string;
  campaigns: { name: string; turns: DialogueTurn[] }[];
}

/** Held-out campaigns: two small ones for validation and two for test (about 6% of the examples each). */
export const DIALOGUE_VALID_CAMPAIGNS = ['Liberty', 'The_Hammer_of_Thursagan'];
export const DIALOGUE_TEST_CAMPAIGNS = ['The_South_Guard', 'Two_Brothers'];

function dialogueOptions(d: { epochs: number; wordDrop: number; freeBits: number }) {
  return {
    epochs: intOption(d.epochs, 'passes over the training examples', { min: 1, max: 100_000 }),
    batchSize: intOption(32, 'examples per step', { min: 1, max: 1_000_000 }),
    lr: numberOption(0.001, 'Adam learning rate', { min: 0, exclusiveMin: true }),
    clip: numberOption(1, 'gradient-norm clipping threshold (0: none)', { min: 0 }),
    embed: intOption(64, 'word embedding size', { min: 1 }),
    hidden: intOption(128, 'encoder and decoder state size', { min: 1 }),
    context: intOption(128, 'context RNN state size (hred, vhred)', { min: 1 }),
    latent: intOption(32, 'latent z size (vhred)', { min: 1 }),
    cell: choiceOption(['gru', 'lstm'] as const, 'gru', 'recurrent cell'),
    dropout: numberOption(0.2, 'dropout on embeddings and decoder outputs', { min: 0, max: 0.99 }),
    wordDrop: numberOption(d.wordDrop, 'probability of replacing a decoder input word by <unk> in training', { min: 0, max: 0.99 }),
    klAnneal: intOption(400, 'steps over which the KL weight rises from 0 to 1 (vhred; 0: 1 from the start)'),
    freeBits: numberOption(d.freeBits, 'free bits: nats of KL per response the objective does not penalise (vhred; 0: off)', { min: 0 }),
    vocab: intOption(2000, 'vocabulary size (<unk> and <eos> included)', { min: 3 }),
    maxLen: intOption(20, 'tokens per utterance at most (longer ones are cut)', { min: 2 }),
    contextTurns: intOption(3, 'previous turns in a context at most', { min: 1, max: 100 }),
    trainCampaigns: stringOption('rest', "comma-separated training campaigns; 'rest': every campaign not held out, but the tutorial"),
    validCampaigns: stringOption(DIALOGUE_VALID_CAMPAIGNS.join(','), 'comma-separated validation campaigns'),
    testCampaigns: stringOption(DIALOGUE_TEST_CAMPAIGNS.join(','), 'comma-separated test campaigns'),
    maxBatches: intOption(0, 'steps per epoch at most (0: all; quick runs)'),
    genContexts: intOption(0, 'test contexts answered for distinct-n (0: all)'),
    seed: intOption(0, 'seed of the init, the batch order, dropout, word drop and z', { max: 0xffffffff }),
  };
}
type DialogueSpec = ReturnType<typeof dialogueOptions>;

const list = (s: string): string[] =>
  s
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);

/** The split, the vocabulary (training turns only) and the encoded examples of a recipe's options. */
export function dialogueData(
  o: OptionValues<DialogueSpec>,
  data: WesnothData,
): {
  names: { train: string[]; valid: string[]; test: string[] };
  raw: { train: DialogueExample[]; valid: DialogueExample[]; test: DialogueExample[] };
  encoded: { train: EncodedExample[]; valid: EncodedExample[]; test: EncodedExample[] };
  vocab: WordVocab;
} {
  const known = data.campaigns.map((c) => c.name);
  const valid = list(o.validCampaigns);
  const test = list(o.testCampaigns);
  const train =
    o.trainCampaigns === 'rest' ? known.filter((c) => !valid.includes(c) && !test.includes(c) && c !== 'tutorial') : list(o.trainCampaigns);
  for (const c of [...train, ...valid, ...test])
    if (!known.includes(c)) {
      const pkg = WESNOTH_CAMPAIGNS.find((w) => w.name === c)?.package;
      throw new Error(`dialogue data: no campaign '${c}' (found: ${known.join(', ')})${pkg ? `; install the Debian package ${pkg}` : ''}`);
    }
  const turnsOf = (names: string[]): DialogueTurn[] => data.campaigns.filter((c) => names.includes(c.name)).flatMap((c) => c.turns);
  const examplesOf = (names: string[]): DialogueExample[] => dialogueExamples(turnsOf(names), { contextTurns: o.contextTurns });
  const raw = { train: examplesOf(train), valid: examplesOf(valid), test: examplesOf(test) };
  const vocab = dialogueVocab(
    turnsOf(train).map((t) => t.text),
    o.vocab,
  );
  const enc = (e: DialogueExample[]): EncodedExample[] => encodeExamples(e, vocab, o.maxLen);
  return { names: { train, valid, test }, raw, encoded: { train: enc(raw.train), valid: enc(raw.valid), test: enc(raw.test) }, vocab };
}

function modelOptions(o: OptionValues<DialogueSpec>, vocab: WordVocab): DialogueModelOptions {
  return {
    vocabSize: vocab.size,
    embedSize: o.embed,
    hiddenSize: o.hidden,
    contextSize: o.context,
    latentSize: o.latent,
    cell: o.cell,
    dropout: o.dropout,
  };
}

/** A few test dialogues with the reference and generated responses (greedy, beam, samples). */
function sampleDialogues(
  model: DialogueModel,
  raw: DialogueExample[],
  enc: EncodedExample[],
  vocab: WordVocab,
  count: number,
  maxLen: number,
): string {
  const step = Math.max(1, Math.floor(raw.length / count));
  const picks = Array.from({ length: Math.min(count, raw.length) }, (_, i) => i * step);
  const ex = picks.map((i) => enc[i]!);
  const common = { eos: vocab.eos, batchSize: 64, decode: { maxLength: maxLen, exclude: [vocab.unk] } };
  const greedy = generateResponses(model, ex, { ...common, seed: 11, decode: { ...common.decode, method: 'greedy' } });
  const beam = generateResponses(model, ex, {
    ...common,
    seed: 12,
    decode: { ...common.decode, method: 'beam', beamWidth: 4, lengthPenalty: 0.6 },
  });
  const samples = [0, 1, 2].map((k) =>
    generateResponses(model, ex, { ...common, seed: 13 + k, decode: { ...common.decode, method: 'sample', temperature: 0.7 } }),
  );
  const text = (ids: number[]): string => vocab.decode(ids).replace(/\n/g, ' ').trim();
  const lines: string[] = [];
  picks.forEach((i, j) => {
    const e = raw[i]!;
    lines.push(`--- ${e.response.source.replace(/^.*campaigns\//, '')}`);
    for (const t of e.context) lines.push(`  ${t.speaker}: ${t.text}`);
    lines.push(`  [reference] ${e.response.speaker}: ${e.response.text}`);
    lines.push(`  [greedy] ${text(greedy[j]!)}`);
    lines.push(`  [beam 4] ${text(beam[j]!)}`);
    samples.forEach((s, k) => lines.push(`  [sample ${k + 1}, τ 0.7] ${text(s[j]!)}`));
    lines.push('');
  });
  return lines.join('\n');
}

function dialogueRecipe(
  name: string,
  kind: DialogueModelKind,
  description: string,
  d: Parameters<typeof dialogueOptions>[0],
): Recipe<DialogueSpec, WesnothData, DialogueModel> {
  return {
    name,
    family: 'dialogue',
    description,
    data: { id: 'wesnoth', description: 'dialogue of the Wesnoth campaigns (Debian wesnoth-1.16-<campaign> packages)' },
    options: dialogueOptions(d),
    model: (o, data) => dialogueModel(kind, modelOptions(o, dialogueData(o, data).vocab)),
    prepare: (o, data) => {
      const { names, raw, encoded, vocab } = dialogueData(o, data);
      const mo = modelOptions(o, vocab);
      const model = dialogueModel(kind, mo);
      model.wordDropRate = o.wordDrop;
      model.unk = vocab.unk;
      const train = {
        epochs: o.epochs,
        batchSize: o.batchSize,
        lr: o.lr,
        clip: o.clip,
        klAnneal: o.klAnneal,
        freeBits: o.freeBits,
        seed: o.seed,
        maxBatches: o.maxBatches,
        genContexts: o.genContexts,
        genLength: o.maxLen,
        eos: vocab.eos,
        exclude: [vocab.unk],
      };
      const { task, trainer } = dialogueTask(model, encoded, train);
      const meta = { format: 'pt', recipe: name, kind, model: JSON.stringify(mo), vocab: JSON.stringify(vocab.toJSON()) };
      const tokens = (e: EncodedExample[]): number => e.reduce((s, x) => s + x.response.length, 0);
      return {
        task,
        trainer,
        summary:
          `${name}: ${kind} (${o.cell}, embedding ${o.embed}, hidden ${o.hidden}${kind === 'seq2seq' ? '' : `, context ${o.context}`}${kind === 'vhred' ? `, latent ${o.latent}` : ''}) on the Wesnoth dialogue (${data.source}): ${model.numParameters()} parameters, vocabulary ${vocab.size}\n` +
          `examples (response tokens): train ${encoded.train.length} (${tokens(encoded.train)}, ${names.train.length} campaigns), ` +
          `valid ${encoded.valid.length} (${tokens(encoded.valid)}, ${names.valid.join(', ')}), test ${encoded.test.length} (${tokens(encoded.test)}, ${names.test.join(', ')})`,
        artifacts: () => ({
          'model.safetensors': encodeSafetensors(model.stateDict(), meta),
          'samples.txt': sampleDialogues(model, raw.test, encoded.test, vocab, 8, o.maxLen),
        }),
      };
    },
  };
}

export const DIALOGUE_SEQ2SEQ_RECIPE = registerRecipe(
  dialogueRecipe(
    'dialogue-seq2seq',
    'seq2seq',
    'seq2seq baseline: GRU over the concatenated context (3 turns), GRU decoder; Wesnoth dialogue',
    {
      epochs: 4,
      wordDrop: 0,
      freeBits: 0,
    },
  ),
);
export const HRED_RECIPE = registerRecipe(
  dialogueRecipe('hred', 'hred', 'HRED: utterance encoder, context RNN and decoder (GRU) on the Wesnoth dialogue', {
    epochs: 4,
    wordDrop: 0,
    freeBits: 0,
  }),
);
export const VHRED_RECIPE = registerRecipe(
  dialogueRecipe('vhred', 'vhred', 'VHRED: HRED with a latent z per response, KL annealing and word drop, on the Wesnoth dialogue', {
    epochs: 4,
    wordDrop: 0.25,
    freeBits: 0,
  }),
);

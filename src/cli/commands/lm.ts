/**
 * `shinsou sample <checkpoint>`: text from a language model trained by `shinsou train char-lstm`
 * or `word-lstm` (their model.safetensors carries the vocabulary and the model options).
 */
import type { Command } from 'commander';
import { loadFile } from '../../node/checkpoint.js';
import { WordVocab, Vocab } from '../../data/text/vocab.js';
import { RNNLanguageModel, sampleLm, type LanguageModelOptions } from '../../models/rnn/lm.js';
import { intArg, numArg } from '../options.js';

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

/** Registers `shinsou sample`. */
export function registerLmCommands(program: Command): void {
  program
    .command('sample')
    .description('generate text from a language-model run (model.safetensors of a char-lstm/word-lstm run)')
    .argument('<checkpoint>', 'model.safetensors')
    .option('--prompt <text>', 'text to continue')
    .option('--length <n>', 'tokens to generate', intArg('length', 1))
    .option('--temperature <t>', 'softmax temperature (default 0.8)', numArg('temperature', 0, true))
    .option('--top-k <k>', 'sample among the k most likely tokens (default 0: all)', intArg('top-k'))
    .option('--seed <n>', 'seed', intArg('seed'))
    .action((checkpoint: string, opts: SampleCommandOptions) => {
      runSample(checkpoint, opts);
    });
}

/**
 * `shinsou translate <checkpoint> [text...]`: Spanish -> English with a model trained by one of the
 * translate-* recipes (its model.safetensors carries the model options, the BPE vocabulary and
 * the length limit). Sentences come from the arguments, or from stdin one per line. Greedy by
 * default; `--beam N` runs beam search with the length penalty of src/models/decoding.ts.
 *
 * Awkward input never crashes: characters the vocabulary never saw become <unk> (a note on stderr
 * names them); a sentence longer than the model's limit (maxLen BPE tokens, 64 for the recipes) is
 * cut to its first maxLen tokens and translated so (a note on stderr says how much was dropped);
 * an empty line gives an empty line.
 */
import type { Command } from 'commander';
import { loadFile } from '../../node/checkpoint.js';
import { BpeVocab, type BpeJson } from '../../data/text/bpe.js';
import { encodeSource } from '../../models/translation/batch.js';
import { translator, type TranslatorOptions } from '../../models/translation/models.js';
import { translateIds } from '../../models/translation/task.js';
import { intArg, numArg } from '../options.js';

export interface TranslateCommandOptions {
  beam?: number;
  lengthPenalty?: number;
  maxLength?: number;
  /** Where translations go (default stdout), and notes (default stderr). */
  print?: (line: string) => void;
  warn?: (line: string) => void;
}

/** Translations of `sentences` (one output line per input line). */
export function runTranslate(checkpoint: string, sentences: readonly string[], o: TranslateCommandOptions = {}): string[] {
  const print = o.print ?? ((s: string) => process.stdout.write(`${s}\n`));
  const warn = o.warn ?? ((s: string) => process.stderr.write(`${s}\n`));
  const file = loadFile(checkpoint);
  const m = file.metadata;
  if (!m['model'] || !m['vocab'] || !m['maxLen'])
    throw new Error(
      `translate: ${checkpoint} is not a translation checkpoint (no model/vocab/maxLen metadata; train one with 'shinsou train translate-seq2seq')`,
    );
  const vocab = BpeVocab.fromJSON(JSON.parse(m['vocab']) as BpeJson);
  const model = translator(JSON.parse(m['model']) as TranslatorOptions);
  model.loadStateDict(file.tensors);
  const maxLen = Number(m['maxLen']);
  const sources = sentences.map((s, i) => {
    const unknown = vocab.unknownCharacters(s);
    if (unknown.length)
      warn(`translate: line ${i + 1}: characters never seen in training read as <unk>: ${unknown.map((c) => JSON.stringify(c)).join(' ')}`);
    const { ids, cut } = encodeSource(vocab, s, maxLen);
    if (cut)
      warn(
        `translate: line ${i + 1}: ${vocab.encode(s).length} BPE tokens, more than the model's ${maxLen}: only the first ${maxLen} are translated`,
      );
    return ids;
  });
  const beam = o.beam ?? 0;
  const decodeOpts = {
    method: beam > 1 ? ('beam' as const) : ('greedy' as const),
    beamWidth: Math.max(1, beam),
    lengthPenalty: o.lengthPenalty ?? 0.6,
    maxLength: o.maxLength ?? 2 * maxLen + 10,
  };
  const nonEmpty = sources.map((s, i) => [s, i] as const).filter(([s]) => s.length > 0);
  const ids = translateIds(
    model,
    vocab,
    nonEmpty.map(([s]) => s),
    decodeOpts,
  );
  const out = sources.map(() => '');
  nonEmpty.forEach(([, i], j) => (out[i] = vocab.decode(ids[j]!)));
  for (const line of out) print(line);
  return out;
}

async function readStdinLines(): Promise<string[]> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const lines = text.split(/\r?\n/);
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Registers `shinsou translate`. */
export function registerTranslateCommands(program: Command): void {
  program
    .command('translate')
    .description(
      'translate Spanish to English with a translate-* run (model.safetensors); text from the arguments or stdin, one sentence per line',
    )
    .argument('<checkpoint>', 'model.safetensors of a translate-seq2seq run')
    .argument('[text...]', 'sentences to translate (default: read stdin, one per line)')
    .option('--beam <n>', 'beam width (default 0: greedy)', intArg('beam', 0, 64))
    .option('--length-penalty <a>', 'length penalty α of the beam, ((5 + |Y|) / 6)^α (default 0.6)', numArg('length-penalty', 0))
    .option('--max-length <n>', 'target tokens at most per sentence (default 2 × the model limit + 10)', intArg('max-length', 1))
    .action(async (checkpoint: string, text: string[], opts: TranslateCommandOptions) => {
      const sentences = text.length ? [text.join(' ')] : await readStdinLines();
      runTranslate(checkpoint, sentences, opts);
    });
}

/**
 * Vocabularies for language modelling: characters, or words (the top-N most frequent plus <unk>).
 * Both map text to int32 ids and back, and serialise to JSON so a checkpoint can carry its vocab.
 */

/** Lower-cased words and single punctuation marks: "And God said, Let" -> and god said , let. */
export function tokenizeWords(text: string): string[] {
  return text.toLowerCase().match(/[a-z]+(?:'[a-z]+)*|[0-9]+|[^\sa-z0-9]/g) ?? [];
}

export const UNK = '<unk>';
export const EOS = '<eos>';

interface VocabJson {
  kind: 'char' | 'word';
  tokens: string[];
}

abstract class Vocab {
  readonly index = new Map<string, number>();
  constructor(readonly tokens: readonly string[]) {
    tokens.forEach((t, i) => this.index.set(t, i));
  }
  get size(): number {
    return this.tokens.length;
  }
  /** The id of <unk> (unknown tokens map to it), or -1 when the vocabulary has none. */
  get unk(): number {
    return this.index.get(UNK) ?? -1;
  }
  protected idsOf(tokens: readonly string[], what: string): Int32Array {
    const out = new Int32Array(tokens.length);
    const unk = this.unk;
    for (let i = 0; i < tokens.length; i++) {
      const id = this.index.get(tokens[i]!) ?? unk;
      if (id < 0) throw new Error(`${what}: token ${JSON.stringify(tokens[i])} is not in the vocabulary (which has no ${UNK})`);
      out[i] = id;
    }
    return out;
  }
  abstract encode(text: string): Int32Array;
  abstract decode(ids: ArrayLike<number>): string;
  abstract toJSON(): VocabJson;

  static fromJSON(j: VocabJson): CharVocab | WordVocab {
    if (j.kind === 'char') return new CharVocab(j.tokens);
    if (j.kind === 'word') return new WordVocab(j.tokens);
    throw new Error(`Vocab.fromJSON: unknown kind '${String((j as { kind: unknown }).kind)}'`);
  }
}

/** Every character of the training text (sorted), plus <unk> for characters never seen. */
export class CharVocab extends Vocab {
  static build(text: string): CharVocab {
    const chars = [...new Set(text)].sort();
    return new CharVocab([UNK, ...chars]);
  }
  encode(text: string): Int32Array {
    return this.idsOf([...text], 'CharVocab.encode');
  }
  decode(ids: ArrayLike<number>): string {
    let s = '';
    for (let i = 0; i < ids.length; i++) s += this.tokens[ids[i]!] ?? UNK;
    return s;
  }
  toJSON(): VocabJson {
    return { kind: 'char', tokens: [...this.tokens] };
  }
}

/**
 * The top-N words of the training text by frequency (ties broken alphabetically), plus <unk> and
 * <eos> (end of a line/verse). encode() appends <eos> after every line.
 */
export class WordVocab extends Vocab {
  static build(text: string, maxSize: number): WordVocab {
    const counts = new Map<string, number>();
    for (const w of tokenizeWords(text)) counts.set(w, (counts.get(w) ?? 0) + 1);
    const words = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([w]) => w);
    return new WordVocab([UNK, EOS, ...words.slice(0, Math.max(0, maxSize - 2))]);
  }
  get eos(): number {
    return this.index.get(EOS)!;
  }
  /** Tokens of every line followed by <eos>. */
  tokenize(text: string): string[] {
    const out: string[] = [];
    for (const line of text.split('\n')) {
      const ws = tokenizeWords(line);
      if (ws.length === 0) continue;
      out.push(...ws, EOS);
    }
    return out;
  }
  encode(text: string): Int32Array {
    return this.idsOf(this.tokenize(text), 'WordVocab.encode');
  }
  decode(ids: ArrayLike<number>): string {
    const words: string[] = [];
    for (let i = 0; i < ids.length; i++) words.push(this.tokens[ids[i]!] ?? UNK);
    return words
      .join(' ')
      .replace(/ ?<eos> ?/g, '\n')
      .replace(/ ([,.;:?!)])/g, '$1');
  }
  toJSON(): VocabJson {
    return { kind: 'word', tokens: [...this.tokens] };
  }
}

export { Vocab };

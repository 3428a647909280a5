/**
 * From dialogue examples to tensors. Token ids come from a WordVocab built on the training
 * turns; its <eos> ends every utterance and also serves as the decoder's start symbol.
 *
 * One batch serves all three models:
 *   seq2seq  the context turns concatenated into one sequence (each ending in <eos>): flat [Tc, B]
 *   HRED     every context utterance on its own: utterances [Tu, N] (N = context turns in the
 *            batch), then gathered into the context RNN's input, turn k of example b at row k*B+b
 *   VHRED    as HRED, plus the response itself for the posterior encoder: response [Tr, B]
 * Sequences are padded at the end (with <eos>); the encoders read their state at each sequence's
 * own last token, so padding never reaches it. Decoder targets are padded with -100 (ignored).
 */
import { Tensor } from '../../tensor/tensor.js';
import { WordVocab } from '../../data/text/vocab.js';
import { tokenizeDialogue, type DialogueExample } from '../../data/text/dialogue.js';

/** An example as token ids: each context utterance ends in <eos>; the response too unless it was cut. */
export interface EncodedExample {
  context: Int32Array[];
  response: Int32Array;
}

export interface DialogueBatch {
  /** Examples in the batch (B). */
  size: number;
  /** int32 [Tc, B]: the context turns concatenated (seq2seq's input). */
  flat: Tensor;
  flatLengths: Int32Array;
  /** int32 [Tu, N]: every context utterance of the batch, example by example. */
  utterances: Tensor;
  utteranceLengths: Int32Array;
  /** Context turns per example [B] (1..K). */
  turns: Int32Array;
  /** int32 [K*B]: the utterance (column of `utterances`) of turn k of example b at k*B+b; N (a zero row) past its turns. */
  turnIndex: Tensor;
  /** int32 [Tr, B]: the response as the encoder reads it (VHRED's posterior). */
  response: Tensor;
  responseLengths: Int32Array;
  /** int32 [Tr, B]: <eos> (the start symbol), then the response shifted right. */
  decoderInput: Tensor;
  /** int32 [Tr*B] (row-major [Tr, B]): the response tokens, -100 at padding. */
  target: Tensor;
  /** Target tokens that count (not padding). */
  tokens: number;
  /** int32 [tokens]: the rows of `target` that are not padding (the decoder predicts only these). */
  targetRows: Tensor;
  /** int32 [tokens]: target at targetRows. */
  targetPacked: Tensor;
}

/** The vocabulary of the training turns: the `size` most frequent tokens, <unk> and <eos> included. */
export function dialogueVocab(texts: readonly string[], size: number): WordVocab {
  return WordVocab.build(texts.map((t) => tokenizeDialogue(t).join(' ')).join('\n'), size);
}

/** Token ids of a text, cut to `maxLen - 1` tokens, with <eos> appended unless `cut` and it was longer. */
export function encodeUtterance(vocab: WordVocab, text: string, maxLen: number, keepEosWhenCut = true): Int32Array {
  const ids = tokenizeDialogue(text).map((w) => vocab.index.get(w) ?? vocab.unk);
  if (ids.length >= maxLen) return Int32Array.from(keepEosWhenCut ? [...ids.slice(0, maxLen - 1), vocab.eos] : ids.slice(0, maxLen));
  return Int32Array.from([...ids, vocab.eos]);
}

/**
 * Encodes examples with utterances of at most maxLen tokens. A long context utterance keeps its
 * first maxLen - 1 tokens and its <eos>; a long response keeps its first maxLen tokens and no
 * <eos> (the model is not taught to stop where the text was merely cut).
 */
export function encodeExamples(examples: readonly DialogueExample[], vocab: WordVocab, maxLen: number): EncodedExample[] {
  return examples.map((e) => ({
    context: e.context.map((t) => encodeUtterance(vocab, t.text, maxLen)),
    response: encodeUtterance(vocab, e.response.text, maxLen, false),
  }));
}

/** Pads sequences into int32 [T, n] (T = the longest), column j holding seqs[j]. */
function padColumns(seqs: readonly ArrayLike<number>[], pad: number): { t: Tensor; lengths: Int32Array } {
  const T = Math.max(1, ...seqs.map((s) => s.length));
  const n = seqs.length;
  const t = Tensor.empty([T, n], 'int32');
  t.storage.fill(pad);
  const lengths = new Int32Array(n);
  seqs.forEach((s, j) => {
    lengths[j] = s.length;
    for (let i = 0; i < s.length; i++) t.storage[i * n + j] = s[i]!;
  });
  return { t, lengths };
}

/** The batch of the given examples (see the module comment for the layout). */
export function collateDialogue(examples: readonly EncodedExample[], eos: number): DialogueBatch {
  const B = examples.length;
  const K = Math.max(...examples.map((e) => e.context.length));
  const flatSeqs = examples.map((e) => {
    const all: number[] = [];
    for (const u of e.context) all.push(...u);
    return all;
  });
  const flat = padColumns(flatSeqs, eos);
  const utts: Int32Array[] = [];
  const turnIndex = Tensor.empty([K * B], 'int32');
  const turns = new Int32Array(B);
  const total = examples.reduce((s, e) => s + e.context.length, 0);
  turnIndex.storage.fill(total);
  examples.forEach((e, b) => {
    turns[b] = e.context.length;
    e.context.forEach((u, k) => {
      turnIndex.storage[k * B + b] = utts.length;
      utts.push(u);
    });
  });
  const u = padColumns(utts, eos);
  const r = padColumns(
    examples.map((e) => e.response),
    eos,
  );
  const Tr = r.t.shape[0]!;
  const decoderInput = Tensor.empty([Tr, B], 'int32');
  decoderInput.storage.fill(eos);
  const target = Tensor.empty([Tr * B], 'int32');
  target.storage.fill(-100);
  let tokens = 0;
  examples.forEach((e, b) => {
    const y = e.response;
    for (let t = 0; t < y.length; t++) {
      target.storage[t * B + b] = y[t]!;
      if (t + 1 < Tr) decoderInput.storage[(t + 1) * B + b] = y[t]!;
    }
    tokens += y.length;
  });
  const targetRows = Tensor.empty([tokens], 'int32');
  const targetPacked = Tensor.empty([tokens], 'int32');
  let j = 0;
  for (let i = 0; i < Tr * B; i++) {
    const y = target.storage[i]!;
    if (y === -100) continue;
    targetRows.storage[j] = i;
    targetPacked.storage[j++] = y;
  }
  return {
    size: B,
    flat: flat.t,
    flatLengths: flat.lengths,
    utterances: u.t,
    utteranceLengths: u.lengths,
    turns,
    turnIndex,
    response: r.t,
    responseLengths: r.lengths,
    decoderInput,
    target,
    tokens,
    targetRows,
    targetPacked,
  };
}

/**
 * From verse pairs to tensors. Both sides are BPE token ids of one joint vocabulary (src/data/text/
 * bpe.ts). A source is cut to `maxLen` tokens; a target to maxLen - 1 tokens and then ended with
 * <eos> (a cut target has none: the model learns no false ending). Batches are made of pairs of
 * similar length (sorted by length, then cut into runs of batchSize), so little of a batch is
 * padding; the order of the batches is what the data loader shuffles.
 *
 * Layout (time-major, as the library's RNNs):
 *   src           int32 [S, B], padded with <pad> after each source's end
 *   decoderInput  int32 [T, B]: <bos>, then the target shifted right
 *   targetRows    int32 [n]: the positions t*B + b that hold a target token (padding left out)
 *   targetPacked  int32 [n]: the target tokens at those positions
 */
import { Tensor } from '../../tensor/tensor.js';
import type { BpeVocab } from '../../data/text/bpe.js';

export interface EncodedPair {
  src: Int32Array;
  /** Target ids ending in <eos> (unless cut). */
  tgt: Int32Array;
}

export interface TranslationBatch {
  size: number;
  src: Tensor;
  srcLengths: Int32Array;
  decoderInput: Tensor;
  targetRows: Tensor;
  targetPacked: Tensor;
  /** Target tokens (the loss is averaged over them). */
  tokens: number;
}

/** Source ids of a text, cut to maxLen tokens; `cut` says whether tokens were dropped. */
export function encodeSource(vocab: BpeVocab, text: string, maxLen: number): { ids: Int32Array; cut: boolean } {
  const ids = vocab.encode(text);
  return ids.length > maxLen ? { ids: ids.slice(0, maxLen), cut: true } : { ids, cut: false };
}

export function encodePairs(pairs: readonly { es: string; en: string }[], vocab: BpeVocab, maxLen: number): EncodedPair[] {
  return pairs.map((p) => {
    const t = vocab.encode(p.en);
    const tgt = t.length >= maxLen ? t.slice(0, maxLen) : Int32Array.from([...t, vocab.eos]);
    return { src: encodeSource(vocab, p.es, maxLen).ids, tgt };
  });
}

/** Pads sequences into int32 [T, n] (T = the longest), column j holding seqs[j]. */
export function padColumns(seqs: readonly ArrayLike<number>[], pad: number): { t: Tensor; lengths: Int32Array } {
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

/** The batch of the given pairs (see the module comment). */
export function collateTranslation(pairs: readonly EncodedPair[], vocab: { pad: number; bos: number }): TranslationBatch {
  const B = pairs.length;
  const src = padColumns(
    pairs.map((p) => p.src),
    vocab.pad,
  );
  const T = Math.max(1, ...pairs.map((p) => p.tgt.length));
  const decoderInput = Tensor.empty([T, B], 'int32');
  decoderInput.storage.fill(vocab.pad);
  const rows: number[] = [];
  const packed: number[] = [];
  pairs.forEach((p, b) => {
    decoderInput.storage[b] = vocab.bos;
    for (let t = 0; t < p.tgt.length; t++) if (t + 1 < T) decoderInput.storage[(t + 1) * B + b] = p.tgt[t]!;
  });
  // rows in time-major order, as the decoder's outputs are laid out
  for (let t = 0; t < T; t++)
    pairs.forEach((p, b) => {
      if (t < p.tgt.length) {
        rows.push(t * B + b);
        packed.push(p.tgt[t]!);
      }
    });
  return {
    size: B,
    src: src.t,
    srcLengths: src.lengths,
    decoderInput,
    targetRows: new Tensor(Int32Array.from(rows), [rows.length]),
    targetPacked: new Tensor(Int32Array.from(packed), [packed.length]),
    tokens: packed.length,
  };
}

/**
 * Batches of similar length: pair indices sorted by (source + target length, index), cut into
 * runs of batchSize. Deterministic; the loader shuffles the order of the runs.
 */
export function lengthBatches(pairs: readonly EncodedPair[], batchSize: number): number[][] {
  const order = pairs
    .map((_, i) => i)
    .sort((a, b) => pairs[a]!.src.length + pairs[a]!.tgt.length - (pairs[b]!.src.length + pairs[b]!.tgt.length) || a - b);
  const out: number[][] = [];
  for (let i = 0; i < order.length; i += batchSize) out.push(order.slice(i, i + batchSize));
  return out;
}

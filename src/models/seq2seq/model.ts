/**
 * The LSTM encoder-decoder (Sutskever, Vinyals & Le, "Sequence to Sequence Learning with Neural
 * Networks", 2014), in the curriculum's terms: the encoder embeds the source tokens and reads
 * them in order, and its final state, the thought vector, starts the decoder, which embeds each
 * target token and predicts the next one:
 *
 *   encoder   h^s = LSTM_enc(h^{s-1}, e_src(x^s)),  s = 1..S;   thought vector v = h^S (and c^S)
 *   decoder   z^0 = v;  z^t = LSTM_dec(z^{t-1}, e_tgt(y^{t-1}))  (y^0 = <bos>)
 *             p(y^t | y^{<t}, x) = softmax(W_out z^t + b_out)
 *
 * Training feeds the true previous token y^{t-1} (teacher forcing); generation feeds the token it
 * chose (src/models/decoding.ts: greedy, sampling, beam). Options, each one of the curriculum's
 * improvements:
 *   reverseSource  read x^S ... x^1 (Sutskever et al.): the first source tokens end up next to the
 *                  first target tokens, which shortens the paths the gradient takes
 *   peeky          the thought vector goes to every decoder step and to the output layer, not only
 *                  to z^0:  z^t = LSTM_dec(z^{t-1}, [e(y^{t-1}); v]),  p = softmax(W_out [z^t; v] + b)
 *   attention      a context c_t from every encoder state h̄_s (nn.LuongAttention 'dot' | 'general'
 *                  | 'concat', or nn.AdditiveAttention 'additive'), queried with z^t; the output
 *                  layer reads both (Luong et al. 2015, global attention):
 *                    a_{t,s} = softmax_s(score(z^t, h̄_s)),  c_t = Σ_s a_{t,s} h̄_s,
 *                    p(y^t | ·) = softmax(W_out [z^t; c_t] + b_out)
 *   bidirectional  a bidirectional encoder of hiddenSize/2 units per direction; states and outputs
 *                  of the two directions are concatenated (OpenNMT's "brnn"), so the decoder keeps
 *                  hiddenSize units
 *   numLayers      stacked LSTMs in both (the decoder's layer l starts from the encoder's layer l)
 *
 * Source sequences are padded at the end; with lengths the encoder stops at each sequence's end
 * (the LSTM's `lengths`) and attention masks the padding (nn.paddingMask).
 *
 * Parameter names: src_embedding.weight, encoder.*, tgt_embedding.weight, decoder.*,
 * attention.* (with attention), out.weight, out.bias.
 */
import { Tensor } from '../../tensor/tensor.js';
import { Module } from '../../nn/module.js';
import { Embedding, Dropout } from '../../nn/layers/basic.js';
import { Linear } from '../../nn/layers/linear.js';
import { LSTM } from '../../nn/layers/recurrent.js';
import { AdditiveAttention, LuongAttention, paddingMask } from '../../nn/layers/rnn-attention.js';
import { cat, reshape, permute, expand, unsqueeze, select, indexSelect, transpose } from '../../ops/index.js';
import { checkOptions, checkRest, describe } from '../../tensor/validate.js';
import type { StepDecoder } from '../decoding.js';

export type Seq2SeqAttention = 'none' | 'additive' | 'dot' | 'general' | 'concat';

export interface Seq2SeqOptions {
  /** Source vocabulary size. */
  srcVocab: number;
  /** Target vocabulary size. */
  tgtVocab: number;
  /** Embedding size of both sides (default 16). */
  embedSize?: number;
  /** LSTM units of the decoder, and of the encoder's two directions together (default 128). */
  hiddenSize?: number;
  /** Stacked LSTM layers in encoder and decoder (default 1). */
  numLayers?: number;
  /** Bidirectional encoder, hiddenSize/2 units per direction (default false). */
  bidirectional?: boolean;
  /** Read the source backwards (default false). */
  reverseSource?: boolean;
  /** Feed the thought vector to every decoder step and to the output layer (default false). */
  peeky?: boolean;
  /** Attention score, or 'none' (default). */
  attention?: Seq2SeqAttention;
  /** Dropout on the embeddings, between LSTM layers and before the output layer (default 0). */
  dropout?: number;
  /** The padding id of both vocabularies (default 0). */
  padId?: number;
}

const OPTION_SPEC = {
  srcVocab: 'positiveInt',
  tgtVocab: 'positiveInt',
  embedSize: 'positiveInt',
  hiddenSize: 'positiveInt',
  numLayers: 'positiveInt',
  bidirectional: 'boolean',
  reverseSource: 'boolean',
  peeky: 'boolean',
  attention: ['none', 'additive', 'dot', 'general', 'concat'],
  dropout: 'number',
  padId: 'nonNegativeInt',
} as const;

/** What the encoder hands the decoder. */
export interface EncoderResult {
  /** [S, B, H]: h̄_s, the top layer's state at every source position. */
  outputs: Tensor;
  /** [L, B, H]: the final hidden and cell states of every layer (directions concatenated). */
  h: Tensor;
  c: Tensor;
  /** bool [B, S], true at padding; null when no sequence is padded. */
  mask: Tensor | null;
}

/** The decoder's state while generating. */
export interface Seq2SeqState {
  h: Tensor;
  c: Tensor;
  /** [B, H]: the thought vector (peeky). */
  thought: Tensor;
  /** [B, S, H]: the encoder outputs, batch first (attention). */
  memory: Tensor;
  mask: Tensor | null;
}

/** A batch of source token ids [S, B] (int32, padded at the end) and each sequence's length. */
export interface SourceBatch {
  src: Tensor;
  lengths: Int32Array;
}

/** See the module comment. */
export class Seq2Seq extends Module<[SourceBatch, Tensor], { logits: Tensor; attention: Tensor | null }> {
  readonly opts: Required<Seq2SeqOptions>;
  readonly srcEmbedding: Embedding;
  readonly tgtEmbedding: Embedding;
  readonly encoder: LSTM;
  readonly decoder: LSTM;
  readonly attention: AdditiveAttention | LuongAttention | null;
  readonly out: Linear;
  readonly drop: Dropout;

  constructor(opts: Seq2SeqOptions, ...extra: never[]) {
    super();
    if (typeof opts !== 'object' || opts === null)
      throw new TypeError(`Seq2Seq: argument 1 must be an options object { srcVocab, tgtVocab, ... }, got ${describe(opts)}`);
    const o = checkOptions('Seq2Seq', 1, opts, OPTION_SPEC);
    checkRest('Seq2Seq', extra, 1, 'new Seq2Seq({ srcVocab, tgtVocab, ... })');
    if (o.srcVocab === undefined || o.tgtVocab === undefined) throw new TypeError('Seq2Seq: options srcVocab and tgtVocab are required');
    this.opts = {
      srcVocab: o.srcVocab,
      tgtVocab: o.tgtVocab,
      embedSize: o.embedSize ?? 16,
      hiddenSize: o.hiddenSize ?? 128,
      numLayers: o.numLayers ?? 1,
      bidirectional: o.bidirectional ?? false,
      reverseSource: o.reverseSource ?? false,
      peeky: o.peeky ?? false,
      attention: o.attention ?? 'none',
      dropout: o.dropout ?? 0,
      padId: o.padId ?? 0,
    };
    const { embedSize: E, hiddenSize: H, numLayers: L, dropout, bidirectional, peeky, attention } = this.opts;
    if (!(dropout >= 0 && dropout < 1)) throw new Error(`Seq2Seq: dropout must be in [0, 1), got ${dropout}`);
    if (bidirectional && H % 2 !== 0) throw new Error(`Seq2Seq: a bidirectional encoder needs an even hiddenSize, got ${H}`);
    if (this.opts.padId >= Math.min(this.opts.srcVocab, this.opts.tgtVocab))
      throw new Error(`Seq2Seq: padId ${this.opts.padId} is not an id of both vocabularies (${this.opts.srcVocab}, ${this.opts.tgtVocab})`);
    this.srcEmbedding = this.module('src_embedding', new Embedding(this.opts.srcVocab, E, { paddingIdx: this.opts.padId }));
    this.encoder = this.module(
      'encoder',
      new LSTM(E, bidirectional ? H / 2 : H, { numLayers: L, bidirectional, dropout: L > 1 ? dropout : 0 }),
    );
    this.tgtEmbedding = this.module('tgt_embedding', new Embedding(this.opts.tgtVocab, E, { paddingIdx: this.opts.padId }));
    this.decoder = this.module('decoder', new LSTM(E + (peeky ? H : 0), H, { numLayers: L, dropout: L > 1 ? dropout : 0 }));
    this.attention = this.module(
      'attention',
      attention === 'none'
        ? null
        : attention === 'additive'
          ? new AdditiveAttention(H, H, H)
          : new LuongAttention(H, H, { score: attention }),
    );
    this.out = this.module('out', new Linear(H * (1 + (peeky ? 1 : 0) + (attention !== 'none' ? 1 : 0)), this.opts.tgtVocab));
    this.drop = this.module('drop', new Dropout(dropout));
  }

  /** The source as the encoder reads it: each sequence's tokens reversed within its length if reverseSource. */
  private sourceOrder(b: SourceBatch): Tensor {
    if (!this.opts.reverseSource) return b.src;
    const [S, B] = b.src.shape as [number, number];
    const src = b.src.contiguous().data as Int32Array;
    const out = Tensor.empty([S, B], 'int32');
    for (let j = 0; j < B; j++) {
      const l = b.lengths[j]!;
      for (let s = 0; s < S; s++) out.storage[s * B + j] = s < l ? src[(l - 1 - s) * B + j]! : src[s * B + j]!;
    }
    return out;
  }

  /** Runs the encoder over a source batch: h̄_s, the final states and the padding mask. */
  encode(batch: SourceBatch): EncoderResult {
    const { src, lengths } = checkSource(batch);
    const [S, B] = src.shape as [number, number];
    const padded = Array.from(lengths).some((l) => l < S);
    const x = this.drop.forward(this.srcEmbedding.forward(this.sourceOrder(batch)));
    const r = this.encoder.forward(x, null, padded ? Array.from(lengths) : undefined);
    let { h, c } = r;
    if (this.opts.bidirectional) {
      // [L*2, B, H/2] (layer-major, forward then backward) -> [L, B, H]: the two directions side by side
      const L = this.opts.numLayers;
      const join = (t: Tensor): Tensor =>
        reshape(permute(reshape(t, [L, 2, B, this.opts.hiddenSize / 2]), [0, 2, 1, 3]), [L, B, this.opts.hiddenSize]);
      h = join(h);
      c = join(c);
    }
    return { outputs: r.output, h, c, mask: padded && this.attention ? paddingMask(lengths, S) : null };
  }

  /** The generation state after encoding: the decoder starts from the thought vector. */
  startState(batch: SourceBatch): Seq2SeqState {
    const e = this.encode(batch);
    return {
      h: e.h,
      c: e.c,
      thought: select(e.h, 0, this.opts.numLayers - 1),
      memory: transpose(e.outputs, 0, 1),
      mask: e.mask,
    };
  }

  /**
   * Decoder inputs y^0..y^{T-1} [T, B] (int32, <bos> first) from a state -> logits [T, B, V], the
   * attention weights [B, T, S] (or null) and the state after the last input.
   */
  decodeFrom(state: Seq2SeqState, input: Tensor): { logits: Tensor; attention: Tensor | null; state: Seq2SeqState } {
    const [T, B] = input.shape as [number, number];
    const H = this.opts.hiddenSize;
    let x = this.drop.forward(this.tgtEmbedding.forward(input));
    const thought = this.opts.peeky ? expand(unsqueeze(state.thought, 0), [T, B, H]) : null;
    // peeky: z^t = LSTM_dec(z^{t-1}, [e(y^{t-1}); v])
    if (thought) x = cat([x, thought], 2);
    const r = this.decoder.forward(x, { h: state.h, c: state.c });
    const feats = [r.output];
    let weights: Tensor | null = null;
    if (this.attention) {
      // a_{t,s} = softmax_s(score(z^t, h̄_s)), c_t = Σ_s a_{t,s} h̄_s
      const att = this.attention.forward(transpose(r.output, 0, 1), state.memory, state.mask);
      feats.push(transpose(att.context, 0, 1));
      weights = att.weights;
    }
    if (thought) feats.push(thought);
    // p(y^t | ·) = softmax(W_out [z^t; c_t; v] + b_out)
    const logits = this.out.forward(this.drop.forward(feats.length > 1 ? cat(feats, 2) : feats[0]!));
    return { logits, attention: weights, state: { ...state, h: r.h, c: r.c } };
  }

  /** Teacher forcing: source batch, decoder inputs [T, B] -> logits [T, B, V] and attention weights. */
  forward(batch: SourceBatch, input: Tensor): { logits: Tensor; attention: Tensor | null } {
    const r = this.decodeFrom(this.startState(batch), input);
    return { logits: r.logits, attention: r.attention };
  }

  /** The decoder as decode() drives it (src/models/decoding.ts), from startState(batch). */
  stepDecoder(): Required<StepDecoder<Seq2SeqState>> {
    return {
      step: (tokens, s) => {
        const r = this.decodeFrom(s, new Tensor(Int32Array.from(tokens), [1, tokens.length]));
        return { logits: select(r.logits, 0, 0), state: r.state };
      },
      reorder: (s, rows) => {
        const idx = new Tensor(Int32Array.from(rows), [rows.length]);
        return {
          h: indexSelect(s.h, 1, idx),
          c: indexSelect(s.c, 1, idx),
          thought: indexSelect(s.thought, 0, idx),
          memory: indexSelect(s.memory, 0, idx),
          mask: s.mask ? indexSelect(s.mask, 0, idx) : null,
        };
      },
    };
  }

  override extraRepr(): string {
    const o = this.opts;
    const flags = [
      o.reverseSource && 'reverse_source=True',
      o.peeky && 'peeky=True',
      o.attention !== 'none' && `attention='${o.attention}'`,
    ];
    return [
      `src_vocab=${o.srcVocab}, tgt_vocab=${o.tgtVocab}, embed=${o.embedSize}, hidden=${o.hiddenSize}`,
      ...flags.filter(Boolean),
    ].join(', ');
  }
}

function checkSource(b: SourceBatch): { src: Tensor; lengths: Int32Array } {
  if (typeof b !== 'object' || b === null || !(b.src instanceof Tensor) || !(b.lengths instanceof Int32Array))
    throw new TypeError(`Seq2Seq: the source batch must be { src: int32 Tensor [S, B], lengths: Int32Array [B] }, got ${describe(b)}`);
  const { src, lengths } = b;
  if (src.dtype !== 'int32' || src.ndim !== 2)
    throw new Error(`Seq2Seq: src must be an int32 tensor [S, B], got ${src.dtype} [${src.shape.join(', ')}]`);
  const [S, B] = src.shape as [number, number];
  if (lengths.length !== B) throw new Error(`Seq2Seq: ${lengths.length} lengths for a batch of ${B} sources`);
  for (const l of lengths) if (!(l >= 1 && l <= S)) throw new Error(`Seq2Seq: source length ${l} is not in [1, ${S}]`);
  return { src, lengths };
}

/**
 * The Transformer (Vaswani et al. 2017, "Attention Is All You Need"), as torch.nn.Transformer and
 * its parts: TransformerEncoderLayer, TransformerDecoderLayer, TransformerEncoder, TransformerDecoder.
 *
 * One encoder layer, in the curriculum's notation (Day 4), post-norm (normFirst false, the paper's):
 *   z = LayerNorm(x + MultiHead(x, x, x)),   y = LayerNorm(z + FFN(z)),   FFN(z) = W_2 f(W_1 z + b_1) + b_2
 * pre-norm (normFirst true): z = x + MultiHead(LN(x), LN(x), LN(x)), y = z + FFN(LN(z)).
 * A decoder layer adds a cross-attention block between the two, MultiHead(z, m, m) over the encoder
 * output (memory) m, and its self-attention is usually causal (tgtMask or tgtIsCausal).
 *
 * State-dict keys and layouts are PyTorch's (self_attn.in_proj_weight, linear1.weight, norm1.weight,
 * multihead_attn.*, layers.0.*, encoder.norm.*, ...), so torch state dicts load by name. Every
 * dropout (attention weights, after each block, inside the FFN) is active in train mode only.
 */
/* eslint-disable prefer-rest-params -- constructors hand their `arguments` to checkCtor (tensor/validate.ts), which also rejects arguments past the declared ones; rest parameters would hide the declared signature */
import type { Tensor } from '../../tensor/tensor.js';
import { fmtShape } from '../../tensor/shape.js';
import { checkArg, checkCtor, checkOptions, checkRest, checkTensor, describe } from '../../tensor/validate.js';
import { add } from '../../ops/elementwise/add.js';
import { cat } from '../../ops/shape/cat.js';
import { indexSelect } from '../../ops/indexing/indexSelect.js';
import { relu } from '../../ops/elementwise/relu.js';
import { gelu } from '../../ops/elementwise/gelu.js';
import { Module } from '../module.js';
import { ModuleList } from '../containers.js';
import { xavierUniform_ } from '../init.js';
import { generateSquareSubsequentMask } from '../attention.js';
import { Linear } from './linear.js';
import { LayerNorm } from './norm.js';
import { Dropout } from './basic.js';
import { MultiheadAttention } from './attention.js';

/** The FFN's nonlinearity f: 'relu' (default), 'gelu' (exact, erf) or a function of a tensor. */
export type TransformerActivation = 'relu' | 'gelu' | ((x: Tensor) => Tensor);

export interface TransformerLayerOptions {
  /** Hidden size of the feed-forward block (default 2048). */
  dimFeedforward?: number;
  /** Dropout probability everywhere in the layer (default 0.1). */
  dropout?: number;
  /** f in FFN(z) = W_2 f(W_1 z + b_1) + b_2 (default 'relu'). */
  activation?: TransformerActivation;
  /** LayerNorm epsilon (default 1e-5). */
  layerNormEps?: number;
  /** [N, L, E] (true) or [L, N, E] (false, the default, as PyTorch). */
  batchFirst?: boolean;
  /** Pre-norm (LayerNorm before each block) instead of post-norm (default false). */
  normFirst?: boolean;
  /** Biases in the attention and feed-forward projections and the LayerNorms (default true; PyTorch 2.1's `bias`). */
  bias?: boolean;
  dtype?: 'float32' | 'float64';
}

const LAYER_OPTIONS = {
  dimFeedforward: 'positiveInt',
  dropout: 'number',
  activation: 'any',
  layerNormEps: 'number',
  batchFirst: 'boolean',
  normFirst: 'boolean',
  bias: 'boolean',
  dtype: ['float32', 'float64'],
} as const;

function activationFn(cls: string, a: TransformerActivation | undefined): (x: Tensor) => Tensor {
  if (a === undefined || a === 'relu') return relu;
  if (a === 'gelu') return (x) => gelu(x);
  if (typeof a === 'function') return a;
  throw new TypeError(`${cls}: option 'activation' must be 'relu', 'gelu' or a function of a tensor, got ${describe(a)}`);
}

function checkDropout(cls: string, p: number): number {
  if (!(p >= 0 && p <= 1)) throw new Error(`${cls}: dropout must be in [0, 1], got ${p}`);
  return p;
}

/** What the attention blocks of a layer take: a mask, a key padding mask and the causal flag. */
interface AttnArgs {
  mask: Tensor | null;
  kpm: Tensor | null;
  causal: boolean;
}

/** Self- or cross-attention block: dropout(MultiHead(x, m, m)), without the weights. */
function attend(mha: MultiheadAttention, drop: Dropout, x: Tensor, m: Tensor, a: AttnArgs): Tensor {
  const [y] = mha.forward(x, m, m, { attnMask: a.mask, keyPaddingMask: a.kpm, isCausal: a.causal, needWeights: false });
  return drop.forward(y);
}

abstract class TransformerLayerBase<In extends unknown[]> extends Module<In, Tensor> {
  readonly normFirst: boolean;
  readonly batchFirst: boolean;
  protected readonly act: (x: Tensor) => Tensor;
  abstract readonly linear1: Linear;
  abstract readonly dropout: Dropout;
  abstract readonly linear2: Linear;

  protected constructor(
    protected readonly cls: string,
    readonly dModel: number,
    readonly nhead: number,
    readonly opts: TransformerLayerOptions,
  ) {
    super();
    this.normFirst = opts.normFirst ?? false;
    this.batchFirst = opts.batchFirst ?? false;
    this.act = activationFn(cls, opts.activation);
    checkDropout(cls, opts.dropout ?? 0.1);
    if (dModel % nhead !== 0) throw new Error(`${cls}: dModel ${dModel} must be divisible by nhead ${nhead}`);
  }

  protected mha(): MultiheadAttention {
    const o = this.opts;
    return new MultiheadAttention(this.dModel, this.nhead, {
      dropout: o.dropout ?? 0.1,
      bias: o.bias ?? true,
      batchFirst: this.batchFirst,
      dtype: o.dtype ?? 'float32',
    });
  }

  /** W_1 [dimFeedforward, E] (first = true) or W_2 [E, dimFeedforward]. */
  protected ffLinear(first: boolean): Linear {
    const ff = this.opts.dimFeedforward ?? 2048;
    const o = { bias: this.opts.bias ?? true, dtype: this.opts.dtype ?? 'float32' } as const;
    return first ? new Linear(this.dModel, ff, o) : new Linear(ff, this.dModel, o);
  }

  protected drop(): Dropout {
    return new Dropout(this.opts.dropout ?? 0.1);
  }

  protected norm(name: string): LayerNorm {
    const o = this.opts;
    return this.module(
      name,
      new LayerNorm(this.dModel, { eps: o.layerNormEps ?? 1e-5, bias: o.bias ?? true, dtype: o.dtype ?? 'float32' }),
    );
  }

  /** FFN(z) = W_2 f(W_1 z + b_1) + b_2, with dropout after f. */
  protected feedForward(z: Tensor): Tensor {
    return this.linear2.forward(this.dropout.forward(this.act(this.linear1.forward(z))));
  }

  protected checkInput(fn: string, x: Tensor, name: string): void {
    if ((x.ndim !== 3 && x.ndim !== 2) || x.shape[x.ndim - 1] !== this.dModel) {
      const layout = this.batchFirst ? '[N, L, E]' : '[L, N, E]';
      throw new Error(`${fn}: ${name} must be ${layout} (or unbatched [L, E]) with E = dModel = ${this.dModel}, got ${fmtShape(x.shape)}`);
    }
  }
}

export interface TransformerEncoderLayerForwardOptions {
  /** Attention mask [L, L] or [N * nhead, L, L]: bool true = may not attend, or float added. */
  srcMask?: Tensor | null;
  /** [N, L]: bool true = padding (ignored as a key), or float added. */
  srcKeyPaddingMask?: Tensor | null;
  /** Causal self-attention (combined with srcMask if given). */
  isCausal?: boolean;
}

/**
 * One encoder layer (torch.nn.TransformerEncoderLayer): self-attention then the feed-forward block,
 * each with a residual connection and LayerNorm (after, or before with normFirst).
 * @example new nn.TransformerEncoderLayer(512, 8, { batchFirst: true }).forward(x) // [N, L, 512] -> same
 */
export class TransformerEncoderLayer extends TransformerLayerBase<[Tensor, TransformerEncoderLayerForwardOptions?]> {
  readonly selfAttn: MultiheadAttention;
  readonly linear1: Linear;
  readonly dropout: Dropout;
  readonly linear2: Linear;
  readonly norm1: LayerNorm;
  readonly norm2: LayerNorm;
  readonly dropout1: Dropout;
  readonly dropout2: Dropout;

  constructor(dModel: number, nhead: number, opts: TransformerLayerOptions = {}) {
    checkCtor(
      'nn.TransformerEncoderLayer',
      [
        ['dModel', 'positiveInt'],
        ['nhead', 'positiveInt'],
      ],
      arguments,
      LAYER_OPTIONS,
    );
    super('nn.TransformerEncoderLayer', dModel, nhead, opts);
    this.selfAttn = this.module('self_attn', this.mha());
    this.linear1 = this.module('linear1', this.ffLinear(true));
    this.dropout = this.module('dropout', this.drop());
    this.linear2 = this.module('linear2', this.ffLinear(false));
    this.norm1 = this.norm('norm1');
    this.norm2 = this.norm('norm2');
    this.dropout1 = this.module('dropout1', this.drop());
    this.dropout2 = this.module('dropout2', this.drop());
  }

  forward(src: Tensor, opts: TransformerEncoderLayerForwardOptions = {}, ...extra: never[]): Tensor {
    const fn = 'TransformerEncoderLayer.forward';
    checkTensor(fn, src, 'argument 1 (src)');
    checkOptions(fn, 2, opts, { srcMask: 'tensor', srcKeyPaddingMask: 'tensor', isCausal: 'boolean' });
    checkRest(fn, extra, 2, 'forward(src, {srcMask, srcKeyPaddingMask, isCausal})');
    this.checkInput(fn, src, 'src');
    const a: AttnArgs = { mask: opts.srcMask ?? null, kpm: opts.srcKeyPaddingMask ?? null, causal: opts.isCausal ?? false };
    let x = src;
    if (this.normFirst) {
      const h = this.norm1.forward(x);
      x = add(x, attend(this.selfAttn, this.dropout1, h, h, a));
      x = add(x, this.dropout2.forward(this.feedForward(this.norm2.forward(x))));
    } else {
      // z = LayerNorm(x + MultiHead(x, x, x)), y = LayerNorm(z + FFN(z))
      x = this.norm1.forward(add(x, attend(this.selfAttn, this.dropout1, x, x, a)));
      x = this.norm2.forward(add(x, this.dropout2.forward(this.feedForward(x))));
    }
    return x;
  }

  /** A new layer with the same options and a copy of these parameters (as PyTorch's deepcopy of a layer). */
  clone(): TransformerEncoderLayer {
    const c = new TransformerEncoderLayer(this.dModel, this.nhead, this.opts);
    c.loadStateDict(this.stateDict());
    c.train(this.training);
    return c;
  }
}

export interface TransformerDecoderLayerForwardOptions {
  /** Self-attention mask [T, T] or [N * nhead, T, T] (bool true = may not attend, or float added). */
  tgtMask?: Tensor | null;
  /** Cross-attention mask [T, S] or [N * nhead, T, S]. */
  memoryMask?: Tensor | null;
  /** [N, T]: padding of the target (bool true = padding, or float added). */
  tgtKeyPaddingMask?: Tensor | null;
  /** [N, S]: padding of the memory (the source). */
  memoryKeyPaddingMask?: Tensor | null;
  /** Causal self-attention (combined with tgtMask if given). */
  tgtIsCausal?: boolean;
  /** Causal cross-attention (rarely wanted). */
  memoryIsCausal?: boolean;
}

const DECODER_FORWARD = {
  tgtMask: 'tensor',
  memoryMask: 'tensor',
  tgtKeyPaddingMask: 'tensor',
  memoryKeyPaddingMask: 'tensor',
  tgtIsCausal: 'boolean',
  memoryIsCausal: 'boolean',
} as const;
const DECODER_USAGE = 'forward(tgt, memory, {tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask, tgtIsCausal, memoryIsCausal})';

/** One decoder layer's keys and values so far, in heads [N, H, T, D] (see TransformerDecoderCache). */
export interface DecoderLayerCache {
  selfK: Tensor | null;
  selfV: Tensor | null;
  crossK: Tensor | null;
  crossV: Tensor | null;
}

/**
 * What an incremental decoder keeps between steps (not in PyTorch, whose nn.Transformer re-runs the
 * decoder over the whole prefix): per layer, the self-attention keys and values of the positions
 * decoded so far and the cross-attention keys and values of the memory (computed at the first
 * step). Step t then costs one position instead of t. `length` is the number of positions cached
 * (the offset for positional encodings).
 * @example
 * const cache = new nn.TransformerDecoderCache(decoder.numLayers);
 * for (let t = 0; t < T; t++) y = decoder.forwardStep(embed(token, cache.length), memory, cache);
 */
export class TransformerDecoderCache {
  readonly layers: DecoderLayerCache[];

  constructor(numLayers: number, ...extra: never[]) {
    checkArg('nn.TransformerDecoderCache', 'numLayers', numLayers, 'positiveInt');
    checkRest('nn.TransformerDecoderCache', extra, 1, 'new nn.TransformerDecoderCache(numLayers)');
    this.layers = Array.from({ length: numLayers }, () => ({ selfK: null, selfV: null, crossK: null, crossV: null }));
  }

  /** Positions decoded so far. */
  get length(): number {
    return this.layers[0]!.selfK?.shape[2] ?? 0;
  }

  /**
   * Keeps batch rows `index` (int32 [N']) in every cached tensor, in that order: what beam search
   * does when it keeps the best continuations (rows may repeat).
   */
  reorder(index: Tensor, ...extra: never[]): void {
    checkTensor('TransformerDecoderCache.reorder', index, 'argument 1 (index)');
    checkRest('TransformerDecoderCache.reorder', extra, 1, 'reorder(index)');
    for (const c of this.layers) {
      for (const key of ['selfK', 'selfV', 'crossK', 'crossV'] as const) {
        const t = c[key];
        if (t) c[key] = indexSelect(t, 0, index);
      }
    }
  }
}

/**
 * One decoder layer (torch.nn.TransformerDecoderLayer): self-attention over the target, attention
 * over the memory (the encoder output), then the feed-forward block; residuals and LayerNorms as in
 * the encoder layer.
 * @example layer.forward(tgt, memory, { tgtIsCausal: true }) // tgt [T, N, E], memory [S, N, E] -> [T, N, E]
 */
export class TransformerDecoderLayer extends TransformerLayerBase<[Tensor, Tensor, TransformerDecoderLayerForwardOptions?]> {
  readonly selfAttn: MultiheadAttention;
  readonly multiheadAttn: MultiheadAttention;
  readonly linear1: Linear;
  readonly dropout: Dropout;
  readonly linear2: Linear;
  readonly norm1: LayerNorm;
  readonly norm2: LayerNorm;
  readonly norm3: LayerNorm;
  readonly dropout1: Dropout;
  readonly dropout2: Dropout;
  readonly dropout3: Dropout;

  constructor(dModel: number, nhead: number, opts: TransformerLayerOptions = {}) {
    checkCtor(
      'nn.TransformerDecoderLayer',
      [
        ['dModel', 'positiveInt'],
        ['nhead', 'positiveInt'],
      ],
      arguments,
      LAYER_OPTIONS,
    );
    super('nn.TransformerDecoderLayer', dModel, nhead, opts);
    this.selfAttn = this.module('self_attn', this.mha());
    this.multiheadAttn = this.module('multihead_attn', this.mha());
    this.linear1 = this.module('linear1', this.ffLinear(true));
    this.dropout = this.module('dropout', this.drop());
    this.linear2 = this.module('linear2', this.ffLinear(false));
    this.norm1 = this.norm('norm1');
    this.norm2 = this.norm('norm2');
    this.norm3 = this.norm('norm3');
    this.dropout1 = this.module('dropout1', this.drop());
    this.dropout2 = this.module('dropout2', this.drop());
    this.dropout3 = this.module('dropout3', this.drop());
  }

  forward(tgt: Tensor, memory: Tensor, opts: TransformerDecoderLayerForwardOptions = {}, ...extra: never[]): Tensor {
    const fn = 'TransformerDecoderLayer.forward';
    checkTensor(fn, tgt, 'argument 1 (tgt)');
    checkTensor(fn, memory, 'argument 2 (memory)');
    checkOptions(fn, 3, opts, DECODER_FORWARD);
    checkRest(fn, extra, 3, DECODER_USAGE);
    this.checkInput(fn, tgt, 'tgt');
    this.checkInput(fn, memory, 'memory');
    const self: AttnArgs = { mask: opts.tgtMask ?? null, kpm: opts.tgtKeyPaddingMask ?? null, causal: opts.tgtIsCausal ?? false };
    const cross: AttnArgs = { mask: opts.memoryMask ?? null, kpm: opts.memoryKeyPaddingMask ?? null, causal: opts.memoryIsCausal ?? false };
    let x = tgt;
    if (this.normFirst) {
      const h = this.norm1.forward(x);
      x = add(x, attend(this.selfAttn, this.dropout1, h, h, self));
      x = add(x, attend(this.multiheadAttn, this.dropout2, this.norm2.forward(x), memory, cross));
      x = add(x, this.dropout3.forward(this.feedForward(this.norm3.forward(x))));
    } else {
      x = this.norm1.forward(add(x, attend(this.selfAttn, this.dropout1, x, x, self)));
      x = this.norm2.forward(add(x, attend(this.multiheadAttn, this.dropout2, x, memory, cross)));
      x = this.norm3.forward(add(x, this.dropout3.forward(this.feedForward(x))));
    }
    return x;
  }

  /**
   * One decoding step: x is the newest target position ([N, 1, E] batch first, [1, N, E] otherwise);
   * its self-attention sees every position in `cache` and itself (so no causal mask is needed), its
   * keys and values are appended to the cache, and the memory's keys and values are projected once.
   * Equals the last position of forward() over the whole prefix with a causal mask.
   */
  forwardStep(
    x: Tensor,
    memory: Tensor,
    cache: DecoderLayerCache,
    opts: { memoryKeyPaddingMask?: Tensor | null } = {},
    ...extra: never[]
  ): Tensor {
    const fn = 'TransformerDecoderLayer.forwardStep';
    checkTensor(fn, x, 'argument 1 (x)');
    checkTensor(fn, memory, 'argument 2 (memory)');
    checkOptions(fn, 4, opts, { memoryKeyPaddingMask: 'tensor' });
    checkRest(fn, extra, 4, 'forwardStep(x, memory, cache, {memoryKeyPaddingMask})');
    this.checkInput(fn, x, 'x');
    if (x.ndim !== 3 || x.shape[this.batchFirst ? 1 : 0] !== 1) {
      throw new Error(`${fn}: x must be one position, ${this.batchFirst ? '[N, 1, E]' : '[1, N, E]'}, got ${fmtShape(x.shape)}`);
    }
    const self = (h: Tensor): Tensor => {
      const [k, v] = this.selfAttn.projectKeyValue(h, h);
      cache.selfK = cache.selfK ? cat([cache.selfK, k], 2) : k;
      cache.selfV = cache.selfV ? cat([cache.selfV, v], 2) : v;
      return this.dropout1.forward(this.selfAttn.attendProjected(h, cache.selfK, cache.selfV));
    };
    const cross = (h: Tensor): Tensor => {
      if (!cache.crossK || !cache.crossV) [cache.crossK, cache.crossV] = this.multiheadAttn.projectKeyValue(memory, memory);
      return this.dropout2.forward(this.multiheadAttn.attendProjected(h, cache.crossK, cache.crossV, opts.memoryKeyPaddingMask ?? null));
    };
    if (this.normFirst) {
      let y = add(x, self(this.norm1.forward(x)));
      y = add(y, cross(this.norm2.forward(y)));
      return add(y, this.dropout3.forward(this.feedForward(this.norm3.forward(y))));
    }
    let y = this.norm1.forward(add(x, self(x)));
    y = this.norm2.forward(add(y, cross(y)));
    return this.norm3.forward(add(y, this.dropout3.forward(this.feedForward(y))));
  }

  /** A new layer with the same options and a copy of these parameters. */
  clone(): TransformerDecoderLayer {
    const c = new TransformerDecoderLayer(this.dModel, this.nhead, this.opts);
    c.loadStateDict(this.stateDict());
    c.train(this.training);
    return c;
  }
}

export interface TransformerEncoderOptions {
  /** A final normalisation after the last layer (e.g. a LayerNorm, as nn.Transformer uses); default none. */
  norm?: Module | null;
}

export interface TransformerEncoderForwardOptions {
  /** Attention mask for every layer ([L, L] or [N * nhead, L, L]). */
  mask?: Tensor | null;
  /** [N, L] padding mask of the source. */
  srcKeyPaddingMask?: Tensor | null;
  /** Causal self-attention in every layer. */
  isCausal?: boolean;
}

function checkOptionalModule(cls: string, m: unknown): void {
  if (m != null && !(m instanceof Module))
    throw new TypeError(`${cls}: option 'norm' must be a Module (e.g. a LayerNorm) or null, got ${describe(m)}`);
}

/**
 * A stack of numLayers encoder layers (torch.nn.TransformerEncoder): each a copy of `encoderLayer`
 * (same options and, as PyTorch's deepcopy, the same initial parameters), then the optional norm.
 * Keys: layers.0.*, ..., norm.*.
 */
export class TransformerEncoder extends Module<[Tensor, TransformerEncoderForwardOptions?], Tensor> {
  readonly layers: ModuleList<TransformerEncoderLayer>;
  readonly norm: Module | null;

  constructor(
    encoderLayer: TransformerEncoderLayer,
    readonly numLayers: number,
    opts: TransformerEncoderOptions = {},
  ) {
    super();
    checkCtor(
      'nn.TransformerEncoder',
      [
        ['encoderLayer', 'any'],
        ['numLayers', 'positiveInt'],
      ],
      arguments,
      { norm: 'any' },
    );
    if (!(encoderLayer instanceof TransformerEncoderLayer)) {
      throw new TypeError(`nn.TransformerEncoder: encoderLayer must be an nn.TransformerEncoderLayer, got ${describe(encoderLayer)}`);
    }
    checkOptionalModule('nn.TransformerEncoder', opts.norm);
    this.layers = this.module('layers', new ModuleList(Array.from({ length: numLayers }, () => encoderLayer.clone())));
    this.norm = this.module('norm', opts.norm ?? null);
  }

  forward(src: Tensor, opts: TransformerEncoderForwardOptions = {}, ...extra: never[]): Tensor {
    const fn = 'TransformerEncoder.forward';
    checkTensor(fn, src, 'argument 1 (src)');
    checkOptions(fn, 2, opts, { mask: 'tensor', srcKeyPaddingMask: 'tensor', isCausal: 'boolean' });
    checkRest(fn, extra, 2, 'forward(src, {mask, srcKeyPaddingMask, isCausal})');
    const layerOpts: TransformerEncoderLayerForwardOptions = {
      srcMask: opts.mask ?? null,
      srcKeyPaddingMask: opts.srcKeyPaddingMask ?? null,
      isCausal: opts.isCausal ?? false,
    };
    let x = src;
    for (const layer of this.layers) x = layer.forward(x, layerOpts);
    return this.norm ? this.norm.forward(x) : x;
  }
}

export interface TransformerDecoderOptions {
  /** A final normalisation after the last layer; default none. */
  norm?: Module | null;
}

/**
 * A stack of numLayers decoder layers (torch.nn.TransformerDecoder), each a copy of `decoderLayer`,
 * then the optional norm. forward(tgt, memory, options) with the decoder layer's options.
 */
export class TransformerDecoder extends Module<[Tensor, Tensor, TransformerDecoderLayerForwardOptions?], Tensor> {
  readonly layers: ModuleList<TransformerDecoderLayer>;
  readonly norm: Module | null;

  constructor(
    decoderLayer: TransformerDecoderLayer,
    readonly numLayers: number,
    opts: TransformerDecoderOptions = {},
  ) {
    super();
    checkCtor(
      'nn.TransformerDecoder',
      [
        ['decoderLayer', 'any'],
        ['numLayers', 'positiveInt'],
      ],
      arguments,
      { norm: 'any' },
    );
    if (!(decoderLayer instanceof TransformerDecoderLayer)) {
      throw new TypeError(`nn.TransformerDecoder: decoderLayer must be an nn.TransformerDecoderLayer, got ${describe(decoderLayer)}`);
    }
    checkOptionalModule('nn.TransformerDecoder', opts.norm);
    this.layers = this.module('layers', new ModuleList(Array.from({ length: numLayers }, () => decoderLayer.clone())));
    this.norm = this.module('norm', opts.norm ?? null);
  }

  forward(tgt: Tensor, memory: Tensor, opts: TransformerDecoderLayerForwardOptions = {}, ...extra: never[]): Tensor {
    const fn = 'TransformerDecoder.forward';
    checkTensor(fn, tgt, 'argument 1 (tgt)');
    checkTensor(fn, memory, 'argument 2 (memory)');
    checkOptions(fn, 3, opts, DECODER_FORWARD);
    checkRest(fn, extra, 3, DECODER_USAGE);
    let x = tgt;
    for (const layer of this.layers) x = layer.forward(x, memory, opts);
    return this.norm ? this.norm.forward(x) : x;
  }

  /**
   * One incremental decoding step through every layer (see TransformerDecoderLayer.forwardStep and
   * TransformerDecoderCache): x the newest target position, the result its output after the norm.
   */
  forwardStep(
    x: Tensor,
    memory: Tensor,
    cache: TransformerDecoderCache,
    opts: { memoryKeyPaddingMask?: Tensor | null } = {},
    ...extra: never[]
  ): Tensor {
    const fn = 'TransformerDecoder.forwardStep';
    checkOptions(fn, 4, opts, { memoryKeyPaddingMask: 'tensor' });
    checkRest(fn, extra, 4, 'forwardStep(x, memory, cache, {memoryKeyPaddingMask})');
    if (!(cache instanceof TransformerDecoderCache) || cache.layers.length !== this.numLayers) {
      throw new TypeError(
        `${fn}: argument 3 (cache) must be an nn.TransformerDecoderCache for ${this.numLayers} layers, got ${describe(cache)}`,
      );
    }
    let y = x;
    let i = 0;
    for (const layer of this.layers) y = layer.forwardStep(y, memory, cache.layers[i++]!, opts);
    return this.norm ? this.norm.forward(y) : y;
  }
}

export interface TransformerOptions extends TransformerLayerOptions {
  /** Model width E (default 512). */
  dModel?: number;
  /** Attention heads (default 8). */
  nhead?: number;
  /** Encoder layers (default 6). */
  numEncoderLayers?: number;
  /** Decoder layers (default 6). */
  numDecoderLayers?: number;
  /** Use this encoder instead of building one. */
  customEncoder?: Module<any, any> | null;
  /** Use this decoder instead of building one. */
  customDecoder?: Module<any, any> | null;
}

export interface TransformerForwardOptions {
  srcMask?: Tensor | null;
  tgtMask?: Tensor | null;
  memoryMask?: Tensor | null;
  srcKeyPaddingMask?: Tensor | null;
  tgtKeyPaddingMask?: Tensor | null;
  memoryKeyPaddingMask?: Tensor | null;
  srcIsCausal?: boolean;
  tgtIsCausal?: boolean;
  memoryIsCausal?: boolean;
}

/**
 * The encoder-decoder Transformer (torch.nn.Transformer): numEncoderLayers encoder layers and a
 * final LayerNorm, numDecoderLayers decoder layers and a final LayerNorm. Every parameter with more
 * than one dim is re-initialised xavier_uniform_, as PyTorch's. Embeddings, positional encodings and
 * the output projection are the model's (see nn.PositionalEncoding and nn.tieWeights).
 * forward(src, tgt, options): src [S, N, E], tgt [T, N, E] (or batch first) -> [T, N, E].
 * @example
 * const t = new nn.Transformer({ dModel: 32, nhead: 4, numEncoderLayers: 2, numDecoderLayers: 2, dimFeedforward: 64, batchFirst: true });
 * t.forward(src, tgt, { tgtMask: nn.Transformer.generateSquareSubsequentMask(tgt.shape[1]) })
 */
export class Transformer extends Module<[Tensor, Tensor, TransformerForwardOptions?], Tensor> {
  readonly encoder: Module<any, any>;
  readonly decoder: Module<any, any>;
  readonly dModel: number;
  readonly nhead: number;
  readonly batchFirst: boolean;

  /** The causal float mask [n, n] (0 on and below the diagonal, -inf above), as torch's static method. */
  static generateSquareSubsequentMask = generateSquareSubsequentMask;

  constructor(opts: TransformerOptions = {}) {
    super();
    checkCtor('nn.Transformer', [], arguments, {
      ...LAYER_OPTIONS,
      dModel: 'positiveInt',
      nhead: 'positiveInt',
      numEncoderLayers: 'positiveInt',
      numDecoderLayers: 'positiveInt',
      customEncoder: 'any',
      customDecoder: 'any',
    });
    for (const k of ['customEncoder', 'customDecoder'] as const) {
      const m = opts[k];
      if (m != null && !(m instanceof Module)) throw new TypeError(`nn.Transformer: option '${k}' must be a Module, got ${describe(m)}`);
    }
    this.dModel = opts.dModel ?? 512;
    this.nhead = opts.nhead ?? 8;
    this.batchFirst = opts.batchFirst ?? false;
    const { dModel: _d, nhead: _h, numEncoderLayers, numDecoderLayers, customEncoder, customDecoder, ...layerOpts } = opts;
    const eps = opts.layerNormEps ?? 1e-5;
    const dtype = opts.dtype ?? 'float32';
    const bias = opts.bias ?? true;
    this.encoder = this.module(
      'encoder',
      customEncoder ??
        new TransformerEncoder(new TransformerEncoderLayer(this.dModel, this.nhead, layerOpts), numEncoderLayers ?? 6, {
          norm: new LayerNorm(this.dModel, { eps, bias, dtype }),
        }),
    );
    this.decoder = this.module(
      'decoder',
      customDecoder ??
        new TransformerDecoder(new TransformerDecoderLayer(this.dModel, this.nhead, layerOpts), numDecoderLayers ?? 6, {
          norm: new LayerNorm(this.dModel, { eps, bias, dtype }),
        }),
    );
    for (const p of this.parameters()) if (p.ndim > 1) xavierUniform_(p);
  }

  forward(src: Tensor, tgt: Tensor, opts: TransformerForwardOptions = {}, ...extra: never[]): Tensor {
    const fn = 'Transformer.forward';
    checkTensor(fn, src, 'argument 1 (src)');
    checkTensor(fn, tgt, 'argument 2 (tgt)');
    checkOptions(fn, 3, opts, {
      srcMask: 'tensor',
      tgtMask: 'tensor',
      memoryMask: 'tensor',
      srcKeyPaddingMask: 'tensor',
      tgtKeyPaddingMask: 'tensor',
      memoryKeyPaddingMask: 'tensor',
      srcIsCausal: 'boolean',
      tgtIsCausal: 'boolean',
      memoryIsCausal: 'boolean',
    });
    checkRest(
      fn,
      extra,
      3,
      'forward(src, tgt, {srcMask, tgtMask, memoryMask, srcKeyPaddingMask, tgtKeyPaddingMask, memoryKeyPaddingMask, srcIsCausal, tgtIsCausal, memoryIsCausal})',
    );
    const bd = this.batchFirst ? 0 : 1;
    if (src.ndim === 3 && tgt.ndim === 3 && src.shape[bd] !== tgt.shape[bd]) {
      throw new Error(`${fn}: src ${fmtShape(src.shape)} and tgt ${fmtShape(tgt.shape)} have different batch sizes (batch dim ${bd})`);
    }
    if (src.shape[src.ndim - 1] !== this.dModel || tgt.shape[tgt.ndim - 1] !== this.dModel) {
      throw new Error(`${fn}: src ${fmtShape(src.shape)} and tgt ${fmtShape(tgt.shape)} must end in dModel = ${this.dModel}`);
    }
    const memory = this.encode(src, {
      mask: opts.srcMask ?? null,
      srcKeyPaddingMask: opts.srcKeyPaddingMask ?? null,
      isCausal: opts.srcIsCausal ?? false,
    });
    return this.decode(tgt, memory, {
      tgtMask: opts.tgtMask ?? null,
      memoryMask: opts.memoryMask ?? null,
      tgtKeyPaddingMask: opts.tgtKeyPaddingMask ?? null,
      memoryKeyPaddingMask: opts.memoryKeyPaddingMask ?? null,
      tgtIsCausal: opts.tgtIsCausal ?? false,
      memoryIsCausal: opts.memoryIsCausal ?? false,
    });
  }

  /** The encoder alone: memory = encoder(src) (for decoding a source once and the target step by step). */
  encode(src: Tensor, opts: TransformerEncoderForwardOptions = {}): Tensor {
    return this.encoder.forward(src, opts) as Tensor;
  }

  /**
   * One incremental decoding step over a memory from encode(): x the newest target position (embedded),
   * `cache` from newDecoderCache(). Equals the last position of decode() over the whole prefix with
   * the causal mask, at the cost of one position (see TransformerDecoderCache).
   */
  decodeStep(x: Tensor, memory: Tensor, cache: TransformerDecoderCache, opts: { memoryKeyPaddingMask?: Tensor | null } = {}): Tensor {
    if (!(this.decoder instanceof TransformerDecoder))
      throw new Error('Transformer.decodeStep: needs the built-in decoder (not a customDecoder)');
    return this.decoder.forwardStep(x, memory, cache, opts);
  }

  /** An empty cache for decodeStep. */
  newDecoderCache(): TransformerDecoderCache {
    if (!(this.decoder instanceof TransformerDecoder))
      throw new Error('Transformer.newDecoderCache: needs the built-in decoder (not a customDecoder)');
    return new TransformerDecoderCache(this.decoder.numLayers);
  }

  /** The decoder alone, over a memory from encode(). */
  decode(tgt: Tensor, memory: Tensor, opts: TransformerDecoderLayerForwardOptions = {}): Tensor {
    return this.decoder.forward(tgt, memory, opts) as Tensor;
  }
}

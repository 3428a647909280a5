/**
 * Position information for attention models, which are otherwise blind to order.
 *
 * Sinusoidal (Vaswani et al. 2017, section 3.5), in the curriculum's notation (Day 4):
 *   PE(pos, 2i) = sin(pos / 10000^(2i / d_model)),   PE(pos, 2i + 1) = cos(pos / 10000^(2i / d_model))
 * added to the (scaled) token embeddings. Learned: a trained table of one vector per position.
 * torch.nn has neither class; the sinusoidal one follows the PyTorch tutorial's PositionalEncoding
 * (dropout after the sum, default 0.1) except that its table is a non-persistent buffer, so
 * checkpoints do not carry a table they can recompute.
 */
/* eslint-disable prefer-rest-params -- constructors hand their `arguments` to checkCtor (tensor/validate.ts), which also rejects arguments past the declared ones; rest parameters would hide the declared signature */
import type { Tensor } from '../../tensor/tensor.js';
import { fmtShape } from '../../tensor/shape.js';
import { tensor, zeros } from '../../tensor/creation.js';
import { checkArg, checkCtor, checkRest, checkTensor } from '../../tensor/validate.js';
import { add } from '../../ops/elementwise/add.js';
import { narrow } from '../../ops/shape/narrow.js';
import { unsqueeze } from '../../ops/shape/unsqueeze.js';
import { Module } from '../module.js';
import type { Parameter } from '../parameter.js';
import { normal_ } from '../init.js';
import { Dropout } from './basic.js';

export interface PositionalEncodingOptions {
  /** Longest sequence (default 5000). */
  maxLen?: number;
  /** Dropout after adding the encoding (default 0.1). */
  dropout?: number;
  /** Input [N, L, E] (true) or [L, N, E] (false, the default, as nn.Transformer). */
  batchFirst?: boolean;
  dtype?: 'float32' | 'float64';
}

/** Where the sequence dim is and the [L, E] slice to add, reshaped to broadcast over the input. */
function positionsFor(cls: string, table: Tensor, x: Tensor, offset: number, batchFirst: boolean): Tensor {
  const [maxLen, E] = [table.shape[0]!, table.shape[1]!];
  if ((x.ndim !== 2 && x.ndim !== 3) || x.shape[x.ndim - 1] !== E) {
    throw new Error(`${cls}: expected input ${batchFirst ? '[N, L, E]' : '[L, N, E]'} or [L, E] with E = ${E}, got ${fmtShape(x.shape)}`);
  }
  const L = x.ndim === 3 && batchFirst ? x.shape[1]! : x.shape[0]!;
  if (offset + L > maxLen) {
    throw new Error(
      `${cls}: positions ${offset}..${offset + L - 1} of input ${fmtShape(x.shape)} exceed maxLen ${maxLen}; build it with a larger maxLen`,
    );
  }
  const pe = narrow(table, 0, offset, L);
  // [L, E] broadcasts over [N, L, E] and [L, E]; sequence-first input [L, N, E] needs [L, 1, E].
  return x.ndim === 3 && !batchFirst ? unsqueeze(pe, 1) : pe;
}

/**
 * x + PE[offset : offset + L], then dropout. `offset` shifts the positions (a decoder fed one
 * token at a time passes the step number).
 * @example new nn.PositionalEncoding(512, { batchFirst: true }).forward(mul(embed.forward(ids), Math.sqrt(512)))
 */
export class PositionalEncoding extends Module<[Tensor, number?]> {
  /** The table [maxLen, dModel] (a non-persistent buffer). */
  readonly pe: Tensor;
  readonly batchFirst: boolean;
  readonly dropout: Dropout;

  constructor(
    readonly dModel: number,
    opts: PositionalEncodingOptions = {},
  ) {
    super();
    checkCtor('nn.PositionalEncoding', [['dModel', 'positiveInt']], arguments, {
      maxLen: 'positiveInt',
      dropout: 'number',
      batchFirst: 'boolean',
      dtype: ['float32', 'float64'],
    });
    const maxLen = opts.maxLen ?? 5000;
    const dtype = opts.dtype ?? 'float32';
    this.batchFirst = opts.batchFirst ?? false;
    const data = dtype === 'float64' ? new Float64Array(maxLen * dModel) : new Float32Array(maxLen * dModel);
    for (let i = 0; 2 * i < dModel; i++) {
      // 1 / 10000^(2i / d_model), computed as exp(-2i ln(10000) / d_model) like the reference
      const freq = Math.exp((-2 * i * Math.log(10000)) / dModel);
      for (let pos = 0; pos < maxLen; pos++) {
        data[pos * dModel + 2 * i] = Math.sin(pos * freq);
        if (2 * i + 1 < dModel) data[pos * dModel + 2 * i + 1] = Math.cos(pos * freq);
      }
    }
    this.pe = this.buffer('pe', tensor(data, { shape: [maxLen, dModel], dtype }), false);
    this.dropout = this.module('dropout', new Dropout(opts.dropout ?? 0.1));
  }

  forward(x: Tensor, offset = 0, ...extra: never[]): Tensor {
    const fn = 'PositionalEncoding.forward';
    checkTensor(fn, x, 'argument 1 (x)');
    checkArg(fn, 'argument 2 (offset)', offset, 'nonNegativeInt');
    checkRest(fn, extra, 2, 'forward(x, offset?)');
    return this.dropout.forward(add(x, positionsFor(fn, this.pe, x, offset, this.batchFirst)));
  }

  override extraRepr(): string {
    return `d_model=${this.dModel}, max_len=${this.pe.shape[0]}`;
  }
}

export interface LearnedPositionalEmbeddingOptions {
  /** Dropout after adding the embedding (default 0). */
  dropout?: number;
  /** Input [N, L, E] (true) or [L, N, E] (false, the default). */
  batchFirst?: boolean;
  dtype?: 'float32' | 'float64';
}

/**
 * x + P[offset : offset + L] with P [maxLen, dModel] a trained table (key `weight`, initialised
 * N(0, 1) as nn.Embedding, the same scale as the sinusoids), then dropout. Positions past maxLen
 * have no vector: an input longer than maxLen is an error.
 * @example new nn.LearnedPositionalEmbedding(128, 64, { batchFirst: true }).forward(x) // x [N, L <= 128, 64]
 */
export class LearnedPositionalEmbedding extends Module<[Tensor, number?]> {
  readonly weight: Parameter;
  readonly batchFirst: boolean;
  readonly dropout: Dropout;

  constructor(
    readonly maxLen: number,
    readonly dModel: number,
    opts: LearnedPositionalEmbeddingOptions = {},
  ) {
    super();
    checkCtor(
      'nn.LearnedPositionalEmbedding',
      [
        ['maxLen', 'positiveInt'],
        ['dModel', 'positiveInt'],
      ],
      arguments,
      { dropout: 'number', batchFirst: 'boolean', dtype: ['float32', 'float64'] },
    );
    this.batchFirst = opts.batchFirst ?? false;
    this.weight = this.param('weight', normal_(zeros([maxLen, dModel], { dtype: opts.dtype ?? 'float32' })));
    this.dropout = this.module('dropout', new Dropout(opts.dropout ?? 0));
  }

  forward(x: Tensor, offset = 0, ...extra: never[]): Tensor {
    const fn = 'LearnedPositionalEmbedding.forward';
    checkTensor(fn, x, 'argument 1 (x)');
    checkArg(fn, 'argument 2 (offset)', offset, 'nonNegativeInt');
    checkRest(fn, extra, 2, 'forward(x, offset?)');
    return this.dropout.forward(add(x, positionsFor(fn, this.weight, x, offset, this.batchFirst)));
  }

  override extraRepr(): string {
    return `${this.maxLen}, ${this.dModel}`;
  }
}

/** Shape-only and regularisation layers, and embeddings. */
/* eslint-disable prefer-rest-params -- constructors hand their `arguments` to checkCtor (tensor/validate.ts), which also rejects arguments past the declared ones; rest parameters would hide the declared signature */
import type { Tensor } from '../../tensor/tensor.js';
import { fmtShape } from '../../tensor/shape.js';
import { zeros } from '../../tensor/creation.js';
import type { Generator } from '../../tensor/random.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { Module } from '../module.js';
import type { Parameter } from '../parameter.js';
import { normal_, uniform_ } from '../init.js';
import { dropout } from '../../ops/elementwise/dropout.js';
import { flatten } from '../../ops/shape/flatten.js';
import { reshape } from '../../ops/shape/reshape.js';
import { embedding } from '../../ops/indexing/embedding.js';
import { matmul } from '../../ops/linalg/matmul.js';
import { mul } from '../../ops/elementwise/mul.js';
import { add } from '../../ops/elementwise/add.js';
import { sum } from '../../ops/reduce/sum.js';
import { unsqueeze } from '../../ops/shape/unsqueeze.js';
import { checkCtor } from '../../tensor/validate.js';

export class Identity extends Module {
  constructor() {
    super();
    checkCtor('nn.Identity', [], arguments);
  }
  forward(x: Tensor): Tensor {
    return x;
  }
}

/** Flattens dims startDim..endDim (default 1..-1, keeping the batch dim). */
export class Flatten extends Module {
  constructor(
    readonly startDim = 1,
    readonly endDim = -1,
  ) {
    super();
    checkCtor(
      'nn.Flatten',
      [
        ['startDim', 'int', true],
        ['endDim', 'int', true],
      ],
      arguments,
    );
  }
  forward(x: Tensor): Tensor {
    return flatten(x, this.startDim, this.endDim);
  }
  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}

/**
 * Splits dim `dim` into `sizes` (torch.nn.Unflatten), e.g. [N, 3136] -> [N, 64, 7, 7] with
 * `new nn.Unflatten(1, [64, 7, 7])`: the inverse of Flatten between a Linear and a convolution.
 * No parameters, so a torch Sequential with an Unflatten keeps the same state-dict indices.
 */
export class Unflatten extends Module {
  readonly sizes: readonly number[];
  constructor(
    readonly dim: number,
    sizes: readonly number[],
  ) {
    super();
    checkCtor(
      'nn.Unflatten',
      [
        ['dim', 'int'],
        ['sizes', 'positiveInts'],
      ],
      arguments,
    );
    this.sizes = typeof sizes === 'number' ? [sizes] : [...sizes];
  }
  forward(x: Tensor): Tensor {
    const r = x.shape.length;
    const d = this.dim < 0 ? this.dim + r : this.dim;
    if (d < 0 || d >= r) throw new Error(`nn.Unflatten: dim ${this.dim} is out of range for an input of shape ${fmtShape(x.shape)}`);
    const n = this.sizes.reduce((a, b) => a * b, 1);
    if (x.shape[d] !== n)
      throw new Error(
        `nn.Unflatten: dim ${this.dim} of the input (shape ${fmtShape(x.shape)}) has size ${x.shape[d]}, but sizes ${fmtShape(this.sizes)} hold ${n}`,
      );
    return reshape(x, [...x.shape.slice(0, d), ...this.sizes, ...x.shape.slice(d + 1)]);
  }
  override extraRepr(): string {
    return `dim=${this.dim}, unflattened_size=(${this.sizes.join(', ')})`;
  }
}

/** Inverted dropout in train mode, identity in eval mode. */
export class Dropout extends Module {
  constructor(
    readonly p = 0.5,
    readonly generator?: Generator,
  ) {
    super();
    checkCtor(
      'nn.Dropout',
      [
        ['p', 'number', true],
        ['generator', 'any', true],
      ],
      arguments,
    );
    if (!(p >= 0 && p <= 1)) throw new Error(`Dropout: probability must be in [0, 1], got ${p}`);
  }
  forward(x: Tensor): Tensor {
    return dropout(x, this.p, this.generator ? { training: this.training, generator: this.generator } : { training: this.training });
  }
  override extraRepr(): string {
    return `p=${this.p}, inplace=False`;
  }
}

export interface EmbeddingLayerOptions {
  /** Row that maps to zeros and gets no gradient (PyTorch's padding_idx). */
  paddingIdx?: number;
  dtype?: 'float32' | 'float64';
}

/** A lookup table [numEmbeddings, embeddingDim], initialised N(0, 1) as PyTorch (padding row zeroed). */
export class Embedding extends Module {
  readonly weight: Parameter;
  readonly paddingIdx: number | undefined;

  constructor(
    readonly numEmbeddings: number,
    readonly embeddingDim: number,
    opts: EmbeddingLayerOptions = {},
  ) {
    super();
    checkCtor(
      'nn.Embedding',
      [
        ['numEmbeddings', 'positiveInt'],
        ['embeddingDim', 'positiveInt'],
      ],
      arguments,
      { paddingIdx: 'int', dtype: ['float32', 'float64'] },
    );
    const pad = opts.paddingIdx === undefined ? undefined : opts.paddingIdx < 0 ? opts.paddingIdx + numEmbeddings : opts.paddingIdx;
    if (pad !== undefined && (pad < 0 || pad >= numEmbeddings)) {
      throw new Error(`Embedding: paddingIdx ${opts.paddingIdx} is out of range for ${numEmbeddings} embeddings`);
    }
    this.paddingIdx = pad;
    const w = normal_(zeros([numEmbeddings, embeddingDim], { dtype: opts.dtype ?? 'float32' }));
    if (pad !== undefined) noGrad(() => w.data.fill(0, pad * embeddingDim, (pad + 1) * embeddingDim));
    this.weight = this.param('weight', w);
  }

  forward(indices: Tensor): Tensor {
    return embedding(this.weight, indices, this.paddingIdx === undefined ? {} : { paddingIdx: this.paddingIdx });
  }

  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}${this.paddingIdx === undefined ? '' : `, padding_idx=${this.paddingIdx}`}`;
  }
}

/** y_k = x1^T A_k x2 + b_k with weight [out, in1, in2] (torch.nn.Bilinear), init U(-1/sqrt(in1), 1/sqrt(in1)). */
export class Bilinear extends Module<[Tensor, Tensor]> {
  readonly weight: Parameter;
  readonly bias: Parameter | null;

  constructor(
    readonly in1: number,
    readonly in2: number,
    readonly outFeatures: number,
    opts: { bias?: boolean; dtype?: 'float32' | 'float64' } = {},
  ) {
    super();
    checkCtor(
      'nn.Bilinear',
      [
        ['in1', 'positiveInt'],
        ['in2', 'positiveInt'],
        ['outFeatures', 'positiveInt'],
      ],
      arguments,
      { bias: 'boolean', dtype: ['float32', 'float64'] },
    );
    const bound = 1 / Math.sqrt(in1);
    const dtype = opts.dtype ?? 'float32';
    this.weight = this.param('weight', uniform_(zeros([outFeatures, in1, in2], { dtype }), -bound, bound));
    this.bias = this.param('bias', opts.bias === false ? null : uniform_(zeros([outFeatures], { dtype }), -bound, bound));
  }

  forward(x1: Tensor, x2: Tensor): Tensor {
    if (x1.shape[x1.ndim - 1] !== this.in1 || x2.shape[x2.ndim - 1] !== this.in2) {
      throw new Error(`Bilinear: inputs ${fmtShape(x1.shape)} and ${fmtShape(x2.shape)} do not end in ${this.in1} and ${this.in2}`);
    }
    // (x1 A_k) · x2 for every k: [..., 1, 1, in1] @ [out, in1, in2] -> [..., out, 1, in2]
    const left = matmul(unsqueeze(unsqueeze(x1, -2), -3), this.weight);
    const y = sum(mul(left, unsqueeze(unsqueeze(x2, -2), -3)), { dim: [-2, -1] });
    return this.bias ? add(y, this.bias) : y;
  }

  override extraRepr(): string {
    return `in1_features=${this.in1}, in2_features=${this.in2}, out_features=${this.outFeatures}, bias=${this.bias ? 'True' : 'False'}`;
  }
}

/* eslint-disable prefer-rest-params -- constructors hand their `arguments` to checkCtor (tensor/validate.ts), which also rejects arguments past the declared ones; rest parameters would hide the declared signature */
import { Tensor } from '../../tensor/tensor.js';
import { fmtShape } from '../../tensor/shape.js';
import { zeros } from '../../tensor/creation.js';
import { matmul } from '../../ops/linalg/matmul.js';
import { add } from '../../ops/elementwise/add.js';
import { transpose } from '../../ops/shape/transpose.js';
import { Module } from '../module.js';
import type { Parameter } from '../parameter.js';
import { kaimingUniform_, uniform_ } from '../init.js';
import { checkCtor } from '../../tensor/validate.js';

export interface LinearOptions {
  /** Add a learnable bias (default true). */
  bias?: boolean;
  dtype?: 'float32' | 'float64';
}

/**
 * y = x W^T + b, with W of shape [out, in] (PyTorch's layout, so weights load by name).
 * Default init as PyTorch: W ~ U(-1/sqrt(in), 1/sqrt(in)) (kaiming uniform, a = sqrt(5)), b likewise.
 * @example new Linear(784, 10).forward(x) // x: [N, 784] -> [N, 10]
 */
export class Linear extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    opts: LinearOptions = {},
  ) {
    super();
    checkCtor(
      'nn.Linear',
      [
        ['inFeatures', 'positiveInt'],
        ['outFeatures', 'positiveInt'],
      ],
      arguments,
      { bias: 'boolean', dtype: ['float32', 'float64'] },
    );
    const dtype = opts.dtype ?? 'float32';
    this.weight = this.param('weight', kaimingUniform_(zeros([outFeatures, inFeatures], { dtype }), { a: Math.sqrt(5) }));
    const bound = inFeatures > 0 ? 1 / Math.sqrt(inFeatures) : 0;
    this.bias = this.param('bias', opts.bias === false ? null : uniform_(zeros([outFeatures], { dtype }), -bound, bound));
  }

  forward(x: Tensor): Tensor {
    if (x.shape[x.ndim - 1] !== this.inFeatures) {
      throw new Error(`Linear: input shape ${fmtShape(x.shape)} does not end in in_features=${this.inFeatures}`);
    }
    const y = matmul(x, transpose(this.weight));
    return this.bias ? add(y, this.bias) : y;
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.bias ? 'True' : 'False'}`;
  }
}

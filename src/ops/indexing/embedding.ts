import type { Tensor } from '../../tensor/tensor.js';
import { fmtShape } from '../../tensor/shape.js';
import { checkIndices, denseData, requireIndex } from './_indexing.js';
import { eq } from '../elementwise/eq.js';
import { indexSelect } from './indexSelect.js';
import { reshape } from '../shape/reshape.js';
import { where } from '../elementwise/where.js';
import { defineOp } from '../registry.js';
import { checkOptions } from '../../tensor/validate.js';

export interface EmbeddingOptions {
  /**
   * Row whose gradient stays zero (negative counts from the end), as padding_idx in PyTorch.
   * The forward still reads the row.
   */
  paddingIdx?: number;
}

/**
 * Looks up rows of `weight` [V, D] at int32 `indices` of any shape: out[..., :] = weight[indices[...], :],
 * shape [...indices.shape, D]. The gradient to weight accumulates g into the looked-up rows
 * (repeated indices add up), except the paddingIdx row, which gets zero. (max_norm is not supported.)
 * @example embedding(weight, tensor([[1, 3], [3, 0]], { dtype: 'int32' })).shape // [2, 2, D]
 */
export function embedding(weight: Tensor, indices: Tensor, opts: EmbeddingOptions = {}): Tensor {
  opts = checkOptions('embedding', 3, opts, { paddingIdx: 'int' });
  requireIndex('embedding', indices, 'indices');
  if (weight.ndim !== 2) throw new Error(`embedding: weight must be 2-D [V, D], got shape ${fmtShape(weight.shape)}`);
  const [V, D] = weight.shape as [number, number];
  const flat = reshape(indices, [-1]);
  checkIndices('embedding', denseData(indices), indices.shape, V, `a weight of shape ${fmtShape(weight.shape)} (${V} rows)`);
  let rows = indexSelect(weight, 0, flat);
  if (opts.paddingIdx !== undefined) {
    const p = opts.paddingIdx;
    if (!Number.isInteger(p) || p < -V || p >= V) {
      throw new Error(`embedding: paddingIdx ${p} must be within the ${V} rows of weight ${fmtShape(weight.shape)}`);
    }
    // Same values, but the rows read at paddingIdx come from a detached copy: no gradient reaches them.
    const isPad = reshape(eq(flat, p < 0 ? p + V : p), [-1, 1]);
    rows = where(isPad, rows.detach(), rows);
  }
  return reshape(rows, [...indices.shape, D]);
}
defineOp('embedding', 'differentiable');

import { Tensor } from '../../tensor/tensor.js';
import { fmtShape, normDim } from '../../tensor/shape.js';
import { backendOf } from '../../backend/index.js';
import { record } from '../../autograd/node.js';
import { checkIndices, denseData, requireIndex } from './_indexing.js';
import { checkScatterShapes } from './gather.js';
import { scatterSrcGrad } from './scatterAdd.js';
import { defineOp } from '../registry.js';

/**
 * Scatter along `dim` (out of place): out = x, then out[index[i][j]][j] = src[i][j] for dim 0
 * (src may be a number). With repeated indices the last write wins (PyTorch leaves it undefined).
 * Gradients: x gets g with the written positions zeroed; src gets gather(g, dim, index).
 * @example scatter(zeros([3]), 0, tensor([2], { dtype: 'int32' }), 5) // [0, 0, 5]
 */
export function scatter(x: Tensor, dim: number, index: Tensor, src: Tensor | number): Tensor {
  requireIndex('scatter', index);
  const srcT = typeof src === 'number' ? null : src;
  if (srcT && srcT.dtype !== x.dtype) {
    throw new Error(
      `scatter: src dtype ${srcT.dtype} must match the input dtype ${x.dtype} (shapes ${fmtShape(srcT.shape)}, ${fmtShape(x.shape)})`,
    );
  }
  const d = normDim('scatter', dim, x.ndim);
  checkScatterShapes('scatter', x, d, index, srcT ?? undefined);
  const idx = denseData(index);
  const size = x.ndim === 0 ? 1 : x.shape[d]!;
  checkIndices('scatter', idx, index.shape, size, `dim ${d} of input shape ${fmtShape(x.shape)}`);
  const be = backendOf('scatter', x, index, src);
  const out = Tensor.empty(x.shape, x.dtype, be.name);
  be.copy(x, out.storage);
  const one = (s: readonly number[]) => (s.length === 0 ? [1] : s);
  const values = srcT ? be.dense(srcT) : (src as number);
  be.scatter(out.storage, one(x.shape), d, idx, one(index.shape), values, one(srcT ? srcT.shape : index.shape), false);
  return record('scatter', [x, srcT], out, (g) => [
    x.requiresGrad ? scatter(g, d, index, 0) : null,
    srcT?.requiresGrad ? scatterSrcGrad(g, d, index, srcT) : null,
  ]);
}
defineOp('scatter', 'differentiable');

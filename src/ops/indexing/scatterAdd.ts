import { Tensor } from '../../tensor/tensor.js';
import { fmtShape, normDim } from '../../tensor/shape.js';
import { backendOf } from '../../backend/index.js';
import { record } from '../../autograd/node.js';
import { checkIndices, denseData, requireIndex } from './_indexing.js';
import { checkScatterShapes, gather } from './gather.js';
import { pad } from '../shape/pad.js';
import { defineOp } from '../registry.js';
import { checkTensor } from '../../tensor/validate.js';

/** The gradient for src of a scatter: gather(g) at index, zero-padded to src's shape when src is larger. */
export function scatterSrcGrad(g: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  checkTensor('scatterSrcGrad', g);
  const got = gather(g, dim, index);
  if (got.ndim === 0 || got.shape.every((n, i) => n === src.shape[i])) return got;
  const widths: number[] = [];
  for (let i = src.ndim - 1; i >= 0; i--) widths.push(0, src.shape[i]! - got.shape[i]!);
  return pad(got, widths);
}

/**
 * Scatter-add along `dim`: out = x, then out[index[i][j]][j] += src[i][j] for dim 0 (likewise for
 * other dims; repeated indices accumulate). index is int32 with x's rank and no larger than src;
 * only index's extent of src is used. Gradients: x gets g, src gets gather(g, dim, index).
 * @example scatterAdd(zeros([3]), 0, tensor([0, 2, 0], { dtype: 'int32' }), tensor([1, 2, 3])) // [4, 0, 2]
 */
export function scatterAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  requireIndex('scatterAdd', index);
  if (src.dtype !== x.dtype) {
    throw new Error(
      `scatterAdd: src dtype ${src.dtype} must match the input dtype ${x.dtype} (shapes ${fmtShape(src.shape)}, ${fmtShape(x.shape)})`,
    );
  }
  const d = normDim('scatterAdd', dim, x.ndim);
  checkScatterShapes('scatterAdd', x, d, index, src);
  const idx = denseData(index);
  const size = x.ndim === 0 ? 1 : x.shape[d]!;
  checkIndices('scatterAdd', idx, index.shape, size, `dim ${d} of input shape ${fmtShape(x.shape)}`);
  const be = backendOf('scatterAdd', x, index, src);
  const out = Tensor.empty(x.shape, x.dtype, be.name);
  be.copy(x, out.storage);
  const one = (s: readonly number[]) => (s.length === 0 ? [1] : s);
  be.scatter(out.storage, one(x.shape), d, idx, one(index.shape), be.dense(src), one(src.shape), true);
  return record('scatterAdd', [x, src], out, (g) => [
    x.requiresGrad ? g : null,
    src.requiresGrad ? scatterSrcGrad(g, d, index, src) : null,
  ]);
}
defineOp('scatterAdd', 'differentiable');

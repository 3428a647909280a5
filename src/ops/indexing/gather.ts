import { Tensor } from '../../tensor/tensor.js';
import { fmtShape, normDim } from '../../tensor/shape.js';
import { zeros } from '../../tensor/creation.js';
import { backendOf } from '../../backend/index.js';
import { record } from '../../autograd/node.js';
import { checkIndices, denseData, requireIndex } from './_indexing.js';
import { scatterAdd } from './scatterAdd.js';
import { defineOp } from '../registry.js';

/** Shape rules shared by gather/scatter: same rank, index no larger than `other` outside `dim`. */
export function checkScatterShapes(op: string, x: Tensor, dim: number, index: Tensor, src?: Tensor): void {
  const rank = Math.max(x.ndim, 1);
  if (Math.max(index.ndim, 1) !== rank || (src && Math.max(src.ndim, 1) !== rank)) {
    throw new Error(
      `${op}: index shape ${fmtShape(index.shape)}${src ? `, src shape ${fmtShape(src.shape)}` : ''} and input shape ` +
        `${fmtShape(x.shape)} must have the same number of dims`,
    );
  }
  for (let d = 0; d < index.ndim; d++) {
    if ((d !== dim && index.shape[d]! > (x.shape[d] ?? 1)) || (src && index.shape[d]! > (src.shape[d] ?? 1))) {
      throw new Error(
        `${op}: index shape ${fmtShape(index.shape)} is larger than input shape ${fmtShape(x.shape)}` +
          `${src ? ` or src shape ${fmtShape(src.shape)}` : ''} in dim ${d} (only dim ${dim} may be larger than the input)`,
      );
    }
  }
}

/**
 * Gathers values along `dim`: out[i][j][k] = x[index[i][j][k]][j][k] for dim 0 (and likewise for
 * other dims); out has index's shape. index is int32 with the same rank as x. The gradient
 * scatter-adds g into zeros of x's shape.
 * @example gather(tensor([[1, 2], [3, 4]]), 1, tensor([[0, 0], [1, 0]], { dtype: 'int32' })) // [[1, 1], [4, 3]]
 */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  requireIndex('gather', index);
  const d = normDim('gather', dim, x.ndim);
  checkScatterShapes('gather', x, d, index);
  const idx = denseData(index);
  const size = x.ndim === 0 ? 1 : x.shape[d]!;
  checkIndices('gather', idx, index.shape, size, `dim ${d} of input shape ${fmtShape(x.shape)}`);
  const be = backendOf('gather', x, index);
  const out = Tensor.empty(index.shape, x.dtype, be.name);
  be.gather(be.dense(x), x.ndim === 0 ? [1] : x.shape, d, idx, index.ndim === 0 ? [1] : index.shape, out.storage);
  return record('gather', [x], out, (g) => [scatterAdd(zeros(x.shape, { dtype: g.dtype, device: g.device }), d, index, g)]);
}
defineOp('gather', 'differentiable');

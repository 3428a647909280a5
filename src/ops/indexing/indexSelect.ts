import { Tensor } from '../../tensor/tensor.js';
import { fmtShape, normDim } from '../../tensor/shape.js';
import { zeros } from '../../tensor/creation.js';
import { backendOf } from '../../backend/index.js';
import { record } from '../../autograd/node.js';
import { checkIndices, denseData, requireIndex } from './_indexing.js';
import { indexAdd } from './indexAdd.js';
import { defineOp } from '../registry.js';

/** Throws unless index is a 0-d or 1-D int32 tensor; returns its values. */
export function vectorIndex(op: string, index: Tensor): ArrayLike<number> {
  requireIndex(op, index);
  if (index.ndim > 1) throw new Error(`${op}: index must be 0-d or 1-D, got shape ${fmtShape(index.shape)}`);
  return denseData(index);
}

/**
 * Picks slices along `dim` at the int32 positions in the 1-D `index` (repeats allowed):
 * out.shape = x.shape with dim replaced by index.length. The gradient index-adds g into zeros of
 * x's shape, so repeated indices accumulate.
 * @example indexSelect(x, 0, tensor([2, 0, 2], { dtype: 'int32' })) // rows 2, 0, 2 of x
 */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  const idx = vectorIndex('indexSelect', index);
  const d = normDim('indexSelect', dim, x.ndim);
  const size = x.ndim === 0 ? 1 : x.shape[d]!;
  checkIndices('indexSelect', idx, index.shape, size, `dim ${d} of input shape ${fmtShape(x.shape)}`);
  const shape = [...x.shape];
  if (x.ndim > 0) shape[d] = idx.length;
  const be = backendOf('indexSelect', x, index);
  const out = Tensor.empty(shape, x.dtype, be.name);
  be.indexSelect(be.dense(x), x.ndim === 0 ? [1] : x.shape, d, idx, out.storage);
  return record('indexSelect', [x], out, (g) => [indexAdd(zeros(x.shape, { dtype: g.dtype, device: g.device }), d, index, g)]);
}
defineOp('indexSelect', 'differentiable');

import { Tensor } from '../../tensor/tensor.js';
import { normDims } from '../../tensor/shape.js';
import { record } from '../../autograd/node.js';
import { reshape } from './reshape.js';
import { defineOp } from '../registry.js';
import { dimsOnly, tensorDimArgs } from '../../tensor/validate.js';

/**
 * Removes size-1 dims as a view: all of them, or only those listed in `dim` (a listed dim whose
 * size is not 1 is left alone, as in PyTorch). The gradient reshapes g back to x's shape.
 * @example squeeze(zeros([2, 1, 3, 1])).shape // [2, 3]
 * @example squeeze(zeros([2, 1, 3, 1]), 1).shape // [2, 3, 1]
 */
export function squeeze(x: Tensor, dim?: number | readonly number[] | { dim?: number | readonly number[] }): Tensor {
  const opts = tensorDimArgs<{ dim?: number | readonly number[] }>('squeeze', x, dim, undefined, dimsOnly);
  const dims = new Set(normDims('squeeze', opts.dim, x.ndim));
  const shape: number[] = [];
  const strides: number[] = [];
  x.shape.forEach((n, i) => {
    if (n === 1 && dims.has(i)) return;
    shape.push(n);
    strides.push(x.strides[i]!);
  });
  if (shape.length === x.ndim) return x;
  const out = new Tensor(x.storage, shape, strides, x.offset, x.device);
  return record('squeeze', [x], out, (g) => [reshape(g, x.shape)]);
}
defineOp('squeeze', 'differentiable');

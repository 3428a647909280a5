import { Tensor } from '../../tensor/tensor.js';
import { fmtShape, normDim } from '../../tensor/shape.js';
import { permute } from './permute.js';
import { defineOp } from '../registry.js';
import { checkArg, checkTensor } from '../../tensor/validate.js';

/** Swaps two dims as a view (defaults: the last two). */
export function transpose(x: Tensor, dim0 = -2, dim1 = -1): Tensor {
  checkTensor('transpose', x);
  checkArg('transpose', 'argument 2 (dim0)', dim0, 'int');
  checkArg('transpose', 'argument 3 (dim1)', dim1, 'int');
  const a = normDim('transpose', dim0, x.ndim);
  const b = normDim('transpose', dim1, x.ndim);
  const p = Array.from({ length: x.ndim }, (_, i) => i);
  p[a] = b;
  p[b] = a;
  return permute(x, p);
}
defineOp('transpose', 'differentiable');

/**
 * The matrix transpose, as torch.Tensor.t() and .T: a 2-D tensor's two dims swapped (a view);
 * 0-D and 1-D tensors come back unchanged; more dims are an error (use transpose or permute).
 */
export function matrixTranspose(op: string, x: Tensor): Tensor {
  checkTensor(op, x);
  if (x.ndim > 2) throw new Error(`${op}: expects a tensor with <= 2 dims, got shape ${fmtShape(x.shape)}; use transpose(x, dim0, dim1) or permute`);
  return x.ndim < 2 ? x : transpose(x, 0, 1);
}

Object.defineProperty(Tensor.prototype, 'T', {
  get(this: Tensor) {
    return matrixTranspose('T', this);
  },
});

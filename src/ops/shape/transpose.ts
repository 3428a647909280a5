import { Tensor } from '../../tensor/tensor.js';
import { fmtShape, normDim } from '../../tensor/shape.js';
import { permute } from './permute.js';
import { defineOp } from '../registry.js';

/** Swaps two dims as a view (defaults: the last two). */
export function transpose(x: Tensor, dim0 = -2, dim1 = -1): Tensor {
  const a = normDim('transpose', dim0, x.ndim);
  const b = normDim('transpose', dim1, x.ndim);
  const p = Array.from({ length: x.ndim }, (_, i) => i);
  p[a] = b;
  p[b] = a;
  return permute(x, p);
}
defineOp('transpose', 'differentiable');

Object.defineProperty(Tensor.prototype, 'T', {
  get(this: Tensor) {
    if (this.ndim > 2) throw new Error(`T: expects a tensor with <= 2 dims, got shape ${fmtShape(this.shape)}; use permute`);
    return this.ndim < 2 ? this : transpose(this, 0, 1);
  },
});

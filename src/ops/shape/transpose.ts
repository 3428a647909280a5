import type { Tensor } from '../../tensor/tensor.js';
import { normDim } from '../../tensor/shape.js';
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

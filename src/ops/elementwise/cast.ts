import { Tensor } from '../../tensor/tensor.js';
import { type DType, isFloat } from '../../tensor/dtype.js';
import { record } from '../../autograd/node.js';
import { hooks } from '../_util.js';
import { defineOp } from '../registry.js';
import { checkTensor } from '../../tensor/validate.js';

/**
 * Converts to another dtype (a copy; the same tensor when the dtype already matches). Float to
 * int truncates toward zero, anything to bool is x != 0. Gradients flow between float dtypes.
 */
export function cast(x: Tensor, dtype: DType): Tensor {
  checkTensor('cast', x);
  if (x.dtype === dtype) return x;
  const out = Tensor.empty(x.shape, dtype, x.device);
  x.backend.copy(x, out.storage);
  if (!isFloat(x.dtype)) return out;
  return record('cast', [x], out, (g) => [cast(g, x.dtype)], false);
}
defineOp('cast', 'differentiable');
hooks.cast = cast;

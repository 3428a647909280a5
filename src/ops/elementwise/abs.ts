import { Tensor } from '../../tensor/tensor.js';
import { unaryOp } from '../_util.js';
import { rejectBool } from './_elementwise.js';
import { mul } from './mul.js';
import { sign } from './sign.js';
import { defineOp } from '../registry.js';

/**
 * Elementwise absolute value: out = |x|; d/dx = sign(x) (0 at x = 0, as PyTorch).
 * Integer tensors stay integer; bool is rejected, as in PyTorch.
 * @example abs(tensor([-2, 0, 3])) // [2, 0, 3]
 */
export function abs(x: Tensor): Tensor {
  rejectBool('abs', x);
  return unaryOp('abs', x, 'abs', x.dtype, (g) => mul(g, sign(x)));
}
defineOp('abs', 'differentiable');

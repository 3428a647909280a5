import { Tensor } from '../../tensor/tensor.js';
import { unaryOp } from '../_util.js';
import { rejectBool } from './_elementwise.js';
import { reluBackward } from './reluBackward.js';
import { defineOp } from '../registry.js';

/**
 * Rectified linear unit: out = max(x, 0); d/dx = 1 for x > 0, else 0 (0 at x = 0, as PyTorch).
 * Integer tensors stay integer; bool is rejected.
 * @example relu(tensor([-1, 0, 2])) // [0, 0, 2]
 */
export function relu(x: Tensor): Tensor {
  rejectBool('relu', x);
  return unaryOp('relu', x, 'relu', x.dtype, (g) => reluBackward(g, x));
}
defineOp('relu', 'differentiable');

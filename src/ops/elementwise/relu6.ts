import type { Tensor } from '../../tensor/tensor.js';
import { hardtanhNamed } from './hardtanh.js';
import { defineOp } from '../registry.js';

/**
 * ReLU capped at 6: out = min(max(x, 0), 6) = hardtanh(x, 0, 6); the gradient passes for
 * 0 < x < 6 (as PyTorch). Integer tensors stay integer.
 * @example relu6(tensor([-1, 3, 7])) // [0, 3, 6]
 */
export function relu6(x: Tensor): Tensor {
  return hardtanhNamed('relu6', x, 0, 6);
}
defineOp('relu6', 'differentiable');

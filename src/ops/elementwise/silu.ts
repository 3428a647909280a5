import type { Tensor } from '../../tensor/tensor.js';
import { unaryOp } from '../_util.js';
import { requireFloat } from './_elementwise.js';
import { add } from './add.js';
import { mul } from './mul.js';
import { sigmoid } from './sigmoid.js';
import { sub } from './sub.js';
import { defineOp } from '../registry.js';

/**
 * SiLU (swish): out = x sigmoid(x); d/dx = s (1 + x (1 - s)) with s = sigmoid(x).
 * Float tensors only.
 * @example silu(tensor([0, 1])) // [0, 0.7311]
 */
export function silu(x: Tensor): Tensor {
  requireFloat('silu', x);
  return unaryOp('silu', x, 'silu', x.dtype, (g) => {
    const s = sigmoid(x);
    return mul(g, mul(s, add(mul(x, sub(1, s)), 1)));
  });
}
defineOp('silu', 'differentiable');

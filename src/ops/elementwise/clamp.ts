import { Tensor } from '../../tensor/tensor.js';
import { unaryOp } from '../_util.js';
import { clampBounds, clampDtype, type ClampBound } from './_elementwise.js';
import { where } from './where.js';
import { defineOp } from '../registry.js';

export type { ClampBound };

/**
 * Elementwise clamp into [min, max] (either bound may be omitted with null/undefined):
 * out = min(max(x, min), max). The gradient passes where min <= x <= max (bounds included),
 * as torch.clamp. Float bounds promote integer tensors to float32.
 * @example clamp(tensor([-2, 0.5, 3]), 0, 1) // [0, 0.5, 1]
 * @example clamp(x, null, 6) // only an upper bound
 */
export function clamp(x: Tensor, min?: ClampBound, max?: ClampBound): Tensor {
  const dt = clampDtype(x, min, max);
  const { lo, hi } = clampBounds('clamp', x, min, max, dt);
  return unaryOp('clamp', x, { kernel: 'clamp', params: [lo, hi] }, dt, (g) => {
    const inside = unaryOp('clamp', x, { kernel: 'clampMask', params: [lo, hi] }, 'bool', null);
    return where(inside, g, 0);
  });
}
defineOp('clamp', 'differentiable');

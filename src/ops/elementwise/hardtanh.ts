import { Tensor } from '../../tensor/tensor.js';
import { fmtShape } from '../../tensor/shape.js';
import { unaryOp } from '../_util.js';
import { rejectBool } from './_elementwise.js';
import { where } from './where.js';
import { defineOp } from '../registry.js';
import { checkOptions } from '../../tensor/validate.js';

export interface HardtanhOptions {
  /** Lower end of the linear region. Default -1. */
  minVal?: number;
  /** Upper end of the linear region. Default 1. */
  maxVal?: number;
}

/**
 * Hard tanh: out = min(max(x, minVal), maxVal). Unlike clamp, the gradient passes only strictly
 * inside (minVal < x < maxVal), as PyTorch's hardtanh_backward. Integer tensors stay integer.
 * @example hardtanh(tensor([-2, 0.5, 3])) // [-1, 0.5, 1]
 */
export function hardtanh(x: Tensor, opts: HardtanhOptions = {}): Tensor {
  opts = checkOptions('hardtanh', 2, opts, { minVal: 'number', maxVal: 'number' });
  return hardtanhNamed('hardtanh', x, opts.minVal ?? -1, opts.maxVal ?? 1);
}
defineOp('hardtanh', 'differentiable');

/** hardtanh under the name of the calling op (relu6 is hardtanh(0, 6)). */
export function hardtanhNamed(op: string, x: Tensor, lo: number, hi: number): Tensor {
  rejectBool(op, x);
  if (!(lo <= hi)) throw new Error(`${op}: minVal (${lo}) must be <= maxVal (${hi}) (tensor of shape ${fmtShape(x.shape)})`);
  const q = (b: number): number => (x.dtype === 'float32' ? Math.fround(b) : x.dtype === 'int32' ? Math.trunc(b) : b);
  const l = q(lo);
  const h = q(hi);
  return unaryOp(op, x, { kernel: 'hardtanh', params: [l, h] }, x.dtype, (g) => {
    const inside = unaryOp(op, x, { kernel: 'hardtanhMask', params: [l, h] }, 'bool', null);
    return where(inside, g, 0);
  });
}

import { Tensor } from '../../tensor/tensor.js';
import { broadcastShapes, fmtShape, shapesEqual } from '../../tensor/shape.js';
import { asTensor, hooks } from '../_util.js';
import { where } from '../elementwise/where.js';
import { defineOp } from '../registry.js';
import { checkTensor } from '../../tensor/validate.js';

/**
 * out = value where mask holds, x elsewhere; mask (bool) broadcasts to x's shape and the result
 * keeps x's shape and dtype. value is a number or a 0-d tensor (which then gets the summed
 * gradient of the filled positions). x's gradient is zero where filled.
 * @example maskedFill(scores, causalMask, -Infinity)
 */
export function maskedFill(x: Tensor, mask: Tensor, value: number | Tensor): Tensor {
  checkTensor('maskedFill', x);
  if (mask.dtype !== 'bool') {
    throw new Error(`maskedFill: mask must be a bool tensor, got ${mask.dtype} of shape ${fmtShape(mask.shape)}`);
  }
  const shape = broadcastShapes('maskedFill', mask.shape, x.shape);
  if (!shapesEqual(shape, x.shape)) {
    throw new Error(`maskedFill: mask of shape ${fmtShape(mask.shape)} cannot be broadcast to the input shape ${fmtShape(x.shape)}`);
  }
  if (typeof value !== 'number' && value.ndim !== 0) {
    throw new Error(`maskedFill: value must be a number or a 0-d tensor, got a tensor of shape ${fmtShape(value.shape)}`);
  }
  const num = typeof value === 'number' && x.dtype === 'bool' ? Number(value !== 0) : value;
  const v = typeof num === 'number' ? asTensor(num, x.dtype) : hooks.cast!(num, x.dtype);
  return where(mask, v, x);
}
defineOp('maskedFill', 'differentiable');

import { Tensor } from '../../tensor/tensor.js';
import { inferShape, shapesEqual, type Shape } from '../../tensor/shape.js';
import { record } from '../../autograd/node.js';
import { hooks } from '../_util.js';
import { defineOp } from '../registry.js';
import { checkTensor } from '../../tensor/validate.js';

/**
 * Same elements, new shape (one dim may be -1). A view without copying when the tensor is
 * contiguous; otherwise the elements are copied first.
 * @example reshape(arange(6), [2, -1]) // shape [2, 3]
 */
export function reshape(x: Tensor, shape: Shape): Tensor {
  checkTensor('reshape', x);
  const target = inferShape('reshape', shape, x.numel(), x.shape);
  if (shapesEqual(target, x.shape)) return x;
  const c = x.contiguous();
  const out = new Tensor(c.storage, target, undefined, c.offset, c.device);
  return record('reshape', [c], out, (g) => [reshape(g, c.shape)], false);
}
defineOp('reshape', 'differentiable');
hooks.reshape = reshape;

/** Accepts both t.reshape(2, 3) and t.reshape([2, 3]). */
export function shapeArgs(args: readonly (number | Shape)[]): number[] {
  return args.length === 1 && Array.isArray(args[0]) ? [...(args[0] as Shape)] : (args as number[]);
}

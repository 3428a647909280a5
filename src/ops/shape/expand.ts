import { Tensor } from '../../tensor/tensor.js';
import { fmtShape, shapesEqual, type Shape } from '../../tensor/shape.js';
import { record } from '../../autograd/node.js';
import { sumTo } from '../_util.js';
import { defineOp } from '../registry.js';
import { checkTensor } from '../../tensor/validate.js';

/**
 * Broadcasts size-1 dims (and new leading dims) to `shape` without copying (stride 0);
 * -1 keeps a dim. The gradient sums back over the expanded dims.
 */
export function expand(x: Tensor, shape: Shape): Tensor {
  checkTensor('expand', x);
  const lead = shape.length - x.ndim;
  if (lead < 0) {
    throw new Error(`expand: target shape ${fmtShape(shape)} has fewer dims than the tensor's ${fmtShape(x.shape)}`);
  }
  const outShape: number[] = [];
  const strides: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    const want = shape[i]!;
    if (i < lead) {
      if (want < 0) throw new Error(`expand: -1 is not allowed for the new leading dim ${i} in ${fmtShape(shape)}`);
      outShape.push(want);
      strides.push(0);
      continue;
    }
    const have = x.shape[i - lead]!;
    const size = want === -1 ? have : want;
    if (have !== size && have !== 1) {
      throw new Error(`expand: cannot expand shape ${fmtShape(x.shape)} to ${fmtShape(shape)} (dim ${i}: ${have} vs ${size})`);
    }
    outShape.push(size);
    strides.push(have === size ? x.strides[i - lead]! : 0);
  }
  if (shapesEqual(outShape, x.shape)) return x;
  const out = new Tensor(x.storage, outShape, strides, x.offset, x.device);
  return record('expand', [x], out, (g) => [sumTo(g, x.shape)], false);
}
defineOp('expand', 'differentiable');

import { Tensor } from '../../tensor/tensor.js';
import { fmtShape, type Shape } from '../../tensor/shape.js';
import { reshape } from './reshape.js';
import { defineOp } from '../registry.js';
import { checkTensor } from '../../tensor/validate.js';

/**
 * Same storage, new shape: never copies. Throws for a non-contiguous tensor (use reshape, which
 * copies when it must).
 */
export function view(x: Tensor, shape: Shape): Tensor {
  checkTensor('view', x);
  if (!x.isContiguous()) {
    throw new Error(
      `view: tensor of shape ${fmtShape(x.shape)} with strides ${fmtShape(x.strides)} is not contiguous, ` +
        `so it cannot be viewed as ${fmtShape(shape)}; use reshape() or contiguous() first`,
    );
  }
  return reshape(x, shape);
}
defineOp('view', 'differentiable');

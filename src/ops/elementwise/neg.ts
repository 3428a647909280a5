import { Tensor } from '../../tensor/tensor.js';
import { unaryOp } from '../_util.js';
import { defineOp } from '../registry.js';

/** Elementwise negation: out = -x. */
export function neg(x: Tensor): Tensor {
  return unaryOp('neg', x, 'neg', x.dtype === 'bool' ? 'int32' : x.dtype, (g) => neg(g), false);
}
defineOp('neg', 'differentiable');

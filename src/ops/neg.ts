import { Tensor } from '../tensor/tensor.js';
import type { DType } from '../tensor/dtype.js';
import { unaryOp } from './_util.js';
import { defineOp } from './registry.js';

/** Elementwise negation: out = -x. */
export function neg(x: Tensor): Tensor {
  return unaryOp('neg', x, (v) => -v, x.dtype === 'bool' ? 'int32' : x.dtype, (g) => neg(g), false);
}
defineOp('neg', 'differentiable');

declare module '../tensor/tensor.js' {
  interface Tensor<D extends DType = DType> {
    neg(): Tensor;
  }
}
Tensor.prototype.neg = function (this: Tensor) {
  return neg(this);
};

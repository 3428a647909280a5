import { Tensor } from '../tensor/tensor.js';
import { type DType, isFloat } from '../tensor/dtype.js';
import { copyStrided } from '../backend/cpu/strided.js';
import { record } from '../autograd/node.js';
import { hooks } from './_util.js';
import { defineOp } from './registry.js';

/**
 * Converts to another dtype (a copy; the same tensor when the dtype already matches). Float to
 * int truncates toward zero, anything to bool is x != 0. Gradients flow between float dtypes.
 */
export function cast(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  const out = Tensor.empty(x.shape, dtype);
  if (dtype === 'bool') {
    const tmp = new Float64Array(x.numel());
    copyStrided(x.storage, x.shape, x.strides, x.offset, tmp);
    for (let i = 0; i < tmp.length; i++) out.storage[i] = tmp[i] !== 0 ? 1 : 0;
  } else {
    copyStrided(x.storage, x.shape, x.strides, x.offset, out.storage);
  }
  if (!isFloat(x.dtype)) return out;
  return record('cast', [x], out, (g) => [cast(g, x.dtype)], false);
}
defineOp('cast', 'differentiable');
hooks.cast = cast;

declare module '../tensor/tensor.js' {
  interface Tensor<D extends DType = DType> {
    /** Converts to a dtype (see cast). */
    to<E extends DType>(dtype: E): Tensor<E>;
    float(): Tensor<'float32'>;
    double(): Tensor<'float64'>;
    int(): Tensor<'int32'>;
    bool(): Tensor<'bool'>;
  }
}
Tensor.prototype.to = function <E extends DType>(this: Tensor, dtype: E) {
  return cast(this, dtype) as Tensor<E>;
};
Tensor.prototype.float = function (this: Tensor) {
  return cast(this, 'float32') as Tensor<'float32'>;
};
Tensor.prototype.double = function (this: Tensor) {
  return cast(this, 'float64') as Tensor<'float64'>;
};
Tensor.prototype.int = function (this: Tensor) {
  return cast(this, 'int32') as Tensor<'int32'>;
};
Tensor.prototype.bool = function (this: Tensor) {
  return cast(this, 'bool') as Tensor<'bool'>;
};

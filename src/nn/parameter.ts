import { Tensor } from '../tensor/tensor.js';
import type { DType } from '../tensor/dtype.js';

/**
 * A tensor that a Module owns and optimizers update: a leaf that requires grad by default.
 * It shares storage with the tensor it wraps.
 */
export class Parameter<D extends DType = DType> extends Tensor<D> {
  constructor(data: Tensor<D>, requiresGrad = true) {
    const c = data.contiguous();
    // A parameter owns a dense block: copy when the source is a view into a larger storage.
    const dense = c.offset === 0 && c.storage.length === c.numel() ? c.storage : c.storage.slice(c.offset, c.offset + c.numel());
    super(dense as Tensor<D>['storage'], c.shape);
    if (requiresGrad) this.requiresGrad_(true);
  }
}

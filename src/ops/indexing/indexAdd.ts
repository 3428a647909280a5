import { Tensor } from '../../tensor/tensor.js';
import { fmtShape, normDim } from '../../tensor/shape.js';
import { backendOf } from '../../backend/index.js';
import { record } from '../../autograd/node.js';
import { checkIndices } from './_indexing.js';
import { indexSelect, vectorIndex } from './indexSelect.js';
import { mul } from '../elementwise/mul.js';
import { defineOp } from '../registry.js';
import { checkOptions } from '../../tensor/validate.js';

export interface IndexAddOptions {
  /** Scale of src (default 1). */
  alpha?: number;
}

/**
 * Out-of-place torch.index_add: out = x, then out[..., index[i], ...] += alpha * src[..., i, ...]
 * along `dim` (repeated indices accumulate). src.shape = x.shape with dim replaced by index.length.
 * Gradients: x gets g, src gets alpha * indexSelect(g, dim, index).
 * @example indexAdd(zeros([3, 2]), 0, tensor([0, 0], { dtype: 'int32' }), ones([2, 2])) // row 0 = [2, 2]
 */
export function indexAdd(x: Tensor, dim: number, index: Tensor, src: Tensor, opts: IndexAddOptions = {}): Tensor {
  opts = checkOptions('indexAdd', 5, opts, { alpha: 'number' });
  const alpha = opts.alpha ?? 1;
  const idx = vectorIndex('indexAdd', index);
  const d = normDim('indexAdd', dim, x.ndim);
  if (src.dtype !== x.dtype) {
    throw new Error(
      `indexAdd: src dtype ${src.dtype} must match the input dtype ${x.dtype} (shapes ${fmtShape(src.shape)}, ${fmtShape(x.shape)})`,
    );
  }
  const expect = [...x.shape];
  if (x.ndim > 0) expect[d] = idx.length;
  const srcShape = src.ndim === 0 ? [1] : src.shape;
  const want = x.ndim === 0 ? [1] : expect;
  if (srcShape.length !== want.length || srcShape.some((n, i) => n !== want[i])) {
    throw new Error(
      `indexAdd: src shape ${fmtShape(src.shape)} must equal the input shape ${fmtShape(x.shape)} with dim ${d} ` +
        `replaced by the ${idx.length} indices, i.e. ${fmtShape(expect)}`,
    );
  }
  const size = x.ndim === 0 ? 1 : x.shape[d]!;
  checkIndices('indexAdd', idx, index.shape, size, `dim ${d} of input shape ${fmtShape(x.shape)}`);
  const be = backendOf('indexAdd', x, index, src);
  const out = Tensor.empty(x.shape, x.dtype, be.name);
  be.copy(x, out.storage);
  be.indexAdd(out.storage, x.ndim === 0 ? [1] : x.shape, d, idx, be.dense(src), alpha);
  return record('indexAdd', [x, src], out, (g) => {
    let gs: Tensor | null = null;
    if (src.requiresGrad) {
      const sel = indexSelect(g, d, index);
      gs = alpha === 1 ? sel : mul(sel, alpha);
      if (src.ndim !== gs.ndim) gs = gs.reshape(src.shape);
    }
    return [x.requiresGrad ? g : null, gs];
  });
}
defineOp('indexAdd', 'differentiable');

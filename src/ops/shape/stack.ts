import type { Tensor } from '../../tensor/tensor.js';
import { fmtShape, normDim, shapesEqual } from '../../tensor/shape.js';
import { cat } from './cat.js';
import { unsqueeze } from './unsqueeze.js';
import { defineOp } from '../registry.js';
import { checkTensorList, dimArgs, oneDim } from '../../tensor/validate.js';

/**
 * Joins equal-shape tensors along a new dim `dim` (0 <= dim <= ndim, negative allowed):
 * stack([a, b], d) = cat([a.unsqueeze(d), b.unsqueeze(d)], d).
 * @example stack([zeros([2, 3]), ones([2, 3])], 1).shape // [2, 2, 3]
 */
export function stack(tensors: readonly Tensor[], dim: number | { dim?: number } = 0): Tensor {
  checkTensorList('stack', tensors);
  const opts = dimArgs<{ dim?: number }>('stack', dim, undefined, oneDim);
  if (tensors.length === 0) throw new Error('stack: expected a non-empty list of tensors');
  const ref = tensors[0]!;
  tensors.forEach((t, i) => {
    if (!shapesEqual(t.shape, ref.shape)) {
      throw new Error(
        `stack: expects each tensor to be equal size, but got ${fmtShape(ref.shape)} at entry 0 and ${fmtShape(t.shape)} at entry ${i}`,
      );
    }
  });
  const d = normDim('stack', opts.dim ?? 0, ref.ndim + 1);
  return cat(
    tensors.map((t) => unsqueeze(t, d)),
    d,
  );
}
defineOp('stack', 'differentiable');

import { Tensor } from '../../tensor/tensor.js';
import { promoteTypes } from '../../tensor/dtype.js';
import { contiguousStrides, fmtShape, normDim } from '../../tensor/shape.js';
import { backendOf } from '../../backend/index.js';
import { record } from '../../autograd/node.js';
import { hooks } from '../_util.js';
import { narrow } from './narrow.js';
import { defineOp } from '../registry.js';
import { checkTensorList, dimArgs, oneDim } from '../../tensor/validate.js';

/**
 * Concatenates tensors along `dim` (all other sizes must match; dtypes are promoted). As in
 * PyTorch, 1-D empty tensors are skipped. The gradient of each input is its narrow of g.
 * @example cat([zeros([2, 3]), ones([2, 1])], 1).shape // [2, 4]
 */
export function cat(tensors: readonly Tensor[], dim: number | { dim?: number } = 0): Tensor {
  checkTensorList('cat', tensors);
  const opts = dimArgs<{ dim?: number }>('cat', dim, undefined, oneDim);
  if (tensors.length === 0) throw new Error('cat: expected a non-empty list of tensors');
  const dtype = tensors.map((t) => t.dtype).reduce((a, b) => promoteTypes(a, b));
  const parts = tensors.filter((t) => !(t.ndim === 1 && t.shape[0] === 0));
  if (parts.length === 0) return hooks.cast!(tensors[0]!, dtype);
  const ref = parts[0]!;
  if (ref.ndim === 0) throw new Error('cat: zero-dimensional tensor (at position 0) cannot be concatenated');
  const d = normDim('cat', opts.dim ?? 0, ref.ndim);
  let total = 0;
  parts.forEach((t) => {
    const bad = t.ndim !== ref.ndim || t.shape.some((n, k) => k !== d && n !== ref.shape[k]);
    if (bad) {
      throw new Error(
        `cat: tensor ${tensors.indexOf(t)} has shape ${fmtShape(t.shape)} but tensor ${tensors.indexOf(ref)} has ` +
          `${fmtShape(ref.shape)}; sizes must match except in dim ${d}`,
      );
    }
    total += t.shape[d]!;
  });
  const inputs = parts.map((t) => hooks.cast!(t, dtype));
  const shape = [...ref.shape];
  shape[d] = total;
  const be = backendOf('cat', ...inputs);
  const out = Tensor.empty(shape, dtype, be.name);
  const os = contiguousStrides(shape);
  let off = 0;
  for (const t of inputs) {
    be.copyView(t, { storage: out.storage, shape: t.shape, strides: os, offset: off * os[d]! });
    off += t.shape[d]!;
  }
  const backward = (g: Tensor) => {
    let at = 0;
    return inputs.map((t) => {
      const n = t.shape[d]!;
      const gi = t.requiresGrad ? narrow(g, d, at, n) : null;
      at += n;
      return gi;
    });
  };
  return record('cat', inputs, out, backward);
}
defineOp('cat', 'differentiable');

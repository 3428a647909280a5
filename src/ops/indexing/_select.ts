/**
 * Shared forward kernels of the selecting reductions and softmax (family `reduce`): amax/amin,
 * max/min along a dim with indices, argmax/argmin, softmax/logSoftmax. Private to src/ops.
 */
import { Tensor } from '../../tensor/tensor.js';
import type { DType } from '../../tensor/dtype.js';
import { contiguousStrides, normDim } from '../../tensor/shape.js';
import { backendOf, planReduce } from '../../backend/index.js';
import { record } from '../../autograd/node.js';
import { floatDtype } from '../_util.js';
import { cast } from '../elementwise/cast.js';
import { div } from '../elementwise/div.js';
import { eq } from '../elementwise/eq.js';
import { mul } from '../elementwise/mul.js';
import { reshape } from '../shape/reshape.js';
import { reducedShape, sum, type ReduceOptions } from '../reduce/sum.js';
import { constTensor, reduceDims } from '../reduce/_reduce.js';

/**
 * Shared forward of amax/amin: the extreme value of every reduced group. The gradient is split
 * evenly among all elements equal to the result (torch.amax semantics for ties).
 */
export function extremeReduce(op: 'amax' | 'amin', x: Tensor, opts: ReduceOptions): Tensor {
  const r = reduceDims(op, x, opts, true);
  const plan = planReduce(x.shape, x.strides, x.offset, r.dims);
  const { values } = backendOf(op, x).argReduce(x.storage, plan, op === 'amax' ? 'max' : 'min');
  const outDtype: DType = x.dtype === 'bool' ? 'bool' : x.dtype;
  const out = constTensor(reducedShape(x.shape, r.dims, r.keepdim), outDtype, values, x.device);
  return record(op, [x], out, (g) => {
    const hit = cast(eq(x, reshape(out.detach(), r.keptShape)), x.dtype);
    const count = sum(hit, { dim: r.dims, keepdim: true });
    return [div(mul(reshape(g, r.keptShape), hit), count)];
  });
}

/** Values and int32 positions of a selecting reduction along one dim (torch.return_types.max). */
export interface ValuesIndices {
  values: Tensor;
  indices: Tensor<'int32'>;
}

/**
 * Shared forward of maxWithIndices/minWithIndices. The gradient goes to the selected element only
 * (the first one among ties), as PyTorch's max(dim)/min(dim).
 */
export function selectAlongDim(op: string, mode: 'max' | 'min', x: Tensor, dim: number, keepdim: boolean): ValuesIndices {
  const d = normDim(op, dim, x.ndim);
  const dims = x.ndim === 0 ? [] : [d];
  if (x.ndim > 0 && x.shape[d] === 0) {
    throw new Error(`${op}: cannot select along dim ${dim} of size 0 (shape [${x.shape.join(', ')}])`);
  }
  const plan = planReduce(x.shape, x.strides, x.offset, dims);
  const { values, indices } = backendOf(op, x).argReduce(x.storage, plan, mode);
  const shape = reducedShape(x.shape, dims, keepdim);
  const out = constTensor(shape, x.dtype, values, x.device);
  const idx = constTensor(shape, 'int32', indices, x.device) as Tensor<'int32'>;
  const valuesOut = record(op, [x], out, (g) => {
    // One-hot of the selected positions in x's logical (row-major) layout: a constant.
    const dense = planReduce(x.shape, contiguousStrides(x.shape), 0, dims);
    const hot = new Float64Array(x.numel());
    for (let o = 0; o < indices.length; o++) hot[dense.bases[o]! + dense.rel[indices[o]!]!] = 1;
    const onehot = constTensor(x.shape, floatDtype(x), hot, x.device);
    return [mul(reshape(g, plan.keptShape), onehot)];
  });
  return { values: valuesOut, indices: idx };
}

export interface ArgReduceOptions {
  /** The dim to search; when omitted, the position in the flattened tensor. */
  dim?: number;
  /** Keep the reduced dim as size 1 (without dim: every dim becomes 1). */
  keepdim?: boolean;
}

/** Shared forward of argmax/argmin: int32 positions, first occurrence among ties, NaN wins. */
export function argSelect(op: string, mode: 'max' | 'min', x: Tensor, opts: ArgReduceOptions): Tensor<'int32'> {
  const keepdim = opts.keepdim ?? false;
  const dims = opts.dim === undefined ? x.shape.map((_, i) => i) : x.ndim === 0 ? [] : [normDim(op, opts.dim, x.ndim)];
  for (const d of dims) {
    if (x.shape[d] === 0) throw new Error(`${op}: cannot search an empty dim of shape [${x.shape.join(', ')}]`);
  }
  const plan = planReduce(x.shape, x.strides, x.offset, dims);
  const { indices } = backendOf(op, x).argReduce(x.storage, plan, mode);
  const shape = keepdim ? plan.keptShape : x.shape.filter((_, i) => !dims.includes(i));
  return constTensor(shape, 'int32', indices, x.device) as Tensor<'int32'>;
}

/** Shared forward of softmax/logSoftmax: a dense output of x's shape, lines along `dim`. */
export function softmaxForward(op: string, x: Tensor, dim: number, log: boolean): { out: Tensor; dims: number[] } {
  if (dim === undefined) throw new Error(`${op}: dim is required (PyTorch's implicit dim choice is deprecated)`);
  const dims = x.ndim === 0 ? [] : [normDim(op, dim, x.ndim)];
  const be = backendOf(op, x);
  const out = Tensor.empty(x.shape, floatDtype(x), be.name);
  const inPlan = planReduce(x.shape, x.strides, x.offset, dims);
  const outPlan = planReduce(x.shape, contiguousStrides(x.shape), 0, dims);
  be.softmax(x.storage, inPlan, out.storage, outPlan, log);
  return { out, dims };
}

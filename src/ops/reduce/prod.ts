import { Tensor } from '../../tensor/tensor.js';
import { type DType, isFloat } from '../../tensor/dtype.js';
import { backendOf, planReduce } from '../../backend/index.js';
import { record } from '../../autograd/node.js';
import { div } from '../elementwise/div.js';
import { expand } from '../shape/expand.js';
import { mul } from '../elementwise/mul.js';
import { permute } from '../shape/permute.js';
import { reshape } from '../shape/reshape.js';
import { where } from '../elementwise/where.js';
import { reducedShape, type ReduceArg, type ReduceOptions } from './sum.js';
import { constTensor, denseF64, reduceDims } from './_reduce.js';
import { defineOp } from '../registry.js';
import { tensorDimArgs } from '../../tensor/validate.js';

/**
 * For every element, the product of the other elements of its reduced group (same shape as x).
 * Built from prod itself on a [..., K, K] copy whose diagonal is 1, so it is exact with zeros in
 * the input and differentiable again.
 */
function exclusiveProducts(x: Tensor, dims: readonly number[]): Tensor {
  const keep = x.shape.map((_, i) => i).filter((i) => !dims.includes(i));
  const perm = [...keep, ...dims];
  const keepShape = keep.map((d) => x.shape[d]!);
  const redShape = dims.map((d) => x.shape[d]!);
  const K = redShape.reduce((p, d) => p * d, 1);
  const rows = reshape(permute(x, perm), [...keepShape, 1, K]);
  const square = expand(rows, [...keepShape, K, K]);
  const diag = new Uint8Array(K * K);
  for (let i = 0; i < K; i++) diag[i * K + i] = 1;
  const others = prod(where(constTensor([K, K], 'bool', diag), 1, square), { dim: -1 });
  const inverse = new Array<number>(perm.length);
  perm.forEach((d, i) => (inverse[d] = i));
  return permute(reshape(others, [...keepShape, ...redShape]), inverse);
}

/**
 * Product over dims (all by default; several dims may be given). bool/int32 inputs give int32.
 * Backward: dx_i = g * prod_{j != i} x_j. Without zeros in the input this is g * out / x (as
 * PyTorch); with zeros the exclusion products are computed exactly (one zero: only that element
 * gets a gradient; two or more: all zero).
 * @example prod(tensor([[1, 2], [3, 4]]), { dim: 1 }) // [2, 12]
 */
export function prod(x: Tensor, dim?: ReduceArg, keepdim?: boolean): Tensor {
  const opts = tensorDimArgs<ReduceOptions>('prod', x, dim, keepdim);
  const r = reduceDims('prod', x, opts);
  const plan = planReduce(x.shape, x.strides, x.offset, r.dims);
  const outDtype: DType = isFloat(x.dtype) ? x.dtype : 'int32';
  const be = backendOf('prod', x);
  const out = Tensor.empty(reducedShape(x.shape, r.dims, r.keepdim), outDtype, be.name);
  be.prod(x.storage, plan, out.storage);
  return record('prod', [x], out, (g) => {
    const gk = reshape(g, r.keptShape);
    if (!denseF64(x).includes(0)) return [div(mul(gk, reshape(out, r.keptShape)), x)];
    return [mul(gk, exclusiveProducts(x, r.dims))];
  });
}
defineOp('prod', 'differentiable');

import { Tensor } from '../../tensor/tensor.js';
import { backendOf, planReduce } from '../../backend/index.js';
import { record } from '../../autograd/node.js';
import { floatDtype } from '../_util.js';
import { exp } from '../elementwise/exp.js';
import { mul } from '../elementwise/mul.js';
import { reshape } from '../shape/reshape.js';
import { sub } from '../elementwise/sub.js';
import { reducedShape, type ReduceArg, type ReduceOptions } from './sum.js';
import { reduceDims } from './_reduce.js';
import { defineOp } from '../registry.js';
import { tensorDimArgs } from '../../tensor/validate.js';

/**
 * log(sum(exp(x))) over dims (all by default), computed stably as m + log(sum(exp(x - m))) with
 * m the group maximum (an infinite m is replaced by 0, as PyTorch). Integer inputs give float32.
 * Backward: dx = g * exp(x - out), i.e. g times the softmax over the group.
 * @example logsumexp(tensor([1000, 1000]), { dim: 0 }) // 1000.6931
 */
export function logsumexp(x: Tensor, dim?: ReduceArg, keepdim?: boolean): Tensor {
  const opts = tensorDimArgs<ReduceOptions>('logsumexp', x, dim, keepdim);
  const r = reduceDims('logsumexp', x, opts);
  const plan = planReduce(x.shape, x.strides, x.offset, r.dims);
  const be = backendOf('logsumexp', x);
  const out = Tensor.empty(reducedShape(x.shape, r.dims, r.keepdim), floatDtype(x), be.name);
  be.logsumexp(x.storage, plan, out.storage);
  return record('logsumexp', [x], out, (g) => [mul(reshape(g, r.keptShape), exp(sub(x, reshape(out, r.keptShape))))]);
}
defineOp('logsumexp', 'differentiable');

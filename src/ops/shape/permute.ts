import { Tensor } from '../../tensor/tensor.js';
import { fmtShape, normDim } from '../../tensor/shape.js';
import { record } from '../../autograd/node.js';
import { defineOp } from '../registry.js';
import { checkTensor } from '../../tensor/validate.js';

/** Reorders dims as a view: out.shape[i] = x.shape[dims[i]]. The gradient applies the inverse permutation. */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  checkTensor('permute', x);
  if (dims.length !== x.ndim) {
    throw new Error(`permute: got ${dims.length} dims ${fmtShape(dims)} for a tensor of shape ${fmtShape(x.shape)}`);
  }
  const p = dims.map((d) => normDim('permute', d, x.ndim));
  if (new Set(p).size !== p.length) throw new Error(`permute: repeated dim in ${fmtShape(dims)}`);
  const out = new Tensor(
    x.storage,
    p.map((d) => x.shape[d]!),
    p.map((d) => x.strides[d]!),
    x.offset,
    x.device,
  );
  const inverse = new Array<number>(p.length);
  p.forEach((d, i) => (inverse[d] = i));
  return record('permute', [x], out, (g) => [permute(g, inverse)], false);
}
defineOp('permute', 'differentiable');

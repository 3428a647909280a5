import { Tensor } from '../../tensor/tensor.js';
import { fmtShape, type Shape } from '../../tensor/shape.js';
import { expand } from './expand.js';
import { reshape } from './reshape.js';
import { unsqueeze } from './unsqueeze.js';
import { defineOp } from '../registry.js';
import { checkTensor } from '../../tensor/validate.js';

/**
 * Tiles x `sizes[i]` times along each dim (torch.Tensor.repeat; a copy). sizes may be longer than
 * x's rank: x is then treated as having leading size-1 dims. out.shape[i] = sizes[i] * shape[i].
 * Built from unsqueeze + expand + reshape, so the gradient sums the tiles.
 * @example repeat(tensor([1, 2]), [2, 2]) // [[1, 2, 1, 2], [1, 2, 1, 2]]
 */
export function repeat(x: Tensor, sizes: Shape): Tensor {
  checkTensor('repeat', x);
  if (sizes.length < x.ndim) {
    throw new Error(
      `repeat: number of repeat dims (${sizes.length}) cannot be smaller than the number of tensor dims (${x.ndim}); ` +
        `got sizes ${fmtShape(sizes)} for shape ${fmtShape(x.shape)}`,
    );
  }
  for (const s of sizes) {
    if (!Number.isInteger(s) || s < 0) throw new Error(`repeat: repeat sizes must be non-negative integers, got ${fmtShape(sizes)}`);
  }
  const lead = sizes.length - x.ndim;
  const base = [...new Array<number>(lead).fill(1), ...x.shape];
  let v = reshape(x, base);
  // Interleave a new size-1 dim before each dim: [1, s0, 1, s1, ...], then expand the 1s to the repeats.
  for (let i = 0; i < base.length; i++) v = unsqueeze(v, 2 * i);
  const tiled = expand(
    v,
    base.flatMap((s, i) => [sizes[i]!, s]),
  );
  return reshape(
    tiled,
    base.map((s, i) => s * sizes[i]!),
  );
}
defineOp('repeat', 'differentiable');

import { Tensor } from '../../tensor/tensor.js';
import { fmtShape, normDim } from '../../tensor/shape.js';
import { narrow } from './narrow.js';
import { defineOp } from '../registry.js';
import { checkTensor } from '../../tensor/validate.js';

/**
 * Splits x along `dim` into views (torch.split): a number gives pieces of that size (the last may
 * be smaller), a list gives the size of each piece (it must sum to the dim's size).
 * @example split(arange(5), 2).map((t) => t.shape) // [[2], [2], [1]]
 * @example split(arange(5), [1, 4])                // pieces of size 1 and 4
 */
export function split(x: Tensor, splitSizeOrSections: number | readonly number[], dim = 0): Tensor[] {
  checkTensor('split', x);
  if (x.ndim === 0) throw new Error('split: cannot split a 0-d tensor');
  const d = normDim('split', dim, x.ndim);
  const n = x.shape[d]!;
  let sizes: number[];
  if (typeof splitSizeOrSections === 'number') {
    const s = splitSizeOrSections;
    if (!Number.isInteger(s) || s < 0 || (s === 0 && n > 0)) {
      throw new Error(`split: split size must be a positive integer, got ${s} (dim ${d} of shape ${fmtShape(x.shape)})`);
    }
    if (n === 0) return [x];
    sizes = [];
    for (let at = 0; at < n; at += s) sizes.push(Math.min(s, n - at));
  } else {
    sizes = [...splitSizeOrSections];
    const total = sizes.reduce((a, b) => a + b, 0);
    if (sizes.some((s) => !Number.isInteger(s) || s < 0) || total !== n) {
      throw new Error(
        `split: split sizes ${fmtShape(sizes)} must be non-negative and sum exactly to ${n}, ` +
          `the size of dim ${d} of shape ${fmtShape(x.shape)}`,
      );
    }
  }
  let at = 0;
  return sizes.map((s) => {
    const piece = narrow(x, d, at, s);
    at += s;
    return piece;
  });
}
defineOp('split', 'differentiable');

import { Tensor } from '../../tensor/tensor.js';
import { normDim } from '../../tensor/shape.js';
import { split } from './split.js';
import { defineOp } from '../registry.js';

/**
 * Splits x into at most `chunks` views along `dim`, each of size ceil(n / chunks) except possibly
 * the last (so fewer than `chunks` pieces can come back, as torch.chunk).
 * @example chunk(arange(5), 3).map((t) => t.shape) // [[2], [2], [1]]
 */
export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  if (!Number.isInteger(chunks) || chunks <= 0) throw new Error(`chunk: number of chunks must be a positive integer, got ${chunks}`);
  if (x.ndim === 0) throw new Error('chunk: cannot chunk a 0-d tensor');
  const d = normDim('chunk', dim, x.ndim);
  const n = x.shape[d]!;
  if (n === 0) return [x];
  return split(x, Math.ceil(n / chunks), d);
}
defineOp('chunk', 'differentiable');

/**
 * Selecting reductions (max/min with the position of the chosen element) over a reduce plan.
 * NaN propagates as in PyTorch: the first NaN in a group wins and its position is returned.
 * Ties keep the first position in row-major order of the reduced dims.
 */
import type { ReducePlan } from './reduce.js';

export interface ArgReduceResult {
  values: Float64Array;
  /** Row-major position of the selected element inside its reduced group. */
  indices: Int32Array;
}

export function argReduce(src: ArrayLike<number>, plan: ReducePlan, mode: 'max' | 'min'): ArgReduceResult {
  const { bases, rel } = plan;
  const values = new Float64Array(bases.length);
  const indices = new Int32Array(bases.length);
  const isMax = mode === 'max';
  for (let o = 0; o < bases.length; o++) {
    const b = bases[o]!;
    let best = src[b + rel[0]!]!;
    let at = 0;
    if (best === best) {
      for (let k = 1; k < rel.length; k++) {
        const v = src[b + rel[k]!]!;
        if (v !== v) {
          best = v;
          at = k;
          break;
        }
        if (isMax ? v > best : v < best) {
          best = v;
          at = k;
        }
      }
    }
    values[o] = best;
    indices[o] = at;
  }
  return { values, indices };
}

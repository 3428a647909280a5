/** Helpers shared by the shape and indexing ops: dense reads without graph nodes, index checks. */
import { Tensor } from '../../tensor/tensor.js';
import type { Storage } from '../../tensor/dtype.js';
import { fmtShape } from '../../tensor/shape.js';

/** The elements of `t` in row-major order as host values (a live subarray when dense), recording nothing. */
export function denseData(t: Tensor): Storage {
  return t.data;
}

/** Throws unless `index` is an int32 tensor. */
export function requireIndex(op: string, index: Tensor, what = 'index'): void {
  if (!(index instanceof Tensor)) throw new Error(`${op}: ${what} must be an int32 tensor, got ${typeof index}`);
  if (index.dtype !== 'int32') {
    throw new Error(`${op}: ${what} must be an int32 tensor, got ${index.dtype} of shape ${fmtShape(index.shape)}`);
  }
}

/** Multi-index of flat position k in a row-major shape, for error messages. */
export function positionOf(k: number, shape: readonly number[]): number[] {
  const pos = new Array<number>(shape.length).fill(0);
  for (let d = shape.length - 1; d >= 0; d--) {
    const n = shape[d]!;
    pos[d] = k % n;
    k = Math.floor(k / n);
  }
  return pos;
}

/**
 * Throws naming the op, the offending index value, its position and the valid range when some
 * index is outside [0, size). `where` describes the indexed dim, e.g. 'dim 1 of size 5'.
 */
export function checkIndices(op: string, data: ArrayLike<number>, idxShape: readonly number[], size: number, where: string): void {
  for (let k = 0; k < data.length; k++) {
    const v = data[k]!;
    if (v < 0 || v >= size) {
      const at =
        idxShape.length === 0
          ? 'the scalar index'
          : `position ${fmtShape(positionOf(k, idxShape))} of the index (shape ${fmtShape(idxShape)})`;
      const range = size > 0 ? `valid range 0..${size - 1}` : 'the dim is empty';
      throw new Error(`${op}: index ${v} at ${at} is out of range for ${where} (${range})`);
    }
  }
}

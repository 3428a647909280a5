import { Tensor } from '../../tensor/tensor.js';
import { fmtShape, normDim } from '../../tensor/shape.js';
import { markFresh, record } from '../../autograd/node.js';
import { backendOf } from '../../backend/index.js';
import { sliceBackward } from './sliceBackward.js';
import { defineOp } from '../registry.js';
import { checkTensor } from '../../tensor/validate.js';

/** Python slice bounds: negative counts from the end, then clamped to [0, n]. */
function clampBound(v: number, n: number): number {
  const w = v < 0 ? v + n : v;
  return Math.min(Math.max(w, 0), n);
}

/**
 * x[..., start:end:step, ...] along `dim`, as a view sharing storage (Python slicing: negative
 * bounds count from the end and out-of-range bounds are clamped; step > 0). The gradient scatters
 * g into zeros of the input shape (sliceBackward).
 * @example slice(x, 1, 1, -1)     // x[:, 1:-1]
 * @example slice(x, 0, undefined, undefined, 2) // x[::2]
 */
export function slice(x: Tensor, dim = 0, start?: number | null, end?: number | null, step = 1): Tensor {
  checkTensor('slice', x);
  if (x.ndim === 0) throw new Error('slice: cannot slice a 0-d tensor');
  const d = normDim('slice', dim, x.ndim);
  if (!Number.isInteger(step) || step <= 0) throw new Error(`slice: step must be a positive integer, got ${step}`);
  for (const [name, v] of [
    ['start', start],
    ['end', end],
  ] as const) {
    if (v != null && !Number.isInteger(v)) throw new Error(`slice: ${name} must be an integer, got ${v}`);
  }
  const n = x.shape[d]!;
  const s = start == null ? 0 : clampBound(start, n);
  const e = Math.max(end == null ? n : clampBound(end, n), s);
  const len = Math.ceil((e - s) / step);
  const shape = [...x.shape];
  shape[d] = len;
  const strides = [...x.strides];
  strides[d] = x.strides[d]! * step;
  const out = new Tensor(x.storage, shape, strides, x.offset + (len > 0 ? s * x.strides[d]! : 0), x.device);
  return record('slice', [x], out, (g, acc) => [
    acc?.[0] ? addIntoSlice(acc[0], g, d, s, step) : markFresh(sliceBackward(g, x.shape, d, s, e, step)),
  ]);
}

/**
 * sum[..., start::step, ...] += g in place, for a gradient sum the engine offered (see BackwardFn):
 * only the slice's elements are touched (no zero tensor of the whole input, no full-size add).
 */
function addIntoSlice(sum: Tensor, g: Tensor, d: number, start: number, step: number): Tensor {
  const dst = [...sum.strides];
  dst[d] = sum.strides[d]! * step;
  backendOf('slice', g, sum).addView(g, {
    storage: sum.storage,
    shape: g.shape,
    strides: dst,
    offset: sum.offset + start * sum.strides[d]!,
  });
  return sum;
}
defineOp('slice', 'differentiable');

/** Checked narrow bounds shared with narrow(): throws naming the op and the shape. */
export function checkRange(op: string, x: Tensor, dim: number, start: number, length: number): number {
  const n = x.shape[dim]!;
  const s = start < 0 ? start + n : start;
  if (!Number.isInteger(start) || !Number.isInteger(length) || s < 0 || s > n || length < 0 || s + length > n) {
    throw new Error(
      `${op}: start ${start} and length ${length} are out of range for dim ${dim} of size ${n} ` + `(tensor shape ${fmtShape(x.shape)})`,
    );
  }
  return s;
}

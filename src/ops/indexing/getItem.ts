import { Tensor } from '../../tensor/tensor.js';
import { fmtShape } from '../../tensor/shape.js';
import { positionOf, denseData } from './_indexing.js';
import { flatten } from '../shape/flatten.js';
import { indexSelect } from './indexSelect.js';
import { reshape } from '../shape/reshape.js';
import { select } from '../shape/select.js';
import { slice } from '../shape/slice.js';
import { unsqueeze } from '../shape/unsqueeze.js';
import { defineOp } from '../registry.js';
import { checkTensor } from '../../tensor/validate.js';

/** A Python slice start:end:step (missing bounds mean the whole range). */
export interface SliceSpec {
  start?: number | null;
  end?: number | null;
  step?: number;
}

/**
 * One entry of x[...] in PyTorch terms: a number (select, removes the dim), ':' (the whole dim),
 * a SliceSpec, null (a new size-1 dim, Python's None), '...' (as many ':' as needed), an int32
 * tensor (advanced indexing, negative values count from the end) or a bool mask over the next dims.
 */
export type IndexSpec = number | ':' | '...' | null | SliceSpec | Tensor;

/**
 * x[spec0, spec1, ...] as torch's __getitem__. Basic indexing gives views; one tensor index
 * (int32 or a bool mask) is supported, and its shape replaces the dims it indexes (a copy whose
 * gradient accumulates). More than one tensor index throws.
 * @example getItem(x, ':', -1)                       // x[:, -1]
 * @example getItem(x, '...', { start: 1, step: 2 })   // x[..., 1::2]
 * @example getItem(x, null, tensor([2, 0], { dtype: 'int32' })) // x[None, [2, 0]]
 */
export function getItem(x: Tensor, ...specs: IndexSpec[]): Tensor {
  checkTensor('getItem', x);
  const consumes = (s: IndexSpec): number => (s === null || s === '...' ? 0 : s instanceof Tensor && s.dtype === 'bool' ? s.ndim : 1);
  const ellipses = specs.filter((s) => s === '...').length;
  if (ellipses > 1) throw new Error('getItem: an index can only have a single ellipsis (...)');
  const used = specs.reduce<number>((n, s) => n + consumes(s), 0);
  if (used > x.ndim) {
    throw new Error(`getItem: too many indices for a tensor of shape ${fmtShape(x.shape)}: ${used} dims indexed`);
  }
  const expanded: IndexSpec[] = [];
  for (const s of specs) {
    if (s === '...') for (let i = 0; i < x.ndim - used; i++) expanded.push(':');
    else expanded.push(s);
  }
  if (specs.filter((s) => s instanceof Tensor).length > 1) {
    throw new Error('getItem: only one tensor index is supported; combine indices with gather or indexSelect');
  }
  let cur = x;
  let d = 0;
  for (const s of expanded) {
    if (typeof s === 'number') {
      if (cur.ndim === 0 || d >= cur.ndim) throw new Error(`getItem: too many indices for a tensor of shape ${fmtShape(x.shape)}`);
      cur = select(cur, d, s);
    } else if (s === ':') {
      d++;
    } else if (s === null) {
      cur = unsqueeze(cur, d);
      d++;
    } else if (s instanceof Tensor) {
      if (s.dtype === 'bool') {
        cur = maskIndex(cur, d, s, x);
        d++;
      } else {
        cur = tensorIndex(cur, d, s);
        d += s.ndim;
      }
    } else if (typeof s === 'object') {
      cur = slice(cur, d, s.start, s.end, s.step ?? 1);
      d++;
    } else {
      throw new Error(`getItem: unsupported index ${String(s)}`);
    }
  }
  return cur;
}
defineOp('getItem', 'differentiable');

/** x[..., idx, ...] at dim d for an int32 tensor idx: the dim is replaced by idx's shape. */
function tensorIndex(cur: Tensor, d: number, idx: Tensor): Tensor {
  if (idx.dtype !== 'int32')
    throw new Error(`getItem: tensor indices must be int32 or bool, got ${idx.dtype} of shape ${fmtShape(idx.shape)}`);
  const n = cur.shape[d]!;
  const raw = denseData(idx);
  const wrapped = Tensor.empty([raw.length], 'int32', cur.device);
  for (let k = 0; k < raw.length; k++) {
    const v = raw[k]!;
    if (v < -n || v >= n) {
      throw new Error(
        `getItem: index ${v} at position ${fmtShape(positionOf(k, idx.shape))} of the index (shape ${fmtShape(idx.shape)}) ` +
          `is out of range for dim ${d} of size ${n} (valid range ${-n}..${n - 1})`,
      );
    }
    wrapped.storage[k] = v < 0 ? v + n : v;
  }
  const picked = indexSelect(cur, d, wrapped);
  return reshape(picked, [...cur.shape.slice(0, d), ...idx.shape, ...cur.shape.slice(d + 1)]);
}

/** x[..., mask, ...] at dim d: the mask's dims collapse to one dim listing the true positions. */
function maskIndex(cur: Tensor, d: number, mask: Tensor, x: Tensor): Tensor {
  const k = mask.ndim;
  const covered = cur.shape.slice(d, d + k);
  if (k === 0 || covered.length !== k || covered.some((n, i) => n !== mask.shape[i])) {
    throw new Error(
      `getItem: bool mask of shape ${fmtShape(mask.shape)} does not match the indexed dims ${fmtShape(covered)} ` +
        `of the tensor of shape ${fmtShape(x.shape)}`,
    );
  }
  const m = denseData(mask);
  const picks: number[] = [];
  for (let i = 0; i < m.length; i++) if (m[i]) picks.push(i);
  const flat = flatten(cur, d, d + k - 1);
  return indexSelect(flat, d, new Tensor(Int32Array.from(picks), [picks.length]));
}

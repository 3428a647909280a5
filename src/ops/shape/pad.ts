import { Tensor } from '../../tensor/tensor.js';
import { fmtShape } from '../../tensor/shape.js';
import { contiguousStrides } from '../../tensor/shape.js';
import { backendOf } from '../../backend/index.js';
import { record } from '../../autograd/node.js';
import { indexSelect } from '../indexing/indexSelect.js';
import { narrow } from './narrow.js';
import { defineOp } from '../registry.js';
import { checkOptions } from '../../tensor/validate.js';

export type PadMode = 'constant' | 'reflect' | 'replicate' | 'circular';

export interface PadOptions {
  /** How the border is filled (default 'constant'). */
  mode?: PadMode;
  /** Fill value for mode 'constant' (default 0). */
  value?: number;
}

/** Source position along a dim of size n for output position j of a border-padded dim (left pad l). */
function sourceIndex(mode: Exclude<PadMode, 'constant'>, j: number, l: number, n: number): number {
  const s = j - l;
  if (mode === 'replicate') return Math.min(Math.max(s, 0), n - 1);
  if (mode === 'circular') return ((s % n) + n) % n;
  if (s < 0) return -s;
  if (s >= n) return 2 * (n - 1) - s;
  return s;
}

/**
 * Pads (or, with negative widths, crops) the last dims, as torch.nn.functional.pad. `widths`
 * lists (left, right) pairs starting from the last dim: [l_last, r_last, l_prev, r_prev, ...].
 * Modes: 'constant' (fill with value), 'reflect' (mirror without repeating the edge; widths must
 * be smaller than the dim), 'replicate' (repeat the edge), 'circular' (wrap around). The border
 * modes are index selections, so their gradients accumulate into the edge or mirrored positions.
 * Unlike PyTorch, the border modes accept any number of padded dims up to the tensor's rank.
 * @example pad(x, [1, 1, 2, 0]) // last dim +1 on each side, second-last +2 at the front
 * @example pad(img, [2, 2, 2, 2], { mode: 'reflect' }) // [N, C, H, W] -> [N, C, H+4, W+4]
 */
export function pad(x: Tensor, widths: readonly number[], opts: PadOptions | PadMode = {}): Tensor {
  if (typeof opts !== 'string') opts = checkOptions('pad', 3, opts, { mode: 'string', value: 'number' });
  const o: PadOptions = typeof opts === 'string' ? { mode: opts } : opts;
  const mode = o.mode ?? 'constant';
  const value = o.value ?? 0;
  if (!['constant', 'reflect', 'replicate', 'circular'].includes(mode)) {
    throw new Error(`pad: unknown mode '${String(mode)}'; expected constant, reflect, replicate or circular`);
  }
  if (widths.length % 2 !== 0 || widths.length > 2 * x.ndim || widths.some((w) => !Number.isInteger(w))) {
    throw new Error(
      `pad: widths ${fmtShape(widths)} must be integer (left, right) pairs, at most 2 per dim of the input shape ${fmtShape(x.shape)}`,
    );
  }
  const pairs: { d: number; l: number; r: number }[] = [];
  for (let i = 0; i < widths.length / 2; i++) pairs.push({ d: x.ndim - 1 - i, l: widths[2 * i]!, r: widths[2 * i + 1]! });
  for (const { d, l, r } of pairs) {
    if (x.shape[d]! + l + r < 0) {
      throw new Error(`pad: widths (${l}, ${r}) would give dim ${d} of input shape ${fmtShape(x.shape)} a negative size`);
    }
  }
  if (mode === 'constant') return constantPad(x, pairs, value);

  let out = x;
  for (const { d, l, r } of pairs) {
    if (l === 0 && r === 0) continue;
    const n = x.shape[d]!;
    const bad =
      (mode === 'reflect' && (l >= n || r >= n)) || (mode === 'replicate' && n === 0) || (mode === 'circular' && (l > n || r > n));
    if (bad) {
      const rule = mode === 'reflect' ? 'smaller than' : mode === 'circular' ? 'at most' : 'used with a non-empty';
      throw new Error(`pad: ${mode} padding (${l}, ${r}) of dim ${d} must be ${rule} the dim size ${n} (input shape ${fmtShape(x.shape)})`);
    }
    const source = new Int32Array(n + l + r);
    for (let j = 0; j < n + l + r; j++) source[j] = sourceIndex(mode, j, l, n);
    const index = Tensor.empty([n + l + r], 'int32', x.device);
    index.backend.write(index.storage, source);
    out = indexSelect(out, d, index);
  }
  return out;
}
defineOp('pad', 'differentiable');

/** Constant padding: crop the negative widths by narrowing, then write x into a filled tensor. */
function constantPad(x: Tensor, pairs: { d: number; l: number; r: number }[], value: number): Tensor {
  let src = x;
  for (const { d, l, r } of pairs) {
    if (l >= 0 && r >= 0) continue;
    const cl = Math.max(-l, 0);
    const cr = Math.max(-r, 0);
    src = narrow(src, d, cl, src.shape[d]! - cl - cr);
  }
  const grow = pairs.map(({ d, l, r }) => ({ d, l: Math.max(l, 0), r: Math.max(r, 0) })).filter((p) => p.l > 0 || p.r > 0);
  if (grow.length === 0) return src;
  const shape = [...src.shape];
  for (const { d, l, r } of grow) shape[d] = shape[d]! + l + r;
  const be = backendOf('pad', src);
  const out = Tensor.empty(shape, src.dtype, be.name);
  if (value !== 0) be.fill(out.storage, value);
  const os = contiguousStrides(shape);
  let offset = 0;
  for (const { d, l } of grow) offset += l * os[d]!;
  be.copyView(src, { storage: out.storage, shape: src.shape, strides: os, offset });
  const inner = src;
  return record('pad', [inner], out, (g) => {
    let gi = g;
    for (const { d, l } of grow) gi = narrow(gi, d, l, inner.shape[d]!);
    return [gi];
  });
}

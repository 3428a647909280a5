import type { Tensor } from './tensor.js';
import { isFloat } from './dtype.js';

const EDGE = 3;
const THRESHOLD = 1000;

/** PyTorch-style text: tensor([[1.0000, 2.0000]], shape=[1, 2], dtype=float64, gradFn=<MulBackward>). */
export function formatTensor(t: Tensor): string {
  const flat = t.data;
  const n = flat.length;
  const summarize = n > THRESHOLD;
  const float = isFloat(t.dtype);
  let sci = false;
  let allInt = true;
  if (float) {
    let maxAbs = 0;
    let minAbs = Infinity;
    for (let i = 0; i < n; i++) {
      const v = flat[i]!;
      if (!Number.isFinite(v)) continue;
      if (!Number.isInteger(v)) allInt = false;
      const a = Math.abs(v);
      if (a > maxAbs) maxAbs = a;
      if (a > 0 && a < minAbs) minAbs = a;
    }
    sci = maxAbs >= 1e8 || (minAbs < 1e-4 && !allInt) || (minAbs !== Infinity && maxAbs / minAbs > 1e3 && !allInt);
  }
  const fmt = (v: number): string => {
    if (t.dtype === 'bool') return v ? 'true' : 'false';
    if (!float) return String(v);
    if (Number.isNaN(v)) return 'nan';
    if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
    if (sci) return v.toExponential(4);
    if (allInt) return `${v.toFixed(0)}.`;
    return v.toFixed(4);
  };
  const cells: string[] = [];
  for (let i = 0; i < n; i++) cells.push(fmt(flat[i]!));
  const width = cells.reduce((w, c) => Math.max(w, c.length), 0);
  const pad = (s: string): string => s.padStart(width);
  const shape = t.shape;
  const strides: number[] = [];
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d]!;
  }
  const render = (d: number, base: number, indent: string): string => {
    const size = shape[d]!;
    const idx: (number | null)[] = [];
    if (summarize && size > 2 * EDGE) {
      for (let k = 0; k < EDGE; k++) idx.push(k);
      idx.push(null);
      for (let k = size - EDGE; k < size; k++) idx.push(k);
    } else for (let k = 0; k < size; k++) idx.push(k);
    if (d === shape.length - 1) {
      return `[${idx.map((k) => (k === null ? '...' : pad(cells[base + k]!))).join(', ')}]`;
    }
    const sep = `,${'\n'.repeat(shape.length - 1 - d)}${indent} `;
    return `[${idx.map((k) => (k === null ? '...' : render(d + 1, base + k * strides[d]!, indent + ' '))).join(sep)}]`;
  };
  const body = shape.length === 0 ? fmt(flat[0]!) : render(0, 0, '       ');
  const extras = [`shape=[${shape.join(', ')}]`];
  if (t.dtype !== 'float32') extras.push(`dtype=${t.dtype}`);
  if (t.gradFn) extras.push(`gradFn=${t.gradFn.toString()}`);
  else if (t.requiresGrad) extras.push('requiresGrad=true');
  return `tensor(${body}, ${extras.join(', ')})`;
}

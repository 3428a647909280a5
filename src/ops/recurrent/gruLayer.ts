import { Tensor } from '../../tensor/tensor.js';
import { fmtShape } from '../../tensor/shape.js';
import { isFloat } from '../../tensor/dtype.js';
import { zeros } from '../../tensor/creation.js';
import { record } from '../../autograd/node.js';
import { isGradEnabled } from '../../autograd/grad-mode.js';
import { grad } from '../../autograd/engine.js';
import { backendOf, type LstmDims } from '../../backend/index.js';
import { add } from '../elementwise/add.js';
import { matmul } from '../linalg/matmul.js';
import { select } from '../shape/select.js';
import { stack } from '../shape/stack.js';
import { transpose } from '../shape/transpose.js';
import { defineOp } from '../registry.js';
import { gruCell } from './gruCell.js';
import { checkTensor } from '../../tensor/validate.js';

function dims(xp: Tensor, h0: Tensor, wHh: Tensor, bHh: Tensor | null, reverse: boolean): LstmDims {
  const [T, B, G] = xp.shape as [number, number, number];
  const H = G / 3;
  const bad = (what: string): never => {
    throw new Error(
      `gruLayer: ${what} (xp ${fmtShape(xp.shape)}, h0 ${fmtShape(h0.shape)}, wHh ${fmtShape(wHh.shape)}, bHh ${bHh ? fmtShape(bHh.shape) : 'none'}); ` +
        'expected xp [T, B, 3H], h0 [B, H], wHh [3H, H], bHh [3H]',
    );
  };
  if (xp.ndim !== 3 || !Number.isInteger(H) || H === 0) bad('xp must be [T, B, 3H]');
  const want = (t: Tensor, s: number[]): boolean => t.ndim === s.length && t.shape.every((d, i) => d === s[i]);
  if (!want(h0, [B, H]) || !want(wHh, [3 * H, H]) || (bHh && !want(bHh, [3 * H]))) bad('shapes do not agree');
  const all = bHh ? [xp, h0, wHh, bHh] : [xp, h0, wHh];
  if (!isFloat(xp.dtype) || all.some((t) => t.dtype !== xp.dtype))
    bad(`dtypes must be one float dtype, got ${all.map((t) => t.dtype).join(', ')}`);
  return { T, B, H, reverse };
}

/**
 * One GRU layer over a whole sequence as a single op (see lstmLayer; loops in backend/rnn.ts).
 * xp [T, B, 3H] is W_ih x^t + b_ih of every step (gates r, z, n); h0 [B, H]; wHh [3H, H]; bHh [3H]
 * or null. Returns the hidden states [T, B, H]:
 *   r = σ(xp_r + W_hr h + b_hr),  z = σ(xp_z + W_hz h + b_hz),  n = tanh(xp_n + r (W_hn h + b_hn)),
 *   h' = (1 - z) n + z h.
 * Backward computes dW_hh and db_hh over all steps at once; double backward differentiates
 * gruLayerReference, the same function composed of public ops.
 */
export function gruLayer(xp: Tensor, h0: Tensor, wHh: Tensor, bHh: Tensor | null, reverse = false): Tensor {
  checkTensor('gruLayer', xp);
  const d = dims(xp, h0, wHh, bHh, reverse);
  const dtype = xp.dtype as 'float32' | 'float64';
  const be = backendOf('gruLayer', xp, h0, wHh, bHh);
  const b = be.dense(bHh ?? zeros([3 * d.H], { dtype, device: be.name }));
  const saved = be.gruForward(dtype, d, be.dense(xp), be.dense(h0), be.dense(wHh), b);
  const out = new Tensor(saved.out, [d.T, d.B, d.H], undefined, 0, be.name);
  const inputs = bHh ? [xp, h0, wHh, bHh] : [xp, h0, wHh];
  return record('gruLayer', inputs, out, (g) => {
    if (isGradEnabled()) {
      const need = inputs.filter((t) => t.requiresGrad);
      const gs = grad([gruLayerReference(xp, h0, wHh, bHh, reverse)], need, { gradOutputs: [g], createGraph: true, allowUnused: true });
      return inputs.map((t) => (t.requiresGrad ? (gs[need.indexOf(t)] ?? null) : null));
    }
    const r = be.gruBackward(dtype, d, saved, backendOf('gruLayer', g, xp).dense(g), be.dense(h0), be.dense(wHh));
    return [
      xp.requiresGrad ? new Tensor(r.dxp, xp.shape, undefined, 0, be.name) : null,
      h0.requiresGrad ? new Tensor(r.dh0, h0.shape, undefined, 0, be.name) : null,
      wHh.requiresGrad ? new Tensor(r.dwHh, wHh.shape, undefined, 0, be.name) : null,
      bHh?.requiresGrad ? new Tensor(r.dbHh, bHh.shape, undefined, 0, be.name) : null,
    ].slice(0, inputs.length);
  });
}
defineOp('gruLayer', 'differentiable');

/** gruLayer composed of public ops, gruCell step by step (the definition the fused op is tested against). */
export function gruLayerReference(xp: Tensor, h0: Tensor, wHh: Tensor, bHh: Tensor | null, reverse = false): Tensor {
  checkTensor('gruLayerReference', xp);
  const { T } = dims(xp, h0, wHh, bHh, reverse);
  const wT = transpose(wHh, 0, 1);
  let h = h0;
  const steps: Tensor[] = new Array(T);
  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s;
    const a = select(xp, 0, t);
    const q = bHh ? add(matmul(h, wT), bHh) : matmul(h, wT);
    h = gruCell(a, q, h);
    steps[t] = h;
  }
  return stack(steps, 0);
}

import { Tensor } from '../../tensor/tensor.js';
import { fmtShape } from '../../tensor/shape.js';
import { isFloat } from '../../tensor/dtype.js';
import { record } from '../../autograd/node.js';
import { isGradEnabled } from '../../autograd/grad-mode.js';
import { grad } from '../../autograd/engine.js';
import { backendOf, type LstmDims } from '../../backend/index.js';
import { add } from '../elementwise/add.js';
import { cat } from '../shape/cat.js';
import { matmul } from '../linalg/matmul.js';
import { select } from '../shape/select.js';
import { stack } from '../shape/stack.js';
import { transpose } from '../shape/transpose.js';
import { defineOp } from '../registry.js';
import { lstmCell } from './lstmCell.js';
import { checkTensor } from '../../tensor/validate.js';

function dims(xp: Tensor, h0: Tensor, c0: Tensor, wHh: Tensor, reverse: boolean): LstmDims {
  const [T, B, G] = xp.shape as [number, number, number];
  const H = G / 4;
  const bad = (what: string): never => {
    throw new Error(
      `lstmLayer: ${what} (xp ${fmtShape(xp.shape)}, h0 ${fmtShape(h0.shape)}, c0 ${fmtShape(c0.shape)}, wHh ${fmtShape(wHh.shape)}); ` +
        'expected xp [T, B, 4H], h0 and c0 [B, H], wHh [4H, H]',
    );
  };
  if (xp.ndim !== 3 || !Number.isInteger(H) || H === 0) bad('xp must be [T, B, 4H]');
  const want = (t: Tensor, s: number[]): boolean => t.ndim === s.length && t.shape.every((d, i) => d === s[i]);
  if (!want(h0, [B, H]) || !want(c0, [B, H]) || !want(wHh, [4 * H, H])) bad('shapes do not agree');
  if (!isFloat(xp.dtype) || [h0, c0, wHh].some((t) => t.dtype !== xp.dtype))
    bad(`dtypes must be one float dtype, got ${[xp, h0, c0, wHh].map((t) => t.dtype).join(', ')}`);
  return { T, B, H, reverse };
}

/**
 * One LSTM layer over a whole sequence as a single op (the time loop runs inside; see
 * backend/rnn.ts). xp [T, B, 4H] is the input projection W_ih x^t + b of every step, gates in the
 * order i, f, g, o; h0, c0 [B, H]; wHh [4H, H]. Returns hc [T, B, 2H]: h^t in [..., :H] and c^t in
 * [..., H:], so the outputs and the final states are views of one tensor. `reverse` runs the
 * sequence from t = T-1 down (the backward direction of a bidirectional layer).
 *
 * Backward runs the BPTT recursion per step (dgates, then dh_{t-1} = dgates W_hh) and computes
 * dW_hh = sum_t dgates_t^T h_{t-1} as one GEMM over all steps, instead of T small ones. Double
 * backward (createGraph) differentiates the same function composed of public ops
 * (lstmLayerReference), so higher-order gradients are exact too.
 */
export function lstmLayer(xp: Tensor, h0: Tensor, c0: Tensor, wHh: Tensor, reverse = false): Tensor {
  checkTensor('lstmLayer', xp);
  const d = dims(xp, h0, c0, wHh, reverse);
  const dtype = xp.dtype as 'float32' | 'float64';
  const be = backendOf('lstmLayer', xp, h0, c0, wHh);
  const saved = be.lstmForward(dtype, d, be.dense(xp), be.dense(h0), be.dense(c0), be.dense(wHh));
  const out = new Tensor(saved.hc, [d.T, d.B, 2 * d.H], undefined, 0, be.name);
  const inputs = [xp, h0, c0, wHh];
  return record('lstmLayer', inputs, out, (g) => {
    if (isGradEnabled()) {
      // createGraph: differentiate the composed function, whose backward is itself differentiable.
      const need = inputs.filter((t) => t.requiresGrad);
      const gs = grad([lstmLayerReference(xp, h0, c0, wHh, reverse)], need, { gradOutputs: [g], createGraph: true, allowUnused: true });
      return inputs.map((t) => (t.requiresGrad ? (gs[need.indexOf(t)] ?? null) : null));
    }
    const r = be.lstmBackward(dtype, d, saved, backendOf('lstmLayer', g, xp).dense(g), be.dense(h0), be.dense(c0), be.dense(wHh));
    return [
      xp.requiresGrad ? new Tensor(r.dxp, xp.shape, undefined, 0, be.name) : null,
      h0.requiresGrad ? new Tensor(r.dh0, h0.shape, undefined, 0, be.name) : null,
      c0.requiresGrad ? new Tensor(r.dc0, c0.shape, undefined, 0, be.name) : null,
      wHh.requiresGrad ? new Tensor(r.dwHh, wHh.shape, undefined, 0, be.name) : null,
    ];
  });
}
defineOp('lstmLayer', 'differentiable');

/** lstmLayer composed of public ops, lstmCell step by step (the definition the fused op is tested against). */
export function lstmLayerReference(xp: Tensor, h0: Tensor, c0: Tensor, wHh: Tensor, reverse = false): Tensor {
  checkTensor('lstmLayerReference', xp);
  const { T } = dims(xp, h0, c0, wHh, reverse);
  const wT = transpose(wHh, 0, 1);
  let h = h0;
  let c = c0;
  const steps: Tensor[] = new Array(T);
  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s;
    ({ h, c } = lstmCell(add(select(xp, 0, t), matmul(h, wT)), c));
    steps[t] = cat([h, c], 1);
  }
  return stack(steps, 0);
}

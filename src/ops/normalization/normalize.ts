import { Tensor } from '../../tensor/tensor.js';
import { fmtShape, normDim, type Shape } from '../../tensor/shape.js';
import { isFloat } from '../../tensor/dtype.js';
import { record } from '../../autograd/node.js';
import { isGradEnabled } from '../../autograd/grad-mode.js';
import { grad } from '../../autograd/engine.js';
import { backendOf, type NormLayout } from '../../backend/index.js';
import { add } from '../elementwise/add.js';
import { mean } from '../reduce/mean.js';
import { mul } from '../elementwise/mul.js';
import { rsqrt } from '../elementwise/rsqrt.js';
import { sub } from '../elementwise/sub.js';
import { variance } from '../reduce/variance.js';
import { defineOp } from '../registry.js';
import { checkTensor } from '../../tensor/validate.js';

/**
 * Groups of a dense shape for reduced `dims`: the kept dims must be one run (layer norm: reduced
 * trailing dims; batch norm: reduced dims around the channel dim). Null for other layouts.
 */
function layoutOf(shape: Shape, dims: readonly number[]): NormLayout | null {
  let a = 1; // reduced, before the kept run
  let k = 1; // kept
  let b = 1; // reduced, after it
  let phase = 0; // 0: leading reduced, 1: kept, 2: trailing reduced
  for (let d = 0; d < shape.length; d++) {
    const n = shape[d]!;
    if (n === 1) continue;
    const reduced = dims.includes(d);
    if (phase === 0 && !reduced) phase = 1;
    else if (phase === 1 && reduced) phase = 2;
    else if (phase === 2 && !reduced) return null;
    if (phase === 0) a *= n;
    else if (phase === 1) k *= n;
    else b *= n;
  }
  if (k === 1) return { G: 1, outer: 1, inner: a * b, gs: 0, os: 0 }; // one group: everything
  return { G: k, outer: a, inner: b, gs: b, os: k * b };
}

/** The composed definition (used for double backward and layouts the fused loops do not cover). */
function reference(x: Tensor, dims: number[], eps: number): Tensor {
  const mu = mean(x, { dim: dims, keepdim: true });
  const v = variance(x, { dim: dims, keepdim: true, correction: 0 });
  return mul(sub(x, mu), rsqrt(add(v, eps)));
}

/**
 * (x - mean) / sqrt(var + eps) over `dims` (biased variance), the core of layer, batch, instance and
 * group normalisation, as one op: one pass for the statistics and one for the output forward, two
 * for the gradient dx = rstd (g - mean(g) - xhat mean(g xhat)). Also returns the per-group mean and
 * biased variance (groups in row-major order of the kept dims), e.g. for running statistics.
 * Double backward differentiates the composed definition.
 */
export function normalizeWithStats(
  x: Tensor,
  dims: readonly number[],
  eps: number,
): { out: Tensor; mean: ArrayLike<number>; variance: ArrayLike<number> } {
  checkTensor('normalizeWithStats', x);
  if (!isFloat(x.dtype)) throw new Error(`normalize: expected a float tensor, got ${x.dtype} of shape ${fmtShape(x.shape)}`);
  const nd = [...new Set(dims.map((d) => normDim('normalize', d, x.ndim)))].sort((p, q) => p - q);
  const L = layoutOf(x.shape, nd);
  if (!L || x.numel() === 0) {
    const out = reference(x, nd, eps);
    const mu = mean(x, { dim: nd }).detach();
    const v = variance(x, { dim: nd, correction: 0 }).detach();
    return { out, mean: mu.data, variance: v.data };
  }
  const be = backendOf('normalize', x);
  const { y, mean: mu, variance: v, rstd } = be.normForward(be.dense(x), L, eps);
  const out = record('normalize', [x], new Tensor(y, x.shape, undefined, 0, be.name), (g) => {
    if (isGradEnabled()) return grad([reference(x, nd, eps)], [x], { gradOutputs: [g], createGraph: true });
    return [new Tensor(be.normBackward(backendOf('normalize', g, x).dense(g), y, rstd, L), x.shape, undefined, 0, be.name)];
  });
  // The statistics are host values (running means of batch norm): read on host backends.
  return { out, mean: be.read(mu), variance: be.read(v) };
}

/** (x - mean) / sqrt(var + eps) over `dims`; see normalizeWithStats. */
export function normalize(x: Tensor, dims: readonly number[], eps = 1e-5): Tensor {
  checkTensor('normalize', x);
  return normalizeWithStats(x, dims, eps).out;
}
defineOp('normalize', 'differentiable');

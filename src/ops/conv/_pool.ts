/**
 * Shared machinery of the pooling ops: window plans (PyTorch's output-size and window formulas)
 * and the recorded primitives over stacks of H x W planes ([..., H, W]).
 *
 *   maxPoolCore        values/indices of each window's max  (recorded under the caller's name)
 *   scatterAddCore     out[idx] += g within each plane      ('maxPool2dBackward')
 *   gatherCore         out = x[idx] within each plane       ('maxUnpool2dBackward')
 *   unpoolCore         out[idx] = x, zeros elsewhere        ('maxUnpool2d')
 *   windowMeanCore     window sums / divisor                (e.g. 'avgPool2d')
 *   windowMeanAdjoint  its transpose                        (e.g. 'avgPool2dBackward')
 *
 * Each backward is another of these primitives, so gradients of gradients work: scatter-add and
 * gather are adjoint to each other, and so are windowMeanCore and windowMeanAdjoint.
 */
import { Tensor } from '../../tensor/tensor.js';
import { isFloat } from '../../tensor/dtype.js';
import { fmtShape, numel } from '../../tensor/shape.js';
import { record } from '../../autograd/node.js';
import { backendOf, type WindowPlan } from '../../backend/index.js';
import { spatial, type SpatialArg } from './_conv.js';
import { defineOp } from '../registry.js';
import { checkTensor, type Spec } from '../../tensor/validate.js';

export { type SpatialArg };

// Internal differentiable ops: they appear as the backward (and double-backward) of the public pools.
defineOp('maxPool2dBackward', 'differentiable', 'scatter-add of a gradient into H x W planes by max-pool indices');
defineOp('maxUnpool2dBackward', 'differentiable', 'gather from H x W planes by max-pool indices');
defineOp('avgPool2dBackward', 'differentiable', 'transpose of avgPool2d');
defineOp('adaptiveAvgPool2dBackward', 'differentiable', 'transpose of adaptiveAvgPool2d');

/** The options of each pool, as checkOptions reads them (ranges are checked by poolArgs). */
export const poolSpecs = {
  maxPool2d: { kernelSize: 'ints', stride: 'ints', padding: 'ints', dilation: 'ints', ceilMode: 'boolean', returnIndices: 'boolean' },
  maxPool1d: { kernelSize: 'ints', stride: 'ints', padding: 'ints', dilation: 'ints', ceilMode: 'boolean', returnIndices: 'boolean' },
  avgPool2d: {
    kernelSize: 'ints',
    stride: 'ints',
    padding: 'ints',
    ceilMode: 'boolean',
    countIncludePad: 'boolean',
    divisorOverride: 'number',
  },
  avgPool1d: { kernelSize: 'ints', stride: 'ints', padding: 'ints', ceilMode: 'boolean', countIncludePad: 'boolean' },
  maxUnpool2d: { kernelSize: 'ints', stride: 'ints', padding: 'ints', outputSize: 'ints' },
  adaptiveMaxPool2d: { returnIndices: 'boolean' },
} satisfies Record<string, Spec>;

/** Checks the pooled input is [C, H, W] or [N, C, H, W] (d = 2), or [C, L] / [N, C, L] (d = 1). */
export function checkPoolInput(op: string, x: Tensor, d: number, needFloat: boolean): void {
  checkTensor(op, x);
  if (x.ndim !== d + 1 && x.ndim !== d + 2) {
    throw new Error(`${op}: expected a ${d + 1}-D (unbatched) or ${d + 2}-D (batched) input, got shape ${fmtShape(x.shape)}`);
  }
  if (needFloat && !isFloat(x.dtype)) {
    throw new Error(`${op}: expected a floating point input, got ${x.dtype} of shape ${fmtShape(x.shape)}`);
  }
  if (x.shape.slice(-d).some((s) => s === 0)) {
    throw new Error(`${op}: input shape ${fmtShape(x.shape)} has an empty spatial dim`);
  }
}

/** PyTorch's pooling_output_shape. */
function outSize(n: number, k: number, s: number, p: number, d: number, ceil: boolean): number {
  let o = Math.floor((n + 2 * p - d * (k - 1) - 1 + (ceil ? s - 1 : 0)) / s) + 1;
  // In ceil mode the last window must start inside the input or the left padding.
  if (ceil && (o - 1) * s >= n + p) o--;
  return o;
}

export interface PoolArgs {
  kernel: number[];
  stride: number[];
  pad: number[];
  dilation: number[];
}

/** Parses kernelSize / stride (default: kernelSize) / padding / dilation for d spatial dims. */
export function poolArgs(
  op: string,
  opts: { kernelSize: SpatialArg; stride?: SpatialArg | null; padding?: SpatialArg; dilation?: SpatialArg },
  d: number,
): PoolArgs {
  if (opts.kernelSize === undefined) throw new Error(`${op}: kernelSize is required`);
  const kernel = spatial(op, 'kernelSize', opts.kernelSize, d, 1, 1);
  const stride = opts.stride == null ? [...kernel] : spatial(op, 'stride', opts.stride, d, 1, 1);
  const pad = spatial(op, 'padding', opts.padding, d, 0, 0);
  const dilation = spatial(op, 'dilation', opts.dilation, d, 1, 1);
  pad.forEach((p, i) => {
    if (p > Math.floor(kernel[i]! / 2)) {
      throw new Error(`${op}: padding ${fmtShape(pad)} should be at most half of the kernel size ${fmtShape(kernel)}`);
    }
  });
  return { kernel, stride, pad, dilation };
}

/** Output sizes of a strided pool over `sizes`, or an error naming the op and input shape. */
export function poolOutSizes(op: string, shape: readonly number[], sizes: number[], a: PoolArgs, ceil: boolean): number[] {
  const out = sizes.map((n, i) => outSize(n, a.kernel[i]!, a.stride[i]!, a.pad[i]!, a.dilation[i]!, ceil));
  if (out.some((o) => o <= 0)) {
    throw new Error(
      `${op}: input shape ${fmtShape(shape)} with kernelSize ${fmtShape(a.kernel)}, padding ${fmtShape(a.pad)}, ` +
        `dilation ${fmtShape(a.dilation)} gives output size ${fmtShape(out)}, which is too small`,
    );
  }
  return out;
}

/** Input positions of each max-pool window along one dim (padding positions left out). */
function maxWindows(n: number, o: number, k: number, s: number, p: number, d: number): Int32Array[] {
  const res: Int32Array[] = [];
  for (let i = 0; i < o; i++) {
    let a = i * s - p;
    const end = Math.min(a + (k - 1) * d + 1, n);
    while (a < 0) a += d;
    const list: number[] = [];
    for (let t = a; t < end; t += d) list.push(t);
    res.push(Int32Array.from(list));
  }
  return res;
}

/** The plan of a max pool over H x W planes (2-D args). */
export function maxPoolPlan(H: number, W: number, out: number[], a: PoolArgs): WindowPlan {
  return {
    H,
    W,
    OH: out[0]!,
    OW: out[1]!,
    rows: maxWindows(H, out[0]!, a.kernel[0]!, a.stride[0]!, a.pad[0]!, a.dilation[0]!),
    cols: maxWindows(W, out[1]!, a.kernel[1]!, a.stride[1]!, a.pad[1]!, a.dilation[1]!),
  };
}

/**
 * The plan of an average pool (PyTorch's avg_pool2d): windows clipped to the input; the divisor is
 * the window size within the padded input (countIncludePad), the clipped size, or the override.
 */
export function avgPoolPlan(
  H: number,
  W: number,
  out: number[],
  a: PoolArgs,
  countIncludePad: boolean,
  divisorOverride?: number,
): WindowPlan {
  const dimWindows = (n: number, o: number, k: number, s: number, p: number) => {
    const lists: Int32Array[] = [];
    const padded: number[] = [];
    for (let i = 0; i < o; i++) {
      const a0 = i * s - p;
      const a1 = Math.min(a0 + k, n + p);
      padded.push(a1 - a0);
      const lo = Math.max(a0, 0);
      const hi = Math.min(a1, n);
      const list: number[] = [];
      for (let t = lo; t < hi; t++) list.push(t);
      lists.push(Int32Array.from(list));
    }
    return { lists, padded };
  };
  const r = dimWindows(H, out[0]!, a.kernel[0]!, a.stride[0]!, a.pad[0]!);
  const c = dimWindows(W, out[1]!, a.kernel[1]!, a.stride[1]!, a.pad[1]!);
  const divisor = new Float64Array(out[0]! * out[1]!);
  for (let i = 0; i < out[0]!; i++) {
    for (let j = 0; j < out[1]!; j++) {
      const clipped = r.lists[i]!.length * c.lists[j]!.length;
      let dv = divisorOverride ?? (countIncludePad ? r.padded[i]! * c.padded[j]! : clipped);
      if (clipped === 0 || dv === 0) dv = 1; // an all-padding window averages to 0
      divisor[i * out[1]! + j] = dv;
    }
  }
  return { H, W, OH: out[0]!, OW: out[1]!, rows: r.lists, cols: c.lists, divisor };
}

/** Adaptive windows: output i reads [floor(i In / Out), ceil((i + 1) In / Out)). */
export function adaptivePlan(H: number, W: number, OH: number, OW: number, withDivisor: boolean): WindowPlan {
  const windows = (n: number, o: number): Int32Array[] =>
    Array.from({ length: o }, (_, i) => {
      const a = Math.floor((i * n) / o);
      const b = Math.ceil(((i + 1) * n) / o);
      return Int32Array.from({ length: b - a }, (_, t) => a + t);
    });
  const rows = windows(H, OH);
  const cols = windows(W, OW);
  const plan: WindowPlan = { H, W, OH, OW, rows, cols };
  if (withDivisor) {
    plan.divisor = new Float64Array(OH * OW);
    for (let i = 0; i < OH; i++) for (let j = 0; j < OW; j++) plan.divisor[i * OW + j] = rows[i]!.length * cols[j]!.length;
  }
  return plan;
}

const planes = (shape: readonly number[]): number => numel(shape.slice(0, -2));
const withPlane = (shape: readonly number[], h: number, w: number): number[] => [...shape.slice(0, -2), h, w];

/** Max over each window of x [..., H, W]; values recorded as `name`, indices int32 into each plane. */
export function maxPoolCore(name: string, x: Tensor, plan: WindowPlan): { values: Tensor; indices: Tensor } {
  const shape = withPlane(x.shape, plan.OH, plan.OW);
  const be = backendOf(name, x);
  const values = Tensor.empty(shape, x.dtype, be.name);
  const indices = Tensor.empty(shape, 'int32', be.name);
  be.maxPool(be.dense(x), planes(x.shape), plan, values.storage, indices.storage);
  record(name, [x], values, (g) => [scatterAddCore(g, indices, x.shape)]);
  return { values, indices };
}

/** out [outShape] = 0, then out[..., idx] += g within each plane. */
export function scatterAddCore(g: Tensor, idx: Tensor, outShape: readonly number[]): Tensor {
  const be = backendOf('maxPool2dBackward', g, idx);
  const out = Tensor.empty(outShape, g.dtype, be.name);
  const inner = g.shape[g.ndim - 2]! * g.shape[g.ndim - 1]!;
  const outer = outShape[outShape.length - 2]! * outShape[outShape.length - 1]!;
  be.scatterAddPlanes(be.dense(g), be.dense(idx), planes(g.shape), inner, outer, out.storage);
  return record('maxPool2dBackward', [g], out, (G) => [gatherCore(G, idx)]);
}

/** out[..., k] = x[..., idx[..., k]] within each plane (out has idx's shape). */
export function gatherCore(x: Tensor, idx: Tensor): Tensor {
  const be = backendOf('maxUnpool2dBackward', x, idx);
  const out = Tensor.empty(idx.shape, x.dtype, be.name);
  const inner = idx.shape[idx.ndim - 2]! * idx.shape[idx.ndim - 1]!;
  const outer = x.shape[x.ndim - 2]! * x.shape[x.ndim - 1]!;
  be.gatherPlanes(be.dense(x), be.dense(idx), planes(idx.shape), inner, outer, out.storage);
  return record('maxUnpool2dBackward', [x], out, (G) => [scatterAddCore(G, idx, x.shape)]);
}

/** out [outShape] = 0, then out[..., idx] = x within each plane. */
export function unpoolCore(x: Tensor, idx: Tensor, outShape: readonly number[]): Tensor {
  const be = backendOf('maxUnpool2d', x, idx);
  const out = Tensor.empty(outShape, x.dtype, be.name);
  const inner = x.shape[x.ndim - 2]! * x.shape[x.ndim - 1]!;
  const outer = outShape[outShape.length - 2]! * outShape[outShape.length - 1]!;
  be.scatterPlanes(be.dense(x), be.dense(idx), planes(x.shape), inner, outer, out.storage);
  return record('maxUnpool2d', [x], out, (G) => [gatherCore(G, idx)]);
}

export interface MeanNames {
  forward: string;
  backward: string;
}

/** Window averages of x [..., H, W], recorded as names.forward. */
export function windowMeanCore(x: Tensor, plan: WindowPlan, names: MeanNames): Tensor {
  const be = backendOf(names.forward, x);
  const out = Tensor.empty(withPlane(x.shape, plan.OH, plan.OW), x.dtype, be.name);
  be.windowMean(be.dense(x), planes(x.shape), plan, out.storage);
  return record(names.forward, [x], out, (g) => [windowMeanAdjoint(g, plan, names)]);
}

/** The transpose of windowMeanCore: g [..., OH, OW] spread back over [..., H, W], recorded as names.backward. */
export function windowMeanAdjoint(g: Tensor, plan: WindowPlan, names: MeanNames): Tensor {
  const be = backendOf(names.backward, g);
  const out = Tensor.empty(withPlane(g.shape, plan.H, plan.W), g.dtype, be.name);
  be.windowMeanBackward(be.dense(g), planes(g.shape), plan, out.storage);
  return record(names.backward, [g], out, (G) => [windowMeanCore(G, plan, names)]);
}

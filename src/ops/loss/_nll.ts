/**
 * Class-index target handling shared by nllLoss and crossEntropy (family `loss`): target checks,
 * per-position weights, and the negative log-likelihood kernel. Private to src/ops.
 */
import { Tensor } from '../../tensor/tensor.js';
import { isFloat } from '../../tensor/dtype.js';
import { fmtShape, shapesEqual } from '../../tensor/shape.js';
import { record } from '../../autograd/node.js';
import { mul } from '../elementwise/mul.js';
import { reshape } from '../shape/reshape.js';
import { checkReduction, type Reduction } from './_loss.js';
import { constTensor, denseF64 } from '../reduce/_reduce.js';

export interface NllLossOptions {
  /** Per-class weights, shape [C]. */
  weight?: Tensor;
  /** Target value that contributes nothing (neither loss nor to the 'mean' divisor). Default -100. */
  ignoreIndex?: number;
  /** 'mean' (default: divided by the summed weights of non-ignored targets), 'sum' or 'none'. */
  reduction?: Reduction;
}

/** Class-index targets checked against an input of shape [N, C, d1, ...] (or [C] with a 0-d target). */
export interface ClassTargets {
  N: number;
  C: number;
  /** Number of positions per sample (product of d1, ...). */
  S: number;
  /** Target class of every position (row-major over target's shape). */
  t: Int32Array;
  /** Per-position weight w[t] (0 where ignored). */
  w: Float64Array;
  /** Sum of w over non-ignored positions: the 'mean' divisor. */
  weightSum: number;
  ignored: Uint8Array;
}

export function classTargets(op: string, input: Tensor, target: Tensor, weight: Tensor | undefined, ignoreIndex: number): ClassTargets {
  if (!isFloat(input.dtype))
    throw new Error(`${op}: expected a floating point input, got ${input.dtype} of shape ${fmtShape(input.shape)}`);
  if (input.ndim === 0) throw new Error(`${op}: input must have a class dim ([C] or [N, C, ...]), got a 0-d tensor`);
  if (target.dtype !== 'int32') {
    throw new Error(`${op}: target must be an int32 tensor of class indices, got ${target.dtype} of shape ${fmtShape(target.shape)}`);
  }
  const C = input.ndim === 1 ? input.shape[0]! : input.shape[1]!;
  const want = input.ndim === 1 ? [] : [input.shape[0]!, ...input.shape.slice(2)];
  if (!shapesEqual(want, target.shape)) {
    throw new Error(
      `${op}: expected target shape ${fmtShape(want)} for input shape ${fmtShape(input.shape)}, got ${fmtShape(target.shape)}`,
    );
  }
  let wv: Float64Array | null = null;
  if (weight) {
    if (weight.ndim !== 1 || weight.shape[0] !== C) {
      throw new Error(
        `${op}: weight must have shape [${C}] (one per class) for input shape ${fmtShape(input.shape)}, got ${fmtShape(weight.shape)}`,
      );
    }
    wv = denseF64(weight);
  }
  const N = input.ndim === 1 ? 1 : input.shape[0]!;
  const S = input.ndim <= 2 ? 1 : input.shape.slice(2).reduce((p, d) => p * d, 1);
  const t = denseF64(target);
  const ti = new Int32Array(t.length);
  const w = new Float64Array(t.length);
  const ignored = new Uint8Array(t.length);
  let weightSum = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t[i]!;
    ti[i] = c;
    if (c === ignoreIndex) {
      ignored[i] = 1;
      continue;
    }
    if (c < 0 || c >= C) {
      const pos: number[] = [];
      let rest = i;
      for (let d = target.ndim - 1; d >= 0; d--) {
        pos.unshift(rest % target.shape[d]!);
        rest = Math.floor(rest / target.shape[d]!);
      }
      throw new Error(
        `${op}: target ${c} at index ${fmtShape(pos)} is out of range for ${C} classes (expected 0..${C - 1} or ignoreIndex ${ignoreIndex})`,
      );
    }
    w[i] = wv ? wv[c]! : 1;
    weightSum += w[i]!;
  }
  return { N, C, S, t: ti, w, weightSum, ignored };
}

/**
 * The negative log-likelihood kernel shared by nllLoss and crossEntropy (errors name `op`).
 * out_i = -w[t_i] * input[n, t_i, s]; the gradient is g times a constant sparse tensor holding
 * -w[t_i] (divided by the weight sum for 'mean') at the target positions, so it never touches
 * the other classes (an -inf logit elsewhere cannot turn it into NaN).
 */
export function nllCore(op: string, input: Tensor, target: Tensor, opts: NllLossOptions): Tensor {
  const reduction = opts.reduction ?? 'mean';
  checkReduction(op, reduction);
  const ct = classTargets(op, input, target, opts.weight, opts.ignoreIndex ?? -100);
  const { C, S, t, w } = ct;
  const x = denseF64(input);
  const losses = new Float64Array(t.length);
  let total = 0;
  for (let i = 0; i < t.length; i++) {
    if (ct.ignored[i]) continue;
    const n = Math.floor(i / S);
    const s = i % S;
    losses[i] = -w[i]! * x[(n * C + t[i]!) * S + s]!;
    total += losses[i]!;
  }
  const out =
    reduction === 'none'
      ? constTensor(target.shape, input.dtype, losses)
      : constTensor([], input.dtype, [reduction === 'sum' ? total : total / ct.weightSum]);
  return record(op, [input, opts.weight], out, (g) => {
    const scale = reduction === 'mean' ? 1 / ct.weightSum : 1;
    const sel = new Float64Array(x.length);
    for (let i = 0; i < t.length; i++) {
      if (ct.ignored[i]) continue;
      sel[(Math.floor(i / S) * C + t[i]!) * S + (i % S)] = -w[i]! * scale;
    }
    const m = constTensor(input.shape, input.dtype, sel);
    const gb = reduction === 'none' ? reshape(g, input.ndim === 1 ? [1] : [ct.N, 1, ...input.shape.slice(2)]) : g;
    // The weight gets no gradient (as PyTorch): undefined makes the engine throw if one is required.
    return [input.requiresGrad ? mul(gb, m) : null, undefined];
  });
}

/**
 * torch.nn.functional's counterpart: the normalisations below, and scaledDotProductAttention
 * (nn/attention.ts, re-exported here).
 *
 * Normalisations as torch.nn.functional. The statistics-and-scaling core is the fused `normalize`
 * op (one pass for the statistics and one for the output; its double backward differentiates the
 * composed definition); weight and bias are ordinary broadcast mul/add.
 */
import type { Tensor } from '../tensor/tensor.js';
import { checkArg, checkOptions, checkRest, checkTensor, describe } from '../tensor/validate.js';
import { fmtShape } from '../tensor/shape.js';
import { noGrad } from '../autograd/grad-mode.js';
import { add } from '../ops/elementwise/add.js';
import { sub } from '../ops/elementwise/sub.js';
import { mul } from '../ops/elementwise/mul.js';
import { rsqrt } from '../ops/elementwise/rsqrt.js';
import { reshape } from '../ops/shape/reshape.js';
import { normalize, normalizeWithStats } from '../ops/normalization/normalize.js';

export { scaledDotProductAttention, type ScaledDotProductAttentionOptions } from './attention.js';

/** Shape [1, C, 1, ...] to broadcast a per-channel vector over [N, C, ...]. */
function channelShape(x: Tensor): number[] {
  return x.shape.map((d, i) => (i === 1 ? d : 1));
}

export interface BatchNormOptions {
  training?: boolean;
  momentum?: number;
  eps?: number;
}

/**
 * Batch normalisation over [N, C, ...]: y = (x - mean) / sqrt(var + eps) * weight + bias, with batch
 * statistics over N and the spatial dims in training (biased variance for normalising), the running
 * statistics otherwise. In training the running statistics are updated in place:
 * running = (1 - momentum) running + momentum stat, with the unbiased variance, as PyTorch.
 */
export function batchNorm(
  x: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  weight: Tensor | null,
  bias: Tensor | null,
  opts: BatchNormOptions = {},
  ...extra: never[]
): Tensor {
  checkTensor('batchNorm', x);
  checkOptionalTensors('batchNorm', [runningMean, runningVar, weight, bias], ['runningMean', 'runningVar', 'weight', 'bias'], 2);
  checkOptions('batchNorm', 6, opts, { training: 'boolean', momentum: 'number', eps: 'number' });
  checkRest('batchNorm', extra, 6, 'batchNorm(x, runningMean, runningVar, weight, bias, {training, momentum, eps})');
  const training = opts.training ?? false;
  const momentum = opts.momentum ?? 0.1;
  const eps = opts.eps ?? 1e-5;
  if (x.ndim < 2) throw new Error(`batchNorm: expected input [N, C, ...], got shape ${fmtShape(x.shape)}`);
  const C = x.shape[1]!;
  for (const [name, t] of [
    ['runningMean', runningMean],
    ['runningVar', runningVar],
    ['weight', weight],
    ['bias', bias],
  ] as const) {
    if (t && (t.ndim !== 1 || t.shape[0] !== C)) {
      throw new Error(`batchNorm: ${name} has shape ${fmtShape(t.shape)}, expected [${C}] for input ${fmtShape(x.shape)}`);
    }
  }
  const cs = channelShape(x);
  const dims = x.shape.map((_, i) => i).filter((i) => i !== 1);
  let y: Tensor;
  if (training || !runningMean || !runningVar) {
    const count = x.numel() / C;
    if (training && count <= 1) {
      throw new Error(`batchNorm: expected more than 1 value per channel when training, got input shape ${fmtShape(x.shape)}`);
    }
    const st = normalizeWithStats(x, dims, eps);
    y = st.out;
    if (training && runningMean && runningVar) {
      noGrad(() => {
        const rm = runningMean.data as { [i: number]: number };
        const rv = runningVar.data as { [i: number]: number };
        const unbias = count / (count - 1);
        for (let c = 0; c < C; c++) {
          rm[c] = (1 - momentum) * rm[c]! + momentum * st.mean[c]!;
          rv[c] = (1 - momentum) * rv[c]! + momentum * st.variance[c]! * unbias;
        }
      });
    }
  } else {
    y = mul(sub(x, reshape(runningMean, cs)), rsqrt(add(reshape(runningVar, cs), eps)));
  }
  if (weight) y = mul(y, reshape(weight, cs));
  if (bias) y = add(y, reshape(bias, cs));
  return y;
}

/** Layer normalisation over the trailing dims `normalizedShape` (biased variance), then weight and bias. */
export function layerNorm(
  x: Tensor,
  normalizedShape: readonly number[],
  weight: Tensor | null = null,
  bias: Tensor | null = null,
  eps = 1e-5,
  ...extra: never[]
): Tensor {
  checkTensor('layerNorm', x);
  if (!Array.isArray(normalizedShape) || !normalizedShape.every((d) => Number.isInteger(d) && d > 0))
    throw new TypeError(`layerNorm: argument 2 (normalizedShape) must be a list of positive sizes, got ${describe(normalizedShape)}`);
  checkOptionalTensors('layerNorm', [weight, bias], ['weight', 'bias'], 3);
  checkArg('layerNorm', 'argument 5 (eps)', eps, 'number');
  checkRest('layerNorm', extra, 5, 'layerNorm(x, normalizedShape, weight?, bias?, eps?)');
  const k = normalizedShape.length;
  const tail = x.shape.slice(x.ndim - k);
  if (k > x.ndim || tail.some((d, i) => d !== normalizedShape[i])) {
    throw new Error(`layerNorm: input shape ${fmtShape(x.shape)} does not end in normalized shape ${fmtShape(normalizedShape)}`);
  }
  const dims = Array.from({ length: k }, (_, i) => x.ndim - k + i);
  let y = normalize(x, dims, eps);
  if (weight) y = mul(y, weight);
  if (bias) y = add(y, bias);
  return y;
}

/** Group normalisation: channels split into numGroups groups, each normalised over its channels and spatial dims. */
export function groupNorm(
  x: Tensor,
  numGroups: number,
  weight: Tensor | null = null,
  bias: Tensor | null = null,
  eps = 1e-5,
  ...extra: never[]
): Tensor {
  checkTensor('groupNorm', x);
  checkArg('groupNorm', 'argument 2 (numGroups)', numGroups, 'positiveInt');
  checkOptionalTensors('groupNorm', [weight, bias], ['weight', 'bias'], 3);
  checkArg('groupNorm', 'argument 5 (eps)', eps, 'number');
  checkRest('groupNorm', extra, 5, 'groupNorm(x, numGroups, weight?, bias?, eps?)');
  const [N, C] = [x.shape[0]!, x.shape[1]!];
  if (x.ndim < 2 || C % numGroups !== 0) {
    throw new Error(`groupNorm: ${C} channels of input ${fmtShape(x.shape)} cannot be split into ${numGroups} groups`);
  }
  let y = reshape(normalize(reshape(x, [N, numGroups, -1]), [2], eps), x.shape);
  const cs = channelShape(x);
  if (weight) y = mul(y, reshape(weight, cs));
  if (bias) y = add(y, reshape(bias, cs));
  return y;
}

/** Instance normalisation: each (sample, channel) plane normalised over its spatial dims. */
export function instanceNorm(x: Tensor, weight: Tensor | null = null, bias: Tensor | null = null, eps = 1e-5, ...extra: never[]): Tensor {
  checkTensor('instanceNorm', x);
  checkOptionalTensors('instanceNorm', [weight, bias], ['weight', 'bias'], 2);
  checkArg('instanceNorm', 'argument 4 (eps)', eps, 'number');
  checkRest('instanceNorm', extra, 4, 'instanceNorm(x, weight?, bias?, eps?)');
  if (x.ndim < 3) throw new Error(`instanceNorm: expected input [N, C, ...spatial], got shape ${fmtShape(x.shape)}`);
  const dims = x.shape.map((_, i) => i).filter((i) => i >= 2);
  let y = normalize(x, dims, eps);
  const cs = channelShape(x);
  if (weight) y = mul(y, reshape(weight, cs));
  if (bias) y = add(y, reshape(bias, cs));
  return y;
}

/** Checks arguments that are a Tensor or null (left out), numbered from position `first`. */
function checkOptionalTensors(fn: string, vs: readonly unknown[], names: readonly string[], first: number): void {
  vs.forEach((v, i) => {
    if (v != null) checkTensor(fn, v, `argument ${first + i} (${names[i]})`);
  });
}

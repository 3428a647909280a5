/**
 * Shared machinery of the convolution ops: argument parsing and validation (for 1-D and 2-D,
 * so error messages quote the caller's own shapes), and the three recorded primitives
 *
 *   convCore          y = conv(x, w) + b                     (recorded as 'conv2d')
 *   convTransposeCore y = conv^T(x, w) + b                   (recorded as 'convTranspose2d')
 *   weightGradCore    dW = d<gy, conv(x, W)>/dW              (recorded as 'conv2dWeightGrad')
 *
 * whose backward passes are written with each other, so every derivative order works:
 *   conv:      dx = conv^T(g, w),  dw = weightGrad(x, g),  db = sum(g)
 *   conv^T:    dx = conv(g, w),    dw = weightGrad(g, x),  db = sum(g)
 *   weightGrad(x, gy) with upstream G (weight-shaped): dx = conv^T(gy, G), dgy = conv(x, G)
 * All three take explicit output sizes, which keeps the set closed under differentiation
 * (a transposed convolution with outputPadding >= stride has an input gradient that is a cropped
 * convolution, and 'same' padding is a leading pad with an output the size of the input).
 */
import { Tensor } from '../../tensor/tensor.js';
import { isFloat } from '../../tensor/dtype.js';
import { fmtShape } from '../../tensor/shape.js';
import { record } from '../../autograd/node.js';
// float32 convolutions run on the WebAssembly kernels (threads split the batch); float64 on the JS reference.
import { type Backend, type ConvGeom, backendOf } from '../../backend/index.js';
import { sum } from '../reduce/sum.js';
import { checkOptions, checkTensor, describe, isPlainObject, type Spec } from '../../tensor/validate.js';

/** A per-spatial-dim argument: one number for all dims, or one per dim. */
export type SpatialArg = number | readonly number[];

/** Geometry of a 2-D convolution, in the forward convolution's terms (padding = leading pad). */
export interface ConvParams {
  strideH: number;
  strideW: number;
  padH: number;
  padW: number;
  dilH: number;
  dilW: number;
  groups: number;
}

/** Expands a number or a per-dim list to `d` integers >= min, naming the op and argument otherwise. */
export function spatial(op: string, name: string, v: SpatialArg | undefined, d: number, dflt: number, min: number): number[] {
  const list = v === undefined ? new Array<number>(d).fill(dflt) : typeof v === 'number' ? new Array<number>(d).fill(v) : [...v];
  if (list.length !== d) throw new Error(`${op}: ${name} must be a number or a list of ${d}, got ${fmtShape(list)}`);
  for (const e of list) {
    if (!Number.isInteger(e) || e < min) {
      throw new Error(
        `${op}: ${name} must be ${min === 0 ? 'non-negative' : 'positive'} integers, got ${typeof v === 'number' ? v : fmtShape(list)}`,
      );
    }
  }
  return list;
}

function checkTypes(op: string, x: Tensor, w: Tensor, b: Tensor | null | undefined): void {
  if (!isFloat(x.dtype)) throw new Error(`${op}: expected a floating point input, got ${x.dtype} of shape ${fmtShape(x.shape)}`);
  if (w.dtype !== x.dtype) {
    throw new Error(
      `${op}: input ${fmtShape(x.shape)} is ${x.dtype} but weight ${fmtShape(w.shape)} is ${w.dtype}; they must have the same dtype`,
    );
  }
  if (b && b.dtype !== x.dtype) {
    throw new Error(
      `${op}: input ${fmtShape(x.shape)} is ${x.dtype} but bias ${fmtShape(b.shape)} is ${b.dtype}; they must have the same dtype`,
    );
  }
}

function checkRanks(op: string, x: Tensor, w: Tensor, d: number): boolean {
  if (x.ndim !== d + 1 && x.ndim !== d + 2) {
    throw new Error(
      `${op}: expected a ${d + 1}-D (unbatched) or ${d + 2}-D (batched) input, got input shape ${fmtShape(x.shape)} with weight ${fmtShape(w.shape)}`,
    );
  }
  if (w.ndim !== d + 2) {
    throw new Error(`${op}: expected a ${d + 2}-D weight, got weight shape ${fmtShape(w.shape)} with input ${fmtShape(x.shape)}`);
  }
  return x.ndim === d + 2;
}

function checkGroups(op: string, groups: number | undefined): number {
  const g = groups ?? 1;
  if (!Number.isInteger(g) || g < 1) throw new Error(`${op}: groups must be a positive integer, got ${groups}`);
  return g;
}

/** A validated convolution: geometry per spatial dim (leading padding) and output sizes. */
export interface ConvPlan {
  batched: boolean;
  stride: number[];
  pad: number[];
  dilation: number[];
  groups: number;
  /** Output spatial sizes. */
  out: number[];
}

export interface ConvOptionsNd {
  stride?: SpatialArg;
  padding?: SpatialArg | 'same' | 'valid';
  dilation?: SpatialArg;
  groups?: number;
}

/** The options conv1d/conv2d take, as checkOptions reads them (ranges are checked by spatial). */
export const convSpec: Spec = { stride: 'ints', padding: 'padding', dilation: 'ints', groups: 'int' };
/** The options convTranspose2d takes. */
export const convTransposeSpec: Spec = { stride: 'ints', padding: 'ints', outputPadding: 'ints', dilation: 'ints', groups: 'int' };

/**
 * The argument check of every convolution, before any shape is read: input and weight are
 * Tensors, bias a Tensor or null, options an options object with known keys. The common slip of
 * passing options where the bias goes, conv2d(x, w, {stride: 2}), gets its own hint.
 */
export function convArgs(op: string, x: unknown, w: unknown, b: unknown, opts: unknown, spec: Spec): void {
  checkTensor(op, x);
  checkTensor(op, w, 'argument 2 (weight)');
  if (b != null && !(b instanceof Tensor)) {
    const hint = isPlainObject(b) ? `; options go fourth: ${op}(x, w, null, ${describe(b)})` : '';
    throw new TypeError(`${op}: argument 3 (bias) must be a Tensor or null, got ${describe(b)}${hint}`);
  }
  checkOptions(op, 4, opts as object | undefined, spec);
}

/** Validates conv{d}d(x, w, b, opts) and computes its geometry (d = 1 or 2). */
export function planConv(op: string, x: Tensor, w: Tensor, b: Tensor | null | undefined, opts: ConvOptionsNd, d: number): ConvPlan {
  convArgs(op, x, w, b, opts, convSpec);
  const batched = checkRanks(op, x, w, d);
  checkTypes(op, x, w, b);
  const groups = checkGroups(op, opts.groups);
  const C = x.shape[batched ? 1 : 0]!;
  const O = w.shape[0]!;
  const sizes = x.shape.slice(-d);
  const kernel = w.shape.slice(2);
  if (w.shape[1]! * groups !== C) {
    throw new Error(
      `${op}: input shape ${fmtShape(x.shape)} has ${C} channels but weight ${fmtShape(w.shape)} expects ${w.shape[1]! * groups} (groups=${groups})`,
    );
  }
  if (O % groups !== 0) {
    throw new Error(
      `${op}: weight ${fmtShape(w.shape)} has ${O} output channels, not divisible by groups=${groups} (input ${fmtShape(x.shape)})`,
    );
  }
  if (b && (b.ndim !== 1 || b.shape[0] !== O)) {
    throw new Error(`${op}: bias shape ${fmtShape(b.shape)} does not match weight ${fmtShape(w.shape)}: expected [${O}]`);
  }
  const stride = spatial(op, 'stride', opts.stride, d, 1, 1);
  const dilation = spatial(op, 'dilation', opts.dilation, d, 1, 1);
  const padOpt = opts.padding ?? 0;
  let pad: number[];
  if (padOpt === 'same' || padOpt === 'valid') {
    if (padOpt === 'same' && stride.some((s) => s !== 1)) {
      throw new Error(
        `${op}: padding='same' is not supported for strided convolutions (stride ${fmtShape(stride)}), input ${fmtShape(x.shape)}`,
      );
    }
    // PyTorch pads 'same' asymmetrically when the total is odd: the extra row/column goes after.
    pad = padOpt === 'valid' ? new Array<number>(d).fill(0) : kernel.map((k, i) => Math.floor((dilation[i]! * (k - 1)) / 2));
  } else {
    pad = spatial(op, 'padding', padOpt, d, 0, 0);
  }
  const padded = sizes.map((s, i) => (padOpt === 'same' ? s + dilation[i]! * (kernel[i]! - 1) : s + 2 * pad[i]!));
  const effective = kernel.map((k, i) => dilation[i]! * (k - 1) + 1);
  if (effective.some((k, i) => k > padded[i]!)) {
    throw new Error(
      `${op}: kernel size ${fmtShape(effective)} (dilated) is larger than the padded input size ${fmtShape(padded)}: ` +
        `input ${fmtShape(x.shape)}, weight ${fmtShape(w.shape)}`,
    );
  }
  const out = padOpt === 'same' ? [...sizes] : padded.map((p, i) => Math.floor((p - effective[i]!) / stride[i]!) + 1);
  if (out.some((o) => o <= 0)) {
    throw new Error(`${op}: output size ${fmtShape(out)} is empty: input ${fmtShape(x.shape)}, weight ${fmtShape(w.shape)}`);
  }
  return { batched, stride, pad, dilation, groups, out };
}

export interface ConvTransposeOptionsNd {
  stride?: SpatialArg;
  padding?: SpatialArg;
  outputPadding?: SpatialArg;
  dilation?: SpatialArg;
  groups?: number;
}

/** Validates convTranspose{d}d(x, w, b, opts) (w: [C_in, O/groups, ...kernel]) and computes its geometry. */
export function planConvTranspose(
  op: string,
  x: Tensor,
  w: Tensor,
  b: Tensor | null | undefined,
  opts: ConvTransposeOptionsNd,
  d: number,
): ConvPlan {
  convArgs(op, x, w, b, opts, convTransposeSpec);
  const batched = checkRanks(op, x, w, d);
  checkTypes(op, x, w, b);
  const groups = checkGroups(op, opts.groups);
  const C = x.shape[batched ? 1 : 0]!;
  if (w.shape[0] !== C) {
    throw new Error(
      `${op}: input shape ${fmtShape(x.shape)} has ${C} channels but weight ${fmtShape(w.shape)} expects ${w.shape[0]} (groups=${groups})`,
    );
  }
  if (C % groups !== 0) {
    throw new Error(
      `${op}: input shape ${fmtShape(x.shape)} has ${C} channels, not divisible by groups=${groups} (weight ${fmtShape(w.shape)})`,
    );
  }
  const O = w.shape[1]! * groups;
  if (b && (b.ndim !== 1 || b.shape[0] !== O)) {
    throw new Error(
      `${op}: bias shape ${fmtShape(b.shape)} does not match weight ${fmtShape(w.shape)} with groups=${groups}: expected [${O}]`,
    );
  }
  const stride = spatial(op, 'stride', opts.stride, d, 1, 1);
  const pad = spatial(op, 'padding', opts.padding, d, 0, 0);
  const outPad = spatial(op, 'outputPadding', opts.outputPadding, d, 0, 0);
  const dilation = spatial(op, 'dilation', opts.dilation, d, 1, 1);
  outPad.forEach((p, i) => {
    if (p >= stride[i]! && p >= dilation[i]!) {
      throw new Error(
        `${op}: outputPadding must be smaller than either stride or dilation, got outputPadding ${fmtShape(outPad)}, ` +
          `stride ${fmtShape(stride)}, dilation ${fmtShape(dilation)} (input ${fmtShape(x.shape)}, weight ${fmtShape(w.shape)})`,
      );
    }
  });
  const sizes = x.shape.slice(-d);
  const kernel = w.shape.slice(2);
  const out = sizes.map((s, i) => (s - 1) * stride[i]! - 2 * pad[i]! + dilation[i]! * (kernel[i]! - 1) + outPad[i]! + 1);
  if (out.some((o) => o <= 0)) {
    throw new Error(`${op}: output size ${fmtShape(out)} is empty: input ${fmtShape(x.shape)}, weight ${fmtShape(w.shape)}`);
  }
  return { batched, stride, pad, dilation, groups, out };
}

/** The 2-D params of a plan; a 1-D plan becomes a 2-D one with a height-1 kernel. */
export function toParams(p: ConvPlan): ConvParams {
  if (p.stride.length === 1) {
    return { strideH: 1, strideW: p.stride[0]!, padH: 0, padW: p.pad[0]!, dilH: 1, dilW: p.dilation[0]!, groups: p.groups };
  }
  return {
    strideH: p.stride[0]!,
    strideW: p.stride[1]!,
    padH: p.pad[0]!,
    padW: p.pad[1]!,
    dilH: p.dilation[0]!,
    dilW: p.dilation[1]!,
    groups: p.groups,
  };
}

function geom(
  N: number,
  C: number,
  H: number,
  W: number,
  O: number,
  OH: number,
  OW: number,
  KH: number,
  KW: number,
  p: ConvParams,
): ConvGeom {
  return { N, C, H, W, O, OH, OW, KH, KW, ...p };
}

/** out += b over channels (dim 1), in place: the backend's add with b broadcast along N, H, W. */
function addBias(be: Backend, out: Tensor, b: Tensor): void {
  const bView = { storage: b.storage, shape: out.shape, strides: [0, b.strides[0]!, 0, 0], offset: b.offset };
  be.binary('add', out, bView, out.shape, out.storage);
}

const biasGrad = (g: Tensor): Tensor => sum(g, { dim: [0, 2, 3] });

/** y [N, O, OH, OW] = conv(x [N, C, H, W], w [O, C/groups, KH, KW]) + b, recorded as 'conv2d'. */
export function convCore(x: Tensor, w: Tensor, b: Tensor | null, p: ConvParams, OH: number, OW: number): Tensor {
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const [O, , KH, KW] = w.shape as [number, number, number, number];
  const be = backendOf('conv2d', x, w, b);
  const out = Tensor.empty([N, O, OH, OW], x.dtype, be.name);
  be.convForward(be.dense(x), be.dense(w), b ? be.dense(b) : null, out.storage, geom(N, C, H, W, O, OH, OW, KH, KW, p));
  return record('conv2d', [x, w, b], out, (g) => [
    x.requiresGrad ? convTransposeCore(g, w, null, p, H, W) : null,
    w.requiresGrad ? weightGradCore(x, g, p, KH, KW) : null,
    b?.requiresGrad ? biasGrad(g) : null,
  ]);
}

/**
 * y [N, O, OH, OW] = conv^T(x [N, C_in, H, W], w [C_in, O/groups, KH, KW]) + b, recorded as
 * 'convTranspose2d': the adjoint of convCore(., w) mapping [N, O, OH, OW] to [N, C_in, H, W].
 */
export function convTransposeCore(x: Tensor, w: Tensor, b: Tensor | null, p: ConvParams, OH: number, OW: number): Tensor {
  const [N, Cin, H, W] = x.shape as [number, number, number, number];
  const [, Og, KH, KW] = w.shape as [number, number, number, number];
  const O = Og * p.groups;
  const be = backendOf('convTranspose2d', x, w, b);
  const out = Tensor.empty([N, O, OH, OW], x.dtype, be.name);
  // In the forward convolution's terms the output y is the input (O channels, OH x OW) and x the output.
  be.convBackwardInput(be.dense(x), be.dense(w), out.storage, geom(N, O, OH, OW, Cin, H, W, KH, KW, p));
  if (b) addBias(be, out, b);
  return record('convTranspose2d', [x, w, b], out, (g) => [
    x.requiresGrad ? convCore(g, w, null, p, H, W) : null,
    w.requiresGrad ? weightGradCore(g, x, p, KH, KW) : null,
    b?.requiresGrad ? biasGrad(g) : null,
  ]);
}

/**
 * dW [O, C/groups, KH, KW] = d<gy, conv(x, W)>/dW for x [N, C, H, W] and gy [N, O, OH, OW],
 * recorded as 'conv2dWeightGrad' (bilinear in x and gy).
 */
export function weightGradCore(x: Tensor, gy: Tensor, p: ConvParams, KH: number, KW: number): Tensor {
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const [, O, OH, OW] = gy.shape as [number, number, number, number];
  const be = backendOf('conv2dWeightGrad', x, gy);
  const out = Tensor.empty([O, C / p.groups, KH, KW], x.dtype, be.name);
  be.convBackwardWeight(be.dense(x), be.dense(gy), out.storage, geom(N, C, H, W, O, OH, OW, KH, KW, p));
  return record('conv2dWeightGrad', [x, gy], out, (G) => [
    x.requiresGrad ? convTransposeCore(gy, G, null, p, H, W) : null,
    gy.requiresGrad ? convCore(x, G, null, p, OH, OW) : null,
  ]);
}

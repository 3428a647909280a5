/**
 * Post-training int8 quantization and the int8 model it produces.
 *
 * quantizeModel(model, calibration) folds the model into an inference graph (graph.ts), runs it in
 * float32 on the calibration images while observers record every activation, fixes one affine grid
 * per activation (quantize.ts: min-max, percentile or MSE-optimal ranges) and quantizes each
 * weight symmetrically, per output channel by default. The result, a QuantizedModel, runs on
 * integers only between its float input and its float logits, activations in NHWC order:
 *
 *   acc_n = b_q[n] + sum_k q_x[k] q_w[n,k] - z_x sum_k q_w[n,k]      b_q[n] = round(b_n / (s_x s_w[n]))
 *   q_y   = clamp(round(acc_n s_x s_w[n] / s_y) + z_y, q_min, q_max)   (int8 GEMM or convolution, src/backend/quant.ts)
 *
 * since y = sum_k s_x (q_x - z_x) s_w q_w + b. A fused ReLU is the clamp at z_y; max pooling and
 * flatten keep their input's grid; a residual addition and the global average pool requantize
 * through float32 scale factors (one rounding each, the same on every engine); the last linear
 * layer returns s_x s_w[n] acc_n, the dequantized logits.
 *
 * Saved as safetensors with int8 weights (I8), float32 weight scales and biases, and the graph and
 * activation grids in the metadata: about a quarter of the float32 file.
 */
/* eslint-disable prefer-rest-params -- public functions hand their `arguments` to checkCtor, which also rejects arguments past the declared ones */
import { Tensor } from '../tensor/tensor.js';
import { checkCtor, describe } from '../tensor/validate.js';
import type { Module } from '../nn/module.js';
import { noGrad } from '../autograd/grad-mode.js';
import { encodeSafetensors, decodeSafetensors } from '../io/safetensors.js';
import { nearestEven, qconv2d, qgemm, qmaxPool, qquantize, requantizeRef } from '../backend/quant.js';
import { inferenceGraph, runGraph, type InferenceGraph } from './graph.js';
import {
  activationGrid,
  quantizeWeight,
  RangeObserver,
  type ActivationRange,
  type AffineParams,
  type CalibrationMethod,
} from './quantize.js';

/** What a node's output looks like, batch left out: an NHWC image [H, W, C] or a vector [F]. */
type Layout = { kind: 'nhwc'; H: number; W: number; C: number } | { kind: 'flat'; F: number; from: [number, number, number] | null };

interface QConvLayer {
  kind: 'conv';
  input: number;
  /** [O, KH * KW * C] in (kh, kw, c) order. */
  weight: Int8Array;
  weightScale: Float32Array;
  bias: Float32Array | null;
  O: number;
  KH: number;
  KW: number;
  stride: [number, number];
  padding: [number, number];
  dilation: [number, number];
  relu: boolean;
}
interface QLinearLayer {
  kind: 'linear';
  input: number;
  /** [O, F], columns in the order of the int8 input (NHWC flatten). */
  weight: Int8Array;
  weightScale: Float32Array;
  bias: Float32Array | null;
  O: number;
  relu: boolean;
}
type QLayer =
  | { kind: 'input' }
  | QConvLayer
  | QLinearLayer
  | { kind: 'maxpool'; input: number; kernel: [number, number]; stride: [number, number] }
  | { kind: 'flatten'; input: number }
  | { kind: 'add'; a: number; b: number; relu: boolean }
  | { kind: 'gap'; input: number }
  | { kind: 'relu'; input: number }
  | { kind: 'padShortcut'; input: number; stride: number; outChannels: number };

/** Per-node integer tables derived from the weights and the grids (not saved: recomputed on load). */
interface Prepared {
  bias: Int32Array;
  scale: Float32Array;
}

export interface QuantizeOptions {
  /** How activation ranges are chosen: 'minmax' (default), 'percentile' or 'mse'. */
  method?: CalibrationMethod;
  /** For 'percentile': the percentile kept on each side (default 99.99). */
  percentile?: number;
  /** Per-output-channel weight scales (default true); false: one scale per tensor. */
  perChannel?: boolean;
  /** Activation grid: 'reduced' [0, 127] (default; exact with the relaxed-SIMD dot product) or 'full' [-128, 127]. */
  activationRange?: ActivationRange;
  /** Images per calibration batch (default 200). */
  batchSize?: number;
}
const QUANTIZE_SPEC = {
  method: ['minmax', 'percentile', 'mse'],
  percentile: 'number',
  perChannel: 'boolean',
  activationRange: ['reduced', 'full'],
  batchSize: 'positiveInt',
} as const;

/** An activation grid, or null for a float output. */
type Grid = AffineParams | null;

/** Int8 data of one node's output for a batch. */
interface QValue {
  data: Int8Array | Float32Array;
  layout: Layout;
}

/**
 * A model quantized to int8 (see the file header). forward takes float NCHW images and returns
 * float logits; everything between runs on int8 with int32 accumulators.
 */
export class QuantizedModel {
  private readonly prepared: (Prepared | null)[];

  /** @internal built by quantizeModel and decodeQuantized */
  constructor(
    readonly layers: readonly QLayer[],
    /** Output grid of every node (null: float output). */
    readonly grids: readonly Grid[],
    /** Output layout of every node (batch left out). */
    readonly layouts: readonly Layout[],
    readonly options: Readonly<Required<Omit<QuantizeOptions, 'batchSize'>>>,
  ) {
    this.prepared = layers.map((l, i) => (l.kind === 'conv' || l.kind === 'linear' ? prepare(l, grids[l.input]!, grids[i]!) : null));
  }

  /** Bytes of the weights as stored (int8 values, float32 scales and biases). */
  get weightBytes(): number {
    let n = 0;
    for (const l of this.layers) {
      if (l.kind === 'conv' || l.kind === 'linear') n += l.weight.length + 4 * l.weightScale.length + 4 * (l.bias?.length ?? 0);
    }
    return n;
  }

  /**
   * Float logits for float NCHW images [N, C, H, W] (or a single image [C, H, W]).
   * @example const logits = qm.forward(testImages.slice(0, 0, 64)); // [64, 10]
   */
  forward(x: Tensor, ...extra: never[]): Tensor {
    if (!(x instanceof Tensor)) throw new TypeError(`QuantizedModel.forward: argument 1 (x) must be a tensor, got ${describe(x)}`);
    if (extra.length > 0) throw new TypeError(`QuantizedModel.forward: unexpected argument 2 (${describe(extra[0])}); call forward(x)`);
    const inL = this.layouts[0]!;
    const single = x.shape.length === 3;
    const want = inL.kind === 'nhwc' ? [inL.C, inL.H, inL.W] : [inL.F];
    const shape = single ? [1, ...x.shape] : x.shape;
    if (shape.length !== want.length + 1 || want.some((d, i) => shape[i + 1] !== d)) {
      throw new Error(`QuantizedModel.forward: expected input [N, ${want.join(', ')}], got [${x.shape.join(', ')}]`);
    }
    const N = shape[0]!;
    const vals: QValue[] = [];
    this.layers.forEach((l, i) => vals.push(this.run(i, l, vals, x, N)));
    const last = vals[vals.length - 1]!;
    const out = last.data instanceof Float32Array ? last.data : dequantize(last.data, this.grids[this.grids.length - 1]!);
    const per = out.length / N;
    return new Tensor(out, single ? [per] : [N, per]);
  }

  private run(i: number, l: QLayer, vals: QValue[], x: Tensor, N: number): QValue {
    const layout = this.layouts[i]!;
    const grid = this.grids[i] ?? null;
    switch (l.kind) {
      case 'input':
        return { data: quantizeInput(x, grid!, layout), layout };
      case 'conv': {
        const src = vals[l.input]!;
        const inL = src.layout as Extract<Layout, { kind: 'nhwc' }>;
        const outL = layout as Extract<Layout, { kind: 'nhwc' }>;
        const inG = this.grids[l.input]!;
        const p = this.prepared[i]!;
        const out = grid ? new Int8Array(N * outL.H * outL.W * l.O) : new Float32Array(N * outL.H * outL.W * l.O);
        const [qmin, qmax] = clampOf(grid, l.relu);
        qconv2d(
          {
            x: src.data as Int8Array,
            zIn: inG.zeroPoint,
            geom: {
              N,
              H: inL.H,
              W: inL.W,
              C: inL.C,
              KH: l.KH,
              KW: l.KW,
              strideH: l.stride[0],
              strideW: l.stride[1],
              padH: l.padding[0],
              padW: l.padding[1],
              dilH: l.dilation[0],
              dilW: l.dilation[1],
              OH: outL.H,
              OW: outL.W,
            },
            w: l.weight,
            O: l.O,
            bias: p.bias,
            scale: p.scale,
            zOut: grid?.zeroPoint ?? 0,
            qmin,
            qmax,
            out,
          },
          { xMin: inG.qmin, xMax: inG.qmax },
        );
        return { data: out, layout };
      }
      case 'linear': {
        const src = vals[l.input]!;
        const F = (src.layout as Extract<Layout, { kind: 'flat' }>).F;
        const inG = this.grids[l.input]!;
        const p = this.prepared[i]!;
        const out = grid ? new Int8Array(N * l.O) : new Float32Array(N * l.O);
        const [qmin, qmax] = clampOf(grid, l.relu);
        qgemm(
          {
            M: N,
            N: l.O,
            K: F,
            x: src.data as Int8Array,
            xOff: 0,
            ldx: F,
            w: l.weight,
            wOff: 0,
            ldw: F,
            bias: p.bias,
            scale: p.scale,
            zOut: grid?.zeroPoint ?? 0,
            qmin,
            qmax,
            out,
            outOff: 0,
            ldo: l.O,
          },
          { xMin: inG.qmin, xMax: inG.qmax },
        );
        if (!grid && l.relu) for (let k = 0; k < out.length; k++) out[k] = Math.max(0, out[k]!);
        return { data: out, layout };
      }
      case 'maxpool': {
        const src = vals[l.input]!;
        const inL = src.layout as Extract<Layout, { kind: 'nhwc' }>;
        const outL = layout as Extract<Layout, { kind: 'nhwc' }>;
        const out = new Int8Array(N * outL.H * outL.W * outL.C);
        qmaxPool(
          src.data as Int8Array,
          {
            N,
            H: inL.H,
            W: inL.W,
            C: inL.C,
            KH: l.kernel[0],
            KW: l.kernel[1],
            strideH: l.stride[0],
            strideW: l.stride[1],
            OH: outL.H,
            OW: outL.W,
          },
          out,
        );
        return { data: out, layout };
      }
      case 'flatten':
      case 'relu': {
        const src = vals[l.input]!;
        if (l.kind === 'flatten') return { data: src.data, layout };
        const z = grid!.zeroPoint;
        return { data: (src.data as Int8Array).map((q) => Math.max(q, z)), layout };
      }
      case 'add':
        return {
          data: qadd(vals[l.a]!.data as Int8Array, this.grids[l.a]!, vals[l.b]!.data as Int8Array, this.grids[l.b]!, grid!, l.relu),
          layout,
        };
      case 'gap': {
        const inL = vals[l.input]!.layout as Extract<Layout, { kind: 'nhwc' }>;
        return { data: qgap(vals[l.input]!.data as Int8Array, N, inL.H * inL.W, inL.C, this.grids[l.input]!, grid!), layout };
      }
      case 'padShortcut': {
        const inL = vals[l.input]!.layout as Extract<Layout, { kind: 'nhwc' }>;
        const outL = layout as Extract<Layout, { kind: 'nhwc' }>;
        const src = vals[l.input]!.data as Int8Array;
        const out = new Int8Array(N * outL.H * outL.W * outL.C).fill(grid!.zeroPoint);
        for (let b = 0; b < N; b++) {
          for (let h = 0; h < outL.H; h++) {
            for (let w = 0; w < outL.W; w++) {
              const s = ((b * inL.H + h * l.stride) * inL.W + w * l.stride) * inL.C;
              out.set(src.subarray(s, s + inL.C), ((b * outL.H + h) * outL.W + w) * outL.C);
            }
          }
        }
        return { data: out, layout };
      }
    }
  }
}

/** The requantization clamp of a node: its grid, raised to z (real 0) under a fused ReLU. */
function clampOf(grid: Grid, relu: boolean): [number, number] {
  if (!grid) return [0, 0];
  return [relu ? Math.max(grid.qmin, grid.zeroPoint) : grid.qmin, grid.qmax];
}

/** b_q[n] - z_x sum_k q_w[n,k] and the requantization factors s_x s_w[n] / s_y (or s_x s_w[n] for a float output). */
function prepare(l: QConvLayer | QLinearLayer, inG: AffineParams, outG: Grid): Prepared {
  const O = l.O;
  const K = l.weight.length / O;
  const bias = new Int32Array(O);
  const scale = new Float32Array(O);
  for (let n = 0; n < O; n++) {
    const sw = l.weightScale.length === 1 ? l.weightScale[0]! : l.weightScale[n]!;
    const sAcc = inG.scale * sw;
    let rowSum = 0;
    for (let k = n * K; k < (n + 1) * K; k++) rowSum += l.weight[k]!;
    const bq = l.bias ? nearestEven(l.bias[n]! / sAcc) : 0;
    bias[n] = Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, bq - inG.zeroPoint * rowSum));
    scale[n] = outG ? sAcc / outG.scale : sAcc;
  }
  return { bias, scale };
}

/** The float input to its grid, NCHW to NHWC (src/backend/quant.ts). */
function quantizeInput(x: Tensor, g: AffineParams, layout: Layout): Int8Array {
  const src = Float32Array.from(x.contiguous().data);
  const out = new Int8Array(src.length);
  const [C, P] = layout.kind === 'flat' ? [1, layout.F] : [layout.C, layout.H * layout.W];
  qquantize(src, src.length / (C * P), C, P, g, out);
  return out;
}

function dequantize(q: Int8Array, g: AffineParams): Float32Array {
  const out = new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) out[i] = g.scale * (q[i]! - g.zeroPoint);
  return out;
}

/** Residual addition on two grids: q_y = clamp(round(f32(q_a - z_a) m_a + f32(q_b - z_b) m_b) + z_y), m = s / s_y. */
function qadd(a: Int8Array, ga: AffineParams, b: Int8Array, gb: AffineParams, g: AffineParams, relu: boolean): Int8Array {
  const ma = Math.fround(ga.scale / g.scale);
  const mb = Math.fround(gb.scale / g.scale);
  const [qmin, qmax] = clampOf(g, relu);
  const out = new Int8Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const v = Math.fround(Math.fround((a[i]! - ga.zeroPoint) * ma) + Math.fround((b[i]! - gb.zeroPoint) * mb));
    // requantizeRef with accumulator 1 and scale v is clamp(round(v) + z_y): the same rounding as the GEMM's.
    out[i] = requantizeRef(1, v, g.zeroPoint, qmin, qmax);
  }
  return out;
}

/** Global average pool [N, P, C] -> [N, C]: the int32 sum requantized by s_x / (P s_y). */
function qgap(x: Int8Array, N: number, P: number, C: number, gx: AffineParams, g: AffineParams): Int8Array {
  const m = Math.fround(gx.scale / (P * g.scale));
  const out = new Int8Array(N * C);
  const acc = new Int32Array(C);
  for (let b = 0; b < N; b++) {
    acc.fill(-P * gx.zeroPoint);
    for (let p = 0; p < P; p++) {
      const base = (b * P + p) * C;
      for (let c = 0; c < C; c++) acc[c]! += x[base + c]!;
    }
    for (let c = 0; c < C; c++) out[b * C + c] = requantizeRef(acc[c]!, m, g.zeroPoint, g.qmin, g.qmax);
  }
  return out;
}

/** Which nodes get a grid of their own (the others inherit their input's). */
function ownsGrid(kind: string): boolean {
  return kind === 'input' || kind === 'conv' || kind === 'linear' || kind === 'add' || kind === 'gap';
}

/** Output layouts of every node, from the float graph's output shapes. */
function layoutsOf(g: InferenceGraph, shapes: readonly (readonly number[])[]): Layout[] {
  const out: Layout[] = [];
  g.nodes.forEach((n, i) => {
    const s = shapes[i]!;
    if (s.length === 4) out.push({ kind: 'nhwc', H: s[2]!, W: s[3]!, C: s[1]! });
    else if (s.length === 2) {
      const src = n.kind === 'flatten' ? out[n.input]! : null;
      const from: [number, number, number] | null = src && src.kind === 'nhwc' && src.H * src.W > 1 ? [src.H, src.W, src.C] : null;
      out.push({ kind: 'flat', F: s[1]!, from });
    } else throw new Error(`quantizeModel: node ${i} (${n.kind}) has output shape [${s.join(', ')}]; expected [N, C, H, W] or [N, F]`);
  });
  return out;
}

/** Integer layers from the float graph: conv weights to (kh, kw, c) order, linear columns to the NHWC flatten order. */
function buildLayers(g: InferenceGraph, layouts: readonly Layout[], perChannel: boolean): QLayer[] {
  return g.nodes.map((n): QLayer => {
    if (n.kind === 'conv') {
      const [O, C, KH, KW] = n.weight.shape as [number, number, number, number];
      const q = quantizeWeight(n.weight, { perChannel });
      const w = new Int8Array(q.values.length);
      for (let o = 0; o < O; o++) {
        for (let c = 0; c < C; c++) {
          for (let i = 0; i < KH; i++)
            for (let j = 0; j < KW; j++) w[((o * KH + i) * KW + j) * C + c] = q.values[((o * C + c) * KH + i) * KW + j]!;
        }
      }
      const bias = n.bias ? Float32Array.from(n.bias.contiguous().data) : null;
      return { ...n, kind: 'conv', weight: w, weightScale: q.scales, bias, O, KH, KW };
    }
    if (n.kind === 'linear') {
      const [O, F] = n.weight.shape as [number, number];
      const q = quantizeWeight(n.weight, { perChannel });
      const src = layouts[n.input]!;
      let w = q.values;
      if (src.kind === 'flat' && src.from) {
        // PyTorch flattens C, H, W; the int8 activations are H, W, C.
        const [H, W, C] = src.from;
        w = new Int8Array(q.values.length);
        for (let o = 0; o < O; o++) {
          for (let c = 0; c < C; c++) for (let p = 0; p < H * W; p++) w[o * F + p * C + c] = q.values[o * F + c * H * W + p]!;
        }
      }
      const bias = n.bias ? Float32Array.from(n.bias.contiguous().data) : null;
      return { kind: 'linear', input: n.input, weight: w, weightScale: q.scales, bias, O, relu: n.relu };
    }
    return n;
  });
}

/** Output grids: own grids for input/conv/linear/add/gap (the last node's null when it can return floats), inherited otherwise. */
function gridsOf(g: InferenceGraph, own: (i: number) => AffineParams): Grid[] {
  const grids: Grid[] = [];
  const last = g.nodes.length - 1;
  g.nodes.forEach((n, i) => {
    if (i === last && (n.kind === 'linear' || n.kind === 'conv')) grids.push(null);
    else if (ownsGrid(n.kind)) grids.push(own(i));
    else if (n.kind === 'padShortcut' || n.kind === 'maxpool' || n.kind === 'flatten' || n.kind === 'relu') grids.push(grids[n.input]!);
    else throw new Error(`quantizeModel: node ${i} has no grid rule (${n.kind})`);
  });
  return grids;
}

/** Runs a float graph over the calibration images in batches, calling `see` on every node output. */
export function calibrationPass(g: InferenceGraph, images: Tensor, batchSize: number, see: (node: number, y: Tensor) => void): void {
  const N = images.shape[0]!;
  noGrad(() => {
    for (let s = 0; s < N; s += batchSize) {
      const xb = images.narrow(0, s, Math.min(batchSize, N - s));
      runGraph(g, xb, {
        output: (i, y) => {
          see(i, y);
          return y;
        },
      });
    }
  });
}

/**
 * Post-training int8 quantization of a trained model (see the file header).
 * `calibration`: float images [N, C, H, W], normalized as the model expects (a few hundred to a
 * few thousand training images).
 * @example const qm = quantizeModel(model, trainImages.narrow(0, 0, 1000), { method: 'mse' }); qm.forward(x)
 */
export function quantizeModel(model: Module, calibration: Tensor, opts: QuantizeOptions = {}): QuantizedModel {
  checkCtor(
    'quantizeModel',
    [
      ['model', 'any'],
      ['calibration', 'tensor'],
    ],
    arguments,
    QUANTIZE_SPEC,
  );
  if (calibration.shape.length < 2 || calibration.shape[0] === 0) {
    throw new Error(`quantizeModel: calibration must be a non-empty batch [N, ...] of inputs, got shape [${calibration.shape.join(', ')}]`);
  }
  const o = {
    method: opts.method ?? 'minmax',
    percentile: opts.percentile ?? 99.99,
    perChannel: opts.perChannel ?? true,
    activationRange: opts.activationRange ?? 'reduced',
  };
  const batchSize = opts.batchSize ?? 200;
  const g = inferenceGraph(model);
  const observers = g.nodes.map((n) => (ownsGrid(n.kind) ? new RangeObserver(o.method, o.percentile) : null));
  const shapes: number[][] = [];
  calibrationPass(g, calibration, batchSize, (i, y) => {
    shapes[i] ??= [...y.shape];
    observers[i]?.observe(y.contiguous().data);
  });
  if (o.method !== 'minmax') calibrationPass(g, calibration, batchSize, (i, y) => observers[i]?.observeHistogram(y.contiguous().data));
  const { qmin, qmax } = activationGrid(o.activationRange);
  return fromGraph(g, shapes, (i) => observers[i]!.params(qmin, qmax), o);
}

/** @internal the QuantizedModel of a float graph, given node output shapes and a grid per grid-owning node. */
export function fromGraph(
  g: InferenceGraph,
  shapes: readonly (readonly number[])[],
  own: (i: number) => AffineParams,
  o: Required<Omit<QuantizeOptions, 'batchSize'>>,
): QuantizedModel {
  const layouts = layoutsOf(g, shapes);
  return new QuantizedModel(buildLayers(g, layouts, o.perChannel), gridsOf(g, own), layouts, o);
}

const FORMAT = 'shinsou-int8/1';

/**
 * The model as safetensors bytes: int8 weights (I8), float32 weight scales and biases, the graph,
 * layouts and grids as JSON in the metadata.
 * @example writeFileAtomic('model-int8.safetensors', encodeQuantized(qm))
 */
export function encodeQuantized(qm: QuantizedModel, metadata: Record<string, string> = {}): Uint8Array {
  checkCtor(
    'encodeQuantized',
    [
      ['qm', 'any'],
      ['metadata', 'any', true],
    ],
    arguments,
  );
  if (!(qm instanceof QuantizedModel))
    throw new TypeError(`encodeQuantized: argument 1 (qm) must be a QuantizedModel, got ${describe(qm)}`);
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
    throw new TypeError(`encodeQuantized: argument 2 (metadata) must be an object of strings, got ${describe(metadata)}`);
  }
  const tensors: Record<string, Tensor> = {};
  const storage: Record<string, 'I8'> = {};
  const layers = qm.layers.map((l, i) => {
    if (l.kind !== 'conv' && l.kind !== 'linear') return l;
    tensors[`${i}.weight`] = new Tensor(Int32Array.from(l.weight), [l.O, l.weight.length / l.O]);
    storage[`${i}.weight`] = 'I8';
    tensors[`${i}.weight_scale`] = new Tensor(l.weightScale, [l.weightScale.length]);
    if (l.bias) tensors[`${i}.bias`] = new Tensor(l.bias, [l.bias.length]);
    const { weight, weightScale, bias, ...rest } = l;
    void weight;
    void weightScale;
    return { ...rest, hasBias: bias !== null };
  });
  const graph = JSON.stringify({ layers, grids: qm.grids, layouts: qm.layouts, options: qm.options });
  return encodeSafetensors(tensors, { ...metadata, format: FORMAT, graph }, { storage });
}

/** Reads a QuantizedModel written by encodeQuantized. `source` names the file in errors. */
export function decodeQuantized(bytes: Uint8Array, source = '<buffer>'): QuantizedModel {
  checkCtor(
    'decodeQuantized',
    [
      ['bytes', 'any'],
      ['source', 'string', true],
    ],
    arguments,
  );
  if (!(bytes instanceof Uint8Array))
    throw new TypeError(`decodeQuantized: argument 1 (bytes) must be a Uint8Array, got ${describe(bytes)}`);
  const { tensors, metadata } = decodeSafetensors(bytes, source);
  if (metadata['format'] !== FORMAT) {
    throw new Error(
      `decodeQuantized: ${source}: not an int8 model (metadata format ${JSON.stringify(metadata['format'])}, expected '${FORMAT}')`,
    );
  }
  const j = JSON.parse(metadata['graph'] ?? 'null') as {
    layers: (QLayer & { hasBias?: boolean })[];
    grids: Grid[];
    layouts: Layout[];
    options: QuantizedModel['options'];
  } | null;
  if (!j || !Array.isArray(j.layers)) throw new Error(`decodeQuantized: ${source}: metadata 'graph' is missing or malformed`);
  const need = (name: string): Tensor => {
    const t = tensors[name];
    if (!t) throw new Error(`decodeQuantized: ${source}: tensor '${name}' is missing`);
    return t;
  };
  const layers = j.layers.map((l, i): QLayer => {
    if (l.kind !== 'conv' && l.kind !== 'linear') return l;
    const { hasBias, ...rest } = l as QLayer & { hasBias: boolean };
    return {
      ...(rest as QConvLayer | QLinearLayer),
      weight: Int8Array.from(need(`${i}.weight`).data),
      weightScale: Float32Array.from(need(`${i}.weight_scale`).data),
      bias: hasBias ? Float32Array.from(need(`${i}.bias`).data) : null,
    };
  });
  return new QuantizedModel(layers, j.grids, j.layouts, j.options);
}

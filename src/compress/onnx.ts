/**
 * ONNX export: a trained model as an ONNX ModelProto (IR version 8, opset 17), bytes out, for ONNX
 * Runtime and every other ONNX consumer. The graph is written module by module in evaluation
 * mode (dropout is the identity, BatchNorm uses its running statistics): each supported layer has
 * a converter that emits its ONNX nodes and weights (initializers, float32, raw little-endian).
 *
 *   Sequential -> its layers in order        Linear -> Gemm (transB = 1), or MatMul + Add past rank 2
 *   Conv2d -> Conv                            BatchNorm2d -> BatchNormalization
 *   ReLU, Sigmoid, Tanh -> Relu, Sigmoid, Tanh      Dropout, Identity -> nothing
 *   MaxPool2d, AvgPool2d -> MaxPool, AveragePool    AdaptiveAvgPool2d(1) -> GlobalAveragePool
 *   Flatten -> Flatten (axis 1) or Reshape    Embedding -> Gather
 *   ResNet (src/models/resnet): stem, BasicBlock / Bottleneck / PreActBlock, shortcuts (1x1 conv,
 *     or option A's strided slice + zero channels as Slice + Pad), pooling, fc
 *   RNNLanguageModel with LSTM layers: Gather, one ONNX LSTM per layer, decoder. PyTorch stacks the
 *     gates i, f, g, o; ONNX wants i, o, f, c, so the rows are reordered; the two biases go side by
 *     side ([W_b, R_b]). The graph takes token ids [T, B] (int32) and returns logits [T * B, V]
 *     from a zero initial state.
 * A layer without a converter is refused with its name and class. Quantized (QDQ) graphs are not
 * written yet.
 */
import { Tensor } from '../tensor/tensor.js';
import { checkOptions, checkRest, describe } from '../tensor/validate.js';
import { Module } from '../nn/module.js';
import { Sequential } from '../nn/containers.js';
import { Linear } from '../nn/layers/linear.js';
import { Conv2d } from '../nn/layers/conv.js';
import { BatchNorm2d } from '../nn/layers/norm.js';
import { ReLU, Sigmoid, Tanh } from '../nn/layers/activation.js';
import { Dropout, Embedding, Flatten, Identity } from '../nn/layers/basic.js';
import { AdaptiveAvgPool2d, AvgPool2d, MaxPool2d } from '../nn/layers/pool.js';
import { LSTM } from '../nn/layers/recurrent.js';
import { ResNet } from '../models/resnet/resnet.js';
import { BasicBlock, Bottleneck, PreActBlock } from '../models/resnet/blocks.js';
import { ZeroPadShortcut } from '../models/cnn/common.js';
import { RNNLanguageModel } from '../models/rnn/lm.js';
import { onnxModelType, ONNX_DTYPE } from './onnx-schema.js';

/** The ONNX IR version and default-domain opset our files declare. */
export const ONNX_IR_VERSION = 8;
export const ONNX_OPSET = 17;

type Dim = number | string;
/** An attribute: an integer, a float ({ f }), a string, a list of integers, or floats ({ floats }). */
type Attr = number | { f: number } | string | number[] | { floats: number[] };

interface NodeJson {
  input: string[];
  output: string[];
  name: string;
  opType: string;
  attribute: Record<string, unknown>[];
}

/** Builds one graph: unique value names, initializers, nodes in topological order. */
export class OnnxGraph {
  readonly nodes: NodeJson[] = [];
  readonly initializers: Record<string, unknown>[] = [];
  private readonly used = new Set<string>();

  constructor(...extra: never[]) {
    if (extra.length > 0) throw new TypeError(`OnnxGraph: the constructor takes no arguments, got ${describe(extra[0])}`);
  }

  /** A fresh value name starting with `base`. */
  name(base: string): string {
    const clean = base.replace(/[^A-Za-z0-9_.]/g, '_') || 'v';
    let n = clean;
    for (let i = 1; this.used.has(n); i++) n = `${clean}_${i}`;
    this.used.add(n);
    return n;
  }

  /** A float32 weight (any float tensor, written as float32) or an int64 constant. */
  weight(base: string, t: Tensor | { int64: number[]; dims?: number[] }): string {
    const name = this.name(base);
    if (t instanceof Tensor) {
      const data = Float32Array.from(t.data as ArrayLike<number>);
      this.initializers.push({ name, dims: [...t.shape], dataType: ONNX_DTYPE.float32, rawData: new Uint8Array(data.buffer) });
    } else {
      const data = BigInt64Array.from(t.int64.map((v) => BigInt(v)));
      this.initializers.push({ name, dims: t.dims ?? [t.int64.length], dataType: ONNX_DTYPE.int64, rawData: new Uint8Array(data.buffer) });
    }
    return name;
  }

  /** A float32 weight from raw values and a shape. */
  floats(base: string, values: ArrayLike<number>, dims: number[]): string {
    const name = this.name(base);
    const data = Float32Array.from(values);
    this.initializers.push({ name, dims, dataType: ONNX_DTYPE.float32, rawData: new Uint8Array(data.buffer) });
    return name;
  }

  /** Appends a node; returns its outputs' names (`outputs` of them, named after the op). */
  node(opType: string, inputs: string[], attrs: Record<string, Attr> = {}, outputs = 1, base = opType): string[] {
    if (typeof opType !== 'string' || opType === '')
      throw new TypeError(`OnnxGraph.node: opType must be an ONNX operator name, got ${describe(opType)}`);
    if (!Array.isArray(inputs) || inputs.some((i) => typeof i !== 'string'))
      throw new TypeError(`OnnxGraph.node: inputs must be a list of value names, got ${describe(inputs)}`);
    const out = Array.from({ length: outputs }, (_, i) => this.name(`${base}${outputs > 1 ? `_out${i}` : ''}`));
    const attribute = Object.entries(attrs).map(([name, v]) => {
      if (typeof v === 'number') {
        if (!Number.isInteger(v)) throw new Error(`OnnxGraph.node: attribute '${name}' of ${opType} is ${v}; pass a float as { f: ${v} }`);
        return { name, type: 2, i: v };
      }
      if (typeof v === 'string') return { name, type: 3, s: new TextEncoder().encode(v) };
      if (Array.isArray(v)) return { name, type: 7, ints: v };
      if ('f' in v) return { name, type: 1, f: v.f };
      return { name, type: 6, floats: v.floats };
    });
    this.nodes.push({ input: inputs, output: out, name: this.name(`${base}_node`), opType, attribute });
    return out;
  }
}

/** Emits a module's nodes: gets the graph, the module and its input value, returns its output value. */
export type OnnxConverter<M extends Module<any, any> = Module<any, any>> = (g: OnnxGraph, m: M, x: string, path: string) => string;

const CONVERTERS: [abstract new (...a: any[]) => Module<any, any>, OnnxConverter<any>][] = [];

/** Adds the converter of a module class (later registrations win over earlier ones for subclasses). */
export function registerOnnxConverter<M extends Module<any, any>>(
  cls: abstract new (...a: any[]) => M,
  convert: OnnxConverter<M>,
  ...extra: never[]
): void {
  checkRest('registerOnnxConverter', extra, 2, 'registerOnnxConverter(ModuleClass, (graph, module, input, path) => output)');
  if (typeof cls !== 'function') throw new TypeError(`registerOnnxConverter: argument 1 must be a Module class, got ${describe(cls)}`);
  if (typeof convert !== 'function') throw new TypeError(`registerOnnxConverter: argument 2 must be a function, got ${describe(convert)}`);
  CONVERTERS.unshift([cls, convert]);
}

/** Converts one module (by the first matching class), naming it in errors by its dotted path. */
export function convertModule(g: OnnxGraph, m: Module<any, any>, x: string, path: string, ...extra: never[]): string {
  checkRest('convertModule', extra, 4, 'convertModule(graph, module, input, path)');
  if (!(g instanceof OnnxGraph)) throw new TypeError(`convertModule: argument 1 (graph) must be an OnnxGraph, got ${describe(g)}`);
  if (!(m instanceof Module)) throw new TypeError(`convertModule: argument 2 (module) must be an nn.Module, got ${describe(m)}`);
  if (typeof x !== 'string' || typeof path !== 'string')
    throw new TypeError(`convertModule: arguments 3 and 4 (input, path) must be strings, got ${describe(x)} and ${describe(path)}`);
  for (const [cls, convert] of CONVERTERS) if (m instanceof cls) return convert(g, m, x, path);
  throw new Error(`exportOnnx: no ONNX converter for ${path || 'the model'} (${m.constructor.name}); registerOnnxConverter adds one`);
}

const sub = (path: string, name: string): string => (path ? `${path}.${name}` : name);
const pair = (v: number | readonly number[] | null | undefined, d: number): [number, number] =>
  v == null ? [d, d] : typeof v === 'number' ? [v, v] : [v[0]!, v[1] ?? v[0]!];

function linear(g: OnnxGraph, m: Linear, x: string, path: string, rank = 2): string {
  if (rank === 2) {
    const inputs = [x, g.weight(sub(path, 'weight'), m.weight)];
    if (m.bias) inputs.push(g.weight(sub(path, 'bias'), m.bias));
    return g.node('Gemm', inputs, { transB: 1 }, 1, path || 'Gemm')[0]!;
  }
  // x W^T + b for any leading dims: MatMul with the transposed weight, then Add.
  const wt = g.floats(sub(path, 'weight_t'), transpose2d(m.weight), [m.inFeatures, m.outFeatures]);
  const y = g.node('MatMul', [x, wt], {}, 1, path)[0]!;
  return m.bias ? g.node('Add', [y, g.weight(sub(path, 'bias'), m.bias)], {}, 1, path)[0]! : y;
}

function transpose2d(w: Tensor): Float32Array {
  const [r, c] = w.shape as [number, number];
  const d = w.data;
  const out = new Float32Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = d[i * c + j]!;
  return out;
}

function conv(g: OnnxGraph, m: Conv2d, x: string, path: string): string {
  if (m.padding === 'same' || m.padding === 'valid') {
    if (m.padding === 'same' && m.kernelSize.some((k, i) => ((k - 1) * m.dilation[i]!) % 2 !== 0))
      throw new Error(`exportOnnx: ${path} (Conv2d) uses padding 'same' with an even window; give explicit padding`);
  }
  const [ph, pw] =
    m.padding === 'valid'
      ? [0, 0]
      : m.padding === 'same'
        ? [((m.kernelSize[0] - 1) * m.dilation[0]) / 2, ((m.kernelSize[1] - 1) * m.dilation[1]) / 2]
        : m.padding;
  const inputs = [x, g.weight(sub(path, 'weight'), m.weight)];
  if (m.bias) inputs.push(g.weight(sub(path, 'bias'), m.bias));
  return g.node(
    'Conv',
    inputs,
    { kernel_shape: [...m.kernelSize], strides: [...m.stride], pads: [ph, pw, ph, pw], dilations: [...m.dilation], group: m.groups },
    1,
    path || 'Conv',
  )[0]!;
}

function batchNorm(g: OnnxGraph, m: BatchNorm2d, x: string, path: string): string {
  if (!m.runningMean || !m.runningVar)
    throw new Error(`exportOnnx: ${path} (BatchNorm2d) tracks no running statistics, so it has no evaluation form`);
  const C = m.numFeatures;
  const scale = m.weight ? g.weight(sub(path, 'weight'), m.weight) : g.floats(sub(path, 'weight'), new Float32Array(C).fill(1), [C]);
  const bias = m.bias ? g.weight(sub(path, 'bias'), m.bias) : g.floats(sub(path, 'bias'), new Float32Array(C), [C]);
  const inputs = [x, scale, bias, g.weight(sub(path, 'running_mean'), m.runningMean), g.weight(sub(path, 'running_var'), m.runningVar)];
  return g.node('BatchNormalization', inputs, { epsilon: { f: m.eps } }, 1, path || 'BatchNormalization')[0]!;
}

function maxPool(g: OnnxGraph, m: MaxPool2d, x: string, path: string): string {
  const k = pair(m.opts.kernelSize as number | number[], 1);
  const s = pair((m.opts.stride ?? m.opts.kernelSize) as number | number[], 1);
  const p = pair(m.opts.padding as number | number[] | undefined, 0);
  const d = pair(m.opts.dilation as number | number[] | undefined, 1);
  return g.node(
    'MaxPool',
    [x],
    { kernel_shape: k, strides: s, pads: [p[0], p[1], p[0], p[1]], dilations: d, ceil_mode: m.opts.ceilMode ? 1 : 0 },
    1,
    path || 'MaxPool',
  )[0]!;
}

function avgPool(g: OnnxGraph, m: AvgPool2d, x: string, path: string): string {
  if (m.opts.divisorOverride !== undefined)
    throw new Error(`exportOnnx: ${path} (AvgPool2d) uses divisorOverride, which ONNX's AveragePool lacks`);
  const k = pair(m.opts.kernelSize as number | number[], 1);
  const s = pair((m.opts.stride ?? m.opts.kernelSize) as number | number[], 1);
  const p = pair(m.opts.padding as number | number[] | undefined, 0);
  return g.node(
    'AveragePool',
    [x],
    {
      kernel_shape: k,
      strides: s,
      pads: [p[0], p[1], p[0], p[1]],
      ceil_mode: m.opts.ceilMode ? 1 : 0,
      count_include_pad: m.opts.countIncludePad === false ? 0 : 1,
    },
    1,
    path || 'AveragePool',
  )[0]!;
}

/** Option A's shortcut: y = x[:, :, ::s, ::s] with (out - in) zero channels appended. */
function zeroPadShortcut(g: OnnxGraph, m: ZeroPadShortcut, x: string, path: string): string {
  let y = x;
  if (m.stride !== 1) {
    if (m.pool === 'avg') {
      y = g.node(
        'AveragePool',
        [x],
        { kernel_shape: [m.stride, m.stride], strides: [m.stride, m.stride], ceil_mode: 1, count_include_pad: 1 },
        1,
        path,
      )[0]!;
    } else {
      const big = 2 ** 62;
      y = g.node(
        'Slice',
        [
          x,
          g.weight(sub(path, 'starts'), { int64: [0, 0] }),
          g.weight(sub(path, 'ends'), { int64: [big, big] }),
          g.weight(sub(path, 'axes'), { int64: [2, 3] }),
          g.weight(sub(path, 'steps'), { int64: [m.stride, m.stride] }),
        ],
        {},
        1,
        path,
      )[0]!;
    }
  }
  const extra = m.outChannels - m.inChannels;
  if (extra === 0) return y;
  // Pad's pads list every axis's start, then every axis's end: channels get `extra` at the end.
  return g.node('Pad', [y, g.weight(sub(path, 'pads'), { int64: [0, 0, 0, 0, 0, extra, 0, 0] })], {}, 1, path)[0]!;
}

function basicBlock(g: OnnxGraph, m: BasicBlock, x: string, path: string): string {
  const identity = m.downsample ? convertModule(g, m.downsample, x, sub(path, 'downsample')) : x;
  let f = convertModule(g, m.conv1, x, sub(path, 'conv1'));
  f = g.node('Relu', [convertModule(g, m.bn1, f, sub(path, 'bn1'))])[0]!;
  f = convertModule(g, m.bn2, convertModule(g, m.conv2, f, sub(path, 'conv2')), sub(path, 'bn2'));
  return g.node('Relu', [g.node('Add', [f, identity], {}, 1, path)[0]!])[0]!;
}

function bottleneck(g: OnnxGraph, m: Bottleneck, x: string, path: string): string {
  const identity = m.downsample ? convertModule(g, m.downsample, x, sub(path, 'downsample')) : x;
  let f = g.node('Relu', [convertModule(g, m.bn1, convertModule(g, m.conv1, x, sub(path, 'conv1')), sub(path, 'bn1'))])[0]!;
  f = g.node('Relu', [convertModule(g, m.bn2, convertModule(g, m.conv2, f, sub(path, 'conv2')), sub(path, 'bn2'))])[0]!;
  f = convertModule(g, m.bn3, convertModule(g, m.conv3, f, sub(path, 'conv3')), sub(path, 'bn3'));
  return g.node('Relu', [g.node('Add', [f, identity], {}, 1, path)[0]!])[0]!;
}

function preActBlock(g: OnnxGraph, m: PreActBlock, x: string, path: string): string {
  const pre = g.node('Relu', [convertModule(g, m.bn1, x, sub(path, 'bn1'))])[0]!;
  // As PreActBlock.forward: a shortcut with weights sees the pre-activation, option A sees x.
  const ds = m.downsample;
  const identity = ds ? convertModule(g, ds, ds.parameters().length > 0 ? pre : x, sub(path, 'downsample')) : x;
  let f = g.node('Relu', [convertModule(g, m.bn2, convertModule(g, m.conv1, pre, sub(path, 'conv1')), sub(path, 'bn2'))])[0]!;
  f = convertModule(g, m.conv2, f, sub(path, 'conv2'));
  return g.node('Add', [f, identity], {}, 1, path)[0]!;
}

function resnet(g: OnnxGraph, m: ResNet, x: string, path: string): string {
  let h = convertModule(g, m.conv1, x, sub(path, 'conv1'));
  if (m.bn1) h = g.node('Relu', [convertModule(g, m.bn1, h, sub(path, 'bn1'))])[0]!;
  if (m.maxpool) h = convertModule(g, m.maxpool, h, sub(path, 'maxpool'));
  m.stages.forEach((s, i) => (h = convertModule(g, s, h, sub(path, `layer${i + 1}`))));
  if (m.bnFinal) h = g.node('Relu', [convertModule(g, m.bnFinal, h, sub(path, 'bn_final'))])[0]!;
  h = convertModule(g, m.avgpool, h, sub(path, 'avgpool'));
  h = g.node('Flatten', [h], { axis: 1 })[0]!;
  return linear(g, m.fc, h, sub(path, 'fc'));
}

/** Rows of a PyTorch LSTM weight [4H, n] (gates i, f, g, o) in ONNX's order i, o, f, c. */
function onnxGateOrder(w: Tensor, H: number): Float32Array {
  const per = w.numel() / (4 * H);
  const d = w.data;
  const out = new Float32Array(w.numel());
  // ONNX block b takes PyTorch block ORDER[b]: i <- i, o <- o, f <- f, c <- g.
  const ORDER = [0, 3, 1, 2];
  ORDER.forEach((src, b) =>
    out.set(
      Float32Array.from(
        (d as ArrayLike<number> & { subarray(a: number, b: number): ArrayLike<number> }).subarray(src * H * per, (src + 1) * H * per),
      ),
      b * H * per,
    ),
  );
  return out;
}

function lstmLayers(g: OnnxGraph, m: LSTM, x: string, path: string): string {
  if (m.bidirectional || m.batchFirst || m.peephole)
    throw new Error(`exportOnnx: ${path} (LSTM): bidirectional, batchFirst and peephole LSTMs are not exported`);
  const H = m.hiddenSize;
  let h = x;
  for (let k = 0; k < m.numLayers; k++) {
    const get = (n: string): Tensor => m.get(`${n}_l${k}`) as Tensor;
    const wIh = get('weight_ih');
    const wHh = get('weight_hh');
    const inSize = wIh.shape[1]!;
    const W = g.floats(sub(path, `W_l${k}`), onnxGateOrder(wIh, H), [1, 4 * H, inSize]);
    const R = g.floats(sub(path, `R_l${k}`), onnxGateOrder(wHh, H), [1, 4 * H, H]);
    const inputs = [h, W, R];
    if (m.bias) {
      const b = new Float32Array(8 * H);
      b.set(onnxGateOrder(get('bias_ih'), H), 0);
      b.set(onnxGateOrder(get('bias_hh'), H), 4 * H);
      inputs.push(g.floats(sub(path, `B_l${k}`), b, [1, 8 * H]));
    }
    // Y: [T, num_directions = 1, B, H] -> [T, B, H] for the next layer.
    const y = g.node('LSTM', inputs, { hidden_size: H }, 1, sub(path, `l${k}`))[0]!;
    h = g.node('Squeeze', [y, g.weight(sub(path, `squeeze_l${k}`), { int64: [1] })], {}, 1, sub(path, `l${k}`))[0]!;
  }
  return h;
}

function languageModel(g: OnnxGraph, m: RNNLanguageModel, x: string, path: string): string {
  if (!(m.rnn instanceof LSTM))
    throw new Error(`exportOnnx: ${path || 'the model'} (RNNLanguageModel): only the LSTM cell is exported, this one is '${m.cell}'`);
  const emb = g.node('Gather', [g.weight(sub(path, 'encoder.weight'), m.encoder.weight), x], { axis: 0 }, 1, sub(path, 'encoder'))[0]!;
  const out = lstmLayers(g, m.rnn, emb, sub(path, 'rnn'));
  const flat = g.node('Reshape', [out, g.weight(sub(path, 'shape'), { int64: [-1, m.opts.hiddenSize] })], {}, 1, path || 'Reshape')[0]!;
  return linear(g, m.decoder, flat, sub(path, 'decoder'));
}

registerOnnxConverter(Sequential, (g, m, x, path) => {
  let h = x;
  [...m].forEach((layer, i) => (h = convertModule(g, layer, h, sub(path, String(i)))));
  return h;
});
registerOnnxConverter(Linear, (g, m, x, path) => linear(g, m, x, path));
registerOnnxConverter(Conv2d, conv);
registerOnnxConverter(BatchNorm2d, batchNorm);
registerOnnxConverter(ReLU, (g, _m, x, path) => g.node('Relu', [x], {}, 1, path || 'Relu')[0]!);
registerOnnxConverter(Sigmoid, (g, _m, x, path) => g.node('Sigmoid', [x], {}, 1, path || 'Sigmoid')[0]!);
registerOnnxConverter(Tanh, (g, _m, x, path) => g.node('Tanh', [x], {}, 1, path || 'Tanh')[0]!);
registerOnnxConverter(Dropout, (_g, _m, x) => x);
registerOnnxConverter(Identity, (_g, _m, x) => x);
registerOnnxConverter(MaxPool2d, maxPool);
registerOnnxConverter(AvgPool2d, avgPool);
registerOnnxConverter(AdaptiveAvgPool2d, (g, m, x, path) => {
  const o = m.outputSize;
  if (!(o === 1 || (Array.isArray(o) && o.length === 2 && o[0] === 1 && o[1] === 1)))
    throw new Error(`exportOnnx: ${path} (AdaptiveAvgPool2d): only output size 1 (GlobalAveragePool) is exported, got ${describe(o)}`);
  return g.node('GlobalAveragePool', [x], {}, 1, path || 'GlobalAveragePool')[0]!;
});
registerOnnxConverter(Flatten, (g, m, x, path) => {
  if (m.startDim !== 1 || m.endDim !== -1) throw new Error(`exportOnnx: ${path} (Flatten): only startDim 1, endDim -1 is exported`);
  return g.node('Flatten', [x], { axis: 1 }, 1, path || 'Flatten')[0]!;
});
registerOnnxConverter(
  Embedding,
  (g, m, x, path) => g.node('Gather', [g.weight(sub(path, 'weight'), m.weight), x], { axis: 0 }, 1, path)[0]!,
);
registerOnnxConverter(ZeroPadShortcut, zeroPadShortcut);
registerOnnxConverter(BasicBlock, basicBlock);
registerOnnxConverter(Bottleneck, bottleneck);
registerOnnxConverter(PreActBlock, preActBlock);
registerOnnxConverter(ResNet, resnet);
registerOnnxConverter(LSTM, lstmLayers);
registerOnnxConverter(RNNLanguageModel, languageModel);

export interface OnnxExportOptions {
  /** The input's shape; a string names a dynamic dimension (default for images: ['batch', ...]). */
  inputShape: Dim[];
  /** The input's element type: 'float32' (default) or 'int32' (token ids). */
  inputType?: 'float32' | 'int32';
  /** Names of the graph's input and output (default 'input' and 'output'). */
  inputName?: string;
  outputName?: string;
  /** Free text stored in the model (doc_string). */
  docString?: string;
  /** Extra metadata_props (e.g. the recipe and its options). */
  metadata?: Record<string, string>;
}

function valueInfo(name: string, type: number, shape: Dim[]): Record<string, unknown> {
  const dim = shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType: type, shape: { dim } } } };
}

/**
 * The model as ONNX bytes (a serialized ModelProto), written in evaluation mode; the model's mode
 * is left as it was.
 * @example writeFileSync('cnn.onnx', exportOnnx(model, { inputShape: ['batch', 1, 28, 28] }));
 */
export function exportOnnx(model: Module<any, any>, opts: OnnxExportOptions, ...extra: never[]): Uint8Array {
  const fn = 'exportOnnx';
  checkRest(fn, extra, 2, 'exportOnnx(model, { inputShape, inputType?, inputName?, outputName?, docString?, metadata? })');
  if (!(model instanceof Module)) throw new TypeError(`${fn}: argument 1 (model) must be an nn.Module, got ${describe(model)}`);
  const o = checkOptions(fn, 2, opts, {
    inputShape: 'any',
    inputType: ['float32', 'int32'],
    inputName: 'string',
    outputName: 'string',
    docString: 'string',
    metadata: 'any',
  });
  if (
    !Array.isArray(o.inputShape) ||
    o.inputShape.length === 0 ||
    !o.inputShape.every((d) => (typeof d === 'number' && Number.isInteger(d) && d > 0) || (typeof d === 'string' && d !== ''))
  )
    throw new Error(`${fn}: inputShape must be a non-empty list of positive integers and dimension names, got ${describe(o.inputShape)}`);
  const g = new OnnxGraph();
  const input = g.name(o.inputName ?? 'input');
  const out = convertModule(g, model, input, '');
  const outputName = o.outputName ?? 'output';
  // The last value gets the output's name through an Identity (the converter named it after its layer).
  g.node('Identity', [out], {}, 1, 'output_identity');
  g.nodes[g.nodes.length - 1]!.output = [outputName];
  const type = o.inputType === 'int32' ? ONNX_DTYPE.int32 : ONNX_DTYPE.float32;
  const graph = {
    name: model.constructor.name,
    node: g.nodes,
    initializer: g.initializers,
    input: [valueInfo(input, type, o.inputShape)],
    output: [{ name: outputName, type: { tensorType: { elemType: ONNX_DTYPE.float32 } } }],
  };
  const metadata = o.metadata ?? {};
  const ModelProto = onnxModelType();
  const message = ModelProto.fromObject({
    irVersion: ONNX_IR_VERSION,
    producerName: 'shinsou',
    producerVersion: '0.1.0',
    ...(o.docString ? { docString: o.docString } : {}),
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    graph,
    metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value: String(value) })),
  });
  return ModelProto.encode(message).finish();
}

/**
 * The inference graph that quantization works on: a trained model flattened into a list of nodes
 * (convolution, linear, max pooling, flatten, residual addition, global average pooling, the
 * zero-padded shortcut), with every evaluation-mode BatchNorm folded into the convolution before
 * it and every ReLU fused into the node it follows:
 *
 *   W'_o = gamma_o W_o / sqrt(var_o + eps),   b'_o = gamma_o (b_o - mu_o) / sqrt(var_o + eps) + beta_o    (nn.fuseConvBn)
 *
 * Folding first means the weights that get quantized are the ones inference multiplies by, and a
 * ReLU becomes the lower clamp of the requantization. The graph runs in float32 (`runGraph`, for
 * calibration and for quantization-aware training through hooks) and in int8 (qmodel.ts).
 *
 * Supported: nn.Sequential chains of Conv2d (groups 1) [+ BatchNorm2d] [+ ReLU], Linear [+ ReLU],
 * MaxPool2d (no padding), Flatten, AdaptiveAvgPool2d(1), Dropout and Identity (dropped); and the
 * v1 ResNet family of src/models/resnet (BasicBlock, option A or B shortcuts, CIFAR or ImageNet stem).
 */
import type { Tensor } from '../tensor/tensor.js';
/* eslint-disable prefer-rest-params -- runGraph hands its `arguments` to checkCtor, which also rejects arguments past the declared ones */
import { checkCtor, describe } from '../tensor/validate.js';
import type { Module } from '../nn/module.js';
import { Sequential } from '../nn/containers.js';
import { Conv2d } from '../nn/layers/conv.js';
import { Linear } from '../nn/layers/linear.js';
import { BatchNorm2d } from '../nn/layers/norm.js';
import { ReLU } from '../nn/layers/activation.js';
import { MaxPool2d, AdaptiveAvgPool2d } from '../nn/layers/pool.js';
import { Dropout, Flatten, Identity } from '../nn/layers/basic.js';
import { fuseConvBn } from '../nn/fuse.js';
import { noGrad } from '../autograd/grad-mode.js';
import { add, adaptiveAvgPool2d, cat, conv2d, flatten, matmul, maxPool2d, relu, slice, transpose } from '../ops/index.js';
import { zeros } from '../tensor/creation.js';
import { BasicBlock } from '../models/resnet/blocks.js';
import { ResNet } from '../models/resnet/resnet.js';
import { ZeroPadShortcut } from '../models/cnn/common.js';

export interface ConvNode {
  kind: 'conv';
  input: number;
  /** [O, C, KH, KW], BatchNorm folded in. */
  weight: Tensor;
  bias: Tensor | null;
  stride: [number, number];
  padding: [number, number];
  dilation: [number, number];
  relu: boolean;
}
export interface LinearNode {
  kind: 'linear';
  input: number;
  /** [out, in] */
  weight: Tensor;
  bias: Tensor | null;
  relu: boolean;
}
export type GraphNode =
  | { kind: 'input' }
  | ConvNode
  | LinearNode
  | { kind: 'maxpool'; input: number; kernel: [number, number]; stride: [number, number] }
  | { kind: 'flatten'; input: number }
  | { kind: 'add'; a: number; b: number; relu: boolean }
  | { kind: 'gap'; input: number }
  | { kind: 'relu'; input: number }
  | { kind: 'padShortcut'; input: number; stride: number; outChannels: number };

export type GraphNodeKind = GraphNode['kind'];

/** Nodes in execution order; node 0 is the input, the last node is the output. */
export interface InferenceGraph {
  nodes: GraphNode[];
}

const pair = (v: number | readonly number[]): [number, number] => (typeof v === 'number' ? [v, v] : [v[0]!, v[1]!]);

class Builder {
  nodes: GraphNode[] = [{ kind: 'input' }];
  constructor(readonly fn: string) {}
  push(n: GraphNode): number {
    this.nodes.push(n);
    return this.nodes.length - 1;
  }
  /** Fuses a ReLU into node `at` when it is the newest node and can take one; else adds a ReLU node. */
  relu(at: number): number {
    const n = this.nodes[at]!;
    if (at === this.nodes.length - 1 && (n.kind === 'conv' || n.kind === 'linear' || n.kind === 'add') && !n.relu) {
      n.relu = true;
      return at;
    }
    return this.push({ kind: 'relu', input: at });
  }
  conv(c: Conv2d, bn: BatchNorm2d | null, input: number): number {
    if (c.groups !== 1) throw new Error(`${this.fn}: grouped convolutions (groups ${c.groups}) are not supported by the int8 graph`);
    const f = bn ? fuseConvBn(c, bn) : c;
    let padding: [number, number];
    if (c.padding === 'valid') padding = [0, 0];
    else if (c.padding === 'same') {
      if (c.stride[0] !== 1 || c.stride[1] !== 1) throw new Error(`${this.fn}: padding 'same' with stride > 1 is not supported`);
      padding = [((c.kernelSize[0] - 1) * c.dilation[0]) / 2, ((c.kernelSize[1] - 1) * c.dilation[1]) / 2];
      if (!Number.isInteger(padding[0]) || !Number.isInteger(padding[1])) throw new Error(`${this.fn}: padding 'same' needs odd kernels`);
    } else padding = [c.padding[0], c.padding[1]];
    return this.push({
      kind: 'conv',
      input,
      weight: f.weight.detach(),
      bias: f.bias ? f.bias.detach() : null,
      stride: [c.stride[0], c.stride[1]],
      padding,
      dilation: [c.dilation[0], c.dilation[1]],
      relu: false,
    });
  }
}

function unsupported(fn: string, m: unknown): never {
  throw new Error(
    `${fn}: cannot quantize ${describe(m)} (supported: Sequential, Conv2d [+ BatchNorm2d], Linear, ReLU, MaxPool2d without padding, Flatten, ` +
      'AdaptiveAvgPool2d(1), Dropout, Identity, and v1 ResNets of BasicBlocks)',
  );
}

function traceLayers(b: Builder, layers: readonly Module[], input: number): number {
  let h = input;
  for (let i = 0; i < layers.length; i++) {
    const m = layers[i]!;
    if (m instanceof Conv2d) {
      const next = layers[i + 1];
      const bn = next instanceof BatchNorm2d ? next : null;
      if (bn) i++;
      h = b.conv(m, bn, h);
    } else h = trace(b, m, h);
  }
  return h;
}

function trace(b: Builder, m: Module, input: number): number {
  if (m instanceof Sequential) return traceLayers(b, [...m] as Module[], input);
  if (m instanceof Conv2d) return b.conv(m, null, input);
  if (m instanceof Linear)
    return b.push({ kind: 'linear', input, weight: m.weight.detach(), bias: m.bias ? m.bias.detach() : null, relu: false });
  if (m instanceof ReLU) return b.relu(input);
  if (m instanceof Dropout || m instanceof Identity) return input;
  if (m instanceof Flatten) return b.push({ kind: 'flatten', input });
  if (m instanceof MaxPool2d) {
    const o = m.opts;
    const pad = pair(o.padding ?? 0);
    const dil = pair(o.dilation ?? 1);
    if (pad[0] !== 0 || pad[1] !== 0 || dil[0] !== 1 || dil[1] !== 1 || o.ceilMode) unsupported(b.fn, m);
    const kernel = pair(o.kernelSize as number | number[]);
    return b.push({ kind: 'maxpool', input, kernel, stride: pair((o.stride ?? o.kernelSize) as number | number[]) });
  }
  if (m instanceof AdaptiveAvgPool2d) {
    const s = m.outputSize;
    if (s === 1 || (Array.isArray(s) && s[0] === 1 && s[1] === 1)) return b.push({ kind: 'gap', input });
    unsupported(b.fn, m);
  }
  if (m instanceof ZeroPadShortcut) {
    if (m.pool !== 'subsample') unsupported(b.fn, m);
    return b.push({ kind: 'padShortcut', input, stride: m.stride, outChannels: m.outChannels });
  }
  if (m instanceof BasicBlock) {
    const identity = m.downsample ? trace(b, m.downsample, input) : input;
    let h = b.conv(m.conv1, m.bn1, input);
    h = b.relu(h);
    h = b.conv(m.conv2, m.bn2, h);
    // H(x) = F(x) + x, then the ReLU after the addition.
    const s = b.push({ kind: 'add', a: h, b: identity, relu: false });
    return b.relu(s);
  }
  if (m instanceof ResNet) {
    if (m.bnFinal || m.options.preActivation) unsupported(b.fn, m);
    let h = b.conv(m.conv1, m.bn1, input);
    if (m.bn1) h = b.relu(h);
    if (m.maxpool) h = trace(b, m.maxpool, h);
    for (const s of m.stages) h = trace(b, s, h);
    h = trace(b, m.avgpool, h);
    h = b.push({ kind: 'flatten', input: h });
    return trace(b, m.fc, h);
  }
  return unsupported(b.fn, m);
}

/**
 * The model as an inference graph (BatchNorm folded with its running statistics, ReLUs fused).
 * The model's own tensors are not changed; folded weights are new tensors.
 * @example const g = inferenceGraph(classifier.cnn()); g.nodes.map((n) => n.kind) // input, conv, maxpool, conv, maxpool, flatten, linear, linear
 */
export function inferenceGraph(model: Module, ...extra: never[]): InferenceGraph {
  if (extra.length > 0) throw new TypeError(`inferenceGraph: unexpected argument 2 (${describe(extra[0])}); call inferenceGraph(model)`);
  if (model === null || typeof model !== 'object' || typeof (model as { forward?: unknown }).forward !== 'function') {
    throw new TypeError(`inferenceGraph: argument 1 (model) must be an nn.Module, got ${describe(model)}`);
  }
  const b = new Builder('inferenceGraph');
  noGrad(() => trace(b, model, 0));
  return { nodes: b.nodes };
}

/** Hooks for runGraph: a weight transform (fake quantization of weights) and an output transform per node. */
export interface GraphHooks {
  weight?(node: number, w: Tensor): Tensor;
  output?(node: number, y: Tensor): Tensor;
}

/** Zero-padded identity shortcut (option A) on NCHW floats. */
function padShortcut(x: Tensor, stride: number, outChannels: number): Tensor {
  let y = x;
  if (stride !== 1) y = slice(slice(x, 2, null, null, stride), 3, null, null, stride);
  const [n, c, h, w] = y.shape as [number, number, number, number];
  if (outChannels === c) return y;
  return cat([y, zeros([n, outChannels - c, h, w], { dtype: y.dtype })], 1);
}

/** Evaluates the graph in floating point on NCHW input; `hooks` see every weight and node output. */
export function runGraph(g: InferenceGraph, x: Tensor, hooks: GraphHooks = {}): Tensor {
  checkCtor(
    'runGraph',
    [
      ['g', 'any'],
      ['x', 'tensor'],
    ],
    arguments,
    { weight: 'function', output: 'function' },
  );
  if (g === null || typeof g !== 'object' || !Array.isArray(g.nodes) || g.nodes[0]?.kind !== 'input') {
    throw new TypeError(`runGraph: g must be an inference graph from inferenceGraph(model), got ${describe(g)}`);
  }
  const vals: Tensor[] = [];
  g.nodes.forEach((n, i) => {
    let y: Tensor;
    switch (n.kind) {
      case 'input':
        y = x;
        break;
      case 'conv': {
        const w = hooks.weight ? hooks.weight(i, n.weight) : n.weight;
        y = conv2d(vals[n.input]!, w, n.bias, { stride: n.stride, padding: n.padding, dilation: n.dilation });
        if (n.relu) y = relu(y);
        break;
      }
      case 'linear': {
        const w = hooks.weight ? hooks.weight(i, n.weight) : n.weight;
        y = matmul(vals[n.input]!, transpose(w));
        if (n.bias) y = add(y, n.bias);
        if (n.relu) y = relu(y);
        break;
      }
      case 'maxpool':
        y = maxPool2d(vals[n.input]!, { kernelSize: n.kernel, stride: n.stride });
        break;
      case 'flatten':
        y = flatten(vals[n.input]!, 1);
        break;
      case 'add':
        y = add(vals[n.a]!, vals[n.b]!);
        if (n.relu) y = relu(y);
        break;
      case 'gap':
        y = adaptiveAvgPool2d(vals[n.input]!, [1, 1]);
        break;
      case 'relu':
        y = relu(vals[n.input]!);
        break;
      case 'padShortcut':
        y = padShortcut(vals[n.input]!, n.stride, n.outChannels);
        break;
    }
    vals.push(hooks.output ? hooks.output(i, y) : y);
  });
  return vals[vals.length - 1]!;
}

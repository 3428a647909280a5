/**
 * A model summary (torchinfo / Keras `summary` in spirit): one traced forward pass on an input of
 * a given shape records, for every leaf module call in order, its output shape, its parameters and
 * its multiply-accumulates. MACs count the layers whose cost is a sum of products, the convention of
 * the papers' "mult-adds" (Howard et al. 2017): a convolution costs
 *
 *   MACs = N * C_out * H_out * W_out * (C_in / groups) * K_h * K_w
 *
 * (a depthwise conv is groups = C_in: D_K * D_K * M * D_F * D_F; a 1x1 pointwise: M * N * D_F * D_F),
 * a transposed convolution N * C_in * H_in * W_in * (C_out / groups) * K_h * K_w, a linear layer
 * (batch elements) * in * out. Biases, batch norm, activations and pooling are not counted.
 * The trace wraps each leaf module's `forward` for one call under noGrad in eval mode and restores
 * everything (forward methods and train/eval modes) afterwards, even when the forward throws.
 */
import type { Tensor } from '../tensor/tensor.js';
import { zeros } from '../tensor/creation.js';
import { noGrad } from '../autograd/grad-mode.js';
import { checkArg, checkOptions, checkRest, describe } from '../tensor/validate.js';
import { Module } from './module.js';
import { Conv1d, Conv2d, ConvTranspose2d } from './layers/conv.js';
import { Linear } from './layers/linear.js';

export interface LayerSummary {
  /** Dotted module name ('layer1.0.conv1'). */
  name: string;
  /** Class name ('Conv2d'). */
  type: string;
  outputShape: number[];
  /** Parameters of this module (0 when it was already counted at an earlier call). */
  params: number;
  macs: number;
}

export interface ModelSummary {
  inputShape: number[];
  outputShape: number[];
  layers: LayerSummary[];
  /** Every parameter element of the model (torch: sum(p.numel() for p in model.parameters())). */
  totalParams: number;
  trainableParams: number;
  totalMacs: number;
}

export interface SummaryOptions {
  /** dtype of the zero input. Default 'float32'. */
  dtype?: 'float32' | 'float64';
}

function macsOf(m: Module, input: unknown, out: Tensor): number {
  const numel = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);
  if (m instanceof Conv2d) return numel(out.shape) * (m.inChannels / m.groups) * m.kernelSize[0] * m.kernelSize[1];
  if (m instanceof Conv1d) return numel(out.shape) * (m.inChannels / m.groups) * m.kernelSize;
  if (m instanceof ConvTranspose2d) {
    const x = input as Tensor;
    return numel(x.shape) * (m.outChannels / m.groups) * m.kernelSize[0] * m.kernelSize[1];
  }
  if (m instanceof Linear) return numel(out.shape) * m.inFeatures;
  return 0;
}

function ownParams(m: Module): number {
  let n = 0;
  for (const [name, p] of m.namedParameters()) if (!name.includes('.')) n += p.numel();
  return n;
}

/**
 * Traces `model` on a zero input of `inputShape` and returns its layers, parameter count and MACs.
 * @example summary(resnet18(), [1, 3, 224, 224]).totalMacs // 1,814,073,344 (1.8 GMACs)
 */
export function summary(model: Module, inputShape: readonly number[], opts: SummaryOptions = {}, ...extra: never[]): ModelSummary {
  if (!(model instanceof Module)) throw new TypeError(`summary: argument 1 (model) must be a Module, got ${describe(model)}`);
  checkArg('summary', 'argument 2 (inputShape)', inputShape, 'positiveInts');
  if (!Array.isArray(inputShape))
    throw new TypeError(`summary: argument 2 (inputShape) must be a list of sizes, got ${describe(inputShape)}`);
  checkOptions('summary', 3, opts, { dtype: ['float32', 'float64'] });
  checkRest('summary', extra, 3, 'summary(model, inputShape, {dtype})');
  const layers: LayerSummary[] = [];
  const counted = new Set<Module>();
  const modes = new Map<Module, boolean>();
  const wrapped: { m: Module; own: PropertyDescriptor | undefined }[] = [];
  for (const m of model.modules()) modes.set(m, m.training);
  for (const [name, m] of model.namedModules()) {
    if (m.children().next().done !== true) continue;
    const own = Object.getOwnPropertyDescriptor(m, 'forward');
    const original = m.forward;
    wrapped.push({ m, own });
    Object.defineProperty(m, 'forward', {
      configurable: true,
      writable: true,
      value: (...args: unknown[]): unknown => {
        const out = (original as (...a: unknown[]) => unknown).apply(m, args);
        const t = out as Tensor;
        const first = !counted.has(m);
        counted.add(m);
        layers.push({
          name,
          type: m.constructor.name,
          outputShape: Array.isArray(t?.shape) ? [...t.shape] : [],
          params: first ? ownParams(m) : 0,
          macs: t && Array.isArray(t.shape) ? macsOf(m, args[0], t) : 0,
        });
        return out;
      },
    });
  }
  let out: Tensor;
  try {
    model.eval();
    out = noGrad(() => model.forward(zeros(inputShape, { dtype: opts.dtype ?? 'float32' })));
  } finally {
    for (const { m, own } of wrapped) {
      if (own) Object.defineProperty(m, 'forward', own);
      else delete (m as { forward?: unknown }).forward;
    }
    for (const [m, t] of modes) m.training = t;
  }
  return {
    inputShape: [...inputShape],
    outputShape: [...out.shape],
    layers,
    totalParams: model.numParameters(false),
    trainableParams: model.numParameters(true),
    totalMacs: layers.reduce((s, l) => s + l.macs, 0),
  };
}

const group = (n: number): string => n.toLocaleString('en-US');

/**
 * The summary as a text table: one row per layer call (name, type, output shape, parameters,
 * MACs), then the totals. `maxRows` keeps the first rows only (0: all).
 */
export function formatSummary(s: ModelSummary, opts: { maxRows?: number } = {}, ...extra: never[]): string {
  if (s === null || typeof s !== 'object' || !Array.isArray(s.layers)) {
    throw new TypeError(`formatSummary: argument 1 must be what summary() returns, got ${describe(s)}`);
  }
  checkOptions('formatSummary', 2, opts, { maxRows: 'nonNegativeInt' });
  checkRest('formatSummary', extra, 2, 'formatSummary(summary, {maxRows})');
  const rows = opts.maxRows ? s.layers.slice(0, opts.maxRows) : s.layers;
  const table = [
    ['layer', 'type', 'output shape', 'params', 'MACs'],
    ...rows.map((l) => [l.name, l.type, `[${l.outputShape.join(', ')}]`, group(l.params), group(l.macs)]),
  ];
  const widths = table[0]!.map((_, c) => Math.max(...table.map((r) => r[c]!.length)));
  const line = (r: string[]): string => r.map((v, c) => (c >= 3 ? v.padStart(widths[c]!) : v.padEnd(widths[c]!))).join('  ');
  const out = [line(table[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...table.slice(1).map(line)];
  if (rows.length < s.layers.length) out.push(`... ${s.layers.length - rows.length} more layers`);
  out.push(
    '',
    `input [${s.inputShape.join(', ')}] -> output [${s.outputShape.join(', ')}]`,
    `parameters: ${group(s.totalParams)} (trainable ${group(s.trainableParams)})`,
    `MACs: ${group(s.totalMacs)} (${(s.totalMacs / 1e9).toFixed(3)} G)`,
  );
  return out.join('\n');
}

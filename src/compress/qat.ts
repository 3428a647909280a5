/**
 * Quantization-aware training: the float network trained with the int8 rounding in its forward
 * pass, so the weights learn to sit well on the grid. Each weight and each activation goes through
 * a fake quantizer, quantize then dequantize in float:
 *
 *   x^ = s (clamp(round(x / s) + z, q_min, q_max) - z)
 *
 * whose true derivative is 0 almost everywhere. The straight-through estimator (Bengio et al. 2013;
 * as in Jacob et al. 2018) passes the gradient through the rounding and stops it where the clamp
 * saturates:
 *
 *   dL/dx = dL/dx^ * 1[s (q_min - z) <= x <= s (q_max - z)]
 *
 * Written with public ops as x^ = Q + (c - detach(c)), c = clamp(x, lo, hi): the value is exactly Q
 * (the second term is 0) and the gradient is clamp's, 1 inside the range and 0 outside.
 *
 * BatchNorm is folded into the convolutions before training (graph.ts, with the running
 * statistics, which then stay frozen), so the weights fake-quantized here are the ones the int8
 * model multiplies by. Activation ranges follow an exponential moving average of each batch's
 * minimum and maximum while training (averaging constant 0.01, as PyTorch's
 * MovingAverageMinMaxObserver) and are frozen in eval mode; toQuantized() converts with them.
 */
/* eslint-disable prefer-rest-params -- public functions hand their `arguments` to checkCtor, which also rejects arguments past the declared ones */
import { Tensor } from '../tensor/tensor.js';
import { checkCtor, describe } from '../tensor/validate.js';
import { Module } from '../nn/module.js';
import type { Parameter } from '../nn/parameter.js';
import { noGrad } from '../autograd/grad-mode.js';
import { add, clamp, sub } from '../ops/index.js';
import { nearestEven } from '../backend/quant.js';
import { inferenceGraph, runGraph, type InferenceGraph } from './graph.js';
import { activationGrid, affineParams, type ActivationRange, type AffineParams } from './quantize.js';
import { fromGraph, type QuantizedModel } from './qmodel.js';

/**
 * Fake quantization of a tensor on one affine grid, with the straight-through gradient (see the
 * file header).
 * @example fakeQuantize(x, { scale: 0.1, zeroPoint: 0, qmin: 0, qmax: 127 }) // values on the grid 0, 0.1, ..., 12.7
 */
export function fakeQuantize(x: Tensor, p: AffineParams, ...extra: never[]): Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`fakeQuantize: argument 1 (x) must be a tensor, got ${describe(x)}`);
  if (p === null || typeof p !== 'object' || !(p.scale > 0) || !Number.isInteger(p.zeroPoint) || !(p.qmin < p.qmax)) {
    throw new TypeError(`fakeQuantize: argument 2 must be affine parameters {scale > 0, zeroPoint, qmin < qmax}, got ${describe(p)}`);
  }
  if (extra.length > 0) throw new TypeError(`fakeQuantize: unexpected argument 3 (${describe(extra[0])}); call fakeQuantize(x, params)`);
  const { scale, zeroPoint, qmin, qmax } = p;
  const q = noGrad(() => {
    const src = x.contiguous().data;
    const out = new Float32Array(src.length);
    for (let i = 0; i < src.length; i++) {
      const v = nearestEven(Math.fround(src[i]! / scale)) + zeroPoint;
      out[i] = scale * ((v < qmin ? qmin : v > qmax ? qmax : v) - zeroPoint);
    }
    return new Tensor(out, x.shape);
  });
  const c = clamp(x, scale * (qmin - zeroPoint), scale * (qmax - zeroPoint));
  return add(q, sub(c, c.detach()));
}

/**
 * Fake quantization of a weight [O, ...] on symmetric per-channel (or per-tensor) int8 grids,
 * s_o = max |w_o| / 127: nothing saturates, so the straight-through gradient is the identity.
 */
export function fakeQuantizeWeight(w: Tensor, opts: { perChannel?: boolean } = {}): Tensor {
  checkCtor('fakeQuantizeWeight', [['w', 'tensor']], arguments, { perChannel: 'boolean' });
  const perChannel = opts.perChannel ?? true;
  const q = noGrad(() => {
    const src = w.contiguous().data;
    const rows = perChannel ? w.shape[0]! : 1;
    const per = src.length / rows;
    const out = new Float32Array(src.length);
    for (let r = 0; r < rows; r++) {
      let amax = 0;
      for (let i = r * per; i < (r + 1) * per; i++) amax = Math.max(amax, Math.abs(src[i]!));
      const s = Math.fround(amax > 0 ? amax / 127 : 1);
      for (let i = r * per; i < (r + 1) * per; i++) out[i] = s * Math.max(-127, Math.min(127, nearestEven(src[i]! / s)));
    }
    return new Tensor(out, w.shape);
  });
  return add(q, sub(w, w.detach()));
}

function copy(t: Tensor): Tensor {
  return new Tensor(Float32Array.from(t.contiguous().data), t.shape);
}

export interface QatOptions {
  /** Per-output-channel weight grids (default true). */
  perChannel?: boolean;
  /** Activation grid: 'reduced' [0, 127] (default) or 'full' [-128, 127]. */
  activationRange?: ActivationRange;
  /** Weight of each batch in the moving average of activation ranges (default 0.01). */
  averaging?: number;
}

/**
 * A model prepared for quantization-aware training (see the file header). Its parameters are the
 * folded weights and biases of the graph (`n<i>_weight`, `n<i>_bias`); train it like any module,
 * then call toQuantized().
 * @example const qat = new QatModel(model); ...train a few epochs at a small learning rate...; const qm = qat.toQuantized();
 */
export class QatModel extends Module {
  readonly graph: InferenceGraph;
  readonly perChannel: boolean;
  readonly activationRange: ActivationRange;
  readonly averaging: number;
  private readonly lo: Float64Array;
  private readonly hi: Float64Array;
  private readonly seen: Uint8Array;
  private readonly shapes: number[][] = [];

  constructor(model: Module, opts: QatOptions = {}) {
    super();
    checkCtor('QatModel', [['model', 'any']], arguments, {
      perChannel: 'boolean',
      activationRange: ['reduced', 'full'],
      averaging: 'number',
    });
    this.perChannel = opts.perChannel ?? true;
    this.activationRange = opts.activationRange ?? 'reduced';
    this.averaging = opts.averaging ?? 0.01;
    if (!(this.averaging > 0 && this.averaging <= 1))
      throw new Error(`QatModel: option 'averaging' must be in (0, 1], got ${this.averaging}`);
    const g = inferenceGraph(model);
    g.nodes.forEach((n, i) => {
      if (n.kind !== 'conv' && n.kind !== 'linear') return;
      // Copies: training must not move the float model's own weights (an unfolded conv shares them).
      n.weight = this.param(`n${i}_weight`, copy(n.weight)) as Parameter;
      if (n.bias) n.bias = this.param(`n${i}_bias`, copy(n.bias)) as Parameter;
    });
    this.graph = g;
    const k = g.nodes.length;
    this.lo = new Float64Array(k);
    this.hi = new Float64Array(k);
    this.seen = new Uint8Array(k);
  }

  /** Whether node i has an activation grid of its own (its output is fake-quantized). */
  private owns(i: number): boolean {
    const kind = this.graph.nodes[i]!.kind;
    const last = i === this.graph.nodes.length - 1;
    return !(last && (kind === 'conv' || kind === 'linear')) && ['input', 'conv', 'linear', 'add', 'gap'].includes(kind);
  }

  /** The activation grid of node i from its current range. */
  grid(i: number): AffineParams {
    if (!this.seen[i]) throw new Error(`QatModel.grid: node ${i} has no range yet (run forward in training mode first)`);
    const { qmin, qmax } = activationGrid(this.activationRange);
    return affineParams(this.lo[i]!, this.hi[i]!, qmin, qmax);
  }

  forward(x: Tensor): Tensor {
    return runGraph(this.graph, x, {
      weight: (_i, w) => fakeQuantizeWeight(w, { perChannel: this.perChannel }),
      output: (i, y) => {
        this.shapes[i] = [...y.shape];
        if (!this.owns(i)) return y;
        if (this.training || !this.seen[i]) this.track(i, y);
        return fakeQuantize(y, this.grid(i));
      },
    });
  }

  private track(i: number, y: Tensor): void {
    const d = y.contiguous().data;
    let lo = Infinity;
    let hi = -Infinity;
    for (let k = 0; k < d.length; k++) {
      const v = d[k]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (!this.seen[i]) {
      this.lo[i] = lo;
      this.hi[i] = hi;
      this.seen[i] = 1;
    } else {
      const c = this.averaging;
      this.lo[i] = (1 - c) * this.lo[i]! + c * lo;
      this.hi[i] = (1 - c) * this.hi[i]! + c * hi;
    }
  }

  /** The activation ranges as a tensor [nodes, 2] (for checkpoints): NaN where none was seen. */
  ranges(): Tensor {
    const out = new Float32Array(2 * this.lo.length);
    for (let i = 0; i < this.lo.length; i++) {
      out[2 * i] = this.seen[i] ? this.lo[i]! : NaN;
      out[2 * i + 1] = this.seen[i] ? this.hi[i]! : NaN;
    }
    return new Tensor(out, [this.lo.length, 2]);
  }

  /** The int8 model with the trained weights and the tracked activation ranges. */
  toQuantized(): QuantizedModel {
    if (this.shapes.length !== this.graph.nodes.length) throw new Error('QatModel.toQuantized: run forward at least once first');
    const g: InferenceGraph = {
      nodes: this.graph.nodes.map((n) =>
        n.kind === 'conv' || n.kind === 'linear' ? { ...n, weight: n.weight.detach(), bias: n.bias ? n.bias.detach() : null } : n,
      ),
    };
    return fromGraph(g, this.shapes, (i) => this.grid(i), {
      method: 'minmax',
      percentile: 99.99,
      perChannel: this.perChannel,
      activationRange: this.activationRange,
    });
  }
}

/**
 * The simple (Elman) RNN written out, in the curriculum's notation, with its backward pass
 * available two ways: autograd (forwardTensor + loss.backward()) and an explicit
 * backpropagation through time on plain Float64Arrays (bptt), which uses no autograd at all.
 *
 *   u^t = W_in x^t + W z^{t-1} + b      z^t = f(u^t)        (hidden layer)
 *   v^t = W_out z^t + c                 y^t = g(v^t)        (output layer)
 *
 * Shapes (column-vector notation, PyTorch's weight layout): W_in [H, I], W [H, H], b [H],
 * W_out [O, H], c [O]. In code a mini-batch is a stack of row vectors, so W_in x^t becomes
 * X^t W_in^T with X^t [B, I].
 */
import { Tensor } from '../../tensor/tensor.js';
import { tensor } from '../../tensor/creation.js';
import { Generator } from '../../tensor/random.js';
import { matmul } from '../../ops/linalg/matmul.js';
import { add } from '../../ops/elementwise/add.js';
import { sub } from '../../ops/elementwise/sub.js';
import { mul } from '../../ops/elementwise/mul.js';
import { sum } from '../../ops/reduce/sum.js';
import { div } from '../../ops/elementwise/div.js';
import { tanh } from '../../ops/elementwise/tanh.js';
import { sigmoid } from '../../ops/elementwise/sigmoid.js';
import { relu } from '../../ops/elementwise/relu.js';
import { log } from '../../ops/elementwise/log.js';
import { transpose } from '../../ops/shape/transpose.js';
import { select } from '../../ops/shape/select.js';
import { zeros } from '../../tensor/creation.js';

export type HiddenActivation = 'tanh' | 'sigmoid' | 'relu';
export type OutputActivation = 'sigmoid' | 'identity';
/** 'mse': E = 1/2 sum (y - d)^2; 'bce': E = -sum d log y + (1 - d) log(1 - y) (sigmoid output only). */
export type RnnLoss = 'mse' | 'bce';

export interface SimpleRNNOptions {
  inputSize: number;
  hiddenSize: number;
  outputSize: number;
  /** f (default 'tanh'). */
  hidden?: HiddenActivation;
  /** g (default 'sigmoid'). */
  output?: OutputActivation;
  /** Default 'mse', the curriculum's choice for binary addition. */
  loss?: RnnLoss;
  /** Weights start N(0, weightInitStd^2) (default 1/sqrt(fan in)); biases start at 0. */
  weightInitStd?: number;
  seed?: number;
}

/** The parameters (and, with the same names, their gradients). */
export interface SimpleRNNParams {
  W_in: Float64Array;
  W: Float64Array;
  b: Float64Array;
  W_out: Float64Array;
  c: Float64Array;
}

/** What the forward pass keeps for BPTT: u^t, z^t (z[0] = z^0 = 0), y^t, each [B, ·] row-major. */
export interface ForwardCache {
  B: number;
  T: number;
  x: Float64Array[];
  u: Float64Array[];
  z: Float64Array[];
  y: Float64Array[];
}

// C[m, n] (+)= A[m, k] B[k, n], with A or B read transposed when asked. Small dense helpers.
function gemm(
  m: number,
  n: number,
  k: number,
  A: Float64Array,
  transA: boolean,
  Bm: Float64Array,
  transB: boolean,
  C: Float64Array,
  acc: boolean,
): void {
  if (!acc) C.fill(0);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const a = transA ? A[p * m + i]! : A[i * k + p]!;
      if (a === 0) continue;
      const ci = i * n;
      if (transB) for (let j = 0; j < n; j++) C[ci + j] = C[ci + j]! + a * Bm[j * k + p]!;
      else {
        const bp = p * n;
        for (let j = 0; j < n; j++) C[ci + j] = C[ci + j]! + a * Bm[bp + j]!;
      }
    }
  }
}

const act = {
  tanh: { f: Math.tanh, df: (u: number, z: number) => 1 - z * z },
  sigmoid: { f: (u: number) => 1 / (1 + Math.exp(-u)), df: (u: number, z: number) => z * (1 - z) },
  relu: { f: (u: number) => (u > 0 ? u : 0), df: (u: number) => (u > 0 ? 1 : 0) },
  identity: { f: (u: number) => u, df: () => 1 },
};

export class SimpleRNN {
  readonly I: number;
  readonly H: number;
  readonly O: number;
  readonly hidden: HiddenActivation;
  readonly output: OutputActivation;
  readonly loss: RnnLoss;
  readonly params: SimpleRNNParams;

  constructor(opts: SimpleRNNOptions) {
    this.I = opts.inputSize;
    this.H = opts.hiddenSize;
    this.O = opts.outputSize;
    this.hidden = opts.hidden ?? 'tanh';
    this.output = opts.output ?? 'sigmoid';
    this.loss = opts.loss ?? 'mse';
    if (this.loss === 'bce' && this.output !== 'sigmoid')
      throw new Error(`SimpleRNN: loss 'bce' needs output 'sigmoid', got '${this.output}'`);
    const gen = new Generator(opts.seed ?? 0);
    const init = (n: number, fanIn: number): Float64Array => {
      const std = opts.weightInitStd ?? 1 / Math.sqrt(fanIn);
      const a = new Float64Array(n);
      for (let i = 0; i < n; i++) a[i] = std * gen.normal();
      return a;
    };
    const { I, H, O } = this;
    this.params = { W_in: init(H * I, I), W: init(H * H, H), b: new Float64Array(H), W_out: init(O * H, H), c: new Float64Array(O) };
  }

  /** Forward pass over xs (T arrays of [B, I]); returns the cache that bptt needs. */
  forward(xs: Float64Array[], B: number): ForwardCache {
    const { I, H, O } = this;
    const { W_in, W, b, W_out, c } = this.params;
    const f = act[this.hidden].f;
    const g = act[this.output].f;
    const T = xs.length;
    const cache: ForwardCache = { B, T, x: xs, u: [], z: [new Float64Array(B * H)], y: [] };
    for (let t = 0; t < T; t++) {
      if (xs[t]!.length !== B * I) throw new Error(`SimpleRNN.forward: x^${t} has ${xs[t]!.length} values, expected B*I = ${B}*${I}`);
      // u^t = W_in x^t + W z^{t-1} + b
      const u = new Float64Array(B * H);
      gemm(B, H, I, xs[t]!, false, W_in, true, u, false);
      gemm(B, H, H, cache.z[t]!, false, W, true, u, true);
      for (let i = 0; i < B; i++) for (let j = 0; j < H; j++) u[i * H + j] = u[i * H + j]! + b[j]!;
      // z^t = f(u^t)
      const z = u.map(f);
      // v^t = W_out z^t + c,  y^t = g(v^t)
      const v = new Float64Array(B * O);
      gemm(B, O, H, z, false, W_out, true, v, false);
      for (let i = 0; i < B; i++) for (let j = 0; j < O; j++) v[i * O + j] = v[i * O + j]! + c[j]!;
      cache.u.push(u);
      cache.z.push(z);
      cache.y.push(v.map(g));
    }
    return cache;
  }

  /** The loss, averaged over the batch and summed over time and outputs. */
  lossOf(cache: ForwardCache, targets: Float64Array[]): number {
    let e = 0;
    for (let t = 0; t < cache.T; t++) {
      const y = cache.y[t]!;
      const d = targets[t]!;
      for (let i = 0; i < y.length; i++) {
        e += this.loss === 'mse' ? 0.5 * (y[i]! - d[i]!) ** 2 : -(d[i]! * Math.log(y[i]!) + (1 - d[i]!) * Math.log(1 - y[i]!));
      }
    }
    return e / cache.B;
  }

  /**
   * Backpropagation through time, by hand. With delta^t = dE/du^t and delta_out^t = dE/dv^t
   * (row vectors, one row per batch element):
   *   delta_out^t = (y^t - d^t) * g'(v^t)      (mse; for bce with sigmoid output: y^t - d^t)
   *   delta^t = (delta^{t+1} W + delta_out^t W_out) * f'(u^t),  delta^{T+1} = 0
   * which is the curriculum's delta^t = (delta^{t+1} W^T + delta_out^t W_out^T) * f'(u^t) for
   * its row-vector code, whose weight matrices are stored transposed (u = x W_in + z W + b).
   * The weight gradients, in column notation (our layout):
   *   dE/dW_in = sum_t delta^t [x^t]^T,  dE/dW = sum_t delta^t [z^{t-1}]^T,  dE/db = sum_t delta^t
   *   dE/dW_out = sum_t delta_out^t [z^t]^T,  dE/dc = sum_t delta_out^t
   * (each also averaged over the batch).
   */
  bptt(cache: ForwardCache, targets: Float64Array[]): { loss: number; grads: SimpleRNNParams } {
    const { I, H, O } = this;
    const { B, T } = cache;
    const { W, W_out } = this.params;
    const df = act[this.hidden].df;
    const dg = act[this.output].df;
    const grads: SimpleRNNParams = {
      W_in: new Float64Array(H * I),
      W: new Float64Array(H * H),
      b: new Float64Array(H),
      W_out: new Float64Array(O * H),
      c: new Float64Array(O),
    };
    const scale = 1 / B;
    let deltaNext = new Float64Array(B * H); // delta^{T+1} = 0
    const deltaOut = new Float64Array(B * O);
    for (let t = T - 1; t >= 0; t--) {
      const y = cache.y[t]!;
      const d = targets[t]!;
      for (let i = 0; i < B * O; i++) {
        const err = (y[i]! - d[i]!) * scale;
        deltaOut[i] = this.loss === 'bce' ? err : err * dg(0, y[i]!);
      }
      // delta^t = (delta^{t+1} W + delta_out^t W_out) * f'(u^t)
      const delta = new Float64Array(B * H);
      gemm(B, H, H, deltaNext, false, W, false, delta, false);
      gemm(B, H, O, deltaOut, false, W_out, false, delta, true);
      const u = cache.u[t]!;
      const z = cache.z[t + 1]!;
      for (let i = 0; i < B * H; i++) delta[i] = delta[i]! * df(u[i]!, z[i]!);
      // Weight gradients: outer products summed over the batch (delta^T X is [H, I]).
      gemm(H, I, B, delta, true, cache.x[t]!, false, grads.W_in, true);
      gemm(H, H, B, delta, true, cache.z[t]!, false, grads.W, true);
      gemm(O, H, B, deltaOut, true, z, false, grads.W_out, true);
      for (let i = 0; i < B; i++) {
        for (let j = 0; j < H; j++) grads.b[j] = grads.b[j]! + delta[i * H + j]!;
        for (let j = 0; j < O; j++) grads.c[j] = grads.c[j]! + deltaOut[i * O + j]!;
      }
      deltaNext = delta;
    }
    return { loss: this.lossOf(cache, targets), grads };
  }

  /** Plain gradient descent: p <- p - lr * dE/dp. */
  sgdStep(grads: SimpleRNNParams, lr: number): void {
    for (const k of Object.keys(this.params) as (keyof SimpleRNNParams)[]) {
      const p = this.params[k];
      const g = grads[k];
      for (let i = 0; i < p.length; i++) p[i] = p[i]! - lr * g[i]!;
    }
  }

  /** The parameters as float64 leaf tensors that require grad (for the autograd path). */
  parameterTensors(): Record<keyof SimpleRNNParams, Tensor> {
    const { I, H, O } = this;
    const p = this.params;
    const mk = (a: Float64Array, shape: number[]): Tensor => tensor(Float64Array.from(a), { shape, dtype: 'float64' }).requiresGrad_();
    return { W_in: mk(p.W_in, [H, I]), W: mk(p.W, [H, H]), b: mk(p.b, [H]), W_out: mk(p.W_out, [O, H]), c: mk(p.c, [O]) };
  }

  /**
   * The same network with shinsou ops, for autograd: x [T, B, I], targets [T, B, O] -> the scalar
   * loss (same definition as lossOf) and the outputs y [T][B, O].
   */
  forwardTensor(ps: Record<keyof SimpleRNNParams, Tensor>, x: Tensor, targets: Tensor): { loss: Tensor; y: Tensor[] } {
    const T = x.shape[0]!;
    const B = x.shape[1]!;
    const f = this.hidden === 'tanh' ? tanh : this.hidden === 'sigmoid' ? sigmoid : relu;
    let z: Tensor = zeros([B, this.H], { dtype: 'float64' });
    let loss: Tensor = zeros([], { dtype: 'float64' });
    const ys: Tensor[] = [];
    for (let t = 0; t < T; t++) {
      const u = add(add(matmul(select(x, 0, t), transpose(ps.W_in)), matmul(z, transpose(ps.W))), ps.b);
      z = f(u);
      const v = add(matmul(z, transpose(ps.W_out)), ps.c);
      const y = this.output === 'sigmoid' ? sigmoid(v) : v;
      const d = select(targets, 0, t);
      const e =
        this.loss === 'mse' ? mul(sum(mul(sub(y, d), sub(y, d))), 0.5) : mul(sum(add(mul(d, log(y)), mul(sub(1, d), log(sub(1, y))))), -1);
      loss = add(loss, e);
      ys.push(y);
    }
    return { loss: div(loss, B), y: ys };
  }
}

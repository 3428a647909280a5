/**
 * Recurrent layers as torch.nn: RNN (tanh/relu), LSTM (optionally with peephole connections) and
 * GRU, each as a one-step cell (RNNCell, LSTMCell, GRUCell) and as a full layer with numLayers,
 * dropout between layers, bidirectional, batchFirst, initial states and variable lengths.
 *
 * Parameter names and layouts are PyTorch's, so torch state dicts load by name:
 *   weight_ih_l{k}[_reverse] [G*H, in], weight_hh_l{k}[_reverse] [G*H, H],
 *   bias_ih_l{k}[_reverse] [G*H], bias_hh_l{k}[_reverse] [G*H]
 * with the gates stacked in PyTorch's order: LSTM i,f,g,o (G = 4), GRU r,z,n (G = 3), RNN (G = 1).
 * Peephole weights (not in PyTorch) are diagonal, [H] each, named
 *   weight_ci_l{k}[_reverse], weight_cf_l{k}[_reverse], weight_co_l{k}[_reverse]
 * (cell -> input gate, cell -> forget gate, cell -> output gate) and start at zero, so a peephole
 * LSTM starts out as the plain LSTM. A state dict without them loads with strict: false.
 *
 * Speed: the input projection of all time steps is one big matmul before the loop
 * ([T*B, in] x [in, G*H], both biases folded in where the formula allows it), and each step does a
 * single [B, H] x [H, G*H] matmul for all gates together, followed by a few elementwise ops. The
 * plain LSTM (no peepholes, no lengths) and the GRU (no lengths) run the whole loop as one fused op
 * (ops/recurrent/lstmLayer.ts, ops/recurrent/gruLayer.ts).
 */
/* eslint-disable prefer-rest-params -- constructors hand their `arguments` to checkCtor (tensor/validate.ts), which also rejects arguments past the declared ones; rest parameters would hide the declared signature */
import { Tensor } from '../../tensor/tensor.js';
import { fmtShape } from '../../tensor/shape.js';
import { zeros } from '../../tensor/creation.js';
import { Module } from '../module.js';
import { uniform_ } from '../init.js';
import { matmul } from '../../ops/linalg/matmul.js';
import { add } from '../../ops/elementwise/add.js';
import { sub } from '../../ops/elementwise/sub.js';
import { mul } from '../../ops/elementwise/mul.js';
import { tanh } from '../../ops/elementwise/tanh.js';
import { relu } from '../../ops/elementwise/relu.js';
import { transpose } from '../../ops/shape/transpose.js';
import { reshape } from '../../ops/shape/reshape.js';
import { narrow } from '../../ops/shape/narrow.js';
import { select } from '../../ops/shape/select.js';
import { stack } from '../../ops/shape/stack.js';
import { cat } from '../../ops/shape/cat.js';
import { unsqueeze } from '../../ops/shape/unsqueeze.js';
import { squeeze } from '../../ops/shape/squeeze.js';
import { dropout } from '../../ops/elementwise/dropout.js';
import { lstmLayer } from '../../ops/recurrent/lstmLayer.js';
import { gruLayer } from '../../ops/recurrent/gruLayer.js';
import { gruCell, lstmCell } from '../../ops/index.js';
import { checkCtor, checkTensor, describe, isPlainObject, type Param, type Spec } from '../../tensor/validate.js';

type FloatDType = 'float32' | 'float64';
export type RNNNonlinearity = 'tanh' | 'relu';
type Kind = 'rnn_tanh' | 'rnn_relu' | 'lstm' | 'gru';

/** Sequence lengths per batch element: a list of numbers or an integer tensor [B]. */
export type Lengths = readonly number[] | Tensor;

/** The weights of one direction of one layer (or of a cell). */
interface Weights {
  wIh: Tensor;
  wHh: Tensor;
  bIh: Tensor | null;
  bHh: Tensor | null;
  /** LSTM peephole diagonals (cell -> input, forget, output gates). */
  peep: { ci: Tensor; cf: Tensor; co: Tensor } | null;
}

function gatesOf(kind: Kind): number {
  return kind === 'lstm' ? 4 : kind === 'gru' ? 3 : 1;
}

function initParam(shape: number[], hidden: number, dtype: FloatDType): Tensor {
  // PyTorch's default for every recurrent weight and bias: U(-1/sqrt(H), 1/sqrt(H)).
  const k = 1 / Math.sqrt(hidden);
  return uniform_(zeros(shape, { dtype }), -k, k);
}

/**
 * One time step of a recurrent unit, given the input projection xp = W_in x^t (+ biases) of this
 * step. Returns the new hidden state (and LSTM cell state).
 */
function step(
  kind: Kind,
  xp: Tensor,
  h: Tensor,
  c: Tensor | null,
  wHhT: Tensor,
  w: Weights,
  addHhBias: boolean,
): { h: Tensor; c: Tensor | null } {
  let rec = matmul(h, wHhT); // W z^{t-1}, all gates at once: [B, G*H]
  if (addHhBias && w.bHh) rec = add(rec, w.bHh);
  if (kind === 'rnn_tanh' || kind === 'rnn_relu') {
    // u^t = W_in x^t + W z^{t-1} + b,  z^t = f(u^t)
    const u = add(xp, rec);
    return { h: kind === 'rnn_tanh' ? tanh(u) : relu(u), c: null };
  }
  // GRU: r, z = σ(W_i{r,z} x + b_i{r,z} + W_h{r,z} h + b_h{r,z}), n = tanh(W_in x + b_in + r (W_hn h + b_hn)),
  // h' = (1 - z) n + z h: the reference cell (ops/recurrent/gruCell.ts).
  if (kind === 'gru') return { h: gruCell(xp, rec, h), c: null };
  // LSTM: u^t = W x^t + U h^{t-1} + b split as i, f, a (PyTorch's g), o; c^t = (i ⊗ a) ⊕ (f ⊗ c^{t-1}),
  // h^t = o ⊗ tanh(c^t), with optional peepholes: the reference cell (ops/recurrent/lstmCell.ts).
  return lstmCell(add(xp, rec), c!, w.peep);
}

function lengthsToArray(op: string, lengths: Lengths, B: number, T: number): number[] {
  const arr = lengths instanceof Tensor ? lengths.toList() : [...lengths];
  if (arr.length !== B) throw new Error(`${op}: lengths has ${arr.length} entries but the batch has ${B} sequences`);
  for (const l of arr) {
    if (!Number.isInteger(l) || l < 0 || l > T) throw new Error(`${op}: sequence length ${l} is not an integer in [0, ${T}]`);
  }
  return arr;
}

/** Float masks m_t [B, 1] (1 where t < length) for the steps where some sequence has ended; null elsewhere. */
function stepMasks(lengths: number[] | null, T: number, dtype: FloatDType): (Tensor | null)[] {
  const masks: (Tensor | null)[] = new Array(T).fill(null);
  if (!lengths) return masks;
  const B = lengths.length;
  for (let t = 0; t < T; t++) {
    if (lengths.every((l) => l > t)) continue;
    const m = Tensor.empty([B, 1], dtype);
    for (let b = 0; b < B; b++) m.storage[b] = lengths[b]! > t ? 1 : 0;
    masks[t] = m;
  }
  return masks;
}

/**
 * The T slices x[0], ..., x[T-1] of x [T, ...]. Selecting each step straight from x would cost
 * O(T^2) in backward, since the gradient of every slice is a zero-padded tensor of x's full size
 * that autograd then sums; halving recursively makes every level of the tree sum to one full
 * size, so backward costs O(T log T).
 */
function unbindSteps(x: Tensor): Tensor[] {
  const out: Tensor[] = [];
  const rec = (v: Tensor): void => {
    const n = v.shape[0]!;
    if (n <= 4) {
      for (let i = 0; i < n; i++) out.push(select(v, 0, i));
      return;
    }
    const half = n >> 1;
    rec(narrow(v, 0, 0, half));
    rec(narrow(v, 0, half, n - half));
  };
  rec(x);
  return out;
}

/**
 * Runs one direction of one layer over the whole sequence x [T, B, in]. With masks, a sequence's
 * state stops changing after its last valid step and its outputs there are zero (packed-sequence
 * semantics); the reverse direction then starts at each sequence's own last valid step.
 */
function runDirection(
  kind: Kind,
  H: number,
  x: Tensor,
  w: Weights,
  h0: Tensor,
  c0: Tensor | null,
  masks: (Tensor | null)[],
  reverse: boolean,
): { out: Tensor; h: Tensor; c: Tensor | null } {
  const T = x.shape[0]!;
  const B = x.shape[1]!;
  const G = gatesOf(kind) * H;
  // W_in x^t for all t in one GEMM. The hidden-side bias can be folded in too, except GRU's b_hn,
  // which sits inside r * (W_hn h + b_hn).
  let xp = matmul(reshape(x, [T * B, x.shape[2]!]), transpose(w.wIh));
  const foldHh = kind !== 'gru';
  const bias = w.bIh && w.bHh && foldHh ? add(w.bIh, w.bHh) : w.bIh;
  if (bias) xp = add(xp, bias);
  if (kind === 'lstm' && !w.peep && masks.every((m) => !m)) {
    // The common LSTM runs as one fused op over the sequence (ops/recurrent/lstmLayer.ts): the same math,
    // without a graph node per gate and step, and dW_hh as one GEMM in backward.
    const hc = lstmLayer(reshape(xp, [T, B, G]), h0, c0!, w.wHh, reverse);
    const last = reverse ? 0 : T - 1;
    return { out: narrow(hc, 2, 0, H), h: select(narrow(hc, 2, 0, H), 0, last), c: select(narrow(hc, 2, H, H), 0, last) };
  }
  if (kind === 'gru' && masks.every((m) => !m)) {
    // Likewise the GRU (gruLayer), with b_hh inside the op: r gates W_hn h + b_hn.
    const out = gruLayer(reshape(xp, [T, B, G]), h0, w.wHh, w.bHh, reverse);
    return { out, h: select(out, 0, reverse ? 0 : T - 1), c: null };
  }
  const xs = unbindSteps(reshape(xp, [T, B, G]));
  // One transposed view for the whole sequence: the per-step gradients of W_hh^T then accumulate
  // as dense [H, G*H] tensors and are transposed back once, not once per step.
  const wHhT = transpose(w.wHh);
  let h = h0;
  let c = c0;
  const outs: Tensor[] = new Array(T);
  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s;
    const next = step(kind, xs[t]!, h, c, wHhT, w, !foldHh);
    const m = masks[t];
    if (m) {
      // Past its length a sequence keeps its state (h <- h + m (h' - h)) and outputs zero.
      h = add(h, mul(m, sub(next.h, h)));
      if (c) c = add(c, mul(m, sub(next.c!, c)));
      outs[t] = mul(next.h, m);
    } else {
      h = next.h;
      c = next.c;
      outs[t] = next.h;
    }
  }
  return { out: stack(outs, 0), h, c };
}

export interface RNNBaseOptions {
  /** Stacked recurrent layers (default 1). */
  numLayers?: number;
  /** Learnable biases b_ih and b_hh (default true). */
  bias?: boolean;
  /** Input and output as [B, T, features] instead of [T, B, features] (default false). */
  batchFirst?: boolean;
  /** Dropout probability on the outputs of every layer but the last, in training mode (default 0). */
  dropout?: number;
  /** Also run the sequence backwards and concatenate both outputs (default false). */
  bidirectional?: boolean;
  dtype?: FloatDType;
}

export interface RNNOptions extends RNNBaseOptions {
  /** f in z^t = f(u^t): 'tanh' (default) or 'relu'. */
  nonlinearity?: RNNNonlinearity;
}

export interface LSTMOptions extends RNNBaseOptions {
  /** Peephole connections from the cell state to the gates (weight_ci/cf/co_l{k}; default false). */
  peephole?: boolean;
}

const sizes: readonly Param[] = [
  ['inputSize', 'positiveInt'],
  ['hiddenSize', 'positiveInt'],
];
const floatDtypes = ['float32', 'float64'] as const;
const rnnBaseSpec: Spec = {
  numLayers: 'positiveInt',
  bias: 'boolean',
  batchFirst: 'boolean',
  dropout: 'number',
  bidirectional: 'boolean',
  dtype: floatDtypes,
};
const cellSpec: Spec = { bias: 'boolean', dtype: floatDtypes };
const nonlinearities = ['tanh', 'relu'] as const;

/** A hidden-state argument: a Tensor, or null/undefined for zeros. */
function checkState(name: string, h: unknown, what: string): void {
  if (h != null) checkTensor(name, h, what);
}

/**
 * Reads an LSTM state given as {h, c} or as PyTorch's pair [h0, c0]. Both parts are required (as
 * PyTorch's (h_0, c_0)): a state with only h would silently start from a zero cell.
 */
function lstmState(name: string, state: unknown): [Tensor | null, Tensor | null] {
  if (state == null) return [null, null];
  const usage = `pass {h, c} or [h0, c0] (both Tensors), or null for zeros`;
  let h: unknown;
  let c: unknown;
  if (Array.isArray(state)) {
    if (state.length !== 2)
      throw new TypeError(`${name}: state must be {h, c} or [h0, c0], got an array of length ${state.length}; ${usage}`);
    [h, c] = state;
  } else if (isPlainObject(state)) {
    const extra = Object.keys(state).filter((k) => k !== 'h' && k !== 'c');
    if (extra.length) throw new TypeError(`${name}: unknown state key '${extra[0]}' (expected h, c); ${usage}`);
    ({ h, c } = state);
  } else {
    throw new TypeError(`${name}: state must be {h, c} or [h0, c0], got ${describe(state)}; ${usage}`);
  }
  if (!(h instanceof Tensor) || !(c instanceof Tensor)) {
    throw new TypeError(`${name}: state needs both h and c as Tensors, got h: ${describe(h, 1)}, c: ${describe(c, 1)}; ${usage}`);
  }
  return [h, c];
}

export interface RecurrentOutput {
  /** [T, B, D*H] (or [B, T, D*H] with batchFirst): the top layer's hidden state at every step. */
  output: Tensor;
  /** [numLayers*D, B, H]: the final hidden state of every layer and direction. */
  h: Tensor;
  /** LSTM only: [numLayers*D, B, H], the final cell states. */
  c?: Tensor;
}

/** An LSTM state: hidden and cell states, each [numLayers*D, B, H] (a cell: [B, H]). */
export interface LSTMState {
  h: Tensor;
  c: Tensor;
}

abstract class RecurrentBase extends Module<any[], RecurrentOutput> {
  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;
  readonly dtype: FloatDType;
  protected readonly weights: Weights[][] = [];

  constructor(
    protected readonly kind: Kind,
    readonly inputSize: number,
    readonly hiddenSize: number,
    opts: RNNBaseOptions,
    peephole = false,
  ) {
    super();
    const name = this.constructor.name;
    this.numLayers = opts.numLayers ?? 1;
    this.bias = opts.bias ?? true;
    this.batchFirst = opts.batchFirst ?? false;
    this.dropout = opts.dropout ?? 0;
    this.bidirectional = opts.bidirectional ?? false;
    this.dtype = opts.dtype ?? 'float32';
    if (!Number.isInteger(this.numLayers) || this.numLayers < 1)
      throw new Error(`${name}: numLayers must be a positive integer, got ${this.numLayers}`);
    if (!Number.isInteger(hiddenSize) || hiddenSize < 1)
      throw new Error(`${name}: hiddenSize must be a positive integer, got ${hiddenSize}`);
    if (!(this.dropout >= 0 && this.dropout <= 1)) throw new Error(`${name}: dropout must be in [0, 1], got ${this.dropout}`);
    const G = gatesOf(kind) * hiddenSize;
    const D = this.bidirectional ? 2 : 1;
    for (let l = 0; l < this.numLayers; l++) {
      const layerIn = l === 0 ? inputSize : hiddenSize * D;
      const dirs: Weights[] = [];
      for (let d = 0; d < D; d++) {
        const sfx = `_l${l}${d === 1 ? '_reverse' : ''}`;
        const H = hiddenSize;
        const wIh = this.param(`weight_ih${sfx}`, initParam([G, layerIn], H, this.dtype));
        const wHh = this.param(`weight_hh${sfx}`, initParam([G, H], H, this.dtype));
        const bIh = this.bias ? this.param(`bias_ih${sfx}`, initParam([G], H, this.dtype)) : null;
        const bHh = this.bias ? this.param(`bias_hh${sfx}`, initParam([G], H, this.dtype)) : null;
        const peep = peephole
          ? {
              ci: this.param(`weight_ci${sfx}`, zeros([H], { dtype: this.dtype })),
              cf: this.param(`weight_cf${sfx}`, zeros([H], { dtype: this.dtype })),
              co: this.param(`weight_co${sfx}`, zeros([H], { dtype: this.dtype })),
            }
          : null;
        dirs.push({ wIh, wHh, bIh, bHh, peep });
      }
      this.weights.push(dirs);
    }
  }

  /** The shared forward: x [T, B, in] (or batchFirst / unbatched [T, in]). */
  protected run(x: Tensor, h0: Tensor | null, c0: Tensor | null, lengths: Lengths | undefined): RecurrentOutput {
    const name = this.constructor.name;
    const D = this.bidirectional ? 2 : 1;
    const H = this.hiddenSize;
    const unbatched = x.ndim === 2;
    if (x.ndim !== 3 && !unbatched) throw new Error(`${name}: expected input of 2 or 3 dims, got shape ${fmtShape(x.shape)}`);
    let seq = unbatched ? unsqueeze(x, 1) : this.batchFirst ? transpose(x, 0, 1) : x;
    if (seq.shape[2] !== this.inputSize) {
      throw new Error(`${name}: input shape ${fmtShape(x.shape)} does not end in input_size=${this.inputSize}`);
    }
    if (seq.dtype !== this.dtype) throw new Error(`${name}: input dtype ${seq.dtype} does not match the layer's ${this.dtype}`);
    const T = seq.shape[0]!;
    const B = seq.shape[1]!;
    const stateShape = [this.numLayers * D, B, H];
    const prepState = (s: Tensor | null, what: string): Tensor | null => {
      if (!s) return null;
      const s3 = unbatched ? unsqueeze(s, 1) : s;
      if (s3.ndim !== 3 || s3.shape[0] !== stateShape[0] || s3.shape[1] !== B || s3.shape[2] !== H) {
        throw new Error(
          `${name}: expected ${what} of shape ${fmtShape(unbatched ? [stateShape[0]!, H] : stateShape)}, got ${fmtShape(s.shape)}`,
        );
      }
      return s3;
    };
    const hInit = prepState(h0, 'h0');
    const cInit = this.kind === 'lstm' ? prepState(c0, 'c0') : null;
    const lens = lengths === undefined ? null : lengthsToArray(name, lengths, B, T);
    const masks = stepMasks(lens && lens.some((l) => l < T) ? lens : null, T, this.dtype);
    const zero = zeros([B, H], { dtype: this.dtype });
    const hs: Tensor[] = [];
    const cs: Tensor[] = [];
    for (let l = 0; l < this.numLayers; l++) {
      if (l > 0 && this.dropout > 0 && this.training) seq = dropout(seq, this.dropout);
      const outs: Tensor[] = [];
      for (let d = 0; d < D; d++) {
        const k = l * D + d;
        const h = hInit ? select(hInit, 0, k) : zero;
        const c = this.kind === 'lstm' ? (cInit ? select(cInit, 0, k) : zero) : null;
        const r = runDirection(this.kind, H, seq, this.weights[l]![d]!, h, c, masks, d === 1);
        outs.push(r.out);
        hs.push(r.h);
        if (r.c) cs.push(r.c);
      }
      seq = D === 1 ? outs[0]! : cat(outs, 2);
    }
    const output = unbatched ? squeeze(seq, 1) : this.batchFirst ? transpose(seq, 0, 1) : seq;
    const fin = (xs: Tensor[]): Tensor => (unbatched ? squeeze(stack(xs, 0), 1) : stack(xs, 0));
    const res: RecurrentOutput = { output, h: fin(hs) };
    if (this.kind === 'lstm') res.c = fin(cs);
    return res;
  }

  override extraRepr(): string {
    const parts = [`${this.inputSize}, ${this.hiddenSize}`];
    if (this.numLayers !== 1) parts.push(`num_layers=${this.numLayers}`);
    if (!this.bias) parts.push('bias=False');
    if (this.batchFirst) parts.push('batch_first=True');
    if (this.dropout) parts.push(`dropout=${this.dropout}`);
    if (this.bidirectional) parts.push('bidirectional=True');
    return parts.join(', ');
  }
}

/**
 * Elman RNN, as torch.nn.RNN: for each layer, u^t = W_in x^t + b_in + W z^{t-1} + b_h and
 * z^t = f(u^t) with f = tanh (default) or relu. Shapes: x [T, B, in] ([B, T, in] with batchFirst,
 * or unbatched [T, in]); h0 [numLayers*D, B, H] (zeros when omitted); lengths [B] optional.
 * @example const rnn = new RNN(10, 20, { numLayers: 2 }); const { output, h } = rnn.forward(x); // x: [5, 3, 10] -> output [5, 3, 20], h [2, 3, 20]
 */
export class RNN extends RecurrentBase {
  readonly nonlinearity: RNNNonlinearity;
  constructor(inputSize: number, hiddenSize: number, opts: RNNOptions = {}) {
    checkCtor('nn.RNN', sizes, arguments, { ...rnnBaseSpec, nonlinearity: nonlinearities });
    const nl = opts.nonlinearity ?? 'tanh';
    if (nl !== 'tanh' && nl !== 'relu') throw new Error(`RNN: unknown nonlinearity '${String(nl)}' (expected 'tanh' or 'relu')`);
    super(nl === 'tanh' ? 'rnn_tanh' : 'rnn_relu', inputSize, hiddenSize, opts);
    this.nonlinearity = nl;
  }
  forward(x: Tensor, h0: Tensor | null = null, lengths?: Lengths): RecurrentOutput {
    checkState('RNN', h0, 'h0');
    return this.run(x, h0, null, lengths);
  }
  override extraRepr(): string {
    return super.extraRepr() + (this.nonlinearity === 'relu' ? ", nonlinearity='relu'" : '');
  }
}

/**
 * Long short-term memory, as torch.nn.LSTM (gate layout i, f, g, o):
 *   i = σ(W_ii x + b_ii + W_hi h + b_hi [+ w_ci * c^{t-1}]),  f = σ(W_if x + ... [+ w_cf * c^{t-1}]),
 *   g = tanh(W_ig x + ... ),  c^t = f * c^{t-1} + i * g,  o = σ(W_io x + ... [+ w_co * c^t]),  h^t = o * tanh(c^t)
 * (the bracketed peephole terms only with peephole: true). State {h, c}, each [numLayers*D, B, H].
 * @example const lstm = new LSTM(8, 16, { numLayers: 2, batchFirst: true }); const { output, h, c } = lstm.forward(x); // x [B, T, 8] -> output [B, T, 16]
 */
export class LSTM extends RecurrentBase {
  readonly peephole: boolean;
  constructor(inputSize: number, hiddenSize: number, opts: LSTMOptions = {}) {
    checkCtor('nn.LSTM', sizes, arguments, { ...rnnBaseSpec, peephole: 'boolean' });
    super('lstm', inputSize, hiddenSize, opts, opts.peephole ?? false);
    this.peephole = opts.peephole ?? false;
  }
  /** state: {h, c} or PyTorch's [h0, c0], each [numLayers*D, B, H]; null starts from zeros. */
  forward(x: Tensor, state: LSTMState | readonly [Tensor, Tensor] | null = null, lengths?: Lengths): RecurrentOutput & { c: Tensor } {
    const [h0, c0] = lstmState('LSTM', state);
    return this.run(x, h0, c0, lengths) as RecurrentOutput & { c: Tensor };
  }
  override extraRepr(): string {
    return super.extraRepr() + (this.peephole ? ', peephole=True' : '');
  }
}

/**
 * Gated recurrent unit, as torch.nn.GRU (gate layout r, z, n):
 *   r = σ(W_ir x + b_ir + W_hr h + b_hr),  z = σ(W_iz x + b_iz + W_hz h + b_hz),
 *   n = tanh(W_in x + b_in + r * (W_hn h + b_hn)),  h' = (1 - z) * n + z * h.
 * @example const gru = new GRU(8, 16, { bidirectional: true }); gru.forward(x).output // [T, B, 32]
 */
export class GRU extends RecurrentBase {
  constructor(inputSize: number, hiddenSize: number, opts: RNNBaseOptions = {}) {
    checkCtor('nn.GRU', sizes, arguments, rnnBaseSpec);
    super('gru', inputSize, hiddenSize, opts);
  }
  forward(x: Tensor, h0: Tensor | null = null, lengths?: Lengths): RecurrentOutput {
    checkState('GRU', h0, 'h0');
    return this.run(x, h0, null, lengths);
  }
}

// ---------------------------------------------------------------------------------------------
// Cells: one time step, parameters weight_ih, weight_hh, bias_ih, bias_hh (as torch.nn.*Cell).

abstract class CellBase<In extends unknown[], Out> extends Module<In, Out> {
  protected readonly w: Weights;
  readonly dtype: FloatDType;
  constructor(
    protected readonly kind: Kind,
    readonly inputSize: number,
    readonly hiddenSize: number,
    bias: boolean,
    dtype: FloatDType,
    peephole = false,
  ) {
    super();
    this.dtype = dtype;
    const G = gatesOf(kind) * hiddenSize;
    const H = hiddenSize;
    const wIh = this.param('weight_ih', initParam([G, inputSize], H, dtype));
    const wHh = this.param('weight_hh', initParam([G, H], H, dtype));
    const bIh = bias ? this.param('bias_ih', initParam([G], H, dtype)) : null;
    const bHh = bias ? this.param('bias_hh', initParam([G], H, dtype)) : null;
    const peep = peephole
      ? {
          ci: this.param('weight_ci', zeros([H], { dtype })),
          cf: this.param('weight_cf', zeros([H], { dtype })),
          co: this.param('weight_co', zeros([H], { dtype })),
        }
      : null;
    this.w = { wIh, wHh, bIh, bHh, peep };
  }

  /** x [B, in] or [in] -> [B, in], plus whether to squeeze the batch dim again. */
  protected prep(x: Tensor, states: (Tensor | null)[]): { x: Tensor; states: Tensor[]; unbatched: boolean } {
    const name = this.constructor.name;
    const unbatched = x.ndim === 1;
    if (x.ndim !== 2 && !unbatched) throw new Error(`${name}: expected input of 1 or 2 dims, got shape ${fmtShape(x.shape)}`);
    const x2 = unbatched ? unsqueeze(x, 0) : x;
    if (x2.shape[1] !== this.inputSize)
      throw new Error(`${name}: input shape ${fmtShape(x.shape)} does not end in input_size=${this.inputSize}`);
    const B = x2.shape[0]!;
    const out = states.map((s) => {
      if (!s) return zeros([B, this.hiddenSize], { dtype: this.dtype });
      const s2 = unbatched ? unsqueeze(s, 0) : s;
      if (s2.ndim !== 2 || s2.shape[0] !== B || s2.shape[1] !== this.hiddenSize) {
        throw new Error(`${name}: expected a state of shape ${fmtShape([B, this.hiddenSize])}, got ${fmtShape(s.shape)}`);
      }
      return s2;
    });
    return { x: x2, states: out, unbatched };
  }

  protected project(x: Tensor): Tensor {
    const xp = matmul(x, transpose(this.w.wIh));
    const fold = this.kind !== 'gru';
    const b = this.w.bIh && this.w.bHh && fold ? add(this.w.bIh, this.w.bHh) : this.w.bIh;
    return b ? add(xp, b) : xp;
  }

  override extraRepr(): string {
    return `${this.inputSize}, ${this.hiddenSize}${this.w.bIh ? '' : ', bias=False'}`;
  }
}

export interface CellOptions {
  bias?: boolean;
  dtype?: FloatDType;
}

/**
 * One Elman step, as torch.nn.RNNCell: h' = f(W_ih x + b_ih + W_hh h + b_hh).
 * @example new RNNCell(4, 8).forward(x, h) // x [B, 4], h [B, 8] -> [B, 8]
 */
export class RNNCell extends CellBase<[Tensor, (Tensor | null)?], Tensor> {
  readonly nonlinearity: RNNNonlinearity;
  constructor(inputSize: number, hiddenSize: number, opts: CellOptions & { nonlinearity?: RNNNonlinearity } = {}) {
    checkCtor('nn.RNNCell', sizes, arguments, { ...cellSpec, nonlinearity: nonlinearities });
    const nl = opts.nonlinearity ?? 'tanh';
    super(nl === 'relu' ? 'rnn_relu' : 'rnn_tanh', inputSize, hiddenSize, opts.bias ?? true, opts.dtype ?? 'float32');
    this.nonlinearity = nl;
  }
  forward(x: Tensor, h: Tensor | null = null): Tensor {
    checkState('RNNCell', h, 'h');
    const p = this.prep(x, [h]);
    const r = step(this.kind, this.project(p.x), p.states[0]!, null, transpose(this.w.wHh), this.w, false).h;
    return p.unbatched ? squeeze(r, 0) : r;
  }
}

/**
 * One LSTM step, as torch.nn.LSTMCell (plus optional peepholes weight_ci, weight_cf, weight_co).
 * @example const { h, c } = new LSTMCell(4, 8).forward(x, { h: h0, c: c0 }) // x [B, 4] -> h, c [B, 8]
 */
export class LSTMCell extends CellBase<[Tensor, (LSTMState | null)?], LSTMState> {
  constructor(inputSize: number, hiddenSize: number, opts: CellOptions & { peephole?: boolean } = {}) {
    checkCtor('nn.LSTMCell', sizes, arguments, { ...cellSpec, peephole: 'boolean' });
    super('lstm', inputSize, hiddenSize, opts.bias ?? true, opts.dtype ?? 'float32', opts.peephole ?? false);
  }
  /** state: {h, c} or [h, c], each [B, H]; null starts from zeros. */
  forward(x: Tensor, state: LSTMState | readonly [Tensor, Tensor] | null = null): LSTMState {
    const p = this.prep(x, lstmState('LSTMCell', state));
    const r = step('lstm', this.project(p.x), p.states[0]!, p.states[1]!, transpose(this.w.wHh), this.w, false);
    return p.unbatched ? { h: squeeze(r.h, 0), c: squeeze(r.c!, 0) } : { h: r.h, c: r.c! };
  }
}

/**
 * One GRU step, as torch.nn.GRUCell.
 * @example new GRUCell(4, 8).forward(x, h) // x [B, 4] -> [B, 8]
 */
export class GRUCell extends CellBase<[Tensor, (Tensor | null)?], Tensor> {
  constructor(inputSize: number, hiddenSize: number, opts: CellOptions = {}) {
    checkCtor('nn.GRUCell', sizes, arguments, cellSpec);
    super('gru', inputSize, hiddenSize, opts.bias ?? true, opts.dtype ?? 'float32');
  }
  forward(x: Tensor, h: Tensor | null = null): Tensor {
    checkState('GRUCell', h, 'h');
    const p = this.prep(x, [h]);
    const r = step('gru', this.project(p.x), p.states[0]!, null, transpose(this.w.wHh), this.w, true).h;
    return p.unbatched ? squeeze(r, 0) : r;
  }
}

/**
 * Multi-head attention (torch.nn.MultiheadAttention; Vaswani et al. 2017, section 3.2.2):
 *   head_h = Attention(Q W_h^Q, K W_h^K, V W_h^V),   MultiHead(Q, K, V) = [head_1; ...; head_H] W^O
 * with Attention(Q, K, V) = softmax(Q K^T / sqrt(d_k) + B) V (nn.functional.scaledDotProductAttention).
 *
 * State-dict keys and layouts are PyTorch's, so a torch state dict loads by name:
 *   in_proj_weight [3E, E]            (W^Q; W^K; W^V stacked) when kdim = vdim = E, else
 *   q_proj_weight [E, E], k_proj_weight [E, kdim], v_proj_weight [E, vdim]
 *   in_proj_bias [3E]                 (bias: true)
 *   bias_k, bias_v [1, 1, E]          (addBiasKv: true)
 *   out_proj.weight [E, E], out_proj.bias [E]
 * Init as PyTorch: xavier_uniform_ on the input projection(s) (the stacked [3E, E] matrix as one),
 * zero input and output biases, xavier_normal_ on bias_k / bias_v, out_proj.weight as nn.Linear.
 */
/* eslint-disable prefer-rest-params -- constructors hand their `arguments` to checkCtor (tensor/validate.ts), which also rejects arguments past the declared ones; rest parameters would hide the declared signature */
import type { Tensor } from '../../tensor/tensor.js';
import { fmtShape } from '../../tensor/shape.js';
import { zeros } from '../../tensor/creation.js';
import type { Generator } from '../../tensor/random.js';
import { checkCtor, checkOptions, checkRest, checkTensor } from '../../tensor/validate.js';
import { add } from '../../ops/elementwise/add.js';
import { matmul } from '../../ops/linalg/matmul.js';
import { mean } from '../../ops/reduce/mean.js';
import { cat } from '../../ops/shape/cat.js';
import { expand } from '../../ops/shape/expand.js';
import { narrow } from '../../ops/shape/narrow.js';
import { pad } from '../../ops/shape/pad.js';
import { permute } from '../../ops/shape/permute.js';
import { reshape } from '../../ops/shape/reshape.js';
import { select } from '../../ops/shape/select.js';
import { squeeze } from '../../ops/shape/squeeze.js';
import { transpose } from '../../ops/shape/transpose.js';
import { unsqueeze } from '../../ops/shape/unsqueeze.js';
import { Module } from '../module.js';
import type { Parameter } from '../parameter.js';
import { xavierNormal_, xavierUniform_, zeros_ } from '../init.js';
import { Linear } from './linear.js';
import { attentionBias, maskToBias, scaledDotProductAttention } from '../attention.js';

export interface MultiheadAttentionOptions {
  /** Dropout probability on the attention weights in train mode (default 0). */
  dropout?: number;
  /** Biases on the input and output projections (default true). */
  bias?: boolean;
  /** Learned key and value rows bias_k, bias_v appended to the keys and values (default false). */
  addBiasKv?: boolean;
  /** An all-zero key and value appended after the projections (default false). */
  addZeroAttn?: boolean;
  /** Features of the key input (default embedDim; a different size gives separate q/k/v weights). */
  kdim?: number;
  /** Features of the value input (default embedDim). */
  vdim?: number;
  /** Inputs and output are [N, L, E] (true) or [L, N, E] (false, the default, as PyTorch). */
  batchFirst?: boolean;
  /** Random stream for the dropout masks (default: the seeded default generator). */
  generator?: Generator;
  dtype?: 'float32' | 'float64';
}

export interface MultiheadAttentionForwardOptions {
  /**
   * [N, S] (or [S] for unbatched input): bool, true marks a key to ignore (padding); float, added
   * to the scores of every query for that key.
   */
  keyPaddingMask?: Tensor | null;
  /** Return the attention weights as the second result (default true, as PyTorch). */
  needWeights?: boolean;
  /**
   * [L, S] or [N * numHeads, L, S]: bool, true marks a pair that may NOT attend (PyTorch's
   * nn.MultiheadAttention convention); float, added to the scores.
   */
  attnMask?: Tensor | null;
  /** Average the returned weights over the heads ([N, L, S]) or keep them ([N, H, L, S]); default true. */
  averageAttnWeights?: boolean;
  /**
   * Causal masking (query i sees keys j <= i). PyTorch takes this as a hint that attnMask is the
   * causal mask and requires one; here it builds the causal mask itself, combined with attnMask if
   * one is given.
   */
  isCausal?: boolean;
}

const FORWARD_OPTIONS = {
  keyPaddingMask: 'tensor',
  needWeights: 'boolean',
  attnMask: 'tensor',
  averageAttnWeights: 'boolean',
  isCausal: 'boolean',
} as const;

/** x W^T + b over the last dim; a contiguous input goes through one 2-D GEMM instead of a batch of small ones. */
export function linear(x: Tensor, w: Tensor, b: Tensor | null): Tensor {
  const lead = x.shape.slice(0, -1);
  const flat = x.ndim > 2 && x.isContiguous();
  let y = matmul(flat ? reshape(x, [-1, x.shape[x.ndim - 1]!]) : x, transpose(w));
  if (b) y = add(y, b);
  return flat ? reshape(y, [...lead, w.shape[0]!]) : y;
}

/**
 * Multi-head attention as torch.nn.MultiheadAttention: forward(query, key, value, options) returns
 * [output, weights | null]. Shapes (batchFirst false / true): query [L, N, E] / [N, L, E], key
 * [S, N, kdim] / [N, S, kdim], value [S, N, vdim] / [N, S, vdim]; output like query; weights
 * [N, L, S] (averaged) or [N, H, L, S]. Unbatched inputs [L, E], [S, kdim], [S, vdim] also work.
 * @example
 * const mha = new nn.MultiheadAttention(16, 4, { batchFirst: true });
 * const [y, w] = mha.forward(x, x, x, { keyPaddingMask: pad }); // x [N, L, 16] -> y [N, L, 16], w [N, L, L]
 */
export class MultiheadAttention extends Module<[Tensor, Tensor, Tensor, MultiheadAttentionForwardOptions?], [Tensor, Tensor | null]> {
  readonly headDim: number;
  readonly kdim: number;
  readonly vdim: number;
  readonly dropout: number;
  readonly batchFirst: boolean;
  readonly inProjWeight: Parameter | null;
  readonly qProjWeight: Parameter | null;
  readonly kProjWeight: Parameter | null;
  readonly vProjWeight: Parameter | null;
  readonly inProjBias: Parameter | null;
  readonly biasK: Parameter | null;
  readonly biasV: Parameter | null;
  readonly outProj: Linear;
  readonly addZeroAttn: boolean;
  private readonly generator: Generator | undefined;

  constructor(
    readonly embedDim: number,
    readonly numHeads: number,
    opts: MultiheadAttentionOptions = {},
  ) {
    super();
    checkCtor(
      'nn.MultiheadAttention',
      [
        ['embedDim', 'positiveInt'],
        ['numHeads', 'positiveInt'],
      ],
      arguments,
      {
        dropout: 'number',
        bias: 'boolean',
        addBiasKv: 'boolean',
        addZeroAttn: 'boolean',
        kdim: 'positiveInt',
        vdim: 'positiveInt',
        batchFirst: 'boolean',
        generator: 'any',
        dtype: ['float32', 'float64'],
      },
    );
    if (embedDim % numHeads !== 0) {
      throw new Error(`nn.MultiheadAttention: embedDim ${embedDim} must be divisible by numHeads ${numHeads}`);
    }
    this.dropout = opts.dropout ?? 0;
    if (!(this.dropout >= 0 && this.dropout <= 1)) throw new Error(`nn.MultiheadAttention: dropout must be in [0, 1], got ${this.dropout}`);
    this.headDim = embedDim / numHeads;
    this.kdim = opts.kdim ?? embedDim;
    this.vdim = opts.vdim ?? embedDim;
    this.batchFirst = opts.batchFirst ?? false;
    this.addZeroAttn = opts.addZeroAttn ?? false;
    this.generator = opts.generator;
    const dtype = opts.dtype ?? 'float32';
    const E = embedDim;
    const packed = this.kdim === E && this.vdim === E;
    const w = (rows: number, cols: number): Tensor => xavierUniform_(zeros([rows, cols], { dtype }));
    this.inProjWeight = this.param('in_proj_weight', packed ? w(3 * E, E) : null);
    this.qProjWeight = this.param('q_proj_weight', packed ? null : w(E, E));
    this.kProjWeight = this.param('k_proj_weight', packed ? null : w(E, this.kdim));
    this.vProjWeight = this.param('v_proj_weight', packed ? null : w(E, this.vdim));
    const bias = opts.bias ?? true;
    this.inProjBias = this.param('in_proj_bias', bias ? zeros([3 * E], { dtype }) : null);
    const kv = opts.addBiasKv ?? false;
    this.biasK = this.param('bias_k', kv ? xavierNormal_(zeros([1, 1, E], { dtype })) : null);
    this.biasV = this.param('bias_v', kv ? xavierNormal_(zeros([1, 1, E], { dtype })) : null);
    this.outProj = this.module('out_proj', new Linear(E, E, { bias, dtype }));
    if (this.outProj.bias) zeros_(this.outProj.bias);
  }

  forward(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    opts: MultiheadAttentionForwardOptions = {},
    ...extra: never[]
  ): [Tensor, Tensor | null] {
    const fn = 'MultiheadAttention.forward';
    checkTensor(fn, query, 'argument 1 (query)');
    checkTensor(fn, key, 'argument 2 (key)');
    checkTensor(fn, value, 'argument 3 (value)');
    checkOptions(fn, 4, opts, FORWARD_OPTIONS);
    checkRest(fn, extra, 4, 'forward(query, key, value, {keyPaddingMask, needWeights, attnMask, averageAttnWeights, isCausal})');
    const E = this.embedDim;
    const H = this.numHeads;
    const D = this.headDim;
    const unbatched = query.ndim === 2;
    const rank = unbatched ? 2 : 3;
    if (
      (query.ndim !== 2 && query.ndim !== 3) ||
      key.ndim !== rank ||
      value.ndim !== rank ||
      query.shape[rank - 1] !== E ||
      key.shape[rank - 1] !== this.kdim ||
      value.shape[rank - 1] !== this.vdim
    ) {
      throw new Error(
        `${fn}: expected query [..., ${E}], key [..., ${this.kdim}], value [..., ${this.vdim}] all batched (rank 3) or all unbatched (rank 2), got ${fmtShape(query.shape)}, ${fmtShape(key.shape)}, ${fmtShape(value.shape)}`,
      );
    }
    const bd = this.batchFirst ? 0 : 1;
    let kpm = opts.keyPaddingMask ?? null;
    if (unbatched) {
      query = unsqueeze(query, bd);
      key = unsqueeze(key, bd);
      value = unsqueeze(value, bd);
      if (kpm) kpm = unsqueeze(kpm, 0);
    }
    const sd = 1 - bd;
    const N = query.shape[bd]!;
    const L = query.shape[sd]!;
    const S = key.shape[sd]!;
    if (key.shape[bd] !== N || value.shape[bd] !== N || value.shape[sd] !== S) {
      const layout = this.batchFirst ? '[N, L, E] / [N, S, kdim] / [N, S, vdim]' : '[L, N, E] / [S, N, kdim] / [S, N, vdim]';
      throw new Error(
        `${fn}: query ${fmtShape(query.shape)}, key ${fmtShape(key.shape)} and value ${fmtShape(value.shape)} disagree on the batch or source length (layout ${layout}, batchFirst ${this.batchFirst})`,
      );
    }

    // Q W^Q, K W^K, V W^V, each split into heads [N, H, T, D]
    const projected = this.project(query, key, value);
    const q = projected[0];
    let [, k, v] = projected;
    if (this.biasK && this.biasV) {
      k = cat([k, expand(reshape(this.biasK, [1, H, 1, D]), [N, H, 1, D])], 2);
      v = cat([v, expand(reshape(this.biasV, [1, H, 1, D]), [N, H, 1, D])], 2);
    }
    if (this.addZeroAttn) {
      k = cat([k, zeros([N, H, 1, D], { dtype: k.dtype })], 2);
      v = cat([v, zeros([N, H, 1, D], { dtype: v.dtype })], 2);
    }

    const bias = this.maskBias(fn, opts.attnMask ?? null, kpm, opts.isCausal ?? false, N, L, S, q.dtype);
    const [o, weights] = scaledDotProductAttention(q, k, v, {
      attnMask: bias,
      dropoutP: this.training ? this.dropout : 0,
      returnWeights: true,
      ...(this.generator ? { generator: this.generator } : {}),
    });
    let out = this.merge(o, N, L);
    let w: Tensor | null = null;
    if (opts.needWeights ?? true) w = (opts.averageAttnWeights ?? true) ? mean(weights, { dim: 1 }) : weights;
    if (unbatched) {
      out = squeeze(out, bd);
      if (w) w = squeeze(w, 0);
    }
    return [out, w];
  }

  /** The input projections, split into heads [N, H, T, D]; one GEMM for self-attention, two when key is value. */
  private project(query: Tensor, key: Tensor, value: Tensor): [Tensor, Tensor, Tensor] {
    const W = this.inProjWeight;
    if (W && query === key && key === value) return this.heads(linear(query, W, this.inProjBias), 3) as [Tensor, Tensor, Tensor];
    return [this.projectQuery(query), ...this.projectKeyValue(key, value)];
  }

  /** Rows i * E ... (i + n) * E - 1 of in_proj_bias (null without biases). */
  private inBias(i: number, n = 1): Tensor | null {
    const b = this.inProjBias;
    return b ? narrow(b, 0, i * this.embedDim, n * this.embedDim) : null;
  }

  /** Q W^Q split into heads [N, H, L, D]. */
  private projectQuery(query: Tensor): Tensor {
    const W = this.inProjWeight;
    return this.heads(linear(query, W ? narrow(W, 0, 0, this.embedDim) : this.qProjWeight!, this.inBias(0)), 1)[0]!;
  }

  /**
   * K W^K and V W^V split into heads [N, H, S, D] (one GEMM when key === value): what an incremental
   * decoder keeps between steps (TransformerDecoder.forwardStep). key and value are batched
   * [S, N, kdim] / [N, S, kdim] as forward's.
   */
  projectKeyValue(key: Tensor, value: Tensor): [Tensor, Tensor] {
    const E = this.embedDim;
    const W = this.inProjWeight;
    if (W && key === value) {
      const [k, v] = this.heads(linear(key, narrow(W, 0, E, 2 * E), this.inBias(1, 2)), 2);
      return [k!, v!];
    }
    return [
      this.heads(linear(key, W ? narrow(W, 0, E, E) : this.kProjWeight!, this.inBias(1)), 1)[0]!,
      this.heads(linear(value, W ? narrow(W, 0, 2 * E, E) : this.vProjWeight!, this.inBias(2)), 1)[0]!,
    ];
  }

  /**
   * Attention of a batched query ([L, N, E] or [N, L, E]) over keys and values already projected
   * into heads ([N, H, S, D], from projectKeyValue), then the output projection: forward's result
   * for those keys and values without projecting them again. keyPaddingMask [N, S] as forward's.
   */
  attendProjected(query: Tensor, k: Tensor, v: Tensor, keyPaddingMask: Tensor | null = null): Tensor {
    const fn = 'MultiheadAttention.attendProjected';
    const bd = this.batchFirst ? 0 : 1;
    const H = this.numHeads;
    if (
      query.ndim !== 3 ||
      query.shape[2] !== this.embedDim ||
      k.ndim !== 4 ||
      k.shape[0] !== query.shape[bd] ||
      k.shape[1] !== H ||
      v.shape[2] !== k.shape[2]
    ) {
      throw new Error(
        `${fn}: expected a batched query [${this.batchFirst ? 'N, L' : 'L, N'}, ${this.embedDim}] and heads [N, ${H}, S, ${this.headDim}], got ${fmtShape(query.shape)}, ${fmtShape(k.shape)}, ${fmtShape(v.shape)}`,
      );
    }
    if (this.biasK || this.addZeroAttn) throw new Error(`${fn}: not available with addBiasKv or addZeroAttn`);
    const N = query.shape[bd]!;
    const L = query.shape[1 - bd]!;
    const S = k.shape[2]!;
    const bias = this.maskBias(fn, null, keyPaddingMask, false, N, L, S, k.dtype);
    const [o] = scaledDotProductAttention(this.projectQuery(query), k, v, {
      attnMask: bias,
      dropoutP: this.training ? this.dropout : 0,
      returnWeights: true,
      ...(this.generator ? { generator: this.generator } : {}),
    });
    return this.merge(o, N, L);
  }

  /** [head_1; ...; head_H] W^O: heads [N, H, L, D] back to [N, L, E] (or [L, N, E]) and the output projection. */
  private merge(o: Tensor, N: number, L: number): Tensor {
    const E = this.embedDim;
    const merged = reshape(permute(o, this.batchFirst ? [0, 2, 1, 3] : [2, 0, 1, 3]), this.batchFirst ? [N, L, E] : [L, N, E]);
    return linear(merged, this.outProj.weight, this.outProj.bias);
  }

  /** [A, B, c * E] (input layout) -> c views [N, H, T, D]: the features of head h are h * D ... (h + 1) * D - 1. */
  private heads(t: Tensor, c: number): Tensor[] {
    const [A, B] = [t.shape[0]!, t.shape[1]!];
    const split = reshape(t, [A, B, c, this.numHeads, this.headDim]);
    const order = this.batchFirst ? [0, 2, 1, 3] : [1, 2, 0, 3];
    return Array.from({ length: c }, (_, i) => permute(select(split, 2, i), order));
  }

  /**
   * The additive mask [.., L, S'] from attnMask ([L, S] or [N * H, L, S]; bool true = masked out),
   * the causal mask and the key padding mask ([N, S]), padded with zeros for bias_k / zero-attention
   * columns. Null when nothing is masked.
   */
  private maskBias(
    fn: string,
    attnMask: Tensor | null,
    kpm: Tensor | null,
    causal: boolean,
    N: number,
    L: number,
    S: number,
    dtype: Tensor['dtype'],
  ): Tensor | null {
    const H = this.numHeads;
    if (attnMask) {
      const ok2 = attnMask.ndim === 2 && attnMask.shape[0] === L && attnMask.shape[1] === S;
      const ok3 = attnMask.ndim === 3 && attnMask.shape[0] === N * H && attnMask.shape[1] === L && attnMask.shape[2] === S;
      if (!ok2 && !ok3) {
        throw new Error(
          `${fn}: attnMask must be [L, S] = [${L}, ${S}] or [N * numHeads, L, S] = [${N * H}, ${L}, ${S}], got ${fmtShape(attnMask.shape)}`,
        );
      }
    }
    let bias = attentionBias(fn, attnMask, 'mask', causal, L, S, dtype);
    if (bias && bias.ndim === 3) bias = reshape(bias, [N, H, L, S]);
    if (kpm) {
      if (kpm.ndim !== 2 || kpm.shape[0] !== N || kpm.shape[1] !== S) {
        throw new Error(`${fn}: keyPaddingMask must be [N, S] = [${N}, ${S}], got ${fmtShape(kpm.shape)}`);
      }
      const kb = reshape(maskToBias(fn, 'keyPaddingMask', kpm, 'mask', dtype), [N, 1, 1, S]);
      bias = bias ? add(bias, kb) : kb;
    }
    const extraCols = (this.biasK ? 1 : 0) + (this.addZeroAttn ? 1 : 0);
    if (bias && extraCols) bias = pad(bias, [0, extraCols]);
    return bias;
  }

  override extraRepr(): string {
    const parts = [`embed_dim=${this.embedDim}`, `num_heads=${this.numHeads}`];
    if (this.dropout) parts.push(`dropout=${this.dropout}`);
    if (!this.inProjWeight) parts.push(`kdim=${this.kdim}`, `vdim=${this.vdim}`);
    if (this.batchFirst) parts.push('batch_first=True');
    return parts.join(', ');
  }
}

/**
 * Reference 2-D convolution kernels (im2col + GEMM): the oracle for the fast kernels.
 * Pure functions on dense row-major arrays and a geometry record; no autograd, no Tensor.
 *
 * Layouts: x [N, C, H, W], w [O, C/groups, KH, KW], y [N, O, OH, OW].
 *   y[n, o, oh, ow] = b[o] + sum_{c, i, j} w[o, c, i, j] x[n, g*C/groups + c, oh*sH - pH + i*dH, ow*sW - pW + j*dW]
 * where g = o / (O/groups) and positions outside the input read as 0. The output size (OH, OW) is
 * given explicitly, not derived: the backward passes of transposed convolutions need outputs that
 * are cropped or extended relative to the usual formula, and asymmetric 'same' padding is just a
 * leading pad with an explicit output size.
 */
import { gemmRef } from './gemm.js';

export interface ConvGeom {
  N: number;
  C: number;
  H: number;
  W: number;
  O: number;
  OH: number;
  OW: number;
  KH: number;
  KW: number;
  strideH: number;
  strideW: number;
  /** Padding before the first row/column (the amount after is implied by OH/OW). */
  padH: number;
  padW: number;
  dilH: number;
  dilW: number;
  groups: number;
}

type Out = { [i: number]: number };

/** cols[(c*KH + i)*KW + j, oh*OW + ow] = x[n, c0 + c, ih, iw] (0 outside the input). */
function im2col(x: ArrayLike<number>, xOff: number, cols: Float64Array, g: ConvGeom, Cg: number): void {
  const { H, W, OH, OW, KH, KW, strideH, strideW, padH, padW, dilH, dilW } = g;
  const P = OH * OW;
  let r = 0;
  for (let c = 0; c < Cg; c++) {
    const plane = xOff + c * H * W;
    for (let i = 0; i < KH; i++) {
      for (let j = 0; j < KW; j++, r++) {
        const row = r * P;
        for (let oh = 0; oh < OH; oh++) {
          const ih = oh * strideH - padH + i * dilH;
          const dst = row + oh * OW;
          if (ih < 0 || ih >= H) {
            cols.fill(0, dst, dst + OW);
            continue;
          }
          const src = plane + ih * W;
          for (let ow = 0; ow < OW; ow++) {
            const iw = ow * strideW - padW + j * dilW;
            cols[dst + ow] = iw >= 0 && iw < W ? x[src + iw]! : 0;
          }
        }
      }
    }
  }
}

/** The adjoint of im2col: x[n, c0 + c, ih, iw] += cols[...]. */
function col2imAdd(cols: Float64Array, gx: Out, xOff: number, g: ConvGeom, Cg: number): void {
  const { H, W, OH, OW, KH, KW, strideH, strideW, padH, padW, dilH, dilW } = g;
  const P = OH * OW;
  let r = 0;
  for (let c = 0; c < Cg; c++) {
    const plane = xOff + c * H * W;
    for (let i = 0; i < KH; i++) {
      for (let j = 0; j < KW; j++, r++) {
        const row = r * P;
        for (let oh = 0; oh < OH; oh++) {
          const ih = oh * strideH - padH + i * dilH;
          if (ih < 0 || ih >= H) continue;
          const dst = plane + ih * W;
          const src = row + oh * OW;
          for (let ow = 0; ow < OW; ow++) {
            const iw = ow * strideW - padW + j * dilW;
            if (iw >= 0 && iw < W) gx[dst + iw] = gx[dst + iw]! + cols[src + ow]!;
          }
        }
      }
    }
  }
}

function sizes(g: ConvGeom): { Cg: number; Og: number; Kc: number; P: number } {
  const Cg = g.C / g.groups;
  const Og = g.O / g.groups;
  return { Cg, Og, Kc: Cg * g.KH * g.KW, P: g.OH * g.OW };
}

/** y = conv(x, w) + b, written into y ([N, O, OH, OW], fully overwritten). */
export function convForward(x: ArrayLike<number>, w: ArrayLike<number>, b: ArrayLike<number> | null, y: Out, g: ConvGeom): void {
  const { Cg, Og, Kc, P } = sizes(g);
  const cols = new Float64Array(Kc * P);
  for (let n = 0; n < g.N; n++) {
    for (let gr = 0; gr < g.groups; gr++) {
      im2col(x, (n * g.C + gr * Cg) * g.H * g.W, cols, g, Cg);
      const offC = (n * g.O + gr * Og) * P;
      gemmRef({
        transA: false,
        transB: false,
        M: Og,
        N: P,
        K: Kc,
        A: w,
        offA: gr * Og * Kc,
        lda: Kc,
        B: cols,
        offB: 0,
        ldb: P,
        C: y,
        offC,
        ldc: P,
      });
    }
    if (b) {
      for (let o = 0; o < g.O; o++) {
        const bo = b[o]!;
        const base = (n * g.O + o) * P;
        for (let k = 0; k < P; k++) y[base + k] = y[base + k]! + bo;
      }
    }
  }
}

/**
 * gx = d<gy, conv(x, w)>/dx (the transposed convolution of gy with w), written into gx
 * ([N, C, H, W], fully overwritten).
 */
export function convBackwardInput(gy: ArrayLike<number>, w: ArrayLike<number>, gx: Out & { length: number }, g: ConvGeom): void {
  const { Cg, Og, Kc, P } = sizes(g);
  for (let k = 0; k < g.N * g.C * g.H * g.W; k++) gx[k] = 0;
  const cols = new Float64Array(Kc * P);
  for (let n = 0; n < g.N; n++) {
    for (let gr = 0; gr < g.groups; gr++) {
      if (Og === 0 || P === 0) continue;
      gemmRef({
        transA: true,
        transB: false,
        M: Kc,
        N: P,
        K: Og,
        A: w,
        offA: gr * Og * Kc,
        lda: Kc,
        B: gy,
        offB: (n * g.O + gr * Og) * P,
        ldb: P,
        C: cols,
        offC: 0,
        ldc: P,
      });
      col2imAdd(cols, gx, (n * g.C + gr * Cg) * g.H * g.W, g, Cg);
    }
  }
}

/** gw = d<gy, conv(x, w)>/dw, written into gw ([O, C/groups, KH, KW], fully overwritten). */
export function convBackwardWeight(x: ArrayLike<number>, gy: ArrayLike<number>, gw: Out, g: ConvGeom): void {
  const { Cg, Og, Kc, P } = sizes(g);
  for (let k = 0; k < g.O * Kc; k++) gw[k] = 0;
  const cols = new Float64Array(Kc * P);
  const part = new Float64Array(Og * Kc);
  for (let n = 0; n < g.N; n++) {
    for (let gr = 0; gr < g.groups; gr++) {
      if (P === 0) continue;
      im2col(x, (n * g.C + gr * Cg) * g.H * g.W, cols, g, Cg);
      gemmRef({
        transA: false,
        transB: true,
        M: Og,
        N: Kc,
        K: P,
        A: gy,
        offA: (n * g.O + gr * Og) * P,
        lda: P,
        B: cols,
        offB: 0,
        ldb: P,
        C: part,
        offC: 0,
        ldc: Kc,
      });
      const base = gr * Og * Kc;
      for (let k = 0; k < Og * Kc; k++) gw[base + k] = gw[base + k]! + part[k]!;
    }
  }
}

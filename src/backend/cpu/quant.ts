/**
 * Reference integer kernels for int8 inference (the oracle of src/backend/wasm/assembly/qgemm.ts):
 *
 *   acc[m,n] = bias[n] + sum_k X[m,k] W[n,k]                                  exact int32
 *   Y[m,n]   = clamp(nearest_even(f32(f32(acc) * scale[n])) + zOut, qmin, qmax)
 *
 * Every step is written to give the bits WebAssembly gives: Math.fround after each float32
 * operation (a product of two float32 values is exact in float64, so rounding it once is the
 * correctly rounded float32 product), round-half-to-even as f32.nearest, and the clamp taken on the
 * float before it becomes an integer. Int32 sums wrap like i32.add (Math.imul and `| 0`), though
 * int8 products over any K below 2^17 never come near the limit.
 */

/** Round half to even (IEEE roundTiesToEven, as WebAssembly's f32.nearest). */
export function nearestEven(x: number): number {
  const r = Math.round(x);
  // Math.round sends halves up; a half whose upward neighbour is odd goes down instead.
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** One accumulator to the int8 grid: clamp(nearest(f32(acc) * scale) + zOut, qmin, qmax). */
export function requantizeRef(acc: number, scale: number, zOut: number, qmin: number, qmax: number): number {
  const q = Math.fround(nearestEven(Math.fround(Math.fround(acc) * scale)) + zOut);
  return q < qmin ? qmin : q > qmax ? qmax : q;
}

export interface QGemmArgs {
  M: number;
  N: number;
  K: number;
  /** X [M, K] int8, row m at xOff + m * ldx. */
  x: Int8Array;
  xOff: number;
  ldx: number;
  /** W [N, K] int8, row n at wOff + n * ldw. */
  w: Int8Array;
  wOff: number;
  ldw: number;
  /** int32 [N]: the bias in accumulator units with the input zero point folded in. */
  bias: Int32Array;
  /** float32 [N]: s_x s_w[n] / s_y (int8 output) or s_x s_w[n] (float output). */
  scale: Float32Array;
  zOut: number;
  qmin: number;
  qmax: number;
  /** Y [M, N]: Int8Array (requantized) or Float32Array (dequantized accumulators), row m at outOff + m * ldo. */
  out: Int8Array | Float32Array;
  outOff: number;
  ldo: number;
}

/** The reference quantized product (see the file header). */
export function qgemmRef(g: QGemmArgs): void {
  const { M, N, K, x, xOff, ldx, w, wOff, ldw, bias, scale, zOut, qmin, qmax, out, outOff, ldo } = g;
  const float = out instanceof Float32Array;
  for (let m = 0; m < M; m++) {
    const xr = xOff + m * ldx;
    for (let n = 0; n < N; n++) {
      const wr = wOff + n * ldw;
      let acc = bias[n]!;
      for (let k = 0; k < K; k++) acc = (acc + Math.imul(x[xr + k]!, w[wr + k]!)) | 0;
      const o = outOff + m * ldo + n;
      out[o] = float ? Math.fround(acc) * scale[n]! : requantizeRef(acc, scale[n]!, zOut, qmin, qmax);
    }
  }
}

/** Convolution geometry on NHWC int8 images. */
export interface QConvGeom {
  N: number;
  H: number;
  W: number;
  C: number;
  KH: number;
  KW: number;
  strideH: number;
  strideW: number;
  padH: number;
  padW: number;
  dilH: number;
  dilW: number;
  OH: number;
  OW: number;
}

/**
 * NHWC im2col: row r of `cols` (ldc apart; r over N x OH x OW) holds the KH x KW x C patch in
 * (kh, kw, c) order; positions outside the image hold zIn, the integer that means real 0.
 */
export function im2colNhwcRef(x: Int8Array, g: QConvGeom, zIn: number, cols: Int8Array, ldc: number): void {
  const { N, H, W, C, KH, KW, strideH, strideW, padH, padW, dilH, dilW, OH, OW } = g;
  let r = 0;
  for (let b = 0; b < N; b++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++, r++) {
        let d = r * ldc;
        for (let i = 0; i < KH; i++) {
          const ih = oh * strideH - padH + i * dilH;
          for (let j = 0; j < KW; j++) {
            const iw = ow * strideW - padW + j * dilW;
            const inside = ih >= 0 && ih < H && iw >= 0 && iw < W;
            const s = ((b * H + ih) * W + iw) * C;
            for (let c = 0; c < C; c++) cols[d++] = inside ? x[s + c]! : zIn;
          }
        }
      }
    }
  }
}

/** NHWC max pooling without padding: x [N, H, W, C] -> y [N, OH, OW, C]. */
export function qmaxPoolNhwcRef(
  x: Int8Array,
  g: { N: number; H: number; W: number; C: number; KH: number; KW: number; strideH: number; strideW: number; OH: number; OW: number },
  y: Int8Array,
): void {
  const { N, H, W, C, KH, KW, strideH, strideW, OH, OW } = g;
  for (let b = 0; b < N; b++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        for (let c = 0; c < C; c++) {
          let best = -128;
          for (let i = 0; i < KH; i++) {
            for (let j = 0; j < KW; j++) best = Math.max(best, x[((b * H + oh * strideH + i) * W + ow * strideW + j) * C + c]!);
          }
          y[((b * OH + oh) * OW + ow) * C + c] = best;
        }
      }
    }
  }
}

/**
 * Float NCHW [N, C, P] to int8 NHWC [N, P, C]: q = clamp(nearest_even(f32(x / s)) + z, qmin, qmax).
 * The float64 quotient of two float32 values rounded once to float32 is the correctly rounded
 * float32 quotient, as f32.div gives.
 */
export function quantizeNhwcRef(
  x: ArrayLike<number>,
  N: number,
  C: number,
  P: number,
  scale: number,
  zp: number,
  qmin: number,
  qmax: number,
  y: Int8Array,
): void {
  for (let b = 0; b < N; b++) {
    for (let c = 0; c < C; c++) {
      for (let p = 0; p < P; p++) {
        const q = Math.fround(nearestEven(Math.fround(x[(b * C + c) * P + p]! / scale)) + zp);
        y[(b * P + p) * C + c] = q < qmin ? qmin : q > qmax ? qmax : q;
      }
    }
  }
}

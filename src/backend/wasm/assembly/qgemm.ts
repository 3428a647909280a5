// Int8 GEMM with int32 accumulation and float32 requantization, and the NHWC im2col that turns a
// convolution into it (the quantized layers of src/compress).
//
//   acc[m,n] = bias[n] + sum_k X[m,k] W[n,k]                       (int32, exact)
//   Y[m,n]   = clamp(nearest(f32(acc[m,n]) * scale[n]) + zOut, qmin, qmax)   (int8)
//   or, with outFloat, Y[m,n] = f32(acc[m,n]) * scale[n]                     (float32, dequantized)
//
// X [M, K] int8 rows (ldx bytes apart), W [N, K] int8 rows (ldw apart): both read along K, so one
// row of each is a dot product and neither needs packing. bias int32 [N] (the bias in units of
// s_x s_w[n], with the activation zero point already folded in: b_q[n] - z_x sum_k W[n,k]),
// scale f32 [N] (s_x s_w[n] / s_y, or s_x s_w[n] for a float output). Every product is exact in
// int32 and the requantization is one correctly rounded f32 multiply and a round-half-to-even, so
// the result is the same bits as the reference (src/backend/cpu/quant.ts) in any summation order,
// on every path and thread count.
//
// Two dot products, chosen per call:
//   dot7 = 1: i32x4.relaxed_dot_i8x16_i7x16_add_s(W, X, acc), 16 multiply-adds in one instruction
//     (x86 vpmaddubsw + vpmaddwd, ARM sdot). Deterministic only when the second operand's top bit
//     is clear, so the caller sets it only for activations in [0, 127] (the "reduced range" that
//     PyTorch's fbgemm backend also uses for the same reason) on a module built with relaxed SIMD.
//   dot7 = 0: widen to i16 (i16x8.extend_low/high_i8x16_s) and i32x4.dot_i16x8_s, 8 per instruction.
// Tile: 2 rows of X by 4 rows of W = 8 i32x4 accumulators plus the 6 loaded vectors, inside V8's
// ~15 usable vector registers; the widening path keeps the same tile (it reloads rather than spills).

@inline
function dot16(w: v128, x: v128, acc: v128, dot7: bool): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) {
    // The fused i32x4.relaxed_dot_i8x16_i7x16_add_s gave doubled sums under Node 20's V8 11.3 on
    // an AVX-VNNI machine (measured); the two-step form below is exact there and costs one add more.
    if (dot7) return i32x4.add(acc, i32x4.extadd_pairwise_i16x8_s(i16x8.relaxed_dot_i8x16_i7x16_s(w, x)));
  }
  const lo = i32x4.dot_i16x8_s(i16x8.extend_low_i8x16_s(w), i16x8.extend_low_i8x16_s(x));
  const hi = i32x4.dot_i16x8_s(i16x8.extend_high_i8x16_s(w), i16x8.extend_high_i8x16_s(x));
  return i32x4.add(acc, i32x4.add(lo, hi));
}

@inline
function hsum(v: v128): i32 {
  return i32x4.extract_lane(v, 0) + i32x4.extract_lane(v, 1) + i32x4.extract_lane(v, 2) + i32x4.extract_lane(v, 3);
}

/** sum_k x[k] w[k] over the K % 16 tail starting at k0. */
@inline
function tail(x: usize, w: usize, k0: i32, K: i32): i32 {
  let s: i32 = 0;
  for (let k = k0; k < K; k++) s += <i32>load<i8>(x + <usize>k) * <i32>load<i8>(w + <usize>k);
  return s;
}

// Clamped as a float before the conversion, so no input can trap and the integer is exact.
@inline
function requant(acc: i32, scale: f32, zOut: i32, qmin: i32, qmax: i32): i32 {
  const q = nearest<f32>(<f32>acc * scale) + <f32>zOut;
  return <i32>min<f32>(max<f32>(q, <f32>qmin), <f32>qmax);
}

@inline
function put(out: usize, ldo: i32, m: i32, n: i32, acc: i32, scale: usize, zOut: i32, qmin: i32, qmax: i32, outFloat: i32): void {
  const s = load<f32>(scale + <usize>n * 4);
  if (outFloat) store<f32>(out + (<usize>m * ldo + n) * 4, <f32>acc * s);
  else store<i8>(out + <usize>m * ldo + n, <i8>requant(acc, s, zOut, qmin, qmax));
}

/** One X row against one W row (edge tiles). */
function dot1(x: usize, w: usize, K: i32, dot7: bool): i32 {
  let a = i32x4.splat(0);
  let k: i32 = 0;
  for (; k + 16 <= K; k += 16) a = dot16(v128.load(w + <usize>k), v128.load(x + <usize>k), a, dot7);
  return hsum(a) + tail(x, w, k, K);
}

/** [hsum(a0), hsum(a1), hsum(a2), hsum(a3)]: four horizontal sums in six instructions. */
@inline
function hsum4(a0: v128, a1: v128, a2: v128, a3: v128): v128 {
  const t0 = i32x4.add(v128.shuffle<i32>(a0, a1, 0, 4, 1, 5), v128.shuffle<i32>(a0, a1, 2, 6, 3, 7));
  const t1 = i32x4.add(v128.shuffle<i32>(a2, a3, 0, 4, 1, 5), v128.shuffle<i32>(a2, a3, 2, 6, 3, 7));
  return i32x4.add(v128.shuffle<i32>(t0, t1, 0, 1, 4, 5), v128.shuffle<i32>(t0, t1, 2, 3, 6, 7));
}

/** Four outputs of one row from their accumulators: the vector form of `put` (same rounding, lane by lane). */
@inline
function put4(out: usize, ldo: i32, m: i32, n: i32, acc: v128, s: v128, z: v128, lo: v128, hi: v128, outFloat: i32): void {
  const f = f32x4.mul(f32x4.convert_i32x4_s(acc), s);
  if (outFloat) {
    v128.store(out + (<usize>m * ldo + n) * 4, f);
  } else {
    const q = i32x4.trunc_sat_f32x4_s(f32x4.min(f32x4.max(f32x4.add(f32x4.nearest(f), z), lo), hi));
    const b = i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(q, q), q);
    v128.store32_lane(out + <usize>m * ldo + n, b, 0);
  }
}

/**
 * The quantized product above for rows m in [0, M) of X and Y. Pointers are byte addresses; ldo
 * counts elements of Y (int8, or f32 when outFloat). The caller splits M across threads and pads K
 * to a multiple of 16 where it can (the K % 16 tail is scalar).
 */
export function qgemm(
  M: i32,
  N: i32,
  K: i32,
  X: usize,
  ldx: i32,
  W: usize,
  ldw: i32,
  Y: usize,
  ldo: i32,
  bias: usize,
  scale: usize,
  zOut: i32,
  qmin: i32,
  qmax: i32,
  dot7i: i32,
  outFloat: i32,
): void {
  const dot7 = dot7i != 0;
  const K16 = K & ~15;
  const z = f32x4.splat(<f32>zOut);
  const lo = f32x4.splat(<f32>qmin);
  const hi = f32x4.splat(<f32>qmax);
  let m: i32 = 0;
  for (; m + 2 <= M; m += 2) {
    const x0 = X + <usize>m * ldx;
    const x1 = x0 + <usize>ldx;
    let n: i32 = 0;
    for (; n + 4 <= N; n += 4) {
      const w0 = W + <usize>n * ldw;
      const w1 = w0 + <usize>ldw;
      const w2 = w1 + <usize>ldw;
      const w3 = w2 + <usize>ldw;
      let a00 = i32x4.splat(0), a01 = i32x4.splat(0), a02 = i32x4.splat(0), a03 = i32x4.splat(0);
      let a10 = i32x4.splat(0), a11 = i32x4.splat(0), a12 = i32x4.splat(0), a13 = i32x4.splat(0);
      for (let k: i32 = 0; k < K16; k += 16) {
        const kk = <usize>k;
        const xv0 = v128.load(x0 + kk);
        const xv1 = v128.load(x1 + kk);
        let wv = v128.load(w0 + kk);
        a00 = dot16(wv, xv0, a00, dot7);
        a10 = dot16(wv, xv1, a10, dot7);
        wv = v128.load(w1 + kk);
        a01 = dot16(wv, xv0, a01, dot7);
        a11 = dot16(wv, xv1, a11, dot7);
        wv = v128.load(w2 + kk);
        a02 = dot16(wv, xv0, a02, dot7);
        a12 = dot16(wv, xv1, a12, dot7);
        wv = v128.load(w3 + kk);
        a03 = dot16(wv, xv0, a03, dot7);
        a13 = dot16(wv, xv1, a13, dot7);
      }
      const b = v128.load(bias + <usize>n * 4);
      let r0 = i32x4.add(b, hsum4(a00, a01, a02, a03));
      let r1 = i32x4.add(b, hsum4(a10, a11, a12, a13));
      if (K16 < K) {
        r0 = i32x4.add(r0, tail4(x0, w0, ldw, K16, K));
        r1 = i32x4.add(r1, tail4(x1, w0, ldw, K16, K));
      }
      const s = v128.load(scale + <usize>n * 4);
      put4(Y, ldo, m, n, r0, s, z, lo, hi, outFloat);
      put4(Y, ldo, m + 1, n, r1, s, z, lo, hi, outFloat);
    }
    for (; n < N; n++) {
      const w = W + <usize>n * ldw;
      const b = load<i32>(bias + <usize>n * 4);
      put(Y, ldo, m, n, b + dot1(x0, w, K, dot7), scale, zOut, qmin, qmax, outFloat);
      put(Y, ldo, m + 1, n, b + dot1(x1, w, K, dot7), scale, zOut, qmin, qmax, outFloat);
    }
  }
  for (; m < M; m++) {
    const x = X + <usize>m * ldx;
    for (let n: i32 = 0; n < N; n++) {
      put(Y, ldo, m, n, load<i32>(bias + <usize>n * 4) + dot1(x, W + <usize>n * ldw, K, dot7), scale, zOut, qmin, qmax, outFloat);
    }
  }
}

/** The K % 16 tails of one X row against four consecutive W rows, as a vector. */
@inline
function tail4(x: usize, w0: usize, ldw: i32, k0: i32, K: i32): v128 {
  const l = <usize>ldw;
  let v = i32x4.splat(tail(x, w0, k0, K));
  v = i32x4.replace_lane(v, 1, tail(x, w0 + l, k0, K));
  v = i32x4.replace_lane(v, 2, tail(x, w0 + 2 * l, k0, K));
  return i32x4.replace_lane(v, 3, tail(x, w0 + 3 * l, k0, K));
}

/**
 * NHWC im2col for int8: for output rows r in [r0, r1) of the N x OH x OW grid, row r of `cols`
 * (ldc bytes apart) holds the KH x KW x C patch in (kh, kw, c) order, positions outside the image
 * filled with zIn (the quantized zero, so padding means real 0 as in the float convolution).
 * x: [N, H, W, C] int8.
 */
export function qim2col(
  x: usize,
  H: i32,
  W: i32,
  C: i32,
  KH: i32,
  KW: i32,
  SH: i32,
  SW: i32,
  PH: i32,
  PW: i32,
  DH: i32,
  DW: i32,
  OH: i32,
  OW: i32,
  zIn: i32,
  cols: usize,
  ldc: i32,
  r0: i32,
  r1: i32,
): void {
  const plane = OH * OW;
  const used = KH * KW * C;
  const zero = i32x4.splat(0);
  for (let r = r0; r < r1; r++) {
    const b = r / plane;
    const rem = r - b * plane;
    const oh = rem / OW;
    const ow = rem - oh * OW;
    const row = cols + <usize>r * ldc;
    // Rows are padded to ldc bytes (a multiple of 16 for the GEMM) with zeros, which add nothing;
    // the padding is shorter than 16 bytes, so one store over the row's last 16 covers it.
    if (ldc > used) v128.store(row + <usize>(ldc - 16), zero);
    let dst = row;
    const img = x + <usize>(b * H * W * C);
    const ih0 = oh * SH - PH;
    const iw0 = ow * SW - PW;
    if (ih0 >= 0 && iw0 >= 0 && ih0 + (KH - 1) * DH < H && iw0 + (KW - 1) * DW < W) {
      // The whole window lies inside the image: no bounds checks.
      for (let i: i32 = 0; i < KH; i++) {
        let src = img + <usize>(((ih0 + i * DH) * W + iw0) * C);
        const step = <usize>(DW * C);
        if (C == 1) {
          for (let j: i32 = 0; j < KW; j++, src += step) store<i8>(dst++, load<i8>(src));
        } else if ((C & 15) == 0) {
          for (let j: i32 = 0; j < KW; j++, src += step) {
            for (let c: i32 = 0; c < C; c += 16) v128.store(dst + <usize>c, v128.load(src + <usize>c));
            dst += <usize>C;
          }
        } else {
          for (let j: i32 = 0; j < KW; j++, src += step) {
            memory.copy(dst, src, <usize>C);
            dst += <usize>C;
          }
        }
      }
      continue;
    }
    for (let i: i32 = 0; i < KH; i++) {
      const ih = oh * SH - PH + i * DH;
      const rowOk = ih >= 0 && ih < H;
      for (let j: i32 = 0; j < KW; j++) {
        const iw = ow * SW - PW + j * DW;
        if (rowOk && iw >= 0 && iw < W) {
          const src = img + <usize>((ih * W + iw) * C);
          if (C == 1) store<i8>(dst, load<i8>(src));
          else if ((C & 15) == 0) {
            for (let c: i32 = 0; c < C; c += 16) v128.store(dst + <usize>c, v128.load(src + <usize>c));
          } else memory.copy(dst, src, <usize>C);
        } else if (C == 1) {
          store<i8>(dst, <i8>zIn);
        } else {
          memory.fill(dst, <u8>zIn, <usize>C);
        }
        dst += <usize>C;
      }
    }
  }
}

/**
 * Float NCHW images to the int8 grid in NHWC order: q = clamp(nearest(f32(x / s)) + z, qmin, qmax)
 * (a float32 quotient: the reference rounds x / s to float32 the same way). x: [N, C, P] f32,
 * y: [N, P, C] int8, P = H * W.
 */
export function qquantize(x: usize, N: i32, C: i32, P: i32, scale: f32, zp: i32, qmin: i32, qmax: i32, y: usize): void {
  const s = f32x4.splat(scale);
  const z = f32x4.splat(<f32>zp);
  const lo = f32x4.splat(<f32>qmin);
  const hi = f32x4.splat(<f32>qmax);
  for (let b: i32 = 0; b < N; b++) {
    for (let c: i32 = 0; c < C; c++) {
      const src = x + <usize>((b * C + c) * P) * 4;
      const dst = y + <usize>(b * P * C + c);
      let p: i32 = 0;
      if (C == 1) {
        for (; p + 4 <= P; p += 4) {
          const v = f32x4.add(f32x4.nearest(f32x4.div(v128.load(src + <usize>p * 4), s)), z);
          const q = i32x4.trunc_sat_f32x4_s(f32x4.min(f32x4.max(v, lo), hi));
          v128.store32_lane(dst + <usize>p, i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(q, q), q), 0);
        }
      }
      for (; p < P; p++) {
        const v = nearest<f32>(load<f32>(src + <usize>p * 4) / scale) + <f32>zp;
        store<i8>(dst + <usize>(p * C), <i8>(<i32>min<f32>(max<f32>(v, <f32>qmin), <f32>qmax)));
      }
    }
  }
}

/**
 * NHWC max pooling on int8 (the maximum commutes with the monotone quantization map, so it is taken
 * on the integers): x [N, H, W, C] -> y [N, OH, OW, C], window KH x KW, stride SH x SW, no padding.
 * Sixteen channels per i8x16.max_s.
 */
export function qmaxPool(x: usize, N: i32, H: i32, W: i32, C: i32, KH: i32, KW: i32, SH: i32, SW: i32, OH: i32, OW: i32, y: usize): void {
  const C16 = C & ~15;
  for (let b: i32 = 0; b < N; b++) {
    const img = x + <usize>(b * H * W * C);
    for (let oh: i32 = 0; oh < OH; oh++) {
      for (let ow: i32 = 0; ow < OW; ow++) {
        const first = img + <usize>(((oh * SH) * W + ow * SW) * C);
        const out = y + <usize>(((b * OH + oh) * OW + ow) * C);
        let c: i32 = 0;
        for (; c < C16; c += 16) {
          let best = v128.load(first + <usize>c);
          for (let i: i32 = 0; i < KH; i++) {
            for (let j: i32 = 0; j < KW; j++) {
              best = i8x16.max_s(best, v128.load(first + <usize>((i * W + j) * C + c)));
            }
          }
          v128.store(out + <usize>c, best);
        }
        for (; c < C; c++) {
          let best = load<i8>(first + <usize>c);
          for (let i: i32 = 0; i < KH; i++) {
            for (let j: i32 = 0; j < KW; j++) {
              const v = load<i8>(first + <usize>((i * W + j) * C + c));
              if (v > best) best = v;
            }
          }
          store<i8>(out + <usize>c, best);
        }
      }
    }
  }
}

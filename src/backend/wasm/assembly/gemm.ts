// Packed, cache-blocked f32 GEMM with a 4x8 f32x4 register tile (BLIS loop order).
//
//   C[M,N] (+)= op(A)[M,K] · op(B)[K,N]      op(X) = X or X^T, read through a leading dimension.
//
// All pointers are byte addresses into the (shared) linear memory; the JS side owns the memory
// layout, so this module has no static data and no allocator. `scratch` is a per-thread area of
// at least scratchFloats() floats for the packed blocks and one edge tile.
//
// Why 4x8: 8 accumulators + 2 B vectors + 1 broadcast A = 11 of V8's ~15 usable vector registers;
// larger tiles spill and get slower (measured). Relaxed-SIMD FMA is used when the module is
// compiled with --enable relaxed-simd (ASC_FEATURE_RELAXED_SIMD is a compile-time constant, so the
// plain variant never contains the instruction).

const MR: i32 = 4;
const NR: i32 = 8;
const KC: i32 = 256;
const MC: i32 = 96;
const NC: i32 = 2048;

@inline
function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) {
    return f32x4.relaxed_madd(a, b, c);
  } else {
    return f32x4.add(f32x4.mul(a, b), c);
  }
}

/** Floats of scratch one gemm() call needs. */
export function scratchFloats(): i32 {
  return MC * KC + KC * NC + MR * NR + 64;
}

/** 1 when this module was built with relaxed SIMD (for reporting). */
export function isRelaxed(): i32 {
  return ASC_FEATURE_RELAXED_SIMD ? 1 : 0;
}

// Ap[(p*kc + k)*MR + r] = A(i0 + p*MR + r, k0 + k), zero beyond M.
function packA(transA: i32, A: usize, lda: i32, i0: i32, mc: i32, k0: i32, kc: i32, Ap: usize): void {
  for (let p: i32 = 0; p < mc; p += MR) {
    const rows = min(MR, mc - p);
    let dst = Ap + <usize>(p * kc) * 4;
    if (transA) {
      // A^T stored [K, M]: the MR rows at one k are contiguous.
      let src = A + (<usize>(k0) * lda + i0 + p) * 4;
      if (rows == MR) {
        for (let k: i32 = 0; k < kc; k++) {
          v128.store(dst, v128.load(src));
          dst += 16;
          src += <usize>lda * 4;
        }
      } else {
        for (let k: i32 = 0; k < kc; k++) {
          for (let r: i32 = 0; r < MR; r++) {
            store<f32>(dst + <usize>r * 4, r < rows ? load<f32>(src + <usize>r * 4) : 0);
          }
          dst += 16;
          src += <usize>lda * 4;
        }
      }
    } else {
      const base = A + (<usize>(i0 + p) * lda + k0) * 4;
      const ld = <usize>lda * 4;
      if (rows == MR) {
        let k: i32 = 0;
        // 4x4 transposes: four rows of 4 k-values become four k-steps of 4 rows.
        for (; k + 4 <= kc; k += 4) {
          const s = base + <usize>k * 4;
          transpose4(v128.load(s), v128.load(s + ld), v128.load(s + 2 * ld), v128.load(s + 3 * ld), dst, 16);
          dst += 64;
        }
        for (; k < kc; k++) {
          const s = base + <usize>k * 4;
          store<f32>(dst, load<f32>(s));
          store<f32>(dst, load<f32>(s + ld), 4);
          store<f32>(dst, load<f32>(s + 2 * ld), 8);
          store<f32>(dst, load<f32>(s + 3 * ld), 12);
          dst += 16;
        }
      } else {
        for (let k: i32 = 0; k < kc; k++) {
          for (let r: i32 = 0; r < MR; r++) {
            store<f32>(dst + <usize>r * 4, r < rows ? load<f32>(base + <usize>r * ld + <usize>k * 4) : 0);
          }
          dst += 16;
        }
      }
    }
  }
}

// Bp[(q*kc + k)*NR + c] = B(k0 + k, j0 + q*NR + c), zero beyond N.
function packB(transB: i32, B: usize, ldb: i32, k0: i32, kc: i32, j0: i32, nc: i32, Bp: usize): void {
  for (let q: i32 = 0; q < nc; q += NR) {
    const cols = min(NR, nc - q);
    let dst = Bp + <usize>(q * kc) * 4;
    if (!transB) {
      let src = B + (<usize>k0 * ldb + j0 + q) * 4;
      if (cols == NR) {
        for (let k: i32 = 0; k < kc; k++) {
          v128.store(dst, v128.load(src));
          v128.store(dst, v128.load(src, 16), 16);
          dst += 32;
          src += <usize>ldb * 4;
        }
      } else {
        for (let k: i32 = 0; k < kc; k++) {
          for (let c: i32 = 0; c < NR; c++) {
            store<f32>(dst + <usize>c * 4, c < cols ? load<f32>(src + <usize>c * 4) : 0);
          }
          dst += 32;
          src += <usize>ldb * 4;
        }
      }
    } else {
      // B^T stored [N, K]: column j of B is row j of the storage.
      const base = B + (<usize>(j0 + q) * ldb + k0) * 4;
      const ld = <usize>ldb * 4;
      if (cols == NR) {
        // 4x4 transposes: eight rows of 4 k-values become four k-steps of 8 columns.
        let k: i32 = 0;
        for (; k + 4 <= kc; k += 4) {
          const s = base + <usize>k * 4;
          const d = dst + <usize>(k * NR) * 4;
          transpose4(v128.load(s), v128.load(s + ld), v128.load(s + 2 * ld), v128.load(s + 3 * ld), d, 32);
          transpose4(v128.load(s + 4 * ld), v128.load(s + 5 * ld), v128.load(s + 6 * ld), v128.load(s + 7 * ld), d + 16, 32);
        }
        for (; k < kc; k++) {
          for (let c: i32 = 0; c < NR; c++) store<f32>(dst + <usize>(k * NR + c) * 4, load<f32>(base + <usize>c * ld + <usize>k * 4));
        }
        continue;
      }
      for (let c: i32 = 0; c < NR; c++) {
        let d = dst + <usize>c * 4;
        if (c < cols) {
          let s = base + <usize>c * ld;
          for (let k: i32 = 0; k < kc; k++) {
            store<f32>(d, load<f32>(s));
            d += 32;
            s += 4;
          }
        } else {
          for (let k: i32 = 0; k < kc; k++) {
            store<f32>(d, 0);
            d += 32;
          }
        }
      }
    }
  }
}

// Rows r0..r3 (4 k-values each) stored as four k-steps of 4 values, `step` bytes apart (16 in a
// packed A micro-panel of MR rows, 32 in a packed B row of NR columns).
@inline
function transpose4(r0: v128, r1: v128, r2: v128, r3: v128, dst: usize, step: usize): void {
  const t0 = v128.shuffle<u32>(r0, r1, 0, 4, 1, 5);
  const t1 = v128.shuffle<u32>(r2, r3, 0, 4, 1, 5);
  const t2 = v128.shuffle<u32>(r0, r1, 2, 6, 3, 7);
  const t3 = v128.shuffle<u32>(r2, r3, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<u64>(t0, t1, 0, 2));
  v128.store(dst + step, v128.shuffle<u64>(t0, t1, 1, 3));
  v128.store(dst + 2 * step, v128.shuffle<u64>(t2, t3, 0, 2));
  v128.store(dst + 3 * step, v128.shuffle<u64>(t2, t3, 1, 3));
}

// The register tile: a 4x8 block of C from a packed A micro-panel and a packed B micro-panel.
// accumulate = 0 overwrites C, 1 adds to it.
@inline
function micro(kc: i32, Ap: usize, Bp: usize, C: usize, ldc: i32, accumulate: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let a = Ap;
  let b = Bp;
  for (let k: i32 = 0; k < kc; k++) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let x = v128.load32_splat(a);
    c00 = madd(x, b0, c00);
    c01 = madd(x, b1, c01);
    x = v128.load32_splat(a, 4);
    c10 = madd(x, b0, c10);
    c11 = madd(x, b1, c11);
    x = v128.load32_splat(a, 8);
    c20 = madd(x, b0, c20);
    c21 = madd(x, b1, c21);
    x = v128.load32_splat(a, 12);
    c30 = madd(x, b0, c30);
    c31 = madd(x, b1, c31);
    a += 16;
    b += 32;
  }
  const ld = <usize>ldc * 4;
  let c = C;
  if (accumulate) {
    v128.store(c, f32x4.add(v128.load(c), c00));
    v128.store(c, f32x4.add(v128.load(c, 16), c01), 16);
    c += ld;
    v128.store(c, f32x4.add(v128.load(c), c10));
    v128.store(c, f32x4.add(v128.load(c, 16), c11), 16);
    c += ld;
    v128.store(c, f32x4.add(v128.load(c), c20));
    v128.store(c, f32x4.add(v128.load(c, 16), c21), 16);
    c += ld;
    v128.store(c, f32x4.add(v128.load(c), c30));
    v128.store(c, f32x4.add(v128.load(c, 16), c31), 16);
  } else {
    v128.store(c, c00);
    v128.store(c, c01, 16);
    c += ld;
    v128.store(c, c10);
    v128.store(c, c11, 16);
    c += ld;
    v128.store(c, c20);
    v128.store(c, c21, 16);
    c += ld;
    v128.store(c, c30);
    v128.store(c, c31, 16);
  }
}

/**
 * C (+)= op(A)·op(B). Row-major, leading dimensions in elements. accumulate: 0 overwrites C,
 * 1 adds. Each element's sum runs over k in the same order whatever the caller's split of M or N,
 * so splitting across threads does not change results.
 */
export function gemm(
  transA: i32, transB: i32, M: i32, N: i32, K: i32,
  A: usize, lda: i32, B: usize, ldb: i32, C: usize, ldc: i32,
  accumulate: i32, scratch: usize,
): void {
  if (M <= 0 || N <= 0) return;
  if (K <= 0) {
    if (!accumulate) {
      for (let i: i32 = 0; i < M; i++) memory.fill(C + <usize>i * ldc * 4, 0, <usize>N * 4);
    }
    return;
  }
  const Ap = scratch;
  const Bp = scratch + <usize>(MC * KC) * 4;
  const tile = Bp + <usize>(KC * NC) * 4;
  for (let jc: i32 = 0; jc < N; jc += NC) {
    const nc = min(NC, N - jc);
    for (let pc: i32 = 0; pc < K; pc += KC) {
      const kc = min(KC, K - pc);
      const acc = pc > 0 ? 1 : accumulate;
      packB(transB, B, ldb, pc, kc, jc, nc, Bp);
      for (let ic: i32 = 0; ic < M; ic += MC) {
        const mc = min(MC, M - ic);
        packA(transA, A, lda, ic, mc, pc, kc, Ap);
        for (let jr: i32 = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const bp = Bp + <usize>(jr * kc) * 4;
          for (let ir: i32 = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            const ap = Ap + <usize>(ir * kc) * 4;
            const cp = C + (<usize>(ic + ir) * ldc + jc + jr) * 4;
            if (mr == MR && nr == NR) {
              micro(kc, ap, bp, cp, ldc, acc);
            } else {
              // Edge tile: compute the full 4x8 into scratch, copy the valid part.
              micro(kc, ap, bp, tile, NR, 0);
              for (let r: i32 = 0; r < mr; r++) {
                const crow = cp + <usize>r * ldc * 4;
                const trow = tile + <usize>(r * NR) * 4;
                for (let c: i32 = 0; c < nr; c++) {
                  const v = load<f32>(trow + <usize>c * 4);
                  store<f32>(crow + <usize>c * 4, acc ? load<f32>(crow + <usize>c * 4) + v : v);
                }
              }
            }
          }
        }
      }
    }
  }
}

/**
 * A batch of GEMMs with the same shapes: item b uses the byte offsets offs[3b], offs[3b+1],
 * offs[3b+2] (i32) added to A, B and C; items [b0, b1) are computed.
 */
export function gemmBatch(
  transA: i32, transB: i32, M: i32, N: i32, K: i32,
  A: usize, lda: i32, B: usize, ldb: i32, C: usize, ldc: i32,
  accumulate: i32, scratch: usize, offs: usize, b0: i32, b1: i32,
): void {
  for (let b = b0; b < b1; b++) {
    const o = offs + <usize>b * 12;
    gemm(
      transA, transB, M, N, K,
      A + <usize>load<i32>(o), lda, B + <usize>load<i32>(o, 4), ldb, C + <usize>load<i32>(o, 8), ldc,
      accumulate, scratch,
    );
  }
}

// 3x3, stride-1 convolution by Winograd's minimal filtering F(2x2, 3x3) (Lavin & Gray, "Fast
// Algorithms for Convolutional Neural Networks", 2015): each 2x2 output tile costs 16 multiplies per
// input channel instead of 36, as 16 GEMMs (one per transformed position) between transformed
// weights U and transformed input tiles V:
//
//   Y = A^T [ (G g G^T) ⊙ (B^T d B) ] A,    d: 4x4 input patch, g: 3x3 filter (cross-correlation)
//   B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1],  G = [1 0 0; ½ ½ ½; ½ -½ ½; 0 0 1],  A^T = [1 1 1 0; 0 1 -1 -1]
//
// Layouts: x [N, C, H, W], U [16][O][C], y [N, O, OH, OW] with OH = H + 2 pad - 2. Images are
// processed `nb` at a time so the GEMMs have nb * tiles columns.
import { gemm } from './gemm';

/** U[ξ][o][c] = (G g_{o,c} G^T)[ξ] for w [O, C, 3, 3]. */
export function winogradWeights(w: usize, O: i32, C: i32, U: usize): void {
  const plane = <usize>(O * C) * 4;
  for (let o: i32 = 0; o < O; o++) {
    for (let c: i32 = 0; c < C; c++) {
      const g = w + <usize>((o * C + c) * 9) * 4;
      const dst = U + <usize>(o * C + c) * 4;
      // t = G g (rows of g combined), then U = t G^T (columns combined).
      for (let i: i32 = 0; i < 4; i++) {
        let t0: f32, t1: f32, t2: f32;
        if (i == 0) {
          t0 = load<f32>(g);
          t1 = load<f32>(g, 4);
          t2 = load<f32>(g, 8);
        } else if (i == 3) {
          t0 = load<f32>(g, 24);
          t1 = load<f32>(g, 28);
          t2 = load<f32>(g, 32);
        } else {
          const s: f32 = i == 1 ? 1 : -1;
          t0 = <f32>0.5 * (load<f32>(g) + s * load<f32>(g, 12) + load<f32>(g, 24));
          t1 = <f32>0.5 * (load<f32>(g, 4) + s * load<f32>(g, 16) + load<f32>(g, 28));
          t2 = <f32>0.5 * (load<f32>(g, 8) + s * load<f32>(g, 20) + load<f32>(g, 32));
        }
        const row = dst + <usize>(i * 4) * plane;
        store<f32>(row, t0);
        store<f32>(row + plane, <f32>0.5 * (t0 + t1 + t2));
        store<f32>(row + 2 * plane, <f32>0.5 * (t0 - t1 + t2));
        store<f32>(row + 3 * plane, t2);
      }
    }
  }
}

/**
 * y[n] = conv3x3(x[n], w) (+ b) for n in [n0, n1), from U = winogradWeights(w). `work` holds
 * (2 tilesH + 2) (2 tilesW + 2) + 16 nb tiles (C + O) floats; `scratch` is the GEMM scratch.
 */
export function winogradConv(
  x: usize, C: i32, H: i32, W: i32, U: usize, b: usize, y: usize, O: i32, OH: i32, OW: i32, pad: i32,
  nb: i32, work: usize, scratch: usize, n0: i32, n1: i32,
): void {
  const tH = (OH + 1) >> 1;
  const tW = (OW + 1) >> 1;
  const tiles = tH * tW;
  const Hp = 2 * tH + 2;
  const Wp = 2 * tW + 2;
  const padded = work;
  const V = padded + <usize>(Hp * Wp) * 4;
  for (let g0 = n0; g0 < n1; g0 += nb) {
    const g1 = min(g0 + nb, n1);
    const P = (g1 - g0) * tiles;
    const M = V + <usize>(16 * C * P) * 4;
    const vPlane = <usize>(C * P) * 4; // bytes between transformed positions in V
    const mPlane = <usize>(O * P) * 4;
    // Input transform: V[ξ][c][p] = (B^T d B)[ξ].
    for (let n = g0; n < g1; n++) {
      for (let c: i32 = 0; c < C; c++) {
        memory.fill(padded, 0, <usize>(Hp * Wp) * 4);
        const src = x + <usize>((n * C + c) * H * W) * 4;
        for (let r: i32 = 0; r < H; r++) {
          memory.copy(padded + <usize>((r + pad) * Wp + pad) * 4, src + <usize>(r * W) * 4, <usize>W * 4);
        }
        const vbase = V + <usize>(c * P + (n - g0) * tiles) * 4;
        for (let th: i32 = 0; th < tH; th++) {
          const r0 = padded + <usize>(2 * th * Wp) * 4;
          const rs = <usize>Wp * 4;
          for (let tw: i32 = 0; tw < tW; tw++) {
            const p = r0 + <usize>(2 * tw) * 4;
            // Rows combined (B^T d): four 4-wide rows.
            const d0 = v128.load(p);
            const d1 = v128.load(p + rs);
            const d2 = v128.load(p + 2 * rs);
            const d3 = v128.load(p + 3 * rs);
            const s0 = f32x4.sub(d0, d2);
            const s1 = f32x4.add(d1, d2);
            const s2 = f32x4.sub(d2, d1);
            const s3 = f32x4.sub(d1, d3);
            const out = vbase + <usize>(th * tW + tw) * 4;
            colTransform(s0, out, vPlane);
            colTransform(s1, out + 4 * vPlane, vPlane);
            colTransform(s2, out + 8 * vPlane, vPlane);
            colTransform(s3, out + 12 * vPlane, vPlane);
          }
        }
      }
    }
    // 16 GEMMs: M[ξ] (O x P) = U[ξ] (O x C) V[ξ] (C x P).
    for (let xi: i32 = 0; xi < 16; xi++) {
      gemm(0, 0, O, P, C, U + <usize>(xi * O * C) * 4, C, V + <usize>xi * vPlane, P, M + <usize>xi * mPlane, P, 0, scratch);
    }
    // Output transform: y tile = A^T m A (+ bias).
    for (let n = g0; n < g1; n++) {
      for (let o: i32 = 0; o < O; o++) {
        const bias: f32 = b != 0 ? load<f32>(b + <usize>o * 4) : 0;
        const mrow = M + <usize>(o * P + (n - g0) * tiles) * 4;
        const yp = y + <usize>((n * O + o) * OH * OW) * 4;
        for (let th: i32 = 0; th < tH; th++) {
          for (let tw: i32 = 0; tw < tW; tw++) {
            const q = mrow + <usize>(th * tW + tw) * 4;
            // m as four rows of 4 (row i = positions 4i..4i+3), gathered from the planes.
            const m0 = gather(q, mPlane, 0);
            const m1 = gather(q, mPlane, 4);
            const m2 = gather(q, mPlane, 8);
            const m3 = gather(q, mPlane, 12);
            const q0 = f32x4.add(f32x4.add(m0, m1), m2);
            const q1 = f32x4.sub(f32x4.sub(m1, m2), m3);
            const oh = 2 * th;
            const ow = 2 * tw;
            const y00 = f32x4.extract_lane(q0, 0) + f32x4.extract_lane(q0, 1) + f32x4.extract_lane(q0, 2) + bias;
            const y01 = f32x4.extract_lane(q0, 1) - f32x4.extract_lane(q0, 2) - f32x4.extract_lane(q0, 3) + bias;
            const y10 = f32x4.extract_lane(q1, 0) + f32x4.extract_lane(q1, 1) + f32x4.extract_lane(q1, 2) + bias;
            const y11 = f32x4.extract_lane(q1, 1) - f32x4.extract_lane(q1, 2) - f32x4.extract_lane(q1, 3) + bias;
            const row0 = yp + <usize>(oh * OW + ow) * 4;
            store<f32>(row0, y00);
            if (ow + 1 < OW) store<f32>(row0, y01, 4);
            if (oh + 1 < OH) {
              const row1 = row0 + <usize>OW * 4;
              store<f32>(row1, y10);
              if (ow + 1 < OW) store<f32>(row1, y11, 4);
            }
          }
        }
      }
    }
  }
}

// (s B) for one row s of B^T d: stores the 4 results at out + j * plane.
@inline function colTransform(s: v128, out: usize, plane: usize): void {
  const a = f32x4.extract_lane(s, 0);
  const b = f32x4.extract_lane(s, 1);
  const c = f32x4.extract_lane(s, 2);
  const d = f32x4.extract_lane(s, 3);
  store<f32>(out, a - c);
  store<f32>(out + plane, b + c);
  store<f32>(out + 2 * plane, c - b);
  store<f32>(out + 3 * plane, b - d);
}

// Four consecutive transformed positions (k..k+3) of one tile, as a vector.
@inline function gather(q: usize, plane: usize, k: i32): v128 {
  const base = q + <usize>k * plane;
  let v = f32x4.splat(load<f32>(base));
  v = f32x4.replace_lane(v, 1, load<f32>(base + plane));
  v = f32x4.replace_lane(v, 2, load<f32>(base + 2 * plane));
  v = f32x4.replace_lane(v, 3, load<f32>(base + 3 * plane));
  return v;
}

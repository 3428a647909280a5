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
    transformInputs(x, C, H, W, pad, tH, tW, g0, g1, padded, V);
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
        const bias4 = f32x4.splat(bias);
        for (let th: i32 = 0; th < tH; th++) {
          let tw: i32 = 0;
          // Four whole tiles inside the output at once.
          if (2 * th + 1 < OH) {
            for (; 2 * tw + 8 <= OW && tw + 4 <= tW; tw += 4) {
              outputTransform4(mrow + <usize>(th * tW + tw) * 4, mPlane, yp + <usize>(2 * th * OW + 2 * tw) * 4, <usize>OW * 4, bias4);
            }
          }
          for (; tw < tW; tw++) {
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

/**
 * Weight gradient by the same transform (by linearity of Y in g): dU[ξ][o][c] += sum over tiles of
 * (A dY A^T)[ξ] (B^T d B)[ξ], one GEMM per ξ with the tiles of images [n0, n1) as the inner
 * dimension; winogradWeightsBackward then maps dU to dw = G^T dU G. `work` as for winogradConv
 * (with the output-gradient transform Z in place of M); dU must be zeroed by the caller.
 */
export function winogradWeightGrad(
  x: usize, C: i32, H: i32, W: i32, gy: usize, O: i32, OH: i32, OW: i32, pad: i32,
  nb: i32, work: usize, scratch: usize, dU: usize, n0: i32, n1: i32,
): void {
  const tH = (OH + 1) >> 1;
  const tW = (OW + 1) >> 1;
  const tiles = tH * tW;
  const padded = work;
  const V = padded + <usize>((2 * tH + 2) * (2 * tW + 2)) * 4;
  for (let g0 = n0; g0 < n1; g0 += nb) {
    const g1 = min(g0 + nb, n1);
    const P = (g1 - g0) * tiles;
    const Z = V + <usize>(16 * C * P) * 4;
    const vPlane = <usize>(C * P) * 4;
    const zPlane = <usize>(O * P) * 4;
    transformInputs(x, C, H, W, pad, tH, tW, g0, g1, padded, V);
    // Z[ξ][o][p] = (A dY A^T)[ξ], dY the 2x2 output-gradient tile (0 past the output's edge).
    for (let n = g0; n < g1; n++) {
      for (let o: i32 = 0; o < O; o++) {
        const src = gy + <usize>((n * O + o) * OH * OW) * 4;
        const zrow = Z + <usize>(o * P + (n - g0) * tiles) * 4;
        for (let th: i32 = 0; th < tH; th++) {
          const oh = 2 * th;
          let tw: i32 = 0;
          if (oh + 1 < OH) {
            // Four whole tiles at once: even and odd columns of the two rows, lanes = tiles.
            for (; 2 * tw + 8 <= OW && tw + 4 <= tW; tw += 4) {
              const r0 = src + <usize>(oh * OW + 2 * tw) * 4;
              const r1 = r0 + <usize>OW * 4;
              const x0 = v128.load(r0), x1 = v128.load(r0, 16), y0 = v128.load(r1), y1 = v128.load(r1, 16);
              const a = v128.shuffle<f32>(x0, x1, 0, 2, 4, 6);
              const b = v128.shuffle<f32>(x0, x1, 1, 3, 5, 7);
              const c = v128.shuffle<f32>(y0, y1, 0, 2, 4, 6);
              const d = v128.shuffle<f32>(y0, y1, 1, 3, 5, 7);
              const q = zrow + <usize>(th * tW + tw) * 4;
              zRow4(a, b, q, zPlane);
              zRow4(f32x4.add(a, c), f32x4.add(b, d), q + 4 * zPlane, zPlane);
              zRow4(f32x4.sub(a, c), f32x4.sub(b, d), q + 8 * zPlane, zPlane);
              zRow4(f32x4.neg(c), f32x4.neg(d), q + 12 * zPlane, zPlane);
            }
          }
          for (; tw < tW; tw++) {
            const ow = 2 * tw;
            const r0 = src + <usize>(oh * OW + ow) * 4;
            const right = ow + 1 < OW;
            const down = oh + 1 < OH;
            const a: f32 = load<f32>(r0);
            const b: f32 = right ? load<f32>(r0, 4) : 0;
            const c: f32 = down ? load<f32>(r0 + <usize>OW * 4) : 0;
            const d: f32 = down && right ? load<f32>(r0 + <usize>OW * 4, 4) : 0;
            // rows of A dY: (a, b), (a + c, b + d), (a - c, b - d), (-c, -d); then the same on columns.
            const q = zrow + <usize>(th * tW + tw) * 4;
            zRow(a, b, q, zPlane);
            zRow(a + c, b + d, q + 4 * zPlane, zPlane);
            zRow(a - c, b - d, q + 8 * zPlane, zPlane);
            zRow(-c, -d, q + 12 * zPlane, zPlane);
          }
        }
      }
    }
    // dU[ξ] (O x C) += Z[ξ] (O x P) V[ξ]^T (P x C).
    for (let xi: i32 = 0; xi < 16; xi++) {
      gemm(0, 1, O, C, P, Z + <usize>xi * zPlane, P, V + <usize>xi * vPlane, P, dU + <usize>(xi * O * C) * 4, C, 1, scratch);
    }
  }
}

@inline function zRow4(u: v128, v: v128, q: usize, plane: usize): void {
  v128.store(q, u);
  v128.store(q + plane, f32x4.add(u, v));
  v128.store(q + 2 * plane, f32x4.sub(u, v));
  v128.store(q + 3 * plane, f32x4.neg(v));
}

@inline function zRow(u: f32, v: f32, q: usize, plane: usize): void {
  store<f32>(q, u);
  store<f32>(q + plane, u + v);
  store<f32>(q + 2 * plane, u - v);
  store<f32>(q + 3 * plane, -v);
}

/** dw [O, C, 3, 3] = G^T dU[o][c] G for dU [16][O][C]. */
export function winogradWeightsBackward(dU: usize, O: i32, C: i32, dw: usize): void {
  const plane = <usize>(O * C) * 4;
  for (let o: i32 = 0; o < O; o++) {
    for (let c: i32 = 0; c < C; c++) {
      const src = dU + <usize>(o * C + c) * 4;
      const out = dw + <usize>((o * C + c) * 9) * 4;
      // Columns j of t = G^T dU (3 x 4), each from column j of dU's rows u_i, then dw = t G row by row.
      let t00: f32 = 0, t01: f32 = 0, t02: f32 = 0, t03: f32 = 0;
      let t10: f32 = 0, t11: f32 = 0, t12: f32 = 0, t13: f32 = 0;
      let t20: f32 = 0, t21: f32 = 0, t22: f32 = 0, t23: f32 = 0;
      for (let j: i32 = 0; j < 4; j++) {
        const u0 = load<f32>(src + <usize>j * plane);
        const u1 = load<f32>(src + <usize>(4 + j) * plane);
        const u2 = load<f32>(src + <usize>(8 + j) * plane);
        const u3 = load<f32>(src + <usize>(12 + j) * plane);
        const h = <f32>0.5 * (u1 + u2);
        const a = u0 + h;
        const b = <f32>0.5 * (u1 - u2);
        const d = h + u3;
        if (j == 0) { t00 = a; t10 = b; t20 = d; }
        else if (j == 1) { t01 = a; t11 = b; t21 = d; }
        else if (j == 2) { t02 = a; t12 = b; t22 = d; }
        else { t03 = a; t13 = b; t23 = d; }
      }
      gRow(t00, t01, t02, t03, out);
      gRow(t10, t11, t12, t13, out + 12);
      gRow(t20, t21, t22, t23, out + 24);
    }
  }
}

// One row of t G: (t0 + (t1 + t2)/2, (t1 - t2)/2, (t1 + t2)/2 + t3).
@inline function gRow(t0: f32, t1: f32, t2: f32, t3: f32, out: usize): void {
  const h = <f32>0.5 * (t1 + t2);
  store<f32>(out, t0 + h);
  store<f32>(out, <f32>0.5 * (t1 - t2), 4);
  store<f32>(out, h + t3, 8);
}

/** V[ξ][c][p] = (B^T d B)[ξ] for every 4x4 input patch d of images [g0, g1) (p counts tiles across them). */
function transformInputs(x: usize, C: i32, H: i32, W: i32, pad: i32, tH: i32, tW: i32, g0: i32, g1: i32, padded: usize, V: usize): void {
  const tiles = tH * tW;
  const Hp = 2 * tH + 2;
  const Wp = 2 * tW + 2;
  const P = (g1 - g0) * tiles;
  const vPlane = <usize>(C * P) * 4;
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
        let tw: i32 = 0;
        // Four tiles of the row at once: lane k holds tile tw + k.
        for (; tw + 4 <= tW; tw += 4) {
          const p = r0 + <usize>(2 * tw) * 4;
          const out = vbase + <usize>(th * tW + tw) * 4;
          inputTransform4(p, rs, out, vPlane);
        }
        for (; tw < tW; tw++) {
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

// B^T d B for four tiles side by side (patch top-left at p, row stride rs bytes).
@inline function inputTransform4(p: usize, rs: usize, out: usize, plane: usize): void {
  // Per row: evens e = cols 2t, odds o = cols 2t+1, e2 = cols 2t+2, o3 = cols 2t+3 (lanes: tiles).
  let e0 = f32x4.splat(0), o0 = e0, f0 = e0, q0 = e0;
  let e1 = e0, o1 = e0, f1 = e0, q1 = e0;
  let e2 = e0, o2 = e0, f2 = e0, q2 = e0;
  let e3 = e0, o3 = e0, f3 = e0, q3 = e0;
  for (let r: i32 = 0; r < 4; r++) {
    const row = p + <usize>r * rs;
    const a = v128.load(row);
    const b = v128.load(row, 16);
    const c = v128.load(row, 8);
    const d = v128.load(row, 24);
    const e = v128.shuffle<f32>(a, b, 0, 2, 4, 6);
    const o = v128.shuffle<f32>(a, b, 1, 3, 5, 7);
    const f = v128.shuffle<f32>(c, d, 0, 2, 4, 6);
    const q = v128.shuffle<f32>(c, d, 1, 3, 5, 7);
    if (r == 0) { e0 = e; o0 = o; f0 = f; q0 = q; }
    else if (r == 1) { e1 = e; o1 = o; f1 = f; q1 = q; }
    else if (r == 2) { e2 = e; o2 = o; f2 = f; q2 = q; }
    else { e3 = e; o3 = o; f3 = f; q3 = q; }
  }
  // Rows combined: s_i = (d0 - d2, d1 + d2, d2 - d1, d1 - d3)_i, per column kind.
  rowCombos(f32x4.sub(e0, e2), f32x4.sub(o0, o2), f32x4.sub(f0, f2), f32x4.sub(q0, q2), out, plane);
  rowCombos(f32x4.add(e1, e2), f32x4.add(o1, o2), f32x4.add(f1, f2), f32x4.add(q1, q2), out + 4 * plane, plane);
  rowCombos(f32x4.sub(e2, e1), f32x4.sub(o2, o1), f32x4.sub(f2, f1), f32x4.sub(q2, q1), out + 8 * plane, plane);
  rowCombos(f32x4.sub(e1, e3), f32x4.sub(o1, o3), f32x4.sub(f1, f3), f32x4.sub(q1, q3), out + 12 * plane, plane);
}

// (s B) with s given by its four columns (each a vector over tiles).
@inline function rowCombos(c0: v128, c1: v128, c2: v128, c3: v128, out: usize, plane: usize): void {
  v128.store(out, f32x4.sub(c0, c2));
  v128.store(out + plane, f32x4.add(c1, c2));
  v128.store(out + 2 * plane, f32x4.sub(c2, c1));
  v128.store(out + 3 * plane, f32x4.sub(c1, c3));
}

// A^T m A (+ bias) for four tiles side by side, written as two output rows of 8 (y at row stride ys bytes).
@inline function outputTransform4(q: usize, plane: usize, y: usize, ys: usize, bias: v128): void {
  // m row i, column j (vectors over tiles) at plane 4i + j; q_a = row combos, then columns.
  const m00 = v128.load(q), m01 = v128.load(q + plane), m02 = v128.load(q + 2 * plane), m03 = v128.load(q + 3 * plane);
  const m10 = v128.load(q + 4 * plane), m11 = v128.load(q + 5 * plane), m12 = v128.load(q + 6 * plane), m13 = v128.load(q + 7 * plane);
  const m20 = v128.load(q + 8 * plane), m21 = v128.load(q + 9 * plane), m22 = v128.load(q + 10 * plane), m23 = v128.load(q + 11 * plane);
  const m30 = v128.load(q + 12 * plane), m31 = v128.load(q + 13 * plane), m32 = v128.load(q + 14 * plane), m33 = v128.load(q + 15 * plane);
  const a0 = f32x4.add(f32x4.add(m00, m10), m20);
  const a1 = f32x4.add(f32x4.add(m01, m11), m21);
  const a2 = f32x4.add(f32x4.add(m02, m12), m22);
  const a3 = f32x4.add(f32x4.add(m03, m13), m23);
  const b0 = f32x4.sub(f32x4.sub(m10, m20), m30);
  const b1 = f32x4.sub(f32x4.sub(m11, m21), m31);
  const b2 = f32x4.sub(f32x4.sub(m12, m22), m32);
  const b3 = f32x4.sub(f32x4.sub(m13, m23), m33);
  const y00 = f32x4.add(f32x4.add(f32x4.add(a0, a1), a2), bias);
  const y01 = f32x4.add(f32x4.sub(f32x4.sub(a1, a2), a3), bias);
  const y10 = f32x4.add(f32x4.add(f32x4.add(b0, b1), b2), bias);
  const y11 = f32x4.add(f32x4.sub(f32x4.sub(b1, b2), b3), bias);
  v128.store(y, v128.shuffle<f32>(y00, y01, 0, 4, 1, 5));
  v128.store(y, v128.shuffle<f32>(y00, y01, 2, 6, 3, 7), 16);
  v128.store(y + ys, v128.shuffle<f32>(y10, y11, 0, 4, 1, 5));
  v128.store(y + ys, v128.shuffle<f32>(y10, y11, 2, 6, 3, 7), 16);
}

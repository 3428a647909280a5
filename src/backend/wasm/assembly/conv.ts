// 2-D convolution by im2col + the packed GEMM, the same algorithm as the JS reference
// (src/backend/cpu/conv.ts), in f32. Layouts: x [N, C, H, W], w [O, C/groups, KH, KW],
// y [N, O, OH, OW]. The geometry is an i32 record at `G` (see the field offsets below), written by
// the JS side. Each call handles the batch items [n0, n1), so threads split the batch; `cols` is a
// per-thread area of Kc * OH * OW floats and `scratch` the per-thread GEMM scratch.
import { gemm } from './gemm';

// Field byte offsets of the geometry record.
const gN = 0, gC = 4, gH = 8, gW = 12, gO = 16, gOH = 20, gOW = 24, gKH = 28, gKW = 32;
const gSH = 36, gSW = 40, gPH = 44, gPW = 48, gDH = 52, gDW = 56, gGroups = 60;

@inline function f(G: usize, off: usize): i32 {
  return load<i32>(G + off);
}

/** True when im2col is the identity (1x1 kernel, stride 1, no padding): the input is its own column matrix. */
@inline function isPointwise(G: usize): bool {
  return f(G, gKH) == 1 && f(G, gKW) == 1 && f(G, gOH) == f(G, gH) && f(G, gOW) == f(G, gW) && f(G, gSH) == 1 && f(G, gSW) == 1 && f(G, gPH) == 0 && f(G, gPW) == 0;
}

// cols[(c*KH + i)*KW + j, oh*OW + ow] = x[c, ih, iw], 0 outside the input.
function im2col(G: usize, x: usize, cols: usize, Cg: i32): void {
  const H = f(G, gH), W = f(G, gW), OH = f(G, gOH), OW = f(G, gOW), KH = f(G, gKH), KW = f(G, gKW);
  const sH = f(G, gSH), sW = f(G, gSW), pH = f(G, gPH), pW = f(G, gPW), dH = f(G, gDH), dW = f(G, gDW);
  const P = OH * OW;
  let r: i32 = 0;
  for (let c: i32 = 0; c < Cg; c++) {
    const plane = x + <usize>(c * H * W) * 4;
    for (let i: i32 = 0; i < KH; i++) {
      for (let j: i32 = 0; j < KW; j++, r++) {
        const row = cols + <usize>(r * P) * 4;
        const shift = j * dW - pW;
        // valid ow: 0 <= ow*sW + shift < W
        let lo: i32 = shift >= 0 ? 0 : (-shift + sW - 1) / sW;
        let hi: i32 = W - shift <= 0 ? 0 : (W - shift + sW - 1) / sW;
        if (hi > OW) hi = OW;
        if (lo > hi) lo = hi;
        for (let oh: i32 = 0; oh < OH; oh++) {
          const ih = oh * sH - pH + i * dH;
          const dst = row + <usize>(oh * OW) * 4;
          if (ih < 0 || ih >= H) {
            memory.fill(dst, 0, <usize>OW * 4);
            continue;
          }
          const src = plane + <usize>(ih * W) * 4;
          if (lo > 0) memory.fill(dst, 0, <usize>lo * 4);
          if (sW == 1) {
            if (hi > lo) memory.copy(dst + <usize>lo * 4, src + <usize>(lo + shift) * 4, <usize>(hi - lo) * 4);
          } else {
            for (let ow = lo; ow < hi; ow++) store<f32>(dst + <usize>ow * 4, load<f32>(src + <usize>(ow * sW + shift) * 4));
          }
          if (hi < OW) memory.fill(dst + <usize>hi * 4, 0, <usize>(OW - hi) * 4);
        }
      }
    }
  }
}

// The adjoint of im2col: x[c, ih, iw] += cols[...].
function col2imAdd(G: usize, cols: usize, x: usize, Cg: i32): void {
  const H = f(G, gH), W = f(G, gW), OH = f(G, gOH), OW = f(G, gOW), KH = f(G, gKH), KW = f(G, gKW);
  const sH = f(G, gSH), sW = f(G, gSW), pH = f(G, gPH), pW = f(G, gPW), dH = f(G, gDH), dW = f(G, gDW);
  const P = OH * OW;
  let r: i32 = 0;
  for (let c: i32 = 0; c < Cg; c++) {
    const plane = x + <usize>(c * H * W) * 4;
    for (let i: i32 = 0; i < KH; i++) {
      for (let j: i32 = 0; j < KW; j++, r++) {
        const row = cols + <usize>(r * P) * 4;
        const shift = j * dW - pW;
        let lo: i32 = shift >= 0 ? 0 : (-shift + sW - 1) / sW;
        let hi: i32 = W - shift <= 0 ? 0 : (W - shift + sW - 1) / sW;
        if (hi > OW) hi = OW;
        if (lo > hi) lo = hi;
        for (let oh: i32 = 0; oh < OH; oh++) {
          const ih = oh * sH - pH + i * dH;
          if (ih < 0 || ih >= H) continue;
          const src = row + <usize>(oh * OW) * 4;
          const dst = plane + <usize>(ih * W) * 4;
          if (sW == 1) {
            let ow = lo;
            const d0 = dst + <usize>shift * 4;
            for (; ow + 4 <= hi; ow += 4) {
              const p = d0 + <usize>ow * 4;
              v128.store(p, f32x4.add(v128.load(p), v128.load(src + <usize>ow * 4)));
            }
            for (; ow < hi; ow++) {
              const p = d0 + <usize>ow * 4;
              store<f32>(p, load<f32>(p) + load<f32>(src + <usize>ow * 4));
            }
          } else {
            for (let ow = lo; ow < hi; ow++) {
              const p = dst + <usize>(ow * sW + shift) * 4;
              store<f32>(p, load<f32>(p) + load<f32>(src + <usize>ow * 4));
            }
          }
        }
      }
    }
  }
}

// Depthwise convolutions (one input channel per group) have GEMMs of a single row: there a direct
// loop over kernel taps, vectorised along output columns when the stride is 1, is much faster.

/** Valid output columns [lo, hi) for tap column j: 0 <= ow*sW + j*dW - pW < W. */
@inline function colRange(G: usize, j: i32): u64 {
  const W = f(G, gW), OW = f(G, gOW), sW = f(G, gSW), pW = f(G, gPW), dW = f(G, gDW);
  const shift = j * dW - pW;
  let lo: i32 = shift >= 0 ? 0 : (-shift + sW - 1) / sW;
  let hi: i32 = W - shift <= 0 ? 0 : (W - shift + sW - 1) / sW;
  if (hi > OW) hi = OW;
  if (lo > hi) lo = hi;
  return (<u64>lo << 32) | <u64>(<u32>hi);
}

// y plane (OH x OW) += sum over taps of w[i, j] * x plane (H x W), shifted.
function dwForwardPlane(G: usize, x: usize, w: usize, y: usize): void {
  const H = f(G, gH), W = f(G, gW), OH = f(G, gOH), OW = f(G, gOW), KH = f(G, gKH), KW = f(G, gKW);
  const sH = f(G, gSH), sW = f(G, gSW), pH = f(G, gPH), pW = f(G, gPW), dH = f(G, gDH), dW = f(G, gDW);
  for (let i: i32 = 0; i < KH; i++) {
    for (let j: i32 = 0; j < KW; j++) {
      const wv = load<f32>(w + <usize>(i * KW + j) * 4);
      const wv4 = f32x4.splat(wv);
      const r = colRange(G, j);
      const lo = <i32>(r >> 32), hi = <i32>(r & 0xffffffff);
      const shift = j * dW - pW;
      for (let oh: i32 = 0; oh < OH; oh++) {
        const ih = oh * sH - pH + i * dH;
        if (ih < 0 || ih >= H) continue;
        const src = x + <usize>(ih * W) * 4;
        const dst = y + <usize>(oh * OW) * 4;
        let ow = lo;
        if (sW == 1) {
          const s0 = src + <usize>shift * 4;
          for (; ow + 4 <= hi; ow += 4) {
            const p = dst + <usize>ow * 4;
            v128.store(p, f32x4.add(v128.load(p), f32x4.mul(wv4, v128.load(s0 + <usize>ow * 4))));
          }
        }
        for (; ow < hi; ow++) {
          const p = dst + <usize>ow * 4;
          store<f32>(p, load<f32>(p) + wv * load<f32>(src + <usize>(ow * sW + shift) * 4));
        }
      }
    }
  }
}

// gx plane (H x W) += sum over taps of w[i, j] * gy plane, scattered back to the input positions.
function dwBackwardInputPlane(G: usize, gy: usize, w: usize, gx: usize): void {
  const H = f(G, gH), W = f(G, gW), OH = f(G, gOH), OW = f(G, gOW), KH = f(G, gKH), KW = f(G, gKW);
  const sH = f(G, gSH), sW = f(G, gSW), pH = f(G, gPH), pW = f(G, gPW), dH = f(G, gDH), dW = f(G, gDW);
  for (let i: i32 = 0; i < KH; i++) {
    for (let j: i32 = 0; j < KW; j++) {
      const wv = load<f32>(w + <usize>(i * KW + j) * 4);
      const wv4 = f32x4.splat(wv);
      const r = colRange(G, j);
      const lo = <i32>(r >> 32), hi = <i32>(r & 0xffffffff);
      const shift = j * dW - pW;
      for (let oh: i32 = 0; oh < OH; oh++) {
        const ih = oh * sH - pH + i * dH;
        if (ih < 0 || ih >= H) continue;
        const src = gy + <usize>(oh * OW) * 4;
        const dst = gx + <usize>(ih * W) * 4;
        let ow = lo;
        if (sW == 1) {
          const d0 = dst + <usize>shift * 4;
          for (; ow + 4 <= hi; ow += 4) {
            const p = d0 + <usize>ow * 4;
            v128.store(p, f32x4.add(v128.load(p), f32x4.mul(wv4, v128.load(src + <usize>ow * 4))));
          }
        }
        for (; ow < hi; ow++) {
          const p = dst + <usize>(ow * sW + shift) * 4;
          store<f32>(p, load<f32>(p) + wv * load<f32>(src + <usize>ow * 4));
        }
      }
    }
  }
}

// gw[i, j] += sum over output positions of gy * x at the tap's input position.
function dwBackwardWeightPlane(G: usize, x: usize, gy: usize, gw: usize): void {
  const H = f(G, gH), W = f(G, gW), OH = f(G, gOH), OW = f(G, gOW), KH = f(G, gKH), KW = f(G, gKW);
  const sH = f(G, gSH), sW = f(G, gSW), pH = f(G, gPH), pW = f(G, gPW), dH = f(G, gDH), dW = f(G, gDW);
  for (let i: i32 = 0; i < KH; i++) {
    for (let j: i32 = 0; j < KW; j++) {
      const r = colRange(G, j);
      const lo = <i32>(r >> 32), hi = <i32>(r & 0xffffffff);
      const shift = j * dW - pW;
      let acc4 = f32x4.splat(0);
      let acc: f32 = 0;
      for (let oh: i32 = 0; oh < OH; oh++) {
        const ih = oh * sH - pH + i * dH;
        if (ih < 0 || ih >= H) continue;
        const src = x + <usize>(ih * W) * 4;
        const g = gy + <usize>(oh * OW) * 4;
        let ow = lo;
        if (sW == 1) {
          const s0 = src + <usize>shift * 4;
          for (; ow + 4 <= hi; ow += 4) acc4 = f32x4.add(acc4, f32x4.mul(v128.load(g + <usize>ow * 4), v128.load(s0 + <usize>ow * 4)));
        }
        for (; ow < hi; ow++) acc += load<f32>(g + <usize>ow * 4) * load<f32>(src + <usize>(ow * sW + shift) * 4);
      }
      acc += f32x4.extract_lane(acc4, 0) + f32x4.extract_lane(acc4, 1) + f32x4.extract_lane(acc4, 2) + f32x4.extract_lane(acc4, 3);
      const p = gw + <usize>(i * KW + j) * 4;
      store<f32>(p, load<f32>(p) + acc);
    }
  }
}

/** y[n] = conv(x[n], w) + b for n in [n0, n1); b = 0 means no bias. */
export function convForward(G: usize, x: usize, w: usize, b: usize, y: usize, cols: usize, scratch: usize, n0: i32, n1: i32): void {
  const C = f(G, gC), H = f(G, gH), W = f(G, gW), O = f(G, gO), groups = f(G, gGroups);
  const P = f(G, gOH) * f(G, gOW);
  const Cg = C / groups, Og = O / groups;
  const Kc = Cg * f(G, gKH) * f(G, gKW);
  const direct = isPointwise(G);
  const depthwise = Cg == 1 && groups > 1;
  for (let n = n0; n < n1; n++) {
    for (let gr: i32 = 0; gr < groups; gr++) {
      const xg = x + <usize>((n * C + gr * Cg) * H * W) * 4;
      if (depthwise) {
        for (let m: i32 = 0; m < Og; m++) {
          const yp = y + <usize>((n * O + gr * Og + m) * P) * 4;
          memory.fill(yp, 0, <usize>P * 4);
          dwForwardPlane(G, xg, w + <usize>((gr * Og + m) * Kc) * 4, yp);
        }
        continue;
      }
      let B = cols;
      if (direct) B = xg;
      else im2col(G, xg, cols, Cg);
      gemm(0, 0, Og, P, Kc, w + <usize>(gr * Og * Kc) * 4, Kc, B, P, y + <usize>((n * O + gr * Og) * P) * 4, P, 0, scratch);
    }
    if (b != 0) {
      for (let o: i32 = 0; o < O; o++) {
        const bo = f32x4.splat(load<f32>(b + <usize>o * 4));
        const s = load<f32>(b + <usize>o * 4);
        const base = y + <usize>((n * O + o) * P) * 4;
        let k: i32 = 0;
        for (; k + 4 <= P; k += 4) v128.store(base + <usize>k * 4, f32x4.add(v128.load(base + <usize>k * 4), bo));
        for (; k < P; k++) store<f32>(base + <usize>k * 4, load<f32>(base + <usize>k * 4) + s);
      }
    }
  }
}

/** gx[n] = conv^T(gy[n], w) for n in [n0, n1) (gx fully overwritten there). */
export function convBackwardInput(G: usize, gy: usize, w: usize, gx: usize, cols: usize, scratch: usize, n0: i32, n1: i32): void {
  const C = f(G, gC), H = f(G, gH), W = f(G, gW), O = f(G, gO), groups = f(G, gGroups);
  const P = f(G, gOH) * f(G, gOW);
  const Cg = C / groups, Og = O / groups;
  const Kc = Cg * f(G, gKH) * f(G, gKW);
  const direct = isPointwise(G);
  const depthwise = Cg == 1 && groups > 1;
  for (let n = n0; n < n1; n++) {
    const gxn = gx + <usize>(n * C * H * W) * 4;
    if (!direct) memory.fill(gxn, 0, <usize>(C * H * W) * 4);
    for (let gr: i32 = 0; gr < groups; gr++) {
      const xg = gxn + <usize>(gr * Cg * H * W) * 4;
      const g = gy + <usize>((n * O + gr * Og) * P) * 4;
      const wg = w + <usize>(gr * Og * Kc) * 4;
      if (depthwise) {
        for (let m: i32 = 0; m < Og; m++) dwBackwardInputPlane(G, g + <usize>(m * P) * 4, wg + <usize>(m * Kc) * 4, xg);
      } else if (direct) {
        gemm(1, 0, Kc, P, Og, wg, Kc, g, P, xg, P, 0, scratch);
      } else {
        gemm(1, 0, Kc, P, Og, wg, Kc, g, P, cols, P, 0, scratch);
        col2imAdd(G, cols, xg, Cg);
      }
    }
  }
}

/** gw += d<gy, conv(x, w)>/dw summed over n in [n0, n1) (gw must be initialised by the caller). */
export function convBackwardWeight(G: usize, x: usize, gy: usize, gw: usize, cols: usize, scratch: usize, n0: i32, n1: i32): void {
  const C = f(G, gC), H = f(G, gH), W = f(G, gW), O = f(G, gO), groups = f(G, gGroups);
  const P = f(G, gOH) * f(G, gOW);
  const Cg = C / groups, Og = O / groups;
  const Kc = Cg * f(G, gKH) * f(G, gKW);
  const direct = isPointwise(G);
  const depthwise = Cg == 1 && groups > 1;
  for (let n = n0; n < n1; n++) {
    for (let gr: i32 = 0; gr < groups; gr++) {
      const xg = x + <usize>((n * C + gr * Cg) * H * W) * 4;
      if (depthwise) {
        for (let m: i32 = 0; m < Og; m++) {
          const o = gr * Og + m;
          dwBackwardWeightPlane(G, xg, gy + <usize>((n * O + o) * P) * 4, gw + <usize>(o * Kc) * 4);
        }
        continue;
      }
      let B = cols;
      if (direct) B = xg;
      else im2col(G, xg, cols, Cg);
      gemm(0, 1, Og, Kc, P, gy + <usize>((n * O + gr * Og) * P) * 4, P, B, P, gw + <usize>(gr * Og * Kc) * 4, Kc, 1, scratch);
    }
  }
}

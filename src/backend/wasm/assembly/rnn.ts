// One LSTM time step for a batch, forward and backward, used by the fused LSTM layer
// (src/ops/recurrent/lstmLayer.ts). Gate order i, f, g, o, as in PyTorch. All matrices are row-major f32 with
// the row strides given in elements; H must be a multiple of 4 (the caller checks).
//
// Forward:  a = xp + rec;  i, f, o = σ(a_i, a_f, a_o);  g = tanh(a_g)
//           c = f c_prev + i g;  h = o tanh(c)
// Backward: from dh and dc (the gradients reaching h and c of this step, dc including the carry)
//           dc' = dc + dh o (1 - tanh(c)^2);  dc_prev = dc' f
//           da_i = dc' g i (1 - i);  da_f = dc' c_prev f (1 - f);  da_g = dc' i (1 - g^2);  da_o = dh tanh(c) o (1 - o)
import { sigmoid4, tanh4 } from './math';

/**
 * xp, rec: [B, 4H] (row strides sx, 4H); cPrev: [B, H] with row stride sc; writes acts [B, 4H]
 * (the activated gates), tc [B, H] (tanh c) and hc [B, 2H] (h then c in each row).
 */
export function lstmCellForward(xp: usize, sx: i32, rec: usize, cPrev: usize, sc: i32, acts: usize, tc: usize, hc: usize, B: i32, H: i32): void {
  const hb = <usize>H * 4;
  for (let b: i32 = 0; b < B; b++) {
    const px = xp + <usize>(b * sx) * 4;
    const pr = rec + <usize>(b * 4 * H) * 4;
    const pa = acts + <usize>(b * 4 * H) * 4;
    const pc = cPrev + <usize>(b * sc) * 4;
    const pt = tc + <usize>(b * H) * 4;
    const ph = hc + <usize>(b * 2 * H) * 4;
    for (let j: i32 = 0; j < H; j += 4) {
      const o = <usize>j * 4;
      const i = sigmoid4(f32x4.add(v128.load(px + o), v128.load(pr + o)));
      const f = sigmoid4(f32x4.add(v128.load(px + hb + o), v128.load(pr + hb + o)));
      const g = tanh4(f32x4.add(v128.load(px + 2 * hb + o), v128.load(pr + 2 * hb + o)));
      const og = sigmoid4(f32x4.add(v128.load(px + 3 * hb + o), v128.load(pr + 3 * hb + o)));
      v128.store(pa + o, i);
      v128.store(pa + hb + o, f);
      v128.store(pa + 2 * hb + o, g);
      v128.store(pa + 3 * hb + o, og);
      const c = f32x4.add(f32x4.mul(f, v128.load(pc + o)), f32x4.mul(i, g));
      const t = tanh4(c);
      v128.store(pt + o, t);
      v128.store(ph + o, f32x4.mul(og, t));
      v128.store(ph + hb + o, c);
    }
  }
}

/**
 * dhA + dhB and dcA + dcB are the gradients reaching h and c ([B, H], row strides sdhA, H, sdcA, H:
 * the output's gradient plus the carry from the next step). Writes dgates [B, 4H] and dcPrev [B, H].
 */
export function lstmCellBackward(
  acts: usize, cPrev: usize, sc: i32, tc: usize,
  dhA: usize, sdhA: i32, dhB: usize, dcA: usize, sdcA: i32, dcB: usize,
  dgates: usize, dcPrev: usize, B: i32, H: i32,
): void {
  const hb = <usize>H * 4;
  const one = f32x4.splat(1);
  for (let b: i32 = 0; b < B; b++) {
    const pa = acts + <usize>(b * 4 * H) * 4;
    const pd = dgates + <usize>(b * 4 * H) * 4;
    const pc = cPrev + <usize>(b * sc) * 4;
    const pt = tc + <usize>(b * H) * 4;
    const row = <usize>(b * H) * 4;
    const pha = dhA + <usize>(b * sdhA) * 4;
    const pca = dcA + <usize>(b * sdcA) * 4;
    for (let j: i32 = 0; j < H; j += 4) {
      const o = <usize>j * 4;
      const i = v128.load(pa + o);
      const f = v128.load(pa + hb + o);
      const g = v128.load(pa + 2 * hb + o);
      const og = v128.load(pa + 3 * hb + o);
      const t = v128.load(pt + o);
      const dh = f32x4.add(v128.load(pha + o), v128.load(dhB + row + o));
      const dc = f32x4.add(
        f32x4.add(v128.load(pca + o), v128.load(dcB + row + o)),
        f32x4.mul(f32x4.mul(dh, og), f32x4.sub(one, f32x4.mul(t, t))),
      );
      v128.store(dcPrev + row + o, f32x4.mul(dc, f));
      v128.store(pd + o, f32x4.mul(f32x4.mul(dc, g), f32x4.mul(i, f32x4.sub(one, i))));
      v128.store(pd + hb + o, f32x4.mul(f32x4.mul(dc, v128.load(pc + o)), f32x4.mul(f, f32x4.sub(one, f))));
      v128.store(pd + 2 * hb + o, f32x4.mul(f32x4.mul(dc, i), f32x4.sub(one, f32x4.mul(g, g))));
      v128.store(pd + 3 * hb + o, f32x4.mul(f32x4.mul(dh, t), f32x4.mul(og, f32x4.sub(one, og))));
    }
  }
}

// GRU step (PyTorch's gate order r, z, n): with a = xp (input projection incl. b_ih) and
// q = rec + b_hh (rec = h_prev W_hh^T):
//   r = σ(a_r + q_r),  z = σ(a_z + q_z),  n = tanh(a_n + r q_n),  h = n + z (h_prev - n)
// Saves acts = (r, z, n) [B, 3H] and qn = q_n [B, H]; h goes to a row of stride sh.
export function gruCellForward(xp: usize, sx: i32, rec: usize, bhh: usize, hPrev: usize, sp: i32, acts: usize, qn: usize, h: usize, sh: i32, B: i32, H: i32): void {
  const hb = <usize>H * 4;
  for (let b: i32 = 0; b < B; b++) {
    const px = xp + <usize>(b * sx) * 4;
    const pr = rec + <usize>(b * 3 * H) * 4;
    const pa = acts + <usize>(b * 3 * H) * 4;
    const pq = qn + <usize>(b * H) * 4;
    const pp = hPrev + <usize>(b * sp) * 4;
    const ph = h + <usize>(b * sh) * 4;
    for (let j: i32 = 0; j < H; j += 4) {
      const o = <usize>j * 4;
      const r = sigmoid4(f32x4.add(v128.load(px + o), f32x4.add(v128.load(pr + o), v128.load(bhh + o))));
      const z = sigmoid4(f32x4.add(v128.load(px + hb + o), f32x4.add(v128.load(pr + hb + o), v128.load(bhh + hb + o))));
      const q = f32x4.add(v128.load(pr + 2 * hb + o), v128.load(bhh + 2 * hb + o));
      const n = tanh4(f32x4.add(v128.load(px + 2 * hb + o), f32x4.mul(r, q)));
      v128.store(pa + o, r);
      v128.store(pa + hb + o, z);
      v128.store(pa + 2 * hb + o, n);
      v128.store(pq + o, q);
      v128.store(ph + o, f32x4.add(n, f32x4.mul(z, f32x4.sub(v128.load(pp + o), n))));
    }
  }
}

// Backward of one GRU step from dh = dhA (row stride sdh) + dhB (dense): writes dxp [B, 3H] (the
// gradient of a), dq [B, 3H] (of q = rec + b_hh) and dhPrev [B, H], the direct part z dh (the
// caller adds dq W_hh).
export function gruCellBackward(
  acts: usize, qn: usize, hPrev: usize, sp: i32, dhA: usize, sdh: i32, dhB: usize,
  dxp: usize, dq: usize, dhPrev: usize, B: i32, H: i32,
): void {
  const hb = <usize>H * 4;
  const one = f32x4.splat(1);
  for (let b: i32 = 0; b < B; b++) {
    const pa = acts + <usize>(b * 3 * H) * 4;
    const px = dxp + <usize>(b * 3 * H) * 4;
    const pd = dq + <usize>(b * 3 * H) * 4;
    const row = <usize>(b * H) * 4;
    const pp = hPrev + <usize>(b * sp) * 4;
    const ph = dhA + <usize>(b * sdh) * 4;
    for (let j: i32 = 0; j < H; j += 4) {
      const o = <usize>j * 4;
      const r = v128.load(pa + o);
      const z = v128.load(pa + hb + o);
      const n = v128.load(pa + 2 * hb + o);
      const dh = f32x4.add(v128.load(ph + o), v128.load(dhB + row + o));
      const dan = f32x4.mul(f32x4.mul(dh, f32x4.sub(one, z)), f32x4.sub(one, f32x4.mul(n, n)));
      const dar = f32x4.mul(f32x4.mul(dan, v128.load(qn + row + o)), f32x4.mul(r, f32x4.sub(one, r)));
      const daz = f32x4.mul(f32x4.mul(dh, f32x4.sub(v128.load(pp + o), n)), f32x4.mul(z, f32x4.sub(one, z)));
      v128.store(px + o, dar);
      v128.store(px + hb + o, daz);
      v128.store(px + 2 * hb + o, dan);
      v128.store(pd + o, dar);
      v128.store(pd + hb + o, daz);
      v128.store(pd + 2 * hb + o, f32x4.mul(dan, r));
      v128.store(dhPrev + row + o, f32x4.mul(dh, z));
    }
  }
}

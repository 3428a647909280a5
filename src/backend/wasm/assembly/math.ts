// Vectorised exp, sigmoid and tanh over f32 arrays (the LSTM and attention hot paths). Accurate to
// a few ulp of f32 (Cephes expf/tanhf polynomials), with IEEE behaviour at the edges: exp
// overflows to +inf and underflows through denormals to 0, NaN propagates. n is rounded up to a
// multiple of 4 by the caller's buffers.

const LOG2E: f32 = 1.44269504088896341;
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;

@inline function pow2i(k: v128): v128 {
  // 2^k for integer lanes k in [-126, 127], as float bits.
  return i32x4.shl(i32x4.add(k, i32x4.splat(127)), 23);
}

@inline export function exp4(xin: v128): v128 {
  const x = f32x4.max(f32x4.min(xin, f32x4.splat(104.0)), f32x4.splat(-104.0));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(LOG2E)));
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(LN2_LO)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  p = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1.0));
  // Scale by 2^n in two exact steps so |n| up to 150 neither overflows the exponent nor flushes.
  const ni = i32x4.trunc_sat_f32x4_s(n);
  const n1 = i32x4.shr_s(ni, 1);
  const n2 = i32x4.sub(ni, n1);
  return f32x4.mul(f32x4.mul(p, pow2i(n1)), pow2i(n2));
}

@inline export function tanh4(x: v128): v128 {
  const ax = f32x4.abs(x);
  // small |x|: odd polynomial (no cancellation)
  const z = f32x4.mul(x, x);
  let p = f32x4.splat(-5.70498872745e-3);
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(2.06390887954e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-5.37397155531e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(1.33314422036e-1));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-3.33332819422e-1));
  const small = f32x4.add(f32x4.mul(f32x4.mul(p, z), x), x);
  // large |x|: 1 - 2 / (exp(2|x|) + 1), with the sign of x
  const e = exp4(f32x4.add(ax, ax));
  const big = f32x4.sub(f32x4.splat(1.0), f32x4.div(f32x4.splat(2.0), f32x4.add(e, f32x4.splat(1.0))));
  const signed = v128.or(big, v128.and(x, i32x4.splat(0x80000000)));
  return v128.bitselect(small, signed, f32x4.lt(ax, f32x4.splat(0.625)));
}

export function expF32(x: usize, y: usize, n: i32): void {
  for (let i: i32 = 0; i < n; i += 4) {
    const o = <usize>i * 4;
    v128.store(y + o, exp4(v128.load(x + o)));
  }
}

// With e = exp(-|x|) in (0, 1]: σ(x) = 1 / (1 + e) for x >= 0 and e / (1 + e) below, so nothing
// overflows and tiny results keep their value (down to denormals).
@inline export function sigmoid4(v: v128): v128 {
  const one = f32x4.splat(1.0);
  const e = exp4(f32x4.neg(f32x4.abs(v)));
  const t = f32x4.div(one, f32x4.add(one, e));
  return v128.bitselect(t, f32x4.mul(e, t), f32x4.ge(v, f32x4.splat(0)));
}

export function sigmoidF32(x: usize, y: usize, n: i32): void {
  for (let i: i32 = 0; i < n; i += 4) {
    const o = <usize>i * 4;
    v128.store(y + o, sigmoid4(v128.load(x + o)));
  }
}

export function tanhF32(x: usize, y: usize, n: i32): void {
  for (let i: i32 = 0; i < n; i += 4) {
    const o = <usize>i * 4;
    v128.store(y + o, tanh4(v128.load(x + o)));
  }
}

// Softmax (log = 0) or log-softmax (log = 1) of `rows` dense lines of n floats (n a multiple of 4,
// padded by the caller with -inf, which contributes exp(-inf) = 0). Stable: the line maximum is
// subtracted first; a line holding NaN or +inf, or only -inf, gives NaN, as the reference does.
export function softmaxRowsF32(x: usize, y: usize, rows: i32, n: i32, log: i32): void {
  for (let r: i32 = 0; r < rows; r++) {
    const px = x + <usize>(r * n) * 4;
    const py = y + <usize>(r * n) * 4;
    let mv = f32x4.splat(-Infinity);
    let nan = f32x4.splat(0);
    for (let i: i32 = 0; i < n; i += 4) {
      const v = v128.load(px + <usize>i * 4);
      mv = f32x4.pmax(mv, v);
      nan = v128.or(nan, f32x4.ne(v, v));
    }
    let m = max(max(f32x4.extract_lane(mv, 0), f32x4.extract_lane(mv, 1)), max(f32x4.extract_lane(mv, 2), f32x4.extract_lane(mv, 3)));
    if (v128.any_true(nan)) m = NaN;
    const m4 = f32x4.splat(m);
    let s4 = f32x4.splat(0);
    for (let i: i32 = 0; i < n; i += 4) {
      const o = <usize>i * 4;
      const e = exp4(f32x4.sub(v128.load(px + o), m4));
      if (!log) v128.store(py + o, e);
      s4 = f32x4.add(s4, e);
    }
    const s = f32x4.extract_lane(s4, 0) + f32x4.extract_lane(s4, 1) + (f32x4.extract_lane(s4, 2) + f32x4.extract_lane(s4, 3));
    if (log) {
      const lse = f32x4.splat(m + Mathf.log(s));
      for (let i: i32 = 0; i < n; i += 4) {
        const o = <usize>i * 4;
        v128.store(py + o, f32x4.sub(v128.load(px + o), lse));
      }
    } else {
      const inv = f32x4.splat(s);
      for (let i: i32 = 0; i < n; i += 4) {
        const o = <usize>i * 4;
        v128.store(py + o, f32x4.div(v128.load(py + o), inv));
      }
    }
  }
}

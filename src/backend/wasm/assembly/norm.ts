// Normalisation over groups of elements (layer, batch, instance and group norm): group g is
// `outer` blocks of `inner` consecutive floats, block o starting at element g*gs + o*os.
// Forward: y = (x - mean) / sqrt(var + eps) with the biased variance (two passes: the mean, then
// the squared deviations), saving mean, var and 1/sqrt(var + eps) per group. Backward from y (= xhat):
// dx = rstd (g - mean(g) - xhat mean(g xhat)) over the group. Sums run in f32 lanes within a block
// and in f64 across blocks (a batch-norm group is N blocks of H*W).

@inline function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/** Sum of block [p, p + inner). */
@inline function blockSum(p: usize, inner: i32): f32 {
  let s4 = f32x4.splat(0);
  let i: i32 = 0;
  for (; i + 4 <= inner; i += 4) s4 = f32x4.add(s4, v128.load(p + <usize>i * 4));
  let s = hsum(s4);
  for (; i < inner; i++) s += load<f32>(p + <usize>i * 4);
  return s;
}

export function normForwardF32(x: usize, y: usize, G: i32, outer: i32, inner: i32, gs: i32, os: i32, eps: f32, mean: usize, variance: usize, rstd: usize): void {
  const n = <f64>outer * <f64>inner;
  for (let g: i32 = 0; g < G; g++) {
    let s: f64 = 0;
    for (let o: i32 = 0; o < outer; o++) s += <f64>blockSum(x + <usize>(g * gs + o * os) * 4, inner);
    const m = <f32>(s / n);
    const m4 = f32x4.splat(m);
    let q: f64 = 0;
    for (let o: i32 = 0; o < outer; o++) {
      const p = x + <usize>(g * gs + o * os) * 4;
      let q4 = f32x4.splat(0);
      let i: i32 = 0;
      for (; i + 4 <= inner; i += 4) {
        const d = f32x4.sub(v128.load(p + <usize>i * 4), m4);
        q4 = f32x4.add(q4, f32x4.mul(d, d));
      }
      let qs = hsum(q4);
      for (; i < inner; i++) {
        const d = load<f32>(p + <usize>i * 4) - m;
        qs += d * d;
      }
      q += <f64>qs;
    }
    const v = q / n;
    const r = <f32>(1.0 / Math.sqrt(v + <f64>eps));
    const r4 = f32x4.splat(r);
    for (let o: i32 = 0; o < outer; o++) {
      const off = <usize>(g * gs + o * os) * 4;
      let i: i32 = 0;
      for (; i + 4 <= inner; i += 4) {
        const b = off + <usize>i * 4;
        v128.store(y + b, f32x4.mul(f32x4.sub(v128.load(x + b), m4), r4));
      }
      for (; i < inner; i++) {
        const b = off + <usize>i * 4;
        store<f32>(y + b, (load<f32>(x + b) - m) * r);
      }
    }
    store<f32>(mean + <usize>g * 4, m);
    store<f32>(variance + <usize>g * 4, <f32>v);
    store<f32>(rstd + <usize>g * 4, r);
  }
}

export function normBackwardF32(gy: usize, xhat: usize, dx: usize, G: i32, outer: i32, inner: i32, gs: i32, os: i32, rstd: usize): void {
  const n = <f64>outer * <f64>inner;
  for (let g: i32 = 0; g < G; g++) {
    let a: f64 = 0;
    let b: f64 = 0;
    for (let o: i32 = 0; o < outer; o++) {
      const off = <usize>(g * gs + o * os) * 4;
      let a4 = f32x4.splat(0);
      let b4 = f32x4.splat(0);
      let i: i32 = 0;
      for (; i + 4 <= inner; i += 4) {
        const k = off + <usize>i * 4;
        const gv = v128.load(gy + k);
        a4 = f32x4.add(a4, gv);
        b4 = f32x4.add(b4, f32x4.mul(gv, v128.load(xhat + k)));
      }
      let as = hsum(a4);
      let bs = hsum(b4);
      for (; i < inner; i++) {
        const k = off + <usize>i * 4;
        as += load<f32>(gy + k);
        bs += load<f32>(gy + k) * load<f32>(xhat + k);
      }
      a += <f64>as;
      b += <f64>bs;
    }
    const r = load<f32>(rstd + <usize>g * 4);
    const ma = f32x4.splat(<f32>(a / n));
    const mb = f32x4.splat(<f32>(b / n));
    const r4 = f32x4.splat(r);
    for (let o: i32 = 0; o < outer; o++) {
      const off = <usize>(g * gs + o * os) * 4;
      let i: i32 = 0;
      for (; i + 4 <= inner; i += 4) {
        const k = off + <usize>i * 4;
        const v = f32x4.sub(f32x4.sub(v128.load(gy + k), ma), f32x4.mul(v128.load(xhat + k), mb));
        v128.store(dx + k, f32x4.mul(v, r4));
      }
      for (; i < inner; i++) {
        const k = off + <usize>i * 4;
        store<f32>(dx + k, (load<f32>(gy + k) - <f32>(a / n) - load<f32>(xhat + k) * <f32>(b / n)) * r);
      }
    }
  }
}

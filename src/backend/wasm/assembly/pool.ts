// 2x2 / stride-2 max pooling (the CNN case), four output columns per step. Same rule as the
// reference (src/backend/cpu/pool.ts): window positions are visited row by row, a value replaces
// the best when it is greater or NaN, so the first maximum wins ties and the last NaN wins.
// Indices are flat positions within the H x W plane. x: planes x H x W; values/indices: planes x OH x OW.

@inline function take(v: v128, best: v128): v128 {
  return v128.or(f32x4.gt(v, best), f32x4.ne(v, v));
}

export function maxPool2x2(x: usize, planes: i32, H: i32, W: i32, OH: i32, OW: i32, values: usize, indices: usize): void {
  const step = i32x4(0, 2, 4, 6);
  for (let pl: i32 = 0; pl < planes; pl++) {
    const base = x + <usize>(pl * H * W) * 4;
    let o = <usize>(pl * OH * OW);
    for (let oh: i32 = 0; oh < OH; oh++) {
      const r0 = 2 * oh;
      const row0 = base + <usize>(r0 * W) * 4;
      const row1 = row0 + <usize>W * 4;
      let ow: i32 = 0;
      for (; ow + 4 <= OW; ow += 4, o += 4) {
        const c0 = 2 * ow;
        const a0 = v128.load(row0 + <usize>c0 * 4);
        const a1 = v128.load(row0 + <usize>c0 * 4, 16);
        const b0 = v128.load(row1 + <usize>c0 * 4);
        const b1 = v128.load(row1 + <usize>c0 * 4, 16);
        const e0 = v128.shuffle<f32>(a0, a1, 0, 2, 4, 6);
        const d0 = v128.shuffle<f32>(a0, a1, 1, 3, 5, 7);
        const e1 = v128.shuffle<f32>(b0, b1, 0, 2, 4, 6);
        const d1 = v128.shuffle<f32>(b0, b1, 1, 3, 5, 7);
        const i00 = i32x4.add(i32x4.splat(r0 * W + c0), step);
        let best = e0;
        let idx = i00;
        let m = take(d0, best);
        best = v128.bitselect(d0, best, m);
        idx = v128.bitselect(i32x4.add(i00, i32x4.splat(1)), idx, m);
        m = take(e1, best);
        best = v128.bitselect(e1, best, m);
        idx = v128.bitselect(i32x4.add(i00, i32x4.splat(W)), idx, m);
        m = take(d1, best);
        best = v128.bitselect(d1, best, m);
        idx = v128.bitselect(i32x4.add(i00, i32x4.splat(W + 1)), idx, m);
        v128.store(values + o * 4, best);
        v128.store(indices + o * 4, idx);
      }
      for (; ow < OW; ow++, o++) {
        const c0 = 2 * ow;
        let best: f32 = -Infinity;
        let idx: i32 = r0 * W + c0;
        for (let a: i32 = 0; a < 2; a++) {
          for (let b: i32 = 0; b < 2; b++) {
            const v = load<f32>(base + <usize>((r0 + a) * W + c0 + b) * 4);
            if (v > best || v != v) {
              best = v;
              idx = (r0 + a) * W + c0 + b;
            }
          }
        }
        store<f32>(values + o * 4, best);
        store<i32>(indices + o * 4, idx);
      }
    }
  }
}

// Any window plan (padding, dilation, ceil mode, adaptive windows): the windows are given as lists
// of input rows and columns in CSR form (rowPtr [OH + 1] into rowIdx, colPtr [OW + 1] into colIdx),
// exactly as the reference (src/backend/cpu/pool.ts) walks them, with the same rules.

/**
 * mode 0 (max): out = the maximum of each window, aux = the flat index of it within its plane.
 * mode 1 (mean): out = the window sum / aux[oh * OW + ow] (f64 divisors; f64 sums, as the reference).
 */
export function poolPlan(
  mode: i32, x: usize, planes: i32, H: i32, W: i32, OH: i32, OW: i32,
  rowPtr: usize, rowIdx: usize, colPtr: usize, colIdx: usize, out: usize, aux: usize,
): void {
  let o: usize = 0;
  for (let pl: i32 = 0; pl < planes; pl++) {
    const base = x + <usize>(pl * H * W) * 4;
    for (let oh: i32 = 0; oh < OH; oh++) {
      const r0 = load<i32>(rowPtr + <usize>oh * 4);
      const r1 = load<i32>(rowPtr + <usize>(oh + 1) * 4);
      for (let ow: i32 = 0; ow < OW; ow++, o++) {
        const c0 = load<i32>(colPtr + <usize>ow * 4);
        const c1 = load<i32>(colPtr + <usize>(ow + 1) * 4);
        if (mode == 0) maxWindow(base, W, r0, r1, c0, c1, rowIdx, colIdx, out + o * 4, aux + o * 4);
        else store<f32>(out + o * 4, <f32>(windowSum(base, W, r0, r1, c0, c1, rowIdx, colIdx) / load<f64>(aux + <usize>(oh * OW + ow) * 8)));
      }
    }
  }
}

@inline function maxWindow(base: usize, W: i32, r0: i32, r1: i32, c0: i32, c1: i32, rowIdx: usize, colIdx: usize, value: usize, index: usize): void {
  let best: i32 = reinterpret<i32>(<f32>-Infinity); // the bits: an integer select is a cmov, a float one may branch
  let bestIdx: i32 = (r1 > r0 ? load<i32>(rowIdx + <usize>r0 * 4) : 0) * W + (c1 > c0 ? load<i32>(colIdx + <usize>c0 * 4) : 0);
  for (let a = r0; a < r1; a++) {
    const rowOff = load<i32>(rowIdx + <usize>a * 4) * W;
    for (let b = c0; b < c1; b++) {
      const idx = rowOff + load<i32>(colIdx + <usize>b * 4);
      const v = load<f32>(base + <usize>idx * 4);
      // Branch-free: on random data a branch mispredicts about half the time.
      const take = (<i32>(v > reinterpret<f32>(best)) | <i32>(v != v)) != 0;
      best = select<i32>(reinterpret<i32>(v), best, take);
      bestIdx = select<i32>(idx, bestIdx, take);
    }
  }
  store<i32>(value, best);
  store<i32>(index, bestIdx);
}

@inline function windowSum(base: usize, W: i32, r0: i32, r1: i32, c0: i32, c1: i32, rowIdx: usize, colIdx: usize): f64 {
  let s: f64 = 0;
  for (let a = r0; a < r1; a++) {
    const rowOff = load<i32>(rowIdx + <usize>a * 4) * W;
    for (let b = c0; b < c1; b++) s += <f64>load<f32>(base + <usize>(rowOff + load<i32>(colIdx + <usize>b * 4)) * 4);
  }
  return s;
}

// Backward passes, as the reference's (src/backend/cpu/pool.ts) loops in the same order, so the
// same float32 sums and bits. Both zero their output first and then add into it.

/**
 * Max pooling's backward: out (planes x outer) = 0, then out[pl, idx[pl, k]] += src[pl, k] for
 * planes of `inner` sources. An index outside the output is skipped, as the reference's typed-array
 * write past the end is.
 */
export function scatterAddPlanes(src: usize, idx: usize, planes: i32, inner: i32, outer: i32, out: usize): void {
  const total = planes * outer;
  memory.fill(out, 0, <usize>total * 4);
  for (let pl: i32 = 0; pl < planes; pl++) {
    const s = <usize>(pl * inner) * 4;
    const t = pl * outer;
    for (let k: i32 = 0; k < inner; k++) {
      const flat = t + load<i32>(idx + s + <usize>k * 4);
      if (<u32>flat >= <u32>total) continue;
      const q = out + <usize>flat * 4;
      store<f32>(q, load<f32>(q) + load<f32>(src + s + <usize>k * 4));
    }
  }
}

/**
 * Average pooling's backward over a window plan (CSR lists as poolPlan): out (planes x H x W) = 0,
 * then every window position gets g / divisor added (f64 quotient, f32 sums, as the reference).
 */
export function windowMeanBackward(
  g: usize, planes: i32, H: i32, W: i32, OH: i32, OW: i32,
  rowPtr: usize, rowIdx: usize, colPtr: usize, colIdx: usize, divisor: usize, out: usize,
): void {
  memory.fill(out, 0, <usize>(planes * H * W) * 4);
  let o: usize = 0;
  for (let pl: i32 = 0; pl < planes; pl++) {
    const base = out + <usize>(pl * H * W) * 4;
    for (let oh: i32 = 0; oh < OH; oh++) {
      const r0 = load<i32>(rowPtr + <usize>oh * 4);
      const r1 = load<i32>(rowPtr + <usize>(oh + 1) * 4);
      for (let ow: i32 = 0; ow < OW; ow++, o++) {
        const c0 = load<i32>(colPtr + <usize>ow * 4);
        const c1 = load<i32>(colPtr + <usize>(ow + 1) * 4);
        const v = <f64>load<f32>(g + o * 4) / load<f64>(divisor + <usize>(oh * OW + ow) * 8);
        for (let a = r0; a < r1; a++) {
          const row = base + <usize>(load<i32>(rowIdx + <usize>a * 4) * W) * 4;
          for (let b = c0; b < c1; b++) {
            const q = row + <usize>load<i32>(colIdx + <usize>b * 4) * 4;
            store<f32>(q, <f32>(<f64>load<f32>(q) + v));
          }
        }
      }
    }
  }
}

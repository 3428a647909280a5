/**
 * Reference pooling kernels over stacks of H x W planes (dense row-major [planes, H, W]).
 * A pooling window is described separably: for each output row oh the list of input rows it reads
 * (`rows[oh]`), and for each output column the list of input columns. Max pooling (with padding,
 * dilation, ceil mode), average pooling and adaptive pooling are all such plans; padding positions
 * are simply absent from the lists. Pure functions, no autograd.
 */

export interface WindowPlan {
  H: number;
  W: number;
  OH: number;
  OW: number;
  /** Input rows read by each output row (valid positions only, in increasing order). */
  rows: readonly Int32Array[];
  /** Input columns read by each output column. */
  cols: readonly Int32Array[];
  /** Averaging only: the divisor of each output (OH * OW entries). */
  divisor?: Float64Array;
}

type Out = { [i: number]: number };

/**
 * Max over each window: values and the flat index (ih * W + iw) of the maximum within its plane.
 * As PyTorch: the first maximum wins ties, a NaN wins (the last one), an all-padding window reports the first
 * valid position.
 */
export function maxPoolForward(x: ArrayLike<number>, planes: number, p: WindowPlan, values: Out, indices: Out): void {
  const { H, W, OH, OW, rows, cols } = p;
  let o = 0;
  for (let pl = 0; pl < planes; pl++) {
    const base = pl * H * W;
    for (let oh = 0; oh < OH; oh++) {
      const rs = rows[oh]!;
      for (let ow = 0; ow < OW; ow++, o++) {
        const cs = cols[ow]!;
        let best = -Infinity;
        let bestIdx = (rs.length ? rs[0]! : 0) * W + (cs.length ? cs[0]! : 0);
        for (let a = 0; a < rs.length; a++) {
          const rowOff = rs[a]! * W;
          for (let b = 0; b < cs.length; b++) {
            const idx = rowOff + cs[b]!;
            const v = x[base + idx]!;
            if (v > best || Number.isNaN(v)) {
              best = v;
              bestIdx = idx;
            }
          }
        }
        values[o] = best;
        indices[o] = bestIdx;
      }
    }
  }
}

/** out[pl, oh, ow] = sum over the window of x / divisor[oh, ow]. */
export function windowMeanForward(x: ArrayLike<number>, planes: number, p: WindowPlan, out: Out): void {
  const { H, W, OH, OW, rows, cols } = p;
  const div = p.divisor!;
  let o = 0;
  for (let pl = 0; pl < planes; pl++) {
    const base = pl * H * W;
    for (let oh = 0; oh < OH; oh++) {
      const rs = rows[oh]!;
      for (let ow = 0; ow < OW; ow++, o++) {
        const cs = cols[ow]!;
        let acc = 0;
        for (let a = 0; a < rs.length; a++) {
          const rowOff = base + rs[a]! * W;
          for (let b = 0; b < cs.length; b++) acc += x[rowOff + cs[b]!]!;
        }
        out[o] = acc / div[oh * OW + ow]!;
      }
    }
  }
}

/** The adjoint of windowMeanForward: gx (fully overwritten) gets g / divisor on every window position. */
export function windowMeanBackward(g: ArrayLike<number>, planes: number, p: WindowPlan, gx: Out): void {
  const { H, W, OH, OW, rows, cols } = p;
  const div = p.divisor!;
  for (let k = 0; k < planes * H * W; k++) gx[k] = 0;
  let o = 0;
  for (let pl = 0; pl < planes; pl++) {
    const base = pl * H * W;
    for (let oh = 0; oh < OH; oh++) {
      const rs = rows[oh]!;
      for (let ow = 0; ow < OW; ow++, o++) {
        const cs = cols[ow]!;
        const v = g[o]! / div[oh * OW + ow]!;
        for (let a = 0; a < rs.length; a++) {
          const rowOff = base + rs[a]! * W;
          for (const c of cs) gx[rowOff + c] = gx[rowOff + c]! + v;
        }
      }
    }
  }
}

/** out[0, n) = 0 (a typed array's fill is a memset). */
function zero(out: Out, n: number): void {
  if (ArrayBuffer.isView(out)) (out as unknown as Float32Array).fill(0, 0, n);
  else for (let k = 0; k < n; k++) out[k] = 0;
}

/** out[pl, idx[pl, k]] += src[pl, k] for planes of `inner` source and `outer` target elements (out overwritten). */
export function scatterAddPlanes(
  src: ArrayLike<number>,
  idx: ArrayLike<number>,
  planes: number,
  inner: number,
  outer: number,
  out: Out,
): void {
  zero(out, planes * outer);
  for (let pl = 0; pl < planes; pl++) {
    const s = pl * inner;
    const t = pl * outer;
    for (let k = 0; k < inner; k++) {
      const o = t + idx[s + k]!;
      out[o] = out[o]! + src[s + k]!;
    }
  }
}

/** out[pl, idx[pl, k]] = src[pl, k], zeros elsewhere (max unpooling: duplicates keep the last write). */
export function scatterPlanes(
  src: ArrayLike<number>,
  idx: ArrayLike<number>,
  planes: number,
  inner: number,
  outer: number,
  out: Out,
): void {
  zero(out, planes * outer);
  for (let pl = 0; pl < planes; pl++) {
    const s = pl * inner;
    const t = pl * outer;
    for (let k = 0; k < inner; k++) out[t + idx[s + k]!] = src[s + k]!;
  }
}

/** out[pl, k] = src[pl, idx[pl, k]]. */
export function gatherPlanes(src: ArrayLike<number>, idx: ArrayLike<number>, planes: number, inner: number, outer: number, out: Out): void {
  for (let pl = 0; pl < planes; pl++) {
    const s = pl * outer;
    const t = pl * inner;
    for (let k = 0; k < inner; k++) out[t + k] = src[s + idx[t + k]!]!;
  }
}

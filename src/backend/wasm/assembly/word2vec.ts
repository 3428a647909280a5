// word2vec's sparse training loop over one chunk of sentences (skip-gram or CBOW with negative
// sampling), the WebAssembly twin of the JS reference in src/models/word2vec (model.ts, task.ts):
// the same subsampling, reduced windows and negative draws from the same xorshift32 stream, the
// same order of row updates. Rows are f32x4 lanes (d % 4 leftovers in scalar code); sigma comes
// from the Cephes exp4 of math.ts. The loss is gathered as a float64 product of the steps'
// probabilities, its log taken only when the product falls below 1e-200 (every several hundred
// factors) instead of once per output word: the log is a software routine, and an output word's
// rows are only ~300 multiply-adds (d = 100). Not measured against the per-word log.
// A plain JS loop over Float32Array rows ran ~20x slower than gensim's BLAS-backed Cython, hence
// this kernel.
//
// Memory (byte addresses, staged by src/backend/word2vec.ts):
//   win, wout   V x d f32 rows, updated in place
//   ids         the chunk's word ids (i32), sentence s spanning ids[offsets[s] .. offsets[s+1])
//   offsets     i32, sentences + 1 entries
//   keep        V u32 keep thresholds (subsampling), read when `subsample` is 1
//   table       tableSize i32 word ids (the unigram^0.75 table)
//   buf         i32 scratch for one subsampled sentence (longest sentence)
//   negs        i32 scratch, nNeg entries; work, h: f32 scratch, d entries each (16-byte aligned)
//   state       in: [0] the u32 stream state; out: [0] the state after the chunk, [1] steps (i32)
// Returns the summed loss of the chunk's steps.
import { exp4 } from './math';

@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

@inline function dotRow(x: usize, y: usize, d: i32): f32 {
  let acc0 = f32x4.splat(0);
  let acc1 = f32x4.splat(0);
  let i: i32 = 0;
  for (; i + 8 <= d; i += 8) {
    const o = <usize>i << 2;
    acc0 = madd(v128.load(x + o), v128.load(y + o), acc0);
    acc1 = madd(v128.load(x + o + 16), v128.load(y + o + 16), acc1);
  }
  for (; i + 4 <= d; i += 4) {
    const o = <usize>i << 2;
    acc0 = madd(v128.load(x + o), v128.load(y + o), acc0);
  }
  const a = f32x4.add(acc0, acc1);
  let s = f32x4.extract_lane(a, 0) + f32x4.extract_lane(a, 1) + f32x4.extract_lane(a, 2) + f32x4.extract_lane(a, 3);
  for (; i < d; i++) s += load<f32>(x + (<usize>i << 2)) * load<f32>(y + (<usize>i << 2));
  return s;
}

/** y += g x over d floats. */
@inline function axpy(g: f32, x: usize, y: usize, d: i32): void {
  const G = f32x4.splat(g);
  let i: i32 = 0;
  for (; i + 4 <= d; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, madd(G, v128.load(x + o), v128.load(y + o)));
  }
  for (; i < d; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, load<f32>(y + o) + g * load<f32>(x + o));
  }
}

/** y = g x + y and w += g y_old, for one output row y (work gathers the input's gradient). */
@inline function stepRow(g: f32, x: usize, y: usize, work: usize, d: i32): void {
  const G = f32x4.splat(g);
  let i: i32 = 0;
  for (; i + 4 <= d; i += 4) {
    const o = <usize>i << 2;
    const u = v128.load(y + o);
    v128.store(work + o, madd(G, u, v128.load(work + o)));
    v128.store(y + o, madd(G, v128.load(x + o), u));
  }
  for (; i < d; i++) {
    const o = <usize>i << 2;
    const u = load<f32>(y + o);
    store<f32>(work + o, load<f32>(work + o) + g * u);
    store<f32>(y + o, u + g * load<f32>(x + o));
  }
}

let lossAcc: f64 = 0;
let prob: f64 = 1;

@inline function addProbability(p: f64): void {
  prob *= p;
  if (prob < 1e-200) {
    lossAcc -= Math.log(prob);
    prob = 1;
  }
}

/** One negative-sampling step for input vector x: see src/models/word2vec/model.ts negativeSamplingStep. */
function nsStep(x: usize, wout: usize, d: i32, target: i32, negs: usize, nNeg: i32, alpha: f32, work: usize): void {
  memory.fill(work, 0, <usize>d << 2);
  for (let k: i32 = -1; k < nNeg; k++) {
    const t = k < 0 ? target : load<i32>(negs + (<usize>k << 2));
    if (k >= 0 && t == target) continue;
    const row = wout + ((<usize>t * <usize>d) << 2);
    const f = dotRow(x, row, d);
    // e = exp(-f) in f32 lanes; sigma = 1 / (1 + e); the probability of the label: sigma or e * sigma
    const e = f32x4.extract_lane(exp4(f32x4.splat(-f)), 0);
    const sig: f32 = 1.0 / (1.0 + e);
    let g: f32;
    if (k < 0) {
      g = alpha * (1.0 - sig);
      addProbability(<f64>sig);
    } else {
      g = -alpha * sig;
      addProbability(<f64>(e * sig));
    }
    stepRow(g, x, row, work, d);
  }
}

export function word2vecChunk(
  win: usize, wout: usize, d: i32, ids: usize, offsets: usize, sentences: i32,
  keep: usize, subsample: i32, table: usize, tableSize: i32, window: i32, nNeg: i32, skipgram: i32,
  alpha: f32, buf: usize, negs: usize, work: usize, h: usize, state: usize,
): f64 {
  let x = load<i32>(state);
  let steps: i32 = 0;
  lossAcc = 0;
  prob = 1;
  const rowBytes = <usize>d << 2;
  for (let s: i32 = 0; s < sentences; s++) {
    let n: i32 = 0;
    const p0 = load<i32>(offsets + (<usize>s << 2));
    const p1 = load<i32>(offsets + (<usize>(s + 1) << 2));
    for (let p = p0; p < p1; p++) {
      const w = load<i32>(ids + (<usize>p << 2));
      if (subsample) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        if (load<u32>(keep + (<usize>w << 2)) < <u32>x) continue;
      }
      store<i32>(buf + (<usize>n << 2), w);
      n++;
    }
    for (let i: i32 = 0; i < n; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      const b = <i32>(<u32>x % <u32>window);
      const from = max(0, i - window + b);
      const to = min(n, i + window + 1 - b);
      const centre = load<i32>(buf + (<usize>i << 2));
      if (skipgram) {
        for (let j = from; j < to; j++) {
          if (j == i) continue;
          for (let k: i32 = 0; k < nNeg; k++) {
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            store<i32>(negs + (<usize>k << 2), load<i32>(table + (<usize>(<u32>x % <u32>tableSize) << 2)));
          }
          const ctx = win + <usize>load<i32>(buf + (<usize>j << 2)) * rowBytes;
          nsStep(ctx, wout, d, centre, negs, nNeg, alpha, work);
          axpy(1.0, work, ctx, d);
          steps++;
        }
      } else if (to - from > 1) {
        for (let k: i32 = 0; k < nNeg; k++) {
          x ^= x << 13;
          x ^= x >>> 17;
          x ^= x << 5;
          store<i32>(negs + (<usize>k << 2), load<i32>(table + (<usize>(<u32>x % <u32>tableSize) << 2)));
        }
        memory.fill(h, 0, rowBytes);
        for (let m = from; m < to; m++) {
          if (m == i) continue;
          axpy(1.0, win + <usize>load<i32>(buf + (<usize>m << 2)) * rowBytes, h, d);
        }
        const inv: f32 = 1.0 / <f32>(to - from - 1);
        const INV = f32x4.splat(inv);
        let q: i32 = 0;
        for (; q + 4 <= d; q += 4) v128.store(h + (<usize>q << 2), f32x4.mul(v128.load(h + (<usize>q << 2)), INV));
        for (; q < d; q++) store<f32>(h + (<usize>q << 2), load<f32>(h + (<usize>q << 2)) * inv);
        nsStep(h, wout, d, centre, negs, nNeg, alpha, work);
        for (let m = from; m < to; m++) {
          if (m == i) continue;
          axpy(1.0, work, win + <usize>load<i32>(buf + (<usize>m << 2)) * rowBytes, d);
        }
        steps++;
      }
    }
  }
  store<i32>(state, x);
  store<i32>(state + 4, steps);
  return lossAcc - Math.log(prob);
}

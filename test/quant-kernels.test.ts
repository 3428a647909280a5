// The int8 kernels (WebAssembly SIMD: relaxed 7-bit dot product, widening i16 dot product, threads)
// against the reference integer implementation, bit for bit, on awkward shapes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  im2colNhwcRef,
  nearestEven,
  qconv2d,
  qgemm,
  qgemmRef,
  qmaxPool,
  qmaxPoolNhwcRef,
  qquantize,
  quantizeNhwcRef,
  quantTuning,
  requantizeRef,
  type QConvGeom,
} from '../src/backend/quant.js';
import { getKernelVariant, setKernelVariant } from '../src/backend/wasm/loader.js';
import { Generator, getNumThreads, setNumThreads } from '../src/index.js';

const rng = new Generator(11);
const ints = (n: number, lo: number, hi: number): Int8Array =>
  Int8Array.from({ length: n }, () => lo + Math.floor(rng.random() * (hi - lo + 1)));

function sameBits(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < got.length; i++) {
    if (!Object.is(got[i], want[i])) assert.fail(`${what}: element ${i} is ${got[i]}, reference ${want[i]}`);
  }
}

/** Runs fn under every kernel path: the relaxed and plain wasm variants, 1 and 2 threads. */
function everyPath(fn: (label: string) => void): void {
  const variant = getKernelVariant();
  const threads = getNumThreads();
  const saved = { ...quantTuning };
  try {
    quantTuning.wasmMinMacs = 0;
    quantTuning.parallelMinMacs = 0;
    quantTuning.wasmMinElements = 0;
    for (const v of ['relaxed', 'simd'] as const) {
      if (setKernelVariant(v) !== v) continue; // this engine lacks it
      for (const t of [1, 2]) {
        setNumThreads(t);
        fn(`${v}, ${t} thread${t > 1 ? 's' : ''}`);
      }
    }
  } finally {
    Object.assign(quantTuning, saved);
    setKernelVariant(variant);
    setNumThreads(threads);
  }
}

test('nearestEven rounds halves to even and everything else to nearest, as f32.nearest', () => {
  const cases: [number, number][] = [
    [0.5, 0],
    [1.5, 2],
    [2.5, 2],
    [-0.5, -0],
    [-1.5, -2],
    [-2.5, -2],
    [2.4999999, 2],
    [-3.5000001, -4],
    [1e9 + 0.5, 1e9],
    [7, 7],
  ];
  for (const [x, want] of cases)
    assert.ok(Object.is(nearestEven(x), want) || nearestEven(x) === want, `nearestEven(${x}) = ${nearestEven(x)}, want ${want}`);
  // requantize clamps and adds the zero point after rounding
  assert.equal(requantizeRef(5, 0.5, 10, 0, 127), 12); // round(2.5) = 2, + 10
  assert.equal(requantizeRef(1000, 1, 0, 0, 127), 127);
  assert.equal(requantizeRef(-1000, 1, 3, 0, 127), 0);
});

test('qgemmRef is the exact integer product followed by one rounding', () => {
  const M = 3;
  const N = 5;
  const K = 37;
  const x = ints(M * K, -128, 127);
  const w = ints(N * K, -127, 127);
  const bias = Int32Array.from({ length: N }, (_, i) => 1000 * i - 2000);
  const scale = Float32Array.from({ length: N }, (_, i) => 0.0003 * (i + 1));
  const out = new Int8Array(M * N);
  const f = new Float32Array(M * N);
  const args = { M, N, K, x, xOff: 0, ldx: K, w, wOff: 0, ldw: K, bias, scale, zOut: -5, qmin: -128, qmax: 127, outOff: 0, ldo: N };
  qgemmRef({ ...args, out });
  qgemmRef({ ...args, out: f });
  for (let m = 0; m < M; m++) {
    for (let n = 0; n < N; n++) {
      let acc = bias[n]!;
      for (let k = 0; k < K; k++) acc += x[m * K + k]! * w[n * K + k]!;
      assert.equal(f[m * N + n], Math.fround(Math.fround(acc) * scale[n]!), 'float output: f32(acc) * scale');
      const real = acc * scale[n]! - 5;
      const q = out[m * N + n]!;
      if (real > -128.5 && real < 127.5) assert.ok(Math.abs(q - real) <= 0.5 + 1e-4, `requantized ${q} vs ${real}`);
      else assert.equal(q, real < 0 ? -128 : 127, 'saturates');
    }
  }
});

test('qgemm: wasm (relaxed dot, i16 dot, threads) equals the reference bit for bit on awkward shapes', () => {
  const shapes: [number, number, number][] = [
    [1, 1, 1],
    [2, 4, 16],
    [3, 5, 17],
    [5, 3, 15],
    [17, 33, 47],
    [64, 10, 160],
    [7, 129, 9],
    [33, 8, 1568],
  ];
  everyPath((label) => {
    for (const [M, N, K] of shapes) {
      for (const range of [
        { xMin: 0, xMax: 127 },
        { xMin: -128, xMax: 127 },
      ]) {
        for (const float of [false, true]) {
          const ldx = K + 3;
          const ldw = K + 1;
          const ldo = N + 2;
          const x = ints(2 + M * ldx, range.xMin, range.xMax);
          const w = ints(1 + N * ldw, -127, 127);
          const bias = Int32Array.from({ length: N }, () => Math.floor((rng.random() - 0.5) * 20000));
          const scale = Float32Array.from({ length: N }, () => 1e-4 + rng.random() * 3e-3);
          const mk = (): Int8Array | Float32Array => (float ? new Float32Array(M * ldo + 1).fill(7) : new Int8Array(M * ldo + 1).fill(7));
          const got = mk();
          const want = mk();
          const args = {
            M,
            N,
            K,
            x,
            xOff: 2,
            ldx,
            w,
            wOff: 1,
            ldw,
            bias,
            scale,
            zOut: range.xMin === 0 ? 3 : -2,
            qmin: range.xMin,
            qmax: 127,
            outOff: 1,
            ldo,
          };
          qgemm({ ...args, out: got }, range);
          qgemmRef({ ...args, out: want });
          sameBits(got, want, `qgemm ${label} M=${M} N=${N} K=${K} x in [${range.xMin}, ${range.xMax}] ${float ? 'float' : 'int8'} out`);
        }
      }
    }
  });
});

function convGeom(N: number, H: number, W: number, C: number, KH: number, KW: number, s: number, p: number, d: number): QConvGeom {
  const OH = Math.floor((H + 2 * p - d * (KH - 1) - 1) / s) + 1;
  const OW = Math.floor((W + 2 * p - d * (KW - 1) - 1) / s) + 1;
  return { N, H, W, C, KH, KW, strideH: s, strideW: s, padH: p, padW: p, dilH: d, dilW: d, OH, OW };
}

test('qconv2d: NHWC im2col + int8 GEMM in wasm equals the reference bit for bit', () => {
  const cases = [
    convGeom(2, 7, 6, 1, 3, 3, 1, 1, 1),
    convGeom(1, 9, 9, 3, 3, 3, 2, 1, 1),
    convGeom(2, 8, 8, 16, 3, 3, 1, 1, 1),
    convGeom(1, 10, 7, 20, 5, 3, 1, 2, 1),
    convGeom(1, 6, 6, 32, 1, 1, 1, 0, 1),
    convGeom(1, 11, 11, 4, 3, 3, 1, 2, 2),
  ];
  everyPath((label) => {
    for (const g of cases) {
      const O = 5 + Math.floor(rng.random() * 12);
      const K = g.KH * g.KW * g.C;
      for (const range of [
        { xMin: 0, xMax: 127 },
        { xMin: -128, xMax: 127 },
      ]) {
        const x = ints(g.N * g.H * g.W * g.C, range.xMin, range.xMax);
        const w = ints(O * K, -127, 127);
        const bias = Int32Array.from({ length: O }, () => Math.floor((rng.random() - 0.5) * 5000));
        const scale = Float32Array.from({ length: O }, () => 1e-3 + rng.random() * 1e-2);
        const zIn = range.xMin === 0 ? 9 : -4;
        const args = { x, zIn, geom: g, w, O, bias, scale, zOut: range.xMin, qmin: range.xMin, qmax: 127 };
        const got = new Int8Array(g.N * g.OH * g.OW * O);
        qconv2d({ ...args, out: got }, range);
        const cols = new Int8Array(g.N * g.OH * g.OW * K);
        im2colNhwcRef(x, g, zIn, cols, K);
        const want = new Int8Array(got.length);
        qgemmRef({
          M: g.N * g.OH * g.OW,
          N: O,
          K,
          x: cols,
          xOff: 0,
          ldx: K,
          w,
          wOff: 0,
          ldw: K,
          bias,
          scale,
          zOut: range.xMin,
          qmin: range.xMin,
          qmax: 127,
          out: want,
          outOff: 0,
          ldo: O,
        });
        sameBits(got, want, `qconv2d ${label} ${JSON.stringify(g)} O=${O} x in [${range.xMin}, 127]`);
      }
    }
  });
});

test('qmaxPool and qquantize: wasm equals the reference', () => {
  everyPath((label) => {
    for (const C of [1, 3, 16, 35]) {
      const g = { N: 2, H: 9, W: 8, C, KH: 2, KW: 3, strideH: 2, strideW: 1, OH: 4, OW: 6 };
      const x = ints(g.N * g.H * g.W * C, -128, 127);
      const got = new Int8Array(g.N * g.OH * g.OW * C);
      const want = new Int8Array(got.length);
      qmaxPool(x, g, got);
      qmaxPoolNhwcRef(x, g, want);
      sameBits(got, want, `qmaxPool ${label} C=${C}`);
      const P = 37;
      const f = Float32Array.from({ length: 3 * C * P }, () => Math.fround((rng.random() - 0.3) * 8));
      // exact ties on the grid too
      f[0] = 0.25;
      f[1] = -0.75;
      const qa = new Int8Array(f.length);
      const qb = new Int8Array(f.length);
      const grid = { scale: 0.5, zeroPoint: 4, qmin: 0, qmax: 127 };
      qquantize(f, 3, C, P, grid, qa);
      quantizeNhwcRef(f, 3, C, P, grid.scale, grid.zeroPoint, grid.qmin, grid.qmax, qb);
      sameBits(qa, qb, `qquantize ${label} C=${C}`);
    }
  });
});

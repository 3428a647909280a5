// Fast kernels (WebAssembly SIMD, threaded) against the JS reference kernels (the oracle).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { gemmRef } from '../src/backend/cpu/gemm.js';
import { gemm, gemmBatched, gemmTuning } from '../src/backend/gemm.js';
import { getKernelVariant, setKernelVariant } from '../src/backend/wasm/loader.js';
import { type Tensor, getNumThreads, setNumThreads, randn, matmul, cast, transpose, Generator } from '../src/index.js';

const rng = new Generator(7);
function rand32(n: number, gen: Generator = rng): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = gen.random() * 2 - 1;
  return a;
}

function close(got: ArrayLike<number>, want: ArrayLike<number>, K: number, what: string): void {
  assert.equal(got.length, want.length, what);
  const tol = 1e-5 * Math.max(1, Math.sqrt(K)) * 4;
  for (let i = 0; i < got.length; i++) {
    if (!(Math.abs(got[i]! - want[i]!) <= tol * (1 + Math.abs(want[i]!)))) {
      assert.fail(`${what}: element ${i} is ${got[i]}, reference ${want[i]}`);
    }
  }
}

const SIZES = [1, 3, 5, 17, 63, 65, 127];

/** One product checked against gemmRef, with padded leading dims and offsets. */
function checkOne(M: number, N: number, K: number, transA: boolean, transB: boolean, accumulate: boolean): Float32Array {
  const pad = 3;
  const [ra, ca] = transA ? [K, M] : [M, K];
  const [rb, cb] = transB ? [N, K] : [K, N];
  const lda = ca + pad;
  const ldb = cb + 1;
  const ldc = N + 2;
  const A = rand32(5 + ra * lda);
  const B = rand32(2 + rb * ldb);
  const C0 = rand32(1 + M * ldc);
  const C = C0.slice();
  const args = { transA, transB, M, N, K, A, offA: 5, lda, B, offB: 2, ldb, ldc, offC: 1 };
  gemm({ ...args, C, accumulate });
  const R = new Float64Array(C0.length);
  gemmRef({ ...args, C: R });
  if (accumulate) for (let i = 0; i < M; i++) for (let j = 0, o = 1 + i * ldc; j < N; j++) R[o + j] = R[o + j]! + C0[o + j]!;
  // untouched gaps keep their values
  for (let i = 0; i < C.length; i++) {
    const row = Math.floor((i - 1) / ldc);
    const col = (i - 1) % ldc;
    if (i === 0 || row >= M || col >= N) R[i] = C0[i]!;
  }
  close(C, R, K, `gemm M=${M} N=${N} K=${K} tA=${transA} tB=${transB} acc=${accumulate}`);
  return C;
}

function sweep(): void {
  let n = 0;
  for (const M of SIZES) {
    for (const N of SIZES) {
      const K = SIZES[(M * 7 + N * 3) % SIZES.length]!;
      const tA = n % 2 === 1;
      const tB = (n >> 1) % 2 === 1;
      checkOne(M, N, K, tA, tB, n % 5 === 0);
      n++;
    }
  }
  for (const [tA, tB] of [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const) {
    checkOne(130, 70, 300, tA, tB, false); // crosses the K block (256)
    checkOne(9, 2100, 3, tA, tB, true); // crosses the N block (2048)
  }
}

test('kernel variant: best available is relaxed or plain SIMD in Node', () => {
  assert.ok(['relaxed', 'simd'].includes(getKernelVariant()), getKernelVariant());
});

test('gemm: all transpose combinations, awkward sizes, strides, accumulate (1 thread)', () => {
  setNumThreads(1);
  sweep();
});

test('gemm: same results split across 2 threads, bitwise equal to 1 thread', () => {
  const old = gemmTuning.parallelMinMacs;
  gemmTuning.parallelMinMacs = 0;
  try {
    setNumThreads(2);
    assert.equal(getNumThreads(), 2);
    sweep();
    for (const [M, N, K] of [
      [129, 67, 33],
      [7, 301, 19],
      [64, 64, 64],
    ] as const) {
      const A = rand32(M * K);
      const B = rand32(K * N);
      const run = (threads: number): Float32Array => {
        setNumThreads(threads);
        const C = new Float32Array(M * N);
        gemm({ transA: false, transB: false, M, N, K, A, offA: 0, lda: K, B, offB: 0, ldb: N, C, offC: 0, ldc: N });
        return C;
      };
      const one = run(1);
      const two = run(2);
      const twoAgain = run(2);
      assert.deepEqual(two, twoAgain, 'deterministic for 2 threads');
      assert.deepEqual(two, one, 'same as 1 thread');
    }
  } finally {
    gemmTuning.parallelMinMacs = old;
    setNumThreads(1);
  }
});

test('gemm: batched with broadcast and scattered operands, 1 and 2 threads', () => {
  const old = gemmTuning.parallelMinMacs;
  gemmTuning.parallelMinMacs = 0;
  try {
    for (const threads of [1, 2]) {
      setNumThreads(threads);
      for (const [M, N, K, count] of [
        [5, 17, 3, 7],
        [33, 9, 65, 2],
        [1, 1, 1, 3],
        [64, 32, 16, 5],
      ] as const) {
        const A = rand32(M * K * count);
        const B = rand32(K * N + 100000); // second operand: item 0 and item 2 far apart
        const offsA = Array.from({ length: count }, (_, i) => i * M * K);
        const offsB = Array.from({ length: count }, (_, i) => (i % 2) * 90000);
        const offsC = Array.from({ length: count }, (_, i) => i * M * N);
        const C = new Float32Array(M * N * count);
        gemmBatched({ transA: false, transB: true, M, N, K, A, offsA, lda: K, B, offsB, ldb: K, C, offsC, ldc: N });
        const R = new Float64Array(C.length);
        for (let i = 0; i < count; i++) {
          gemmRef({
            transA: false,
            transB: true,
            M,
            N,
            K,
            A,
            offA: offsA[i]!,
            lda: K,
            B,
            offB: offsB[i]!,
            ldb: K,
            C: R,
            offC: offsC[i]!,
            ldc: N,
          });
        }
        close(C, R, K, `batched ${M}x${N}x${K} x${count} threads=${threads}`);
      }
    }
  } finally {
    gemmTuning.parallelMinMacs = old;
    setNumThreads(1);
  }
});

test('gemm: zero-size dims', () => {
  const C = new Float32Array([9, 9, 9, 9]);
  gemm({
    transA: false,
    transB: false,
    M: 2,
    N: 2,
    K: 0,
    A: new Float32Array(0),
    offA: 0,
    lda: 0,
    B: new Float32Array(0),
    offB: 0,
    ldb: 2,
    C,
    offC: 0,
    ldc: 2,
  });
  assert.deepEqual([...C], [0, 0, 0, 0]);
  const C2 = new Float32Array([9, 9]);
  gemm({
    transA: false,
    transB: false,
    M: 1,
    N: 2,
    K: 0,
    A: new Float32Array(0),
    offA: 0,
    lda: 0,
    B: new Float32Array(0),
    offB: 0,
    ldb: 2,
    C: C2,
    offC: 0,
    ldc: 2,
    accumulate: true,
  });
  assert.deepEqual([...C2], [9, 9]);
  gemm({
    transA: false,
    transB: false,
    M: 0,
    N: 5,
    K: 3,
    A: new Float32Array(0),
    offA: 0,
    lda: 3,
    B: rand32(15),
    offB: 0,
    ldb: 5,
    C: new Float32Array(0),
    offC: 0,
    ldc: 5,
  });
  assert.deepEqual(matmul(randn([0, 4]), randn([4, 3])).shape, [0, 3]);
  assert.deepEqual(matmul(randn([2, 0]), randn([0, 3])).toArray(), [
    [0, 0, 0],
    [0, 0, 0],
  ]);
});

test('matmul float32 (wasm) matches float64 (reference) on transposed, batched, broadcast operands', () => {
  const cases: [number[], number[], boolean, boolean][] = [
    [[17, 63], [63, 5], false, false],
    [[3, 65, 33], [33, 127], true, false],
    [[2, 1, 9, 31], [4, 31, 12], false, true],
    [[65, 40], [40, 70], true, true],
  ];
  for (const [sa, sb, ta, tb] of cases) {
    let a: Tensor = randn(ta ? [...sa.slice(0, -2), sa[sa.length - 1]!, sa[sa.length - 2]!] : sa);
    let b: Tensor = randn(tb ? [...sb.slice(0, -2), sb[sb.length - 1]!, sb[sb.length - 2]!] : sb);
    if (ta) a = transpose(a, -1, -2);
    if (tb) b = transpose(b, -1, -2);
    const got = matmul(a, b);
    const want = matmul(cast(a, 'float64'), cast(b, 'float64'));
    assert.deepEqual(got.shape, want.shape);
    close(got.data, want.data, sa[sa.length - 1]!, `matmul ${sa} x ${sb}`);
  }
});

test('fallback chain: plain SIMD and JS variants give the same products', () => {
  const M = 37,
    N = 29,
    K = 41;
  const A = rand32(M * K);
  const B = rand32(K * N);
  const results: Float32Array[] = [];
  try {
    for (const v of ['relaxed', 'simd', 'js'] as const) {
      const got = setKernelVariant(v);
      if (v !== 'relaxed') assert.equal(got, v); // relaxed may fall back to simd on an engine without it
      const C = new Float32Array(M * N);
      gemm({ transA: false, transB: false, M, N, K, A, offA: 0, lda: K, B, offB: 0, ldb: N, C, offC: 0, ldc: N });
      results.push(C);
    }
  } finally {
    setKernelVariant('auto');
  }
  close(results[0]!, results[2]!, K, 'relaxed vs js');
  close(results[1]!, results[2]!, K, 'simd vs js');
});

const index = fileURLToPath(new URL('../src/index.js', import.meta.url));

test('SHINSOU_KERNELS and SHINSOU_THREADS select the variant and thread count; Node exits with workers alive', () => {
  const script = `
    const s = await import(${JSON.stringify('file://' + index)});
    const a = s.randn([300, 300]);
    s.matmul(a, a);
    console.log(s.getKernelVariant(), s.getNumThreads());
  `;
  for (const [kernels, want] of [
    ['js', 'js'],
    ['simd', 'simd'],
  ] as const) {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, SHINSOU_KERNELS: kernels, SHINSOU_THREADS: '2' },
      encoding: 'utf8',
      timeout: 20000,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), `${want} 2`);
  }
});

// ---------------------------------------------------------------------------------------------
// Convolutions: wasm im2col + GEMM against the reference kernels.
import * as convRef from '../src/backend/cpu/conv.js';
import * as convFast from '../src/backend/conv.js';
import type { ConvGeom } from '../src/backend/cpu/conv.js';

function geomOf(
  N: number,
  C: number,
  H: number,
  W: number,
  O: number,
  KH: number,
  KW: number,
  s: [number, number],
  p: [number, number],
  d: [number, number],
  groups: number,
  extra = 0,
): ConvGeom {
  const OH = Math.floor((H + 2 * p[0] - d[0] * (KH - 1) - 1) / s[0]) + 1 + extra;
  const OW = Math.floor((W + 2 * p[1] - d[1] * (KW - 1) - 1) / s[1]) + 1 + extra;
  return { N, C, H, W, O, OH, OW, KH, KW, strideH: s[0], strideW: s[1], padH: p[0], padW: p[1], dilH: d[0], dilW: d[1], groups };
}

const CONV_CASES: [string, ConvGeom][] = [
  ['3x3 pad 1', geomOf(2, 3, 7, 5, 4, 3, 3, [1, 1], [1, 1], [1, 1], 1)],
  ['1x1', geomOf(3, 5, 6, 7, 9, 1, 1, [1, 1], [0, 0], [1, 1], 1)],
  ['1x1 stride 2', geomOf(2, 4, 7, 7, 3, 1, 1, [2, 2], [0, 0], [1, 1], 1)],
  ['stride > kernel', geomOf(2, 2, 11, 13, 3, 2, 2, [3, 4], [0, 1], [1, 1], 1)],
  ['dilation 2', geomOf(1, 3, 9, 10, 5, 3, 3, [1, 1], [2, 2], [2, 2], 1)],
  ['dilation + stride', geomOf(2, 2, 17, 9, 3, 3, 2, [2, 1], [1, 0], [2, 3], 1)],
  ['groups 2', geomOf(2, 4, 6, 6, 6, 3, 3, [1, 1], [1, 1], [1, 1], 2)],
  ['depthwise', geomOf(3, 5, 8, 7, 5, 3, 3, [1, 1], [1, 1], [1, 1], 5)],
  ['depthwise x2 strided', geomOf(2, 3, 9, 9, 6, 5, 5, [2, 2], [2, 2], [1, 1], 3)],
  ['depthwise dilated, odd width', geomOf(2, 4, 9, 19, 4, 3, 3, [1, 1], [2, 3], [2, 2], 4)],
  ['depthwise x3, cropped', geomOf(1, 2, 11, 10, 6, 3, 2, [1, 1], [1, 1], [1, 1], 2, -1)],
  ['cropped output', geomOf(2, 3, 8, 8, 4, 3, 3, [2, 2], [1, 1], [1, 1], 1, -1)],
  ['extended output', geomOf(2, 3, 8, 8, 4, 3, 3, [2, 2], [1, 1], [1, 1], 1, 1)],
  ['wide 1 row', geomOf(1, 2, 1, 65, 17, 1, 3, [1, 1], [0, 1], [1, 1], 1)],
  ['stride 1 cropped (not Winograd)', geomOf(2, 8, 8, 8, 8, 3, 3, [1, 1], [1, 1], [1, 1], 1, -1)],
  ['Winograd pad 0, odd output', geomOf(3, 8, 9, 11, 8, 3, 3, [1, 1], [0, 0], [1, 1], 1)],
  ['Winograd pad 2', geomOf(2, 9, 6, 5, 10, 3, 3, [1, 1], [2, 2], [1, 1], 1)],
  ['Winograd 2x2 output', geomOf(2, 8, 2, 2, 8, 3, 3, [1, 1], [1, 1], [1, 1], 1)],
  ['Winograd groups of 2 images, odd width', geomOf(5, 8, 40, 41, 8, 3, 3, [1, 1], [1, 1], [1, 1], 1)],
  ['larger', geomOf(4, 16, 12, 12, 32, 3, 3, [1, 1], [1, 1], [1, 1], 1)],
];

/** Checks the fast conv kernels against the reference; `seed` fixes the random inputs. */
function checkConv(name: string, g: ConvGeom, seed?: number): { y: Float32Array; gx: Float32Array; gw: Float32Array } {
  const nx = g.N * g.C * g.H * g.W;
  const nw = g.O * (g.C / g.groups) * g.KH * g.KW;
  const ny = g.N * g.O * g.OH * g.OW;
  const gen = seed === undefined ? rng : new Generator(seed);
  const x = rand32(nx, gen);
  const w = rand32(nw, gen);
  const b = rand32(g.O, gen);
  const gy = rand32(ny, gen);
  const K = (g.C / g.groups) * g.KH * g.KW;
  const y = new Float32Array(ny);
  const yr = new Float64Array(ny);
  convFast.convForward(x, w, b, y, g);
  convRef.convForward(x, w, b, yr, g);
  close(y, yr, K, `${name}: forward`);
  const gx = new Float32Array(nx);
  const gxr = new Float64Array(nx);
  convFast.convBackwardInput(gy, w, gx, g);
  convRef.convBackwardInput(gy, w, gxr, g);
  close(gx, gxr, g.O, `${name}: input gradient`);
  const gw = new Float32Array(nw);
  const gwr = new Float64Array(nw);
  convFast.convBackwardWeight(x, gy, gw, g);
  convRef.convBackwardWeight(x, gy, gwr, g);
  close(gw, gwr, g.N * g.OH * g.OW, `${name}: weight gradient`);
  return { y, gx, gw };
}

test('conv2d kernels: forward, input and weight gradients vs reference (1 and 2 threads, deterministic)', () => {
  const oldMin = convFast.convTuning.wasmMinMacs;
  const oldPar = gemmTuning.parallelMinMacs;
  convFast.convTuning.wasmMinMacs = 0;
  gemmTuning.parallelMinMacs = 0;
  try {
    for (const threads of [1, 2]) {
      setNumThreads(threads);
      for (const [name, g] of CONV_CASES) checkConv(`${name} (threads=${threads})`, g);
    }
    // Winograd: the same bits on 1 and 2 threads (whole image groups per thread), and close to im2col.
    const wg = CONV_CASES.find(([n]) => n.startsWith('Winograd groups'))![1];
    setNumThreads(1);
    const one = checkConv('Winograd (threads=1)', wg, 99);
    setNumThreads(2);
    const two = checkConv('Winograd (threads=2)', wg, 99);
    assert.deepEqual(one.y, two.y);
    assert.deepEqual(one.gx, two.gx);
    convFast.winogradTuning.enabled = false;
    try {
      const viaIm2col = checkConv('im2col', wg, 99);
      close(one.y, viaIm2col.y, 72, 'Winograd vs im2col forward');
      assert.notDeepEqual(one.y, viaIm2col.y); // a different algorithm: not the same rounding
    } finally {
      convFast.winogradTuning.enabled = true;
    }
    // Same inputs, same thread count: bitwise equal results.
    const g = CONV_CASES[CONV_CASES.length - 1]![1];
    const nx = g.N * g.C * g.H * g.W,
      nw = g.O * g.C * g.KH * g.KW,
      ny = g.N * g.O * g.OH * g.OW;
    const x = rand32(nx),
      gy = rand32(ny);
    const run = (): Float32Array => {
      const gw = new Float32Array(nw);
      convFast.convBackwardWeight(x, gy, gw, g);
      return gw;
    };
    assert.deepEqual(run(), run());
  } finally {
    convFast.convTuning.wasmMinMacs = oldMin;
    gemmTuning.parallelMinMacs = oldPar;
    setNumThreads(1);
  }
});

// ---------------------------------------------------------------------------------------------
// Elementwise fast paths: bitwise equal to the generic strided maps with the ops' own closures.
import { elementwiseTuning, activationGrad, fastBinary, fastUnary, fastWhere } from '../src/backend/elementwise.js';
import { broadcastStrides, mapBinary, mapUnary } from '../src/backend/cpu/strided.js';
import {
  add,
  narrow,
  permute,
  reshape,
  where,
  gt,
  relu,
  reluBackward,
  sigmoidBackward,
  tanhBackward,
  sigmoid,
  tanh,
  mul,
  sub,
  div,
  exp,
} from '../src/index.js';

test('elementwise fast paths: dense, scalar, row-broadcast, sliced and fallback layouts match the generic maps', () => {
  const layouts: [string, () => [Tensor, Tensor | number]][] = [
    ['dense', () => [randn([5, 17]), randn([5, 17])]],
    ['scalar', () => [randn([3, 65]), 0.5]],
    ['row bias', () => [randn([7, 33]), randn([33])]],
    ['column', () => [randn([7, 33]), randn([7, 1])]],
    ['sliced', () => [narrow(randn([4, 40]), 1, 3, 17), narrow(randn([4, 60]), 1, 20, 17)]],
    ['transposed (fallback)', () => [transpose(randn([6, 9]), 0, 1), randn([9, 6])]],
    ['3-d permuted (fallback)', () => [permute(randn([3, 4, 5]), [2, 0, 1]), randn([5, 3, 4])]],
    ['0-size', () => [randn([0, 4]), randn([4])]],
  ];
  const unary: [string, (t: Tensor) => Tensor, (v: number) => number][] = [
    ['relu', relu, (v) => (v > 0 ? v : v === v ? 0 : v)],
    ['sigmoid', sigmoid, (v) => 1 / (1 + Math.exp(-v))],
    ['tanh', tanh, Math.tanh],
    ['exp', exp, Math.exp],
  ];
  const binary: [string, (a: Tensor, b: Tensor | number) => Tensor, (x: number, y: number) => number][] = [
    ['add', add, (x, y) => x + y],
    ['sub', sub, (x, y) => x - y],
    ['mul', mul, (x, y) => x * y],
    ['div', div, (x, y) => x / y],
  ];
  for (const [lname, make] of layouts) {
    const [a, b0] = make();
    const b = typeof b0 === 'number' ? randn([]).mul(0).add(b0) : b0;
    for (const [name, op, f] of unary) {
      const want = new Float32Array(a.numel());
      mapUnary(a.storage, a.shape, a.strides, a.offset, want, f);
      assert.deepEqual(op(a).data, want, `${name} on ${lname}`);
      const direct = new Float32Array(a.numel());
      if (fastUnary(name, a.storage, a.shape, a.strides, a.offset, direct)) assert.deepEqual(direct, want, `${name} on ${lname}, direct`);
    }
    for (const [name, op, f] of binary) {
      const got = op(a, b);
      const shape = got.shape;
      const want = new Float32Array(got.numel());
      mapBinary(
        a.storage,
        broadcastStrides(a.shape, a.strides, shape),
        a.offset,
        b.storage,
        broadcastStrides(b.shape, b.strides, shape),
        b.offset,
        shape,
        want,
        f,
      );
      assert.deepEqual(got.data, want, `${name} on ${lname}`);
      const direct = new Float32Array(got.numel());
      if (
        fastBinary(
          name,
          a.storage,
          broadcastStrides(a.shape, a.strides, shape),
          a.offset,
          b.storage,
          broadcastStrides(b.shape, b.strides, shape),
          b.offset,
          shape,
          direct,
        )
      ) {
        assert.deepEqual(direct, want, `${name} on ${lname}, direct`);
      }
    }
    const w = where(gt(a, 0), a, b);
    const c = gt(a, 0).data;
    const ad = a.data;
    const bd = (
      typeof b0 === 'number' ? new Float32Array(a.numel()).fill(b.item()) : b.expand([...a.shape]).contiguous().data
    ) as Float32Array;
    if (typeof b0 !== 'number' && b.numel() !== a.numel() && !(b.shape.length === 1 || b.shape[1] === 1)) continue;
    assert.deepEqual(
      [...w.data],
      [...ad].map((v, i) => (c[i] ? v : bd[i]!)),
      `where on ${lname}`,
    );
  }
  assert.equal(
    fastWhere(
      new Uint8Array(1),
      [0, 0, 0],
      0,
      new Float32Array(1),
      [0, 0, 0],
      0,
      new Float32Array(1),
      [0, 0, 0],
      0,
      [2, 3, 4],
      new Float32Array(24),
    ),
    true,
  );
});

test('elementwise in wasm SIMD: add, sub, mul, div, relu and the relu, sigmoid and tanh gradients are bitwise equal to the JS loops on every staged layout', () => {
  const special = (t: Tensor): Tensor => {
    const s = t.storage;
    const vals = [NaN, -0, 0, Infinity, -Infinity, 1e-45, -1e-45, 3e38];
    for (let i = 0; i < s.length; i += 7) s[i] = vals[(i / 7) % vals.length]!;
    return t;
  };
  const layouts: [string, () => [Tensor, Tensor]][] = [
    ['dense, odd size', () => [randn([3, 301]), randn([3, 301])]],
    ['scalar', () => [randn([5, 67]), randn([])]],
    ['scalar first', () => [randn([]), randn([5, 67])]],
    ['row bias', () => [randn([9, 130]), randn([130])]],
    ['column', () => [randn([9, 130]), randn([9, 1])]],
    ['column first', () => [randn([9, 1]), randn([9, 130])]],
    ['sliced rows', () => [narrow(randn([33, 1024]), 1, 256, 255), narrow(randn([33, 300]), 1, 3, 255)]],
    ['one row', () => [randn([1, 1030]), randn([1, 1030])]],
  ];
  const ops: [string, (a: Tensor, b: Tensor) => Tensor][] = [
    ['add', add],
    ['sub', sub],
    ['mul', mul],
    ['div', div],
  ];
  const saved = elementwiseTuning.wasmMinElements;
  const bits = (t: Tensor): Int32Array => new Int32Array(Float32Array.from(t.data as Float32Array).buffer);
  try {
    for (const [lname, make] of layouts) {
      const [a, b] = make();
      special(a);
      for (const [name, op] of ops) {
        elementwiseTuning.wasmMinElements = Infinity;
        const want = op(a, b);
        elementwiseTuning.wasmMinElements = 1;
        const got = op(a, b);
        const shape = got.shape;
        assert.ok(
          fastBinary(
            name,
            a.storage,
            broadcastStrides(a.shape, a.strides, shape),
            a.offset,
            b.storage,
            broadcastStrides(b.shape, b.strides, shape),
            b.offset,
            shape,
            new Float32Array(got.numel()),
          ),
          `${name} on ${lname} handled`,
        );
        assert.deepEqual(bits(got), bits(want), `${name} on ${lname}`);
      }
      elementwiseTuning.wasmMinElements = Infinity;
      const wantRelu = relu(a);
      const wantBack = where(gt(a, 0), a.mul(3), 0);
      elementwiseTuning.wasmMinElements = 1;
      assert.deepEqual(bits(relu(a)), bits(wantRelu), `relu on ${lname}`);
      assert.deepEqual(bits(reluBackward(a.mul(3), a)), bits(wantBack), `relu backward on ${lname}`);
      // sigmoid and tanh gradients from finite outputs: the fused kernel rounds as the composed ops do.
      const finite = (t: Tensor): Tensor => {
        const c = t.mul(1);
        const st = c.storage;
        for (let i = 0; i < st.length; i++) if (!Number.isFinite(st[i]!)) st[i] = 0.25;
        return c;
      };
      const y = tanh(finite(a));
      const gy = b.numel() === a.numel() ? finite(b).reshape([...a.shape]) : y.mul(1.5);
      elementwiseTuning.wasmMinElements = Infinity;
      const wantSig = [sigmoidBackward(gy, y), mul(gy, mul(y, sub(1, y)))];
      const wantTanh = [tanhBackward(gy, y), mul(gy, sub(1, mul(y, y)))];
      elementwiseTuning.wasmMinElements = 1;
      for (const w of wantSig) assert.deepEqual(bits(sigmoidBackward(gy, y)), bits(w), `sigmoid backward on ${lname}`);
      for (const w of wantTanh) assert.deepEqual(bits(tanhBackward(gy, y)), bits(w), `tanh backward on ${lname}`);
    }
    // The default threshold: a large dense tensor takes the wasm path and a transposed one the JS loop; both agree.
    elementwiseTuning.wasmMinElements = saved;
    const x = special(randn([64, 300]));
    const xt = transpose(x, 0, 1);
    const g = randn([300, 64]);
    const direct = new Float32Array(xt.numel());
    activationGrad('relu', g.storage, g.strides, g.offset, xt.storage, xt.strides, xt.offset, [300, 64], direct);
    assert.deepEqual(bits(reluBackward(g, xt)), bits(where(gt(xt, 0), g, 0)));
    assert.deepEqual(new Int32Array(direct.buffer), bits(where(gt(xt, 0), g, 0)));
    assert.deepEqual(bits(relu(x)), bits(relu(xt).transpose(0, 1).contiguous()));
  } finally {
    elementwiseTuning.wasmMinElements = saved;
  }
  assert.throws(
    () => reluBackward(randn([2, 3]), randn([3, 2])),
    /reluBackward: gradient shape \[2, 3\] does not match the saved tensor's shape \[3, 2\]/,
  );
});

// ---------------------------------------------------------------------------------------------
// Max pooling over regular windows: identical values and indices to the reference.
import * as poolRef from '../src/backend/cpu/pool.js';
import * as poolFast from '../src/backend/pool.js';

test('pooling fast paths (wasm 2x2, wasm window plans, direct loop) match the reference: values, indices, ties, NaN, padding; average pooling bitwise', () => {
  const windows = (n: number, k: number, s: number, pad = 0): Int32Array[] => {
    const out: Int32Array[] = [];
    for (let o = 0; o * s - pad + k <= n + pad; o++) {
      const l: number[] = [];
      for (let i = 0; i < k; i++) {
        const v = o * s - pad + i;
        if (v >= 0 && v < n) l.push(v);
      }
      out.push(Int32Array.from(l));
    }
    return out;
  };
  for (const [H, W, k, s, pad] of [
    [8, 8, 2, 2, 0],
    [7, 9, 3, 2, 0],
    [5, 5, 2, 1, 0],
    [6, 7, 3, 2, 1],
    [1, 6, 1, 3, 0],
    [24, 24, 2, 2, 0],
    [27, 21, 2, 2, 0],
  ] as const) {
    const rows = windows(H, k, s, pad);
    const cols = windows(W, k, s, pad);
    const plan = { H, W, OH: rows.length, OW: cols.length, rows, cols };
    const planes = Math.ceil(4096 / (H * W)) + 1; // enough for the wasm paths (2x2, or any plan)
    const x = new Float32Array(planes * H * W).map(() => Math.round(rand32(1)[0]! * 3)); // many ties
    x[5] = NaN;
    x[H * W + 7] = NaN;
    x[H * W + 6] = NaN;
    x[2 * H * W + 3] = -Infinity;
    const n = planes * plan.OH * plan.OW;
    const v1 = new Float32Array(n),
      i1 = new Int32Array(n),
      v2 = new Float32Array(n),
      i2 = new Int32Array(n);
    poolFast.maxPoolForward(x, planes, plan, v1, i1);
    poolRef.maxPoolForward(x, planes, plan, v2, i2);
    assert.deepEqual(v1, v2, `values ${H}x${W} k${k} s${s} p${pad}`);
    assert.deepEqual(i1, i2, `indices ${H}x${W} k${k} s${s} p${pad}`);
    // Average pooling over the same windows (divisor: the clipped window size), bitwise.
    const divisor = new Float64Array(plan.OH * plan.OW).map(
      (_, q) => rows[Math.floor(q / plan.OW)]!.length * cols[q % plan.OW]!.length || 1,
    );
    const xf = x.map((v) => (Number.isNaN(v) || !Number.isFinite(v) ? 0.5 : v));
    const m1 = new Float32Array(n),
      m2 = new Float32Array(n);
    poolFast.windowMeanForward(xf, planes, { ...plan, divisor }, m1);
    poolRef.windowMeanForward(xf, planes, { ...plan, divisor }, m2);
    assert.deepEqual(m1, m2, `mean ${H}x${W} k${k} s${s} p${pad}`);
    // The backward passes, bitwise: the gradient scattered by the max indices (overlapping windows
    // add up in order) and the mean's adjoint. Outputs start dirty: both must overwrite them.
    const g = rand32(n);
    const u32 = (a: Float32Array): Uint32Array => new Uint32Array(a.buffer);
    const nIn = planes * H * W;
    const s1 = new Float32Array(nIn).fill(7),
      s2 = new Float32Array(nIn).fill(7);
    poolFast.scatterAddPlanes(g, i2, planes, plan.OH * plan.OW, H * W, s1);
    poolRef.scatterAddPlanes(g, i2, planes, plan.OH * plan.OW, H * W, s2);
    assert.deepEqual(u32(s1), u32(s2), `max-pool backward ${H}x${W} k${k} s${s} p${pad}`);
    const a1 = new Float32Array(nIn).fill(7),
      a2 = new Float32Array(nIn).fill(7);
    poolFast.windowMeanBackward(g, planes, { ...plan, divisor }, a1);
    poolRef.windowMeanBackward(g, planes, { ...plan, divisor }, a2);
    assert.deepEqual(u32(a1), u32(a2), `average-pool backward ${H}x${W} k${k} s${s} p${pad}`);
  }
  // Scatter-add indices past a plane reach the next plane, past the end nothing, as the reference's writes.
  {
    const idx = new Int32Array(2 * 4096).map((_, i) => (i * 7) % 4100);
    idx[5] = -3;
    idx[8191] = 5000;
    const g = rand32(idx.length);
    const s1 = new Float32Array(2 * 4096),
      s2 = new Float32Array(2 * 4096);
    poolFast.scatterAddPlanes(g, idx, 2, 4096, 4096, s1);
    poolRef.scatterAddPlanes(g, idx, 2, 4096, 4096, s2);
    assert.deepEqual(new Uint32Array(s1.buffer), new Uint32Array(s2.buffer), 'scatter-add with stray indices');
  }
  // float64 and small inputs keep the JS paths, with the same results.
  const plan = { H: 5, W: 5, OH: 2, OW: 2, rows: windows(5, 3, 2, 0), cols: windows(5, 3, 2, 0) };
  const x64 = Float64Array.from(rand32(2 * 25));
  const v64 = new Float64Array(8),
    i64 = new Int32Array(8),
    r64 = new Float64Array(8),
    j64 = new Int32Array(8);
  poolFast.maxPoolForward(x64, 2, plan, v64, i64);
  poolRef.maxPoolForward(x64, 2, plan, r64, j64);
  assert.deepEqual(v64, r64);
  assert.deepEqual(i64, j64);
});

test('relu and where fast paths keep special values exactly (NaN, -0, infinities)', () => {
  const specials = new Float32Array([NaN, -NaN, -0, 0, -1, 1, Infinity, -Infinity, 1e-45, -1e-45]);
  const neg = new Float32Array(new Int32Array([0xffc00000 | 0]).buffer); // a NaN with the sign bit set
  const x = new Float32Array([...specials, neg[0]!]);
  const f = (v: number): number => (v > 0 ? v : v === v ? 0 : v);
  const got = new Float32Array(x.length);
  assert.ok(fastUnary('relu', x, [x.length], [1], 0, got));
  const want = new Float32Array(x.length);
  mapUnary(x, [x.length], [1], 0, want, f);
  assert.deepEqual(new Int32Array(got.buffer), new Int32Array(want.buffer));
  const cond = new Uint8Array(x.length).map((_, i) => i % 2);
  const w = new Float32Array(x.length);
  assert.ok(fastWhere(cond, [1], 0, x, [1], 0, new Float32Array([-0]), [0], 0, [x.length], w));
  assert.deepEqual(new Int32Array(w.buffer), new Int32Array(Float32Array.from(x, (v, i) => (i % 2 ? v : -0)).buffer));
});

// ---------------------------------------------------------------------------------------------
// sum over dense tensors: bitwise equal to the reference plan.
import { fastSum } from '../src/backend/reduce.js';
import { planReduce } from '../src/backend/cpu/reduce.js';

test('sum fast path: all, suffix, prefix and middle-kept patterns match the reference plan bitwise', () => {
  const cases: [number[], number[]][] = [
    [
      [5, 17],
      [0, 1],
    ],
    [[5, 17], [1]],
    [[5, 17], [0]],
    [
      [4, 3, 5, 7],
      [0, 2, 3],
    ],
    [
      [4, 1, 5, 7],
      [0, 2],
    ],
    [[3, 4, 5], [1]],
    [[3, 1, 4, 5], [2]],
    [
      [2, 6, 3, 5],
      [0, 2, 3],
    ],
    [
      [3, 9, 7],
      [0, 2],
    ],
    [
      [2, 3, 4, 5],
      [0, 1],
    ],
    [[65], [0]],
    [[0, 4], [0]],
    [[4, 0], [1]],
    [[6, 1], [1]],
    [
      [2, 3, 4, 5],
      [1, 3],
    ],
  ];
  for (const [shape, dims] of cases) {
    const n = shape.reduce((p, d) => p * d, 1);
    const x = rand32(n + 3);
    const strides = shape.map((_, i) => shape.slice(i + 1).reduce((p, d) => p * d, 1));
    const outN = shape.reduce((p, d, i) => (dims.includes(i) ? p : p * d), 1);
    const got = new Float32Array(outN);
    const handled = fastSum(x, shape, strides, 3, dims, got);
    const plan = planReduce(shape, strides, 3, dims);
    const want = new Float32Array(outN);
    for (let i = 0; i < plan.bases.length; i++) {
      let acc = 0;
      for (let k = 0; k < plan.rel.length; k++) acc += x[plan.bases[i]! + plan.rel[k]!]!;
      want[i] = acc;
    }
    if (handled) assert.deepEqual(got, want, `sum ${JSON.stringify(shape)} over ${dims}`);
    else assert.deepEqual(dims, [1, 3], 'only the K R K R pattern falls back here');
  }
});

test('matmul reads narrowed and permuted views in place (row stride larger than the row)', () => {
  const a = narrow(randn([9, 40]), 1, 3, 17); // rows 40 apart
  const b = transpose(narrow(randn([5, 30]), 1, 2, 17), 0, 1); // [17, 5], column-major with ld 30
  const q = permute(reshape(randn([2, 6, 3, 4]), [2, 6, 3, 4]), [0, 2, 1, 3]); // [2, 3, 6, 4], row stride 12
  const k = permute(reshape(randn([2, 6, 3, 4]), [2, 6, 3, 4]), [0, 2, 3, 1]); // [2, 3, 4, 6]
  for (const [x, y] of [
    [a, b],
    [q, k],
  ] as const) {
    const got = matmul(x, y);
    const want = matmul(cast(x, 'float64'), cast(y, 'float64'));
    close(got.data, want.data, x.shape[x.ndim - 1]!, `matmul of views ${x.shape} x ${y.shape}`);
  }
});

test('exp, sigmoid and tanh in wasm SIMD: within a few f32 ulp of the reference, IEEE edge cases kept', () => {
  const specials = [
    0,
    -0,
    1e-8,
    -1e-8,
    1e-30,
    0.6249,
    0.6251,
    -0.6251,
    9,
    -9,
    20,
    -20,
    88.7,
    88.8,
    -87.4,
    -103,
    -104,
    -200,
    NaN,
    Infinity,
    -Infinity,
  ];
  const n = 1003; // above the wasm threshold, not a multiple of 4
  const x = new Float32Array(n).map((_, i) => (i < specials.length ? specials[i]! : rand32(1)[0]! * (i % 3 ? 10 : 200)));
  const refs: Record<string, (v: number) => number> = { exp: Math.exp, sigmoid: (v) => 1 / (1 + Math.exp(-v)), tanh: Math.tanh };
  for (const name of ['exp', 'sigmoid', 'tanh']) {
    const got = new Float32Array(n);
    assert.ok(fastUnary(name, x, [n], [1], 0, got));
    for (let i = 0; i < n; i++) {
      const want = Math.fround(refs[name]!(x[i]!));
      const g = got[i]!;
      if (!Number.isFinite(want)) {
        assert.ok(Object.is(g, want) || (Number.isNaN(g) && Number.isNaN(want)), `${name}(${x[i]}) = ${g}, want ${want}`);
        continue;
      }
      const tol = 4 * Math.max(Math.abs(want) * 1.2e-7, 1.5e-45);
      assert.ok(Math.abs(g - want) <= tol, `${name}(${x[i]}) = ${g}, want ${want}`);
    }
  }
  // strided rows (an LSTM gate slice) and the tensor ops themselves
  const u = randn([32, 1024]);
  const gate = narrow(u, 1, 256, 256);
  const s = sigmoid(gate).data;
  const g = gate.contiguous().data;
  for (let i = 0; i < s.length; i++) assert.ok(Math.abs(s[i]! - 1 / (1 + Math.exp(-g[i]!))) < 1e-6);
});

// ---------------------------------------------------------------------------------------------
// Softmax lines in wasm SIMD against the float64 reference.
import { softmax as softmaxDispatch, softmaxTuning } from '../src/backend/softmax.js';
import { softmaxLines } from '../src/backend/cpu/softmax.js';

test('softmax and log-softmax in wasm SIMD: within a few f32 ulp of the reference; -inf masks, NaN, +inf and all -inf lines as the reference', () => {
  const cases: [number[], number[] | null][] = [
    [[7, 64], null], // dense, whole vectors: one copy each way
    [[5, 3, 13], null], // n not a multiple of 4: padded with -inf
    [
      [4, 6, 9],
      [1, 0, 2],
    ], // permuted outer dims, unit-stride lines
    [[2, 1, 300], null],
  ];
  for (const [shape, perm] of cases) {
    const base = randn(perm ? perm.map((p) => shape[p]!) : shape);
    const x = perm
      ? permute(
          base,
          perm.map((_, i) => perm.indexOf(i)),
        )
      : base;
    const s = x.storage as Float32Array;
    s[0] = -Infinity;
    s[3] = -Infinity;
    s[s.length - 1] = -Infinity;
    const n = shape[shape.length - 1]!;
    // A masked line (all -inf), a line with NaN and a line with +inf.
    const dims = [x.ndim - 1];
    const inPlan = planReduce(x.shape, x.strides, x.offset, dims);
    const outPlan = planReduce(
      x.shape,
      x.shape.map((_, i) => x.shape.slice(i + 1).reduce((p, d) => p * d, 1)),
      0,
      dims,
    );
    const rows = inPlan.bases.length;
    for (let k = 0; k < n; k++) s[inPlan.bases[rows - 1]! + k] = -Infinity;
    if (rows > 2) {
      s[inPlan.bases[1]! + 2] = NaN;
      s[inPlan.bases[2]! + 1] = Infinity;
    }
    for (const log of [false, true]) {
      const got = new Float32Array(x.numel());
      const want = new Float64Array(x.numel());
      const saved = softmaxTuning.wasmMinElements;
      softmaxTuning.wasmMinElements = 1;
      try {
        softmaxDispatch(s, inPlan, got, outPlan, log);
      } finally {
        softmaxTuning.wasmMinElements = saved;
      }
      softmaxLines(s, inPlan, want, outPlan, log);
      for (let i = 0; i < got.length; i++) {
        const w = want[i]!;
        const what = `${log ? 'log-' : ''}softmax ${JSON.stringify(shape)} element ${i}: ${got[i]} vs ${w}`;
        if (Number.isNaN(w)) assert.ok(Number.isNaN(got[i]!), what);
        else if (!Number.isFinite(w)) assert.equal(got[i], w, what);
        else assert.ok(Math.abs(got[i]! - w) <= 2e-6 * (log ? 1 + Math.abs(w) : Math.max(Math.abs(w), 1e-30)), what);
      }
    }
  }
});

// ---------------------------------------------------------------------------------------------
// The fused normalisation (layer/batch/instance/group norm core) in wasm SIMD against float64.
import { normalize, cast as castT, grad as gradT, sum as sumT } from '../src/index.js';

test('normalize in wasm SIMD (float32) matches the float64 JS loops: layer-norm rows, batch-norm channels, odd block sizes', () => {
  const cases: [number[], number[]][] = [
    [[37, 256], [1]], // layer norm rows, whole vectors
    [[9, 7, 13], [2]], // rows of 13: a scalar tail
    [
      [6, 5, 7, 9],
      [0, 2, 3],
    ], // batch norm: 5 channels of 6 blocks of 63
    [[16, 3], [0]], // BatchNorm1d: blocks of one element
    [
      [4, 8, 5, 5],
      [2, 3],
    ], // instance norm planes
  ];
  for (const [shape, dims] of cases) {
    const x32 = randn(shape).mul(3).add(1).detach().requiresGrad_(true);
    const x64 = castT(x32.detach(), 'float64').requiresGrad_(true);
    const gy = randn(shape);
    const y32 = normalize(x32, dims);
    const y64 = normalize(x64, dims);
    const [g32] = gradT([sumT(y32.mul(gy))], [x32]);
    const [g64] = gradT([sumT(y64.mul(castT(gy, 'float64')))], [x64]);
    const a = y32.data,
      b = y64.data,
      c = g32!.data,
      d = g64!.data;
    for (let i = 0; i < a.length; i++) {
      assert.ok(
        Math.abs(a[i]! - b[i]!) <= 2e-5 * (1 + Math.abs(b[i]!)),
        `forward ${JSON.stringify(shape)} over ${dims} [${i}]: ${a[i]} vs ${b[i]}`,
      );
      assert.ok(
        Math.abs(c[i]! - d[i]!) <= 1e-4 * (1 + Math.abs(d[i]!)),
        `gradient ${JSON.stringify(shape)} over ${dims} [${i}]: ${c[i]} vs ${d[i]}`,
      );
    }
  }
});

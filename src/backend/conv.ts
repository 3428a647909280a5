/**
 * Convolution dispatch: the same three entry points as the JS reference (src/backend/cpu/conv.ts),
 * routed to the WebAssembly im2col + packed GEMM kernels for float32 (threads split the batch),
 * and to the reference for float64, tiny problems, or when no wasm kernels are available.
 */
import * as ref from './cpu/conv.js';
import type { ConvGeom } from './cpu/conv.js';
import { arena, heapF32, heapI32, wasmKernels } from './wasm/loader.js';
import { availableThreads, runParallel } from './wasm/pool.js';
import { gemmTuning } from './gemm.js';
import type { KernelName } from './wasm/names.js';

type Out = { [i: number]: number };

/** Below this many multiply-adds the reference is used (copies into wasm memory would dominate). */
export const convTuning = { wasmMinMacs: 2048 };

function macs(g: ConvGeom): number {
  return g.N * g.O * g.OH * g.OW * (g.C / g.groups) * g.KH * g.KW;
}

function usable(g: ConvGeom, ...arrays: unknown[]): boolean {
  return wasmKernels() !== null && macs(g) >= convTuning.wasmMinMacs && arrays.every((a) => a === null || a instanceof Float32Array);
}

interface Staged {
  G: number;
  threads: number;
  cols: number[];
  scratch: number[];
}

/** Geometry record, per-thread column and GEMM scratch areas. */
function setup(g: ConvGeom): Staged {
  const k = wasmKernels()!;
  const threads = macs(g) >= gemmTuning.parallelMinMacs ? Math.min(availableThreads(), g.N) : 1;
  arena.reset();
  const G = arena.alloc(64);
  const fields = [g.N, g.C, g.H, g.W, g.O, g.OH, g.OW, g.KH, g.KW, g.strideH, g.strideW, g.padH, g.padW, g.dilH, g.dilW, g.groups];
  const colsBytes = Math.max(1, (g.C / g.groups) * g.KH * g.KW * g.OH * g.OW) * 4;
  const scratchBytes = k.exports.scratchFloats() * 4;
  const cols: number[] = [];
  const scratch: number[] = [];
  for (let t = 0; t < threads; t++) {
    cols.push(arena.alloc(colsBytes));
    scratch.push(arena.alloc(scratchBytes));
  }
  heapI32().set(fields, G >> 2);
  return { G, threads, cols, scratch };
}

function put(a: ArrayLike<number>, n: number): number {
  const p = arena.alloc(n * 4);
  heapF32().set(a as Float32Array, p >> 2);
  return p;
}

function split(name: KernelName, s: Staged, N: number, args: (t: number) => number[]): void {
  const jobs: number[][] = [];
  for (let t = 0; t < s.threads; t++) {
    const n0 = Math.floor((N * t) / s.threads);
    const n1 = Math.floor((N * (t + 1)) / s.threads);
    jobs.push([...args(t), n0, n1]);
  }
  runParallel(name, jobs);
}

/**
 * 3x3 stride-1 convolutions (the bulk of ResNet/VGG/U-Net compute) use Winograd F(2x2, 3x3)
 * (wasm/assembly/winograd.ts): 2.25x fewer multiplies, for the forward pass, the input gradient
 * (itself a 3x3 stride-1 convolution of the output gradient with the flipped, transposed filters)
 * and the weight gradient (the same transforms, summed over tiles).
 * Results differ from im2col in rounding only (the transforms add and halve).
 */
export const winogradTuning = { enabled: true, minChannels: 8 };

function winogradFits(g: ConvGeom): boolean {
  return (
    winogradTuning.enabled &&
    g.KH === 3 &&
    g.KW === 3 &&
    g.strideH === 1 &&
    g.strideW === 1 &&
    g.dilH === 1 &&
    g.dilW === 1 &&
    g.groups === 1 &&
    g.padH === g.padW &&
    g.padH <= 2 &&
    g.OH === g.H + 2 * g.padH - 2 &&
    g.OW === g.W + 2 * g.padW - 2 &&
    g.OH >= 2 &&
    g.OW >= 2 &&
    g.C >= winogradTuning.minChannels &&
    g.O >= winogradTuning.minChannels
  );
}

interface WinogradPlan {
  OH: number;
  OW: number;
  nb: number;
  /** Per thread: GEMM scratch, work area and the images [n0, n1) (whole groups of nb). */
  jobs: { scratch: number; work: number; n0: number; n1: number }[];
}

/** Resets the arena and lays out the per-thread areas of a Winograd call. */
function winogradPlan(N: number, C: number, H: number, W: number, O: number, pad: number): WinogradPlan {
  const k = wasmKernels()!;
  const OH = H + 2 * pad - 2;
  const OW = W + 2 * pad - 2;
  const tiles = ((OH + 1) >> 1) * ((OW + 1) >> 1);
  const cols = Math.max(tiles, Math.min(1024, Math.floor((1 << 18) / (C + O))));
  const nb = Math.max(1, Math.floor(cols / tiles));
  const groups = Math.ceil(N / nb);
  const threads = N * O * C * OH * OW * 4 >= gemmTuning.parallelMinMacs ? Math.min(availableThreads(), groups) : 1;
  arena.reset();
  const workFloats = (2 * ((OH + 1) >> 1) + 2) * (2 * ((OW + 1) >> 1) + 2) + 16 * nb * tiles * (C + O);
  const jobs: WinogradPlan['jobs'] = [];
  for (let t = 0; t < threads; t++) {
    jobs.push({
      scratch: arena.alloc(k.exports.scratchFloats() * 4),
      work: arena.alloc(workFloats * 4),
      n0: Math.min(N, Math.floor((groups * t) / threads) * nb),
      n1: Math.min(N, Math.floor((groups * (t + 1)) / threads) * nb),
    });
  }
  return { OH, OW, nb, jobs };
}

/** y [N, O, OH, OW] = conv3x3(x [N, C, H, W], w [O, C, 3, 3]) + b, stride 1, padding pad, by Winograd. */
function winograd(
  x: ArrayLike<number>,
  w: ArrayLike<number>,
  b: ArrayLike<number> | null,
  y: Float32Array,
  N: number,
  C: number,
  H: number,
  W: number,
  O: number,
  pad: number,
): void {
  const k = wasmKernels()!;
  const { OH, OW, nb, jobs } = winogradPlan(N, C, H, W, O, pad);
  const pU = arena.alloc(16 * O * C * 4);
  const px = put(x, N * C * H * W);
  const pw = put(w, O * C * 9);
  const pb = b ? put(b, O) : 0;
  const ny = N * O * OH * OW;
  const py = arena.alloc(ny * 4);
  k.exports.winogradWeights(pw, O, C, pU);
  runParallel(
    'winogradConv',
    jobs.map((j) => [px, C, H, W, pU, pb, py, O, OH, OW, pad, nb, j.work, j.scratch, j.n0, j.n1]),
  );
  y.set(heapF32().subarray(py >> 2, (py >> 2) + ny));
}

/** gw [O, C, 3, 3] = the weight gradient of a 3x3 stride-1 convolution, by Winograd (per-thread partial sums added in thread order). */
function winogradWeightGrad(
  x: ArrayLike<number>,
  gy: ArrayLike<number>,
  gw: Float32Array,
  N: number,
  C: number,
  H: number,
  W: number,
  O: number,
  pad: number,
): void {
  const k = wasmKernels()!;
  const { OH, OW, nb, jobs } = winogradPlan(N, C, H, W, O, pad);
  const nU = 16 * O * C;
  const parts = jobs.map(() => arena.alloc(nU * 4));
  const px = put(x, N * C * H * W);
  const pgy = put(gy, N * O * OH * OW);
  const pdw = arena.alloc(O * C * 9 * 4);
  const heap = heapF32();
  for (const p of parts) heap.fill(0, p >> 2, (p >> 2) + nU);
  runParallel(
    'winogradWeightGrad',
    jobs.map((j, t) => [px, C, H, W, pgy, O, OH, OW, pad, nb, j.work, j.scratch, parts[t]!, j.n0, j.n1]),
  );
  const sum = heapF32().subarray(parts[0]! >> 2, (parts[0]! >> 2) + nU);
  for (let t = 1; t < parts.length; t++) {
    const q = heapF32().subarray(parts[t]! >> 2, (parts[t]! >> 2) + nU);
    for (let i = 0; i < nU; i++) sum[i] = sum[i]! + q[i]!;
  }
  k.exports.winogradWeightsBackward(parts[0]!, O, C, pdw);
  gw.set(heapF32().subarray(pdw >> 2, (pdw >> 2) + O * C * 9));
}

/** y = conv(x, w) + b into y ([N, O, OH, OW], fully overwritten). */
export function convForward(x: ArrayLike<number>, w: ArrayLike<number>, b: ArrayLike<number> | null, y: Out, g: ConvGeom): void {
  if (!usable(g, x, w, b, y)) return ref.convForward(x, w, b, y, g);
  if (winogradFits(g)) return winograd(x, w, b, y as Float32Array, g.N, g.C, g.H, g.W, g.O, g.padH);
  const s = setup(g);
  const px = put(x, g.N * g.C * g.H * g.W);
  const pw = put(w, g.O * (g.C / g.groups) * g.KH * g.KW);
  const pb = b ? put(b, g.O) : 0;
  const ny = g.N * g.O * g.OH * g.OW;
  const py = arena.alloc(ny * 4);
  split('convForward', s, g.N, (t) => [s.G, px, pw, pb, py, s.cols[t]!, s.scratch[t]!]);
  (y as Float32Array).set(heapF32().subarray(py >> 2, (py >> 2) + ny));
}

/** gx = conv^T(gy, w) into gx ([N, C, H, W], fully overwritten). */
export function convBackwardInput(gy: ArrayLike<number>, w: ArrayLike<number>, gx: Out & { length: number }, g: ConvGeom): void {
  if (!usable(g, gy, w, gx)) return ref.convBackwardInput(gy, w, gx, g);
  if (winogradFits(g)) {
    // gx = conv3x3(gy, w') with w'[c, o, i, j] = w[o, c, 2 - i, 2 - j] and padding 2 - pad.
    const { O, C } = g;
    const wt = new Float32Array(O * C * 9);
    for (let o = 0; o < O; o++) {
      for (let c = 0; c < C; c++) {
        for (let t = 0; t < 9; t++) wt[(c * O + o) * 9 + 8 - t] = w[(o * C + c) * 9 + t]!;
      }
    }
    return winograd(gy, wt, null, gx as Float32Array, g.N, O, g.OH, g.OW, C, 2 - g.padH);
  }
  const s = setup(g);
  const pgy = put(gy, g.N * g.O * g.OH * g.OW);
  const pw = put(w, g.O * (g.C / g.groups) * g.KH * g.KW);
  const nx = g.N * g.C * g.H * g.W;
  const pgx = arena.alloc(nx * 4);
  split('convBackwardInput', s, g.N, (t) => [s.G, pgy, pw, pgx, s.cols[t]!, s.scratch[t]!]);
  (gx as Float32Array).set(heapF32().subarray(pgx >> 2, (pgx >> 2) + nx));
}

/** gw = d<gy, conv(x, w)>/dw into gw ([O, C/groups, KH, KW], fully overwritten). */
export function convBackwardWeight(x: ArrayLike<number>, gy: ArrayLike<number>, gw: Out, g: ConvGeom): void {
  if (!usable(g, x, gy, gw)) return ref.convBackwardWeight(x, gy, gw, g);
  if (winogradFits(g)) return winogradWeightGrad(x, gy, gw as Float32Array, g.N, g.C, g.H, g.W, g.O, g.padH);
  const s = setup(g);
  const px = put(x, g.N * g.C * g.H * g.W);
  const pgy = put(gy, g.N * g.O * g.OH * g.OW);
  const nw = g.O * (g.C / g.groups) * g.KH * g.KW;
  // One partial sum per thread, added in thread order: deterministic for a given thread count.
  const parts: number[] = [];
  for (let t = 0; t < s.threads; t++) parts.push(arena.alloc(nw * 4));
  const heap = heapF32();
  for (const p of parts) heap.fill(0, p >> 2, (p >> 2) + nw);
  split('convBackwardWeight', s, g.N, (t) => [s.G, px, pgy, parts[t]!, s.cols[t]!, s.scratch[t]!]);
  const out = heapF32().subarray(parts[0]! >> 2, (parts[0]! >> 2) + nw);
  for (let t = 1; t < parts.length; t++) {
    const q = heapF32().subarray(parts[t]! >> 2, (parts[t]! >> 2) + nw);
    for (let i = 0; i < nw; i++) out[i] = out[i]! + q[i]!;
  }
  (gw as Float32Array).set(out);
}

import {
  Generator,
  randn,
  grad,
  transpose,
  permute,
  conv1d,
  conv2d,
  convTranspose2d,
  conv2dWeightGrad,
  maxPool1d,
  maxPool2d,
  maxUnpool2d,
  avgPool1d,
  avgPool2d,
  adaptiveAvgPool2d,
  adaptiveMaxPool2d,
  type Tensor,
} from '../../src/index.js';
import type { GradCase } from './_types.js';

const g = new Generator(11);
const r = (...shape: number[]): Tensor => randn(shape, { dtype: 'float64', generator: g, requiresGrad: true });
const c = (...shape: number[]): Tensor => randn(shape, { dtype: 'float64', generator: g });

/** x -> d<u, f(x)>/dx as a function of u (and x): exercises the backward op itself as a forward op. */
const vjp =
  (f: (x: Tensor) => Tensor) =>
  (x: Tensor, u: Tensor): Tensor =>
    grad(f(x).mul(u).sum(), [x], { createGraph: true })[0]!;

// Fixed max-pool indices for the unpool cases (distinct values, so no ties).
const poolSrc = c(2, 3, 4, 5);
const pooled = maxPool2d(poolSrc, { kernelSize: 2, returnIndices: true });

export const cases: GradCase[] = [
  {
    name: 'conv2d 3x3 padding 1 with bias',
    ops: ['conv2d'],
    inputs: () => [r(1, 2, 5, 5), r(3, 2, 3, 3), r(3)],
    fn: (x, w, b) => conv2d(x, w, b, { padding: 1 }),
    gradgrad: true,
  },
  {
    name: 'conv2d stride [2,1] padding [1,2] dilation [2,1] groups 2',
    ops: ['conv2d'],
    inputs: () => [r(2, 4, 7, 6), r(4, 2, 2, 3), r(4)],
    fn: (x, w, b) => conv2d(x, w, b, { stride: [2, 1], padding: [1, 2], dilation: [2, 1], groups: 2 }),
    gradgrad: true,
  },
  {
    name: 'conv2d depthwise groups 3',
    ops: ['conv2d'],
    inputs: () => [r(1, 3, 5, 4), r(3, 1, 3, 3)],
    fn: (x, w) => conv2d(x, w, null, { groups: 3, padding: 1 }),
  },
  {
    name: 'conv2d same padding even kernel',
    ops: ['conv2d'],
    inputs: () => [r(1, 2, 5, 6), r(2, 2, 2, 4)],
    fn: (x, w) => conv2d(x, w, null, { padding: 'same', dilation: [1, 2] }),
    gradgrad: true,
  },
  {
    name: 'conv2d stride 3 > kernel 2',
    ops: ['conv2d'],
    inputs: () => [r(1, 2, 7, 8), r(2, 2, 2, 2)],
    fn: (x, w) => conv2d(x, w, null, { stride: 3 }),
  },
  {
    name: 'conv2d transposed (non-contiguous) input',
    ops: ['conv2d', 'transpose'],
    inputs: () => [r(1, 2, 6, 5), r(3, 2, 3, 2)],
    fn: (x, w) => conv2d(transpose(x, 2, 3), w, null, { stride: 2 }),
  },
  { name: 'conv2d unbatched', ops: ['conv2d'], inputs: () => [r(2, 4, 4), r(2, 2, 3, 3), r(2)], fn: (x, w, b) => conv2d(x, w, b) },
  {
    name: 'conv1d dilation 2 padding 2 with bias',
    ops: ['conv1d'],
    inputs: () => [r(2, 3, 9), r(4, 3, 3), r(4)],
    fn: (x, w, b) => conv1d(x, w, b, { dilation: 2, padding: 2 }),
    gradgrad: true,
  },
  {
    name: 'conv1d stride 2 groups 3 permuted input',
    ops: ['conv1d', 'permute'],
    inputs: () => [r(2, 8, 3), r(3, 1, 2)],
    fn: (x, w) => conv1d(permute(x, [0, 2, 1]), w, null, { stride: 2, groups: 3 }),
  },
  {
    name: 'convTranspose2d stride 2 padding 1 outputPadding 1 dilation 2 groups 2',
    ops: ['convTranspose2d'],
    inputs: () => [r(1, 4, 3, 3), r(4, 1, 3, 2), r(2)],
    fn: (x, w, b) => convTranspose2d(x, w, b, { stride: 2, padding: 1, outputPadding: 1, dilation: 2, groups: 2 }),
    gradgrad: true,
  },
  {
    name: 'convTranspose2d outputPadding >= stride (below dilation)',
    ops: ['convTranspose2d'],
    inputs: () => [r(2, 2, 3, 2), r(2, 3, 2, 2)],
    fn: (x, w) => convTranspose2d(x, w, null, { stride: 1, dilation: 3, outputPadding: 2 }),
    gradgrad: true,
  },
  {
    name: 'conv2dWeightGrad stride 2 padding 1 groups 2',
    ops: ['conv2dWeightGrad'],
    inputs: () => [r(2, 4, 5, 5), r(2, 2, 3, 3)],
    fn: (x, gy) => conv2dWeightGrad(x, [2, 2, 2, 2], gy, { stride: 2, padding: 1, groups: 2 }),
    gradgrad: true,
  },
  {
    name: 'maxPool2d 3x3 stride 2 padding 1',
    ops: ['maxPool2d'],
    inputs: () => [r(2, 2, 5, 6)],
    fn: (x) => maxPool2d(x, { kernelSize: 3, stride: 2, padding: 1 }),
  },
  {
    name: 'maxPool2d dilation 2 ceilMode',
    ops: ['maxPool2d'],
    inputs: () => [r(1, 2, 7, 6)],
    fn: (x) => maxPool2d(x, { kernelSize: [2, 3], stride: 2, dilation: 2, ceilMode: true }),
  },
  {
    name: 'maxPool2d values with returnIndices',
    ops: ['maxPool2d'],
    inputs: () => [r(3, 4, 4)],
    fn: (x) => maxPool2d(x, { kernelSize: 2, returnIndices: true }).values,
  },
  {
    name: 'maxPool2d backward as a function of the upstream gradient',
    ops: ['maxPool2dBackward', 'maxPool2d'],
    inputs: () => [r(1, 2, 5, 5), r(1, 2, 4, 4)],
    fn: vjp((x) => maxPool2d(x, { kernelSize: 2, stride: 1 })),
  },
  {
    name: 'maxUnpool2d',
    ops: ['maxUnpool2d'],
    inputs: () => [r(2, 3, 2, 2)],
    fn: (x) => maxUnpool2d(x, pooled.indices, { kernelSize: 2, outputSize: [4, 5] }),
  },
  {
    name: 'maxUnpool2d backward (gather) as a function of the upstream gradient',
    ops: ['maxUnpool2dBackward', 'maxUnpool2d'],
    inputs: () => [r(2, 3, 2, 2), r(2, 3, 4, 5)],
    fn: vjp((x) => maxUnpool2d(x, pooled.indices, { kernelSize: 2, outputSize: [4, 5] })),
  },
  {
    name: 'maxPool1d stride 2 padding 1',
    ops: ['maxPool1d'],
    inputs: () => [r(2, 3, 9)],
    fn: (x) => maxPool1d(x, { kernelSize: 3, stride: 2, padding: 1 }),
  },
  {
    name: 'adaptiveMaxPool2d 7x5 -> 3x2',
    ops: ['adaptiveMaxPool2d'],
    inputs: () => [r(1, 2, 7, 5)],
    fn: (x) => adaptiveMaxPool2d(x, [3, 2]),
  },
  {
    name: 'avgPool2d padding 1 countIncludePad',
    ops: ['avgPool2d'],
    inputs: () => [r(2, 2, 5, 5)],
    fn: (x) => avgPool2d(x, { kernelSize: 3, stride: 2, padding: 1 }),
  },
  {
    name: 'avgPool2d ceilMode countIncludePad false',
    ops: ['avgPool2d'],
    inputs: () => [r(1, 2, 6, 7)],
    fn: (x) => avgPool2d(x, { kernelSize: [3, 2], stride: 2, padding: 1, ceilMode: true, countIncludePad: false }),
  },
  {
    name: 'avgPool2d divisorOverride',
    ops: ['avgPool2d'],
    inputs: () => [r(1, 1, 5, 4)],
    fn: (x) => avgPool2d(x, { kernelSize: 2, stride: 1, divisorOverride: 3 }),
  },
  {
    name: 'avgPool2d backward as a function of the upstream gradient',
    ops: ['avgPool2dBackward', 'avgPool2d'],
    inputs: () => [r(1, 2, 5, 5), r(1, 2, 3, 3)],
    fn: vjp((x) => avgPool2d(x, { kernelSize: 3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false })),
  },
  {
    name: 'avgPool1d',
    ops: ['avgPool1d'],
    inputs: () => [r(2, 3, 8)],
    fn: (x) => avgPool1d(x, { kernelSize: 3, stride: 2, padding: 1, countIncludePad: false }),
  },
  {
    name: 'adaptiveAvgPool2d 7x5 -> 3x2',
    ops: ['adaptiveAvgPool2d'],
    inputs: () => [r(2, 2, 7, 5)],
    fn: (x) => adaptiveAvgPool2d(x, [3, 2]),
  },
  {
    name: 'adaptiveAvgPool2d backward as a function of the upstream gradient',
    ops: ['adaptiveAvgPool2dBackward', 'adaptiveAvgPool2d'],
    inputs: () => [r(1, 2, 5, 7), r(1, 2, 3, 4)],
    fn: vjp((x) => adaptiveAvgPool2d(x, [3, 4])),
  },
];

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  tensor,
  arange,
  ones,
  randn,
  grad,
  Generator,
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
  mul,
  sum,
  cast,
  type Tensor,
} from '../src/index.js';

const gen = new Generator(3);
const rn = (...shape: number[]): Tensor => randn(shape, { dtype: 'float64', generator: gen });
const close = (a: number[], b: number[], tol = 1e-9): void => {
  assert.equal(a.length, b.length, `length ${a.length} vs ${b.length}`);
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]!) <= tol * (1 + Math.abs(b[i]!)), `element ${i}: ${v} vs ${b[i]}`));
};
const img4 = (): Tensor => cast(arange(16), 'float32').reshape(1, 1, 4, 4);

test('conv2d: 2x2 ones kernel sums windows; stride, padding and bias', () => {
  const y = conv2d(img4(), ones([1, 1, 2, 2]));
  assert.deepEqual(y.shape, [1, 1, 3, 3]);
  assert.deepEqual(y.toList(), [10, 14, 18, 26, 30, 34, 42, 46, 50]);
  const z = conv2d(img4(), ones([2, 1, 2, 2]), tensor([0, 100]), { stride: 2, padding: 1 });
  assert.deepEqual(z.shape, [1, 2, 3, 3]);
  assert.deepEqual(z.toList().slice(0, 9), [0, 3, 3, 12, 30, 18, 12, 27, 15]);
  assert.deepEqual(z.toList().slice(9), [100, 103, 103, 112, 130, 118, 112, 127, 115]);
});

test('conv2d: groups split channels; depthwise; unbatched equals batched', () => {
  const x = rn(2, 4, 5, 5);
  const w = rn(6, 2, 3, 3);
  const y = conv2d(x, w, null, { groups: 2 });
  // Group 1 (output channels 3..5) only sees input channels 2..3.
  const x2 = x.mul(tensor([1, 1, 0, 0], { dtype: 'float64' }).reshape(1, 4, 1, 1));
  const y2 = conv2d(x2, w, null, { groups: 2 });
  for (const n of [0, 1]) {
    close(y2.toList().slice(n * 54, n * 54 + 27), y.toList().slice(n * 54, n * 54 + 27));
    close(y2.toList().slice(n * 54 + 27, n * 54 + 54), new Array(27).fill(0));
  }
  const dw = conv2d(x, rn(4, 1, 3, 3), null, { groups: 4, padding: 1 });
  assert.deepEqual(dw.shape, [2, 4, 5, 5]);
  const x3 = rn(3, 6, 4);
  const w3 = rn(2, 3, 2, 2);
  close(conv2d(x3, w3, null, { padding: [1, 0] }).toList(), conv2d(x3.reshape(1, 3, 6, 4), w3, null, { padding: [1, 0] }).toList());
  assert.deepEqual(conv2d(x3, w3).shape, [2, 5, 3]);
});

test("conv2d: padding 'same' keeps the size (asymmetric for even kernels), 'valid' is 0", () => {
  const x = rn(1, 2, 6, 5);
  const w = rn(3, 2, 4, 2);
  assert.deepEqual(conv2d(x, w, null, { padding: 'same' }).shape, [1, 3, 6, 5]);
  assert.deepEqual(conv2d(x, w, null, { padding: 'valid' }).shape, [1, 3, 3, 4]);
});

test('conv1d: dilated difference filter', () => {
  const x = tensor([[[1, 2, 4, 8, 16]]]);
  const y = conv1d(x, tensor([[[1, -1]]]), null, { dilation: 2 });
  assert.deepEqual(y.toList(), [-3, -6, -12]);
  assert.deepEqual(conv1d(x, tensor([[[1, 1, 1]]]), tensor([0.5]), { padding: 1 }).toList(), [3.5, 7.5, 14.5, 28.5, 24.5]);
});

test('convTranspose2d: stride 2 with a ones kernel expands each pixel to a 2x2 block', () => {
  const y = convTranspose2d(
    tensor([
      [
        [
          [1, 2],
          [3, 4],
        ],
      ],
    ]),
    ones([1, 1, 2, 2]),
    null,
    { stride: 2 },
  );
  assert.deepEqual(y.shape, [1, 1, 4, 4]);
  assert.deepEqual(y.toList(), [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
  const z = convTranspose2d(
    tensor([
      [
        [
          [1, 2],
          [3, 4],
        ],
      ],
    ]),
    ones([1, 1, 2, 2]),
    tensor([1]),
    { stride: 2, padding: 1, outputPadding: 1 },
  );
  assert.deepEqual(z.shape, [1, 1, 3, 3]);
  assert.deepEqual(z.toList(), [2, 3, 3, 4, 5, 5, 4, 5, 5]);
});

test('convTranspose2d is the adjoint of conv2d: <convT(y, w), x> = <y, conv2d(x, w)>', () => {
  const opts = { stride: 2, padding: 1, dilation: 2, groups: 2 };
  const x = rn(2, 4, 8, 7);
  const w = rn(6, 2, 3, 2);
  const y = conv2d(x, w, null, opts);
  const u = rn(...y.shape);
  const outPad = [8 - ((y.shape[2]! - 1) * 2 - 2 + 2 * 2 + 1), 7 - ((y.shape[3]! - 1) * 2 - 2 + 2 * 1 + 1)];
  const xt = convTranspose2d(u, w, null, { ...opts, outputPadding: outPad });
  assert.deepEqual(xt.shape, x.shape);
  close([sum(mul(xt, x)).item()], [sum(mul(u, y)).item()], 1e-10);
});

test('conv2dWeightGrad equals the weight gradient of conv2d, and double backward reaches the input', () => {
  const opts = { stride: 2, padding: 1, groups: 3 };
  const x = rn(2, 3, 7, 6).requiresGrad_();
  const w = rn(6, 1, 3, 3).requiresGrad_();
  const y = conv2d(x, w, null, opts);
  const u = rn(...y.shape);
  const [gw] = grad(sum(mul(y, u)), [w], { createGraph: true });
  close(gw!.toList(), conv2dWeightGrad(x.detach(), w.shape, u, opts).toList(), 1e-12);
  const [gx] = grad(sum(mul(gw!, gw!)), [x]);
  assert.deepEqual(gx!.shape, x.shape);
  assert.ok(gx!.toList().some((v) => v !== 0));
});

test('maxPool2d: values, int32 plane indices, gradient to the first maximum', () => {
  const { values, indices } = maxPool2d(img4(), { kernelSize: 2, returnIndices: true });
  assert.deepEqual(values.toList(), [5, 7, 13, 15]);
  assert.equal(indices.dtype, 'int32');
  assert.deepEqual(indices.toList(), [5, 7, 13, 15]);
  const x = ones([1, 1, 2, 3], { dtype: 'float64', requiresGrad: true });
  const p = maxPool2d(x, { kernelSize: 2, stride: 1, returnIndices: true });
  assert.deepEqual(p.indices.toList(), [0, 1]);
  p.values.sum().backward();
  assert.deepEqual(x.grad!.toList(), [1, 1, 0, 0, 0, 0]);
});

test('maxPool2d: padding is -inf, ceilMode keeps a last partial window, NaN wins', () => {
  const x = tensor([
    [
      [
        [-1, -2, -3],
        [-4, -5, -6],
        [-7, -8, -9],
      ],
    ],
  ]);
  assert.deepEqual(maxPool2d(x, { kernelSize: 2, padding: 1 }).toList(), [-1, -2, -4, -5]);
  assert.deepEqual(maxPool2d(x, { kernelSize: 2, ceilMode: true }).shape, [1, 1, 2, 2]);
  assert.deepEqual(maxPool2d(x, { kernelSize: 2 }).shape, [1, 1, 1, 1]);
  const n = tensor([
    [
      [
        [1, NaN],
        [3, 4],
      ],
    ],
  ]);
  assert.ok(Number.isNaN(maxPool2d(n, { kernelSize: 2 }).item()));
  const i = maxPool2d(
    tensor(
      [
        [
          [1, 5, 2],
          [7, 0, 3],
        ],
      ],
      { dtype: 'int32' },
    ),
    { kernelSize: [2, 2], stride: 1 },
  );
  assert.equal(i.dtype, 'int32');
  assert.deepEqual(i.toList(), [7, 5]);
});

test('maxUnpool2d puts the maxima back; its gradient gathers', () => {
  const x = rn(1, 2, 4, 5).requiresGrad_();
  const { values, indices } = maxPool2d(x, { kernelSize: 2, returnIndices: true });
  const u = maxUnpool2d(values, indices, { kernelSize: 2, outputSize: [4, 5] });
  assert.deepEqual(u.shape, [1, 2, 4, 5]);
  const xs = x.toList();
  const us = u.toList();
  let kept = 0;
  us.forEach((v, k) => {
    if (v !== 0) {
      assert.equal(v, xs[k]);
      kept++;
    }
  });
  assert.equal(kept, 8);
  const p4 = maxPool2d(rn(1, 2, 4, 4), { kernelSize: 2, returnIndices: true });
  assert.deepEqual(maxUnpool2d(p4.values, p4.indices, { kernelSize: 2 }).shape, [1, 2, 4, 4]);
  const v = values.detach().requiresGrad_();
  const up = rn(1, 2, 4, 5);
  sum(mul(maxUnpool2d(v, indices, { kernelSize: 2, outputSize: [4, 5] }), up)).backward();
  const ups = up.toList();
  const idx = indices.toList();
  close(
    v.grad!.toList(),
    idx.map((j, k) => ups[Math.floor(k / 4) * 20 + j]!),
  );
});

test('avgPool2d: countIncludePad, divisorOverride, ceilMode', () => {
  const x = ones([1, 1, 3, 3]);
  assert.deepEqual(avgPool2d(x, { kernelSize: 3, stride: 1, padding: 1, countIncludePad: false }).toList(), new Array(9).fill(1));
  const inc = avgPool2d(x, { kernelSize: 3, stride: 1, padding: 1 }).toList();
  close(
    inc,
    [4, 6, 4, 6, 9, 6, 4, 6, 4].map((v) => v / 9),
    1e-6,
  );
  close(avgPool2d(x, { kernelSize: 2, stride: 1, divisorOverride: 2 }).toList(), [2, 2, 2, 2], 1e-6);
  close(avgPool2d(img4(), { kernelSize: 3, stride: 2, ceilMode: true }).toList(), [5, 6.5, 11, 12.5], 1e-6);
  close(avgPool1d(tensor([[[1, 2, 3, 4, 5]]]), { kernelSize: 2 }).toList(), [1.5, 3.5], 1e-6);
});

test('adaptive pools use floor/ceil windows (7x5 -> 3x2)', () => {
  const x = cast(arange(35), 'float64').reshape(1, 1, 7, 5);
  // rows [0,3) [2,5) [4,7); cols [0,3) [2,5)
  const mean = (r0: number, r1: number, c0: number, c1: number): number => {
    let s = 0;
    for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) s += r * 5 + c;
    return s / ((r1 - r0) * (c1 - c0));
  };
  close(adaptiveAvgPool2d(x, [3, 2]).toList(), [
    mean(0, 3, 0, 3),
    mean(0, 3, 2, 5),
    mean(2, 5, 0, 3),
    mean(2, 5, 2, 5),
    mean(4, 7, 0, 3),
    mean(4, 7, 2, 5),
  ]);
  assert.deepEqual(adaptiveMaxPool2d(x, [3, 2]).toList(), [12, 14, 22, 24, 32, 34]);
  assert.deepEqual(adaptiveMaxPool2d(x, [3, null], { returnIndices: true }).indices.shape, [1, 1, 3, 5]);
  assert.deepEqual(adaptiveAvgPool2d(x, 1).shape, [1, 1, 1, 1]);
  assert.deepEqual(maxPool1d(tensor([[3, 1, 4, 1, 5, 9, 2]]), { kernelSize: 3, stride: 2 }).toList(), [4, 5, 9]);
});

test('dtypes: float64 stays float64, integer or mixed dtypes are rejected by conv', () => {
  assert.equal(conv2d(rn(1, 1, 3, 3), rn(1, 1, 2, 2)).dtype, 'float64');
  assert.equal(avgPool2d(rn(1, 1, 4, 4), { kernelSize: 2 }).dtype, 'float64');
  assert.throws(
    () => conv2d(ones([1, 1, 3, 3], { dtype: 'int32' }), ones([1, 1, 2, 2], { dtype: 'int32' })),
    /conv2d: expected a floating point input, got int32 of shape \[1, 1, 3, 3\]/,
  );
  assert.throws(
    () => conv2d(ones([1, 1, 3, 3]), rn(1, 1, 2, 2)),
    /conv2d: input \[1, 1, 3, 3\] is float32 but weight \[1, 1, 2, 2\] is float64/,
  );
  assert.throws(
    () => avgPool2d(ones([1, 1, 3, 3], { dtype: 'int32' }), { kernelSize: 2 }),
    /avgPool2d: expected a floating point input, got int32/,
  );
});

test('errors name the op and the shapes', () => {
  const x = ones([2, 3, 5, 5]);
  assert.throws(
    () => conv2d(x, ones([8, 4, 3, 3])),
    /conv2d: input shape \[2, 3, 5, 5\] has 3 channels but weight \[8, 4, 3, 3\] expects 4 \(groups=1\)/,
  );
  assert.throws(
    () => conv2d(ones([3, 5]), ones([8, 3, 3, 3])),
    /conv2d: expected a 3-D \(unbatched\) or 4-D \(batched\) input, got input shape \[3, 5\] with weight \[8, 3, 3, 3\]/,
  );
  assert.throws(() => conv2d(x, ones([8, 3, 3])), /conv2d: expected a 4-D weight, got weight shape \[8, 3, 3\] with input \[2, 3, 5, 5\]/);
  assert.throws(
    () => conv2d(ones([1, 4, 5, 5]), ones([3, 2, 3, 3]), null, { groups: 2 }),
    /conv2d: weight \[3, 2, 3, 3\] has 3 output channels, not divisible by groups=2 \(input \[1, 4, 5, 5\]\)/,
  );
  assert.throws(
    () => conv2d(x, ones([2, 3, 7, 7]), null, { padding: 0 }),
    /conv2d: kernel size \[7, 7\] \(dilated\) is larger than the padded input size \[5, 5\]: input \[2, 3, 5, 5\], weight \[2, 3, 7, 7\]/,
  );
  assert.throws(() => conv2d(x, ones([2, 3, 3, 3]), null, { dilation: 3 }), /conv2d: kernel size \[7, 7\].*input \[2, 3, 5, 5\]/);
  assert.throws(
    () => conv2d(x, ones([2, 3, 3, 3]), ones([3])),
    /conv2d: bias shape \[3\] does not match weight \[2, 3, 3, 3\]: expected \[2\]/,
  );
  assert.throws(
    () => conv2d(x, ones([2, 3, 3, 3]), null, { padding: 'same', stride: 2 }),
    /conv2d: padding='same' is not supported for strided convolutions/,
  );
  assert.throws(() => conv2d(x, ones([2, 3, 3, 3]), null, { stride: 0 }), /conv2d: stride must be positive integers, got 0/);
  assert.throws(
    () => conv1d(ones([1, 2, 4]), ones([1, 2, 5])),
    /conv1d: kernel size \[5\] \(dilated\) is larger than the padded input size \[4\]: input \[1, 2, 4\], weight \[1, 2, 5\]/,
  );
  assert.throws(
    () => convTranspose2d(ones([1, 2, 3, 3]), ones([2, 1, 3, 3]), null, { stride: 2, outputPadding: 2 }),
    /convTranspose2d: outputPadding must be smaller than either stride or dilation, got outputPadding \[2, 2\], stride \[2, 2\], dilation \[1, 1\] \(input \[1, 2, 3, 3\], weight \[2, 1, 3, 3\]\)/,
  );
  assert.throws(
    () => convTranspose2d(ones([1, 2, 3, 3]), ones([3, 1, 3, 3])),
    /convTranspose2d: input shape \[1, 2, 3, 3\] has 2 channels but weight \[3, 1, 3, 3\] expects 3/,
  );
  assert.throws(
    () => convTranspose2d(ones([1, 1, 1, 1]), ones([1, 1, 1, 1]), null, { padding: 1 }),
    /convTranspose2d: output size \[-1, -1\] is empty: input \[1, 1, 1, 1\], weight \[1, 1, 1, 1\]/,
  );
  assert.throws(
    () => conv2dWeightGrad(x, [2, 3, 3, 3], ones([2, 2, 4, 4])),
    /conv2dWeightGrad: gradOutput spatial size should be \[3, 3\].*gradOutput \[2, 2, 4, 4\]/,
  );
  assert.throws(
    () => maxPool2d(ones([1, 1, 2, 2]), { kernelSize: 3, padding: 1, stride: 3, dilation: 2 }),
    /maxPool2d: input shape \[1, 1, 2, 2\] with kernelSize \[3, 3\].*gives output size \[0, 0\], which is too small/,
  );
  assert.throws(
    () => maxPool2d(ones([5, 5]), { kernelSize: 2 }),
    /maxPool2d: expected a 3-D \(unbatched\) or 4-D \(batched\) input, got shape \[5, 5\]/,
  );
  assert.throws(
    () => avgPool2d(ones([1, 1, 5, 5]), { kernelSize: 2, padding: 2 }),
    /avgPool2d: padding \[2, 2\] should be at most half of the kernel size \[2, 2\]/,
  );
  const { values, indices } = maxPool2d(ones([1, 1, 4, 4]), { kernelSize: 2, returnIndices: true });
  assert.throws(
    () => maxUnpool2d(values, indices, { kernelSize: 2, outputSize: [6, 4] }),
    /maxUnpool2d: invalid outputSize \[6, 4\] for input \[1, 1, 2, 2\]/,
  );
  assert.throws(
    () =>
      maxUnpool2d(
        values,
        tensor(
          [
            [
              [
                [0, 1],
                [2, 99],
              ],
            ],
          ],
          { dtype: 'int32' },
        ),
        { kernelSize: 2 },
      ),
    /maxUnpool2d: index 99 in indices \[1, 1, 2, 2\] is out of range for an output plane of size \[4, 4\]/,
  );
  assert.throws(
    () => maxUnpool2d(values, indices.reshape(1, 1, 4), { kernelSize: 2 }),
    /maxUnpool2d: input shape \[1, 1, 2, 2\] and indices shape \[1, 1, 4\] must be equal/,
  );
  assert.throws(
    () => adaptiveAvgPool2d(ones([1, 1, 4, 4]), [0, 2]),
    /adaptiveAvgPool2d: outputSize must be positive integers, got \[0, 2\] for input \[1, 1, 4, 4\]/,
  );
});

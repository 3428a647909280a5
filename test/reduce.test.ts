import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  tensor,
  ones,
  randn,
  full,
  manualSeed,
  Generator,
  amax,
  amin,
  max,
  min,
  maxWithIndices,
  minWithIndices,
  argmax,
  argmin,
  variance,
  std,
  logsumexp,
  prod,
  cumsum,
  softmax,
  logSoftmax,
  dropout,
  transpose,
  sum,
  type Tensor,
} from '../src/index.js';

const close = (a: number[], b: number[], tol = 1e-5): void => {
  assert.equal(a.length, b.length, `length ${a.length} vs ${b.length}`);
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]!) <= tol, `element ${i}: ${v} vs ${b[i]}`));
};

test('amax/amin over one, several and all dims, keeping the dtype', () => {
  const x = tensor([
    [1, 5, 2],
    [7, 0, 3],
  ]);
  assert.deepEqual(amax(x, { dim: 1 }).toList(), [5, 7]);
  assert.deepEqual(amin(x, { dim: 0 }).toList(), [1, 0, 2]);
  assert.deepEqual(amax(x).toList(), [7]);
  assert.deepEqual(amax(x, { dim: [0, 1], keepdim: true }).shape, [1, 1]);
  const xi = tensor(
    [
      [1, 5],
      [7, 2],
    ],
    { dtype: 'int32' },
  );
  assert.equal(amax(xi).dtype, 'int32');
  assert.deepEqual(x.amin({ dim: -1 }).toList(), [1, 0]);
});

test('max/min: overall value, ties split evenly; with a dim the first selected element gets the gradient', () => {
  const x = tensor(
    [
      [1, 3, 3],
      [2, 2, 0],
    ],
    { requiresGrad: true },
  );
  max(x).backward();
  assert.deepEqual(x.grad!.toList(), [0, 0.5, 0.5, 0, 0, 0]);
  const y = tensor(
    [
      [1, 3, 3],
      [2, 2, 0],
    ],
    { requiresGrad: true },
  );
  sum(max(y, { dim: 1 })).backward();
  assert.deepEqual(y.grad!.toList(), [0, 1, 0, 1, 0, 0]);
  const z = tensor(
    [
      [1, 3, 3],
      [2, 2, 0],
    ],
    { requiresGrad: true },
  );
  amax(z, { dim: 1 }).sum().backward();
  assert.deepEqual(z.grad!.toList(), [0, 0.5, 0.5, 0.5, 0.5, 0]);
  assert.equal(min(tensor([4, -2, 9])).item(), -2);
  assert.deepEqual(
    min(
      tensor([
        [4, -2],
        [1, 9],
      ]),
      { dim: 0, keepdim: true },
    ).toArray(),
    [[1, -2]],
  );
  // several dims behave as amax
  const w = tensor([
    [
      [1, 2],
      [3, 4],
    ],
    [
      [5, 6],
      [7, 8],
    ],
  ]);
  assert.deepEqual(max(w, { dim: [1, 2] }).toList(), [4, 8]);
});

test('maxWithIndices/minWithIndices return values and int32 indices, NaN propagates', () => {
  const x = tensor([
    [1, 5, 5],
    [7, 2, 7],
  ]);
  const { values, indices } = maxWithIndices(x, 1);
  assert.deepEqual(values.toList(), [5, 7]);
  assert.deepEqual(indices.toList(), [1, 0]);
  assert.equal(indices.dtype, 'int32');
  const k = minWithIndices(x, 0, true);
  assert.deepEqual(k.values.shape, [1, 3]);
  assert.deepEqual(k.indices.toArray(), [[0, 1, 0]]);
  const n = maxWithIndices(tensor([1, NaN, 3]), 0);
  assert.ok(Number.isNaN(n.values.item()));
  assert.equal(n.indices.item(), 1);
  assert.ok(Number.isNaN(amax(tensor([1, NaN, 3])).item()));
});

test('argmax/argmin: flattened or along a dim, keepdim, int32 without gradient', () => {
  const x = tensor(
    [
      [1, 5, 2],
      [7, 0, 7],
    ],
    { requiresGrad: true },
  );
  assert.equal(argmax(x).item(), 3);
  assert.deepEqual(argmax(x, { keepdim: true }).shape, [1, 1]);
  assert.deepEqual(argmax(x, { dim: 1 }).toList(), [1, 0]);
  assert.deepEqual(argmin(x, { dim: 0, keepdim: true }).toArray(), [[0, 1, 0]]);
  assert.deepEqual(argmin(transpose(x), { dim: 1 }).toList(), [0, 1, 0]);
  const a = x.argmax({ dim: -1 });
  assert.equal(a.dtype, 'int32');
  assert.equal(a.requiresGrad, false);
});

test('variance and std: Bessel correction by default, correction/unbiased options', () => {
  const x = tensor([1, 2, 3, 4]);
  close(variance(x).toList(), [5 / 3]);
  close(x.var({ correction: 0 }).toList(), [1.25]);
  close(variance(x, { unbiased: false }).toList(), [1.25]);
  close(std(x).toList(), [Math.sqrt(5 / 3)]);
  close(
    std(
      tensor([
        [1, 3],
        [2, 2],
      ]),
      { dim: 1 },
    ).toList(),
    [Math.SQRT2, 0],
  );
  assert.equal(variance(tensor([1, 2], { dtype: 'float64' })).dtype, 'float64');
});

test('std of a constant group has gradient 0 (not NaN), as PyTorch', () => {
  const x = full([3], 2, { requiresGrad: true });
  std(x).backward();
  assert.deepEqual(x.grad!.toList(), [0, 0, 0]);
});

test('logsumexp is stable for large values and handles infinities as PyTorch', () => {
  close(logsumexp(tensor([1000, 1000])).toList(), [1000 + Math.LN2], 1e-3);
  close(logsumexp(tensor([-1000, -1000], { dtype: 'float64' })).toList(), [-1000 + Math.LN2], 1e-9);
  assert.equal(logsumexp(tensor([-Infinity, -Infinity])).item(), -Infinity);
  assert.equal(logsumexp(tensor([Infinity, 1])).item(), Infinity);
  assert.equal(logsumexp(tensor([1, 2], { dtype: 'int32' })).dtype, 'float32');
  const x = tensor(
    [
      [1000, 1000],
      [0, 0],
    ],
    { dtype: 'float64', requiresGrad: true },
  );
  logsumexp(x, { dim: 1 }).sum().backward();
  close(x.grad!.toList(), [0.5, 0.5, 0.5, 0.5], 1e-12);
});

test('prod: values, int32 for integer input, gradients with one and several zeros', () => {
  assert.deepEqual(
    prod(
      tensor([
        [1, 2],
        [3, 4],
      ]),
      { dim: 1 },
    ).toList(),
    [2, 12],
  );
  assert.equal(prod(tensor([2, 3], { dtype: 'int32' })).dtype, 'int32');
  assert.equal(prod(tensor([true, true])).dtype, 'int32');
  const one = tensor([2, 0, 3, 4], { requiresGrad: true });
  prod(one).backward();
  assert.deepEqual(one.grad!.toList(), [0, 24, 0, 0]);
  const two = tensor([2, 0, 3, 0], { requiresGrad: true });
  prod(two).backward();
  assert.deepEqual(two.grad!.toList(), [0, 0, 0, 0]);
  const none = tensor([2, 5, 3], { requiresGrad: true });
  prod(none).backward();
  assert.deepEqual(none.grad!.toList(), [15, 6, 10]);
});

test('cumsum along a dim, int32 for integer input', () => {
  assert.deepEqual(
    cumsum(
      tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]),
      1,
    ).toList(),
    [1, 3, 6, 4, 9, 15],
  );
  assert.deepEqual(
    cumsum(
      tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]),
      0,
    ).toList(),
    [1, 2, 3, 5, 7, 9],
  );
  assert.equal(cumsum(tensor([1, 2], { dtype: 'int32' }), 0).dtype, 'int32');
  const x = tensor([1, 2, 3], { requiresGrad: true });
  cumsum(x, 0).backward(tensor([1, 10, 100]));
  assert.deepEqual(x.grad!.toList(), [111, 110, 100]);
});

test('softmax/logSoftmax: rows sum to one, stable at large values, ints give float32', () => {
  close(softmax(tensor([[1, 2, 3]]), -1).toList(), [0.09003057, 0.24472847, 0.66524096]);
  close(logSoftmax(tensor([[1, 2, 3]]), 1).toList(), [-2.40760596, -1.40760596, -0.40760596]);
  close(softmax(tensor([1000, 1001]), 0).toList(), [1 / (1 + Math.E), Math.E / (1 + Math.E)]);
  close(logSoftmax(tensor([-1000, 0], { dtype: 'float64' }), 0).toList(), [-1000, 0], 1e-9);
  assert.equal(softmax(tensor([1, 2], { dtype: 'int32' }), 0).dtype, 'float32');
  const s = softmax(randn([4, 5, 3], { generator: new Generator(1) }), 1);
  close(sum(s, { dim: 1 }).toList(), new Array(12).fill(1));
  const withInf = softmax(tensor([0, -Infinity, 0]), 0);
  close(withInf.toList(), [0.5, 0, 0.5]);
});

test('dropout: inverted scaling, statistics, determinism under manualSeed, mask gradient', () => {
  const x = ones([20000]);
  manualSeed(42);
  const a = dropout(x, 0.3);
  manualSeed(42);
  const b = dropout(x, 0.3);
  assert.deepEqual(a.toList(), b.toList());
  const vals = a.toList();
  const zeros = vals.filter((v) => v === 0).length / vals.length;
  assert.ok(Math.abs(zeros - 0.3) < 0.02, `dropped fraction ${zeros}`);
  assert.ok(vals.every((v) => v === 0 || Math.abs(v - 1 / 0.7) < 1e-6));
  const m = vals.reduce((p, v) => p + v, 0) / vals.length;
  assert.ok(Math.abs(m - 1) < 0.03, `mean ${m}`);
  const c = dropout(x, 0.3, { generator: new Generator(3) });
  const d = dropout(x, 0.3, { generator: new Generator(3) });
  assert.deepEqual(c.toList(), d.toList());
  assert.equal(dropout(x, 0.5, { training: false }), x);
  assert.deepEqual(dropout(tensor([1, 2]), 1).toList(), [0, 0]);
  const y = tensor([1, 2, 3, 4, 5, 6, 7, 8], { requiresGrad: true });
  const out = dropout(y, 0.5, { generator: new Generator(9) });
  out.sum().backward();
  const kept = out.toList().map((v, i) => (v === 0 ? 0 : v / (i + 1)));
  assert.deepEqual(y.grad!.toList(), kept);
});

test('reduce-family errors name the op and the shapes', () => {
  const x: Tensor = tensor([
    [1, 2],
    [3, 4],
  ]);
  assert.throws(() => amax(x, { dim: 2 }), /amax: dim 2 is out of range for a tensor of rank 2/);
  assert.throws(() => amax(tensor([[], []]), { dim: 1 }), /amax: cannot reduce over an empty dim of shape \[2, 0\]/);
  assert.throws(() => maxWithIndices(tensor([[], []]), 1), /maxWithIndices: cannot select along dim 1 of size 0 \(shape \[2, 0\]\)/);
  assert.throws(() => argmax(x, { dim: -3 }), /argmax: dim -3 is out of range/);
  assert.throws(() => variance(tensor([1, 2], { dtype: 'int32' })), /variance: expected a floating point tensor, got int32 of shape \[2\]/);
  assert.throws(() => std(x, { correction: -1 }), /std: correction must be non-negative, got -1/);
  assert.throws(() => softmax(x, 5), /softmax: dim 5 is out of range/);
  assert.throws(() => dropout(x, 1.5), /dropout: probability p must be in \[0, 1\], got 1.5 \(input shape \[2, 2\]\)/);
  assert.throws(() => cumsum(x, 3), /cumsum: dim 3 is out of range/);
});

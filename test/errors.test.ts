// Bad input gets a clear error naming the op and the offending shapes or values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor, zeros, ones, add, matmul, mean, gather, indexSelect, embedding, conv2d, crossEntropy, cat, reshape, sum, exp, where } from '../src/index.js';

const idx = (v: number[]) => tensor(v, { dtype: 'int32' });

test('shape mismatches name the op and both shapes', () => {
  assert.throws(() => add(zeros([2, 3]), zeros([4, 3])), /add: shapes \[2, 3\] and \[4, 3\] cannot be broadcast together/);
  assert.throws(() => matmul(zeros([2, 3]), zeros([4, 5])), /matmul: shapes \[2, 3\] and \[4, 5\] are not aligned \(3 != 4\)/);
  assert.throws(() => reshape(zeros([2, 3]), [4, 2]), /reshape: shape \[4, 2\] is invalid for input of shape \[2, 3\]/);
  assert.throws(() => conv2d(zeros([1, 3, 5, 5]), zeros([2, 4, 3, 3])), /conv2d.*\[1, 3, 5, 5\].*\[2, 4, 3, 3\]/);
  assert.throws(() => cat([zeros([2, 3]), zeros([2, 4])], 0), /cat: tensor 1 has shape \[2, 4\] but tensor 0 has \[2, 3\]/);
});

test('wrong dtypes are named', () => {
  assert.throws(() => mean(ones([2], { dtype: 'int32' })), /mean: expected a floating point tensor, got int32/);
  assert.throws(() => matmul(ones([2, 2], { dtype: 'int32' }), ones([2, 2])), /matmul: expected floating point tensors, got int32 and float32/);
  assert.throws(() => where(ones([2]), ones([2]), zeros([2])), /where: condition must be a bool tensor, got float32/);
  assert.throws(() => zeros([2], { dtype: 'int32' }).requiresGrad_(), /only floating point tensors can require gradients, got int32/);
});

test('out-of-range indices name the op, the index and the valid range', () => {
  assert.throws(() => gather(zeros([2, 3]), 1, tensor([[0, 3]], { dtype: 'int32' })), /gather.*3/);
  assert.throws(() => indexSelect(zeros([4, 2]), 0, idx([1, -7])), /indexSelect.*-7/);
  assert.throws(() => embedding(zeros([5, 2]), idx([0, 5])), /embedding.*5/);
  assert.throws(() => crossEntropy(zeros([2, 3]), idx([0, 3])), /(crossEntropy|nllLoss).*3/);
});

test('autograd misuse is explained', () => {
  const x = tensor([1, 2], { requiresGrad: true });
  const y = sum(exp(x));
  y.backward();
  assert.throws(() => y.backward(), /backward through the graph a second time \(op 'sum'/);
  assert.throws(() => exp(x).backward(), /grad can be implicitly created only for scalar outputs; got shape \[2\]/);
});

test('creation functions name themselves and the shape for negative, fractional, NaN and huge sizes', async () => {
  const { full, arange, linspace, eye, rand, randn, randint, bernoulli, multinomial } = await import('../src/index.js');
  const creators: [string, (s: number[]) => unknown][] = [
    ['zeros', (s) => zeros(s)],
    ['ones', (s) => ones(s)],
    ['full', (s) => full(s, 2)],
    ['rand', (s) => rand(s)],
    ['randn', (s) => randn(s)],
    ['randint', (s) => randint(0, 3, s)],
    ['bernoulli', (s) => bernoulli(0.5, { shape: s })],
    ['tensor', (s) => tensor(new Float32Array(4), { shape: s })],
  ];
  for (const [name, make] of creators) {
    for (const bad of [[-1, 2], [2.5], [NaN], [Infinity, 1], [2, -4]]) {
      assert.throws(() => make(bad), new RegExp(`^Error: ${name}: invalid shape \\[${bad.join(', ')}\\]: sizes must be non-negative integers`), `${name} ${bad}`);
    }
    assert.throws(() => make([1e10, 1e10]), new RegExp(`^Error: ${name}: shape \\[10000000000, 10000000000\\] has 100000000000000000000 elements, more than one tensor can hold`), name);
  }
  assert.throws(() => zeros(3 as unknown as number[]), /^Error: zeros: shape must be an array of sizes such as \[2, 3\], got 3/);
  assert.throws(() => eye(-1), /^Error: eye: invalid shape \[-1, -1\]/);
  assert.throws(() => eye(2, 1.5), /^Error: eye: invalid shape \[2, 1\.5\]/);
  assert.throws(() => arange(NaN), /^Error: arange: start, end and step must be finite numbers, got start 0, end NaN, step 1/);
  assert.throws(() => arange(0, Infinity), /^Error: arange: start, end and step must be finite/);
  assert.throws(() => arange(1e20), /^Error: arange: shape \[100000000000000000000\] has 100000000000000000000 elements, more than one tensor can hold/);
  assert.throws(() => linspace(0, 1, 1e20), /^Error: linspace: shape \[100000000000000000000\] has 100000000000000000000 elements/);
  assert.throws(() => randint(0.5, 3, [2]), /^Error: randint: low and high must be integers, got 0\.5 and 3/);
  assert.throws(() => multinomial(ones([3]), -1), /^Error: multinomial: numSamples must be a non-negative integer, got -1/);
  assert.throws(() => multinomial(ones([3]), 1.5, { replacement: true }), /^Error: multinomial: numSamples must be a non-negative integer, got 1\.5/);
  // Zero-size dimensions stay fine.
  assert.deepEqual(zeros([0, 1e10]).shape, [0, 1e10]);
});

// Bad input gets a clear error naming the op and the offending shapes or values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  tensor,
  zeros,
  ones,
  add,
  matmul,
  mean,
  gather,
  indexSelect,
  embedding,
  conv2d,
  crossEntropy,
  cat,
  reshape,
  sum,
  exp,
  where,
  randn,
  amax,
  max,
  argmax,
  std,
  prod,
  variance,
  logsumexp,
  softmax,
  manualSeed,
  nn,
  optim,
} from '../src/index.js';

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
  assert.throws(
    () => matmul(ones([2, 2], { dtype: 'int32' }), ones([2, 2])),
    /matmul: expected floating point tensors, got int32 and float32/,
  );
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
      assert.throws(
        () => make(bad),
        new RegExp(`^Error: ${name}: invalid shape \\[${bad.join(', ')}\\]: sizes must be non-negative integers`),
        `${name} ${bad}`,
      );
    }
    assert.throws(
      () => make([1e10, 1e10]),
      new RegExp(`^Error: ${name}: shape \\[10000000000, 10000000000\\] has 100000000000000000000 elements, more than one tensor can hold`),
      name,
    );
  }
  assert.throws(() => zeros(3 as unknown as number[]), /^Error: zeros: shape must be an array of sizes such as \[2, 3\], got 3/);
  assert.throws(() => eye(-1), /^Error: eye: invalid shape \[-1, -1\]/);
  assert.throws(() => eye(2, 1.5), /^Error: eye: invalid shape \[2, 1\.5\]/);
  assert.throws(() => arange(NaN), /^Error: arange: start, end and step must be finite numbers, got start 0, end NaN, step 1/);
  assert.throws(() => arange(0, Infinity), /^Error: arange: start, end and step must be finite/);
  assert.throws(
    () => arange(1e20),
    /^Error: arange: shape \[100000000000000000000\] has 100000000000000000000 elements, more than one tensor can hold/,
  );
  assert.throws(() => linspace(0, 1, 1e20), /^Error: linspace: shape \[100000000000000000000\] has 100000000000000000000 elements/);
  assert.throws(() => randint(0.5, 3, [2]), /^Error: randint: low and high must be integers, got 0\.5 and 3/);
  assert.throws(() => multinomial(ones([3]), -1), /^Error: multinomial: numSamples must be a non-negative integer, got -1/);
  assert.throws(
    () => multinomial(ones([3]), 1.5, { replacement: true }),
    /^Error: multinomial: numSamples must be a non-negative integer, got 1\.5/,
  );
  // Zero-size dimensions stay fine.
  assert.deepEqual(zeros([0, 1e10]).shape, [0, 1e10]);
});

// Issue 11: what plain JavaScript passes (no type checker) is never silently ignored.
test('numeric dims are honoured, not dropped', () => {
  const x = randn([5, 7]);
  for (const f of [sum, mean, amax, max, argmax, std, prod, variance, logsumexp]) {
    assert.deepEqual((f as (t: typeof x, d: number) => typeof x)(x, 1).shape, [5], f.name);
  }
  assert.deepEqual(x.sum(1).shape, [5]);
  assert.deepEqual(x.max(1).shape, [5]);
  assert.deepEqual(softmax(x, { dim: 1 }).shape, [5, 7]);
});

test('unknown options, positional values and wrong types name the function, the argument and what was expected', () => {
  const x = randn([2, 3]);
  const img = randn([1, 1, 5, 5]);
  const w = randn([1, 1, 3, 3]);
  assert.throws(() => sum(x, { dims: 1 } as never), /^TypeError: sum: unknown option 'dims' \(expected dim, keepdim\)$/);
  assert.throws(
    () => sum(x, '1' as never),
    /sum: argument 2 must be a dim \(an integer\) or a list of dims or an options object \{dim, keepdim\}, got the string '1'/,
  );
  assert.throws(() => sum([1, 2] as never), /sum: argument 1 \(input\) must be a Tensor, got the array \[1, 2\]/);
  assert.throws(() => softmax(x, undefined as never), /softmax: dim is required; call softmax\(x, dim\) or softmax\(x, \{dim\}\)/);
  assert.throws(
    () => (conv2d as (...a: unknown[]) => unknown)(img, w, null, 1, 1),
    /conv2d: argument 4 must be an options object \{stride, padding, dilation, groups\}, got the number 1/,
  );
  assert.throws(
    () => conv2d(img, w, { stride: 1 } as never),
    /conv2d: argument 3 \(bias\) must be a Tensor or null, got \{stride: 1\}; options go fourth: conv2d\(x, w, null, \{stride: 1\}\)/,
  );
  assert.throws(
    () => conv2d(img, w, null, { stride: '2' } as never),
    /conv2d: option 'stride' must be an integer or a list of integers, got the string '2'/,
  );
  assert.throws(() => add(x, '1' as never), /add: argument 2 must be a Tensor or a number, got the string '1'/);
});

test('layer constructors reject options objects where sizes go, and say how to call them', () => {
  assert.throws(
    () => new nn.Linear({ inFeatures: 3, outFeatures: 2 } as never, undefined as never),
    /nn\.Linear: inFeatures must be a positive integer, got \{inFeatures: 3, outFeatures: 2\} \(call new nn\.Linear\(3, 2\)\)/,
  );
  assert.throws(
    () => new nn.MaxPool2d({ kernelSize: 2 } as never),
    /nn\.MaxPool2d: kernelSize must be a positive integer or a list of them, got \{kernelSize: 2\} \(call new nn\.MaxPool2d\(2\)\)/,
  );
  assert.throws(
    () => new nn.Conv2d(1, 2, 3, { strides: 2 } as never),
    /nn\.Conv2d: unknown option 'strides' \(expected stride, padding, dilation, groups, bias, dtype\)/,
  );
  assert.throws(
    () => new (nn.ReLU as new (...a: unknown[]) => unknown)(true),
    /nn\.ReLU: unexpected argument 1 \(the boolean true\); the constructor takes \(\)/,
  );
  assert.throws(
    () => new optim.Adam([randn([2], { requiresGrad: true })], { betas: [0.9, 0.99] } as never),
    /optim\.Adam: unknown option 'betas' \(expected lr, beta1, beta2, eps, weightDecay, amsgrad, decoupled\)/,
  );
});

test('an LSTM state is {h, c} or [h0, c0], never half of one', () => {
  manualSeed(0);
  const lstm = new nn.LSTM(3, 4);
  const x = randn([5, 2, 3]);
  const h0 = randn([1, 2, 4]);
  const c0 = randn([1, 2, 4]);
  const named = lstm.forward(x, { h: h0, c: c0 });
  assert.deepEqual(lstm.forward(x, [h0, c0]).output.toList(), named.output.toList());
  assert.notDeepEqual(lstm.forward(x).output.toList(), named.output.toList());
  assert.throws(
    () => lstm.forward(x, { h: h0 } as never),
    /LSTM: state needs both h and c as Tensors, got h: a float32 tensor of shape \[1, 2, 4\], c: undefined/,
  );
  assert.throws(() => lstm.forward(x, [h0] as never), /LSTM: state must be \{h, c\} or \[h0, c0\], got an array of length 1/);
  assert.throws(
    () => lstm.forward(x, h0 as never),
    /LSTM: state must be \{h, c\} or \[h0, c0\], got a float32 tensor of shape \[1, 2, 4\]/,
  );
  const cell = new nn.LSTMCell(3, 4);
  assert.throws(() => cell.forward(randn([2, 3]), { h: randn([2, 4]) } as never), /LSTMCell: state needs both h and c/);
});

test('class-index targets given as float name the dtype and the fix', () => {
  const logits = randn([3, 4]);
  assert.throws(
    () => crossEntropy(logits, tensor([0, 2, 1])),
    /crossEntropy: expected class indices as an int32 tensor, got float32 of shape \[3\] \(use target\.int\(\)\); a float target is read as class probabilities of the input's shape \[3, 4\]/,
  );
  assert.ok(Number.isFinite(crossEntropy(logits, tensor([0, 2, 1]).int()).item()));
});

test('x.t() is the matrix transpose (PyTorch semantics up to 2 dims); var sits beside variance', () => {
  const m = tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  assert.deepEqual(m.t().shape, [3, 2]);
  assert.deepEqual(m.t().toList(), [1, 4, 2, 5, 3, 6]);
  assert.deepEqual(tensor([1, 2]).t().toList(), [1, 2]);
  assert.throws(
    () => randn([2, 3, 4]).t(),
    /t: expects a tensor with <= 2 dims, got shape \[2, 3, 4\]; use transpose\(x, dim0, dim1\) or permute/,
  );
  assert.deepEqual(m.var(1).toList(), m.variance(1).toList());
});

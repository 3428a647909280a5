import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  tensor,
  arange,
  zeros,
  ones,
  squeeze,
  unsqueeze,
  flatten,
  slice,
  narrow,
  select,
  cat,
  stack,
  split,
  chunk,
  flip,
  repeat,
  roll,
  pad,
  unfold,
  transpose,
  grad,
  type Tensor,
} from '../src/index.js';

const f = (t: Tensor) => t.toArray();
const m34 = () => arange(12, { dtype: 'float32' }).reshape(3, 4);

test('squeeze / unsqueeze / flatten are views with the right shapes', () => {
  const x = zeros([2, 1, 3, 1]);
  assert.deepEqual(squeeze(x).shape, [2, 3]);
  assert.deepEqual(squeeze(x, 1).shape, [2, 3, 1]);
  assert.deepEqual(squeeze(x, [0, -1]).shape, [2, 1, 3], 'a listed dim that is not size 1 stays');
  assert.equal(squeeze(x).storage, x.storage);
  const y = unsqueeze(m34(), -1);
  assert.deepEqual(y.shape, [3, 4, 1]);
  assert.deepEqual(unsqueeze(m34(), 0).shape, [1, 3, 4]);
  assert.deepEqual(unsqueeze(tensor(5), 0).toArray(), [5]);
  assert.deepEqual(flatten(zeros([2, 3, 4]), 1).shape, [2, 12]);
  assert.deepEqual(flatten(tensor(3)).shape, [1]);
  assert.deepEqual(f(flatten(transpose(m34()))), [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]);
  assert.throws(() => flatten(zeros([2, 3, 4]), 2, 1), /flatten: startDim 2 must not come after endDim 1/);
  assert.throws(() => unsqueeze(zeros([2, 3]), 3), /unsqueeze: dim 3 is out of range for a tensor of rank 3/);
});

test('slice follows Python slicing: negative bounds, clamping, steps, empty results', () => {
  const x = m34();
  assert.deepEqual(f(slice(x, 1, 1, -1)), [
    [1, 2],
    [5, 6],
    [9, 10],
  ]);
  assert.deepEqual(f(slice(x, 0, null, null, 2)), [
    [0, 1, 2, 3],
    [8, 9, 10, 11],
  ]);
  assert.deepEqual(f(slice(x, 1, -100, 100, 3)), [
    [0, 3],
    [4, 7],
    [8, 11],
  ]);
  assert.deepEqual(slice(x, 1, 3, 1).shape, [3, 0]);
  assert.deepEqual(f(x.slice(0, -1)), [[8, 9, 10, 11]]);
  assert.equal(slice(x, 1, 1).storage, x.storage, 'slicing shares storage');
  assert.deepEqual(f(slice(transpose(x), 1, 1, 3)), [
    [4, 8],
    [5, 9],
    [6, 10],
    [7, 11],
  ]);
  assert.throws(() => slice(x, 1, 0, 2, 0), /slice: step must be a positive integer, got 0/);
  assert.throws(() => slice(x, 2), /slice: dim 2 is out of range for a tensor of rank 2/);
});

test('slice gradient scatters into zeros and is itself differentiable', () => {
  const x = arange(6, { dtype: 'float64' }).requiresGrad_(true);
  const y = slice(x, 0, 1, null, 2); // x[1::2]
  const [gx] = grad(y.mul(y).sum(), [x], { createGraph: true });
  assert.deepEqual(f(gx!), [0, 2, 0, 6, 0, 10]);
  const [ggx] = grad(gx!.sum(), [x]);
  assert.deepEqual(f(ggx!), [0, 2, 0, 2, 0, 2]);
});

test('narrow and select check their ranges', () => {
  const x = m34();
  assert.deepEqual(f(narrow(x, 1, -3, 2)), [
    [1, 2],
    [5, 6],
    [9, 10],
  ]);
  assert.deepEqual(f(select(x, 1, -1)), [3, 7, 11]);
  assert.deepEqual(f(x.select(0, 1)), [4, 5, 6, 7]);
  assert.throws(() => narrow(x, 1, 2, 3), /narrow: start 2 and length 3 are out of range for dim 1 of size 4 \(tensor shape \[3, 4\]\)/);
  assert.throws(() => select(x, 0, 3), /select: index 3 is out of range for dim 0 of size 3 \(tensor shape \[3, 4\]\)/);
});

test('cat promotes dtypes, skips empty 1-D tensors and checks shapes', () => {
  const a = tensor([[1, 2]], { dtype: 'int32' });
  const b = tensor([[0.5, 1.5]]);
  const c = cat([a, b, zeros([0])], 0);
  assert.equal(c.dtype, 'float32');
  assert.deepEqual(f(c), [
    [1, 2],
    [0.5, 1.5],
  ]);
  assert.deepEqual(f(cat([ones([2, 1]), transpose(m34()).narrow(0, 0, 2).transpose(0, 1).narrow(0, 0, 2)], 1)), [
    [1, 0, 1],
    [1, 4, 5],
  ]);
  assert.equal(cat([a, a], 1).dtype, 'int32');
  assert.throws(
    () => cat([zeros([2, 3]), zeros([3, 3])], 1),
    /cat: tensor 1 has shape \[3, 3\] but tensor 0 has \[2, 3\]; sizes must match except in dim 1/,
  );
  assert.throws(() => cat([]), /cat: expected a non-empty list/);
});

test('stack, split and chunk', () => {
  const s = stack([tensor([1, 2]), tensor([3, 4])], 1);
  assert.deepEqual(f(s), [
    [1, 3],
    [2, 4],
  ]);
  assert.throws(
    () => stack([zeros([2]), zeros([3])]),
    /stack: expects each tensor to be equal size, but got \[2\] at entry 0 and \[3\] at entry 1/,
  );
  const x = arange(5, { dtype: 'float32' });
  assert.deepEqual(split(x, 2).map(f), [[0, 1], [2, 3], [4]]);
  assert.deepEqual(split(x, [1, 4]).map(f), [[0], [1, 2, 3, 4]]);
  assert.equal(split(x, 2)[1]!.storage, x.storage, 'pieces are views');
  assert.throws(() => split(x, [1, 2]), /split: split sizes \[1, 2\] must be non-negative and sum exactly to 5/);
  assert.deepEqual(
    chunk(arange(6), 4).map(f),
    [
      [0, 1],
      [2, 3],
      [4, 5],
    ],
    'fewer chunks than asked, as torch.chunk',
  );
  assert.deepEqual(
    chunk(m34(), 2, 1).map((t) => t.shape),
    [
      [3, 2],
      [3, 2],
    ],
  );
});

test('flip, repeat and roll', () => {
  assert.deepEqual(
    f(
      flip(
        tensor(
          [
            [1, 2],
            [3, 4],
          ],
          { dtype: 'int32' },
        ),
        [0, 1],
      ),
    ),
    [
      [4, 3],
      [2, 1],
    ],
  );
  assert.deepEqual(f(m34().flip(1)), [
    [3, 2, 1, 0],
    [7, 6, 5, 4],
    [11, 10, 9, 8],
  ]);
  assert.throws(() => flip(m34(), [0, -2]), /flip: repeated dim/);
  assert.deepEqual(f(repeat(tensor([1, 2]), [2, 2])), [
    [1, 2, 1, 2],
    [1, 2, 1, 2],
  ]);
  assert.deepEqual(repeat(zeros([3, 2]), [4, 1, 2]).shape, [4, 3, 4]);
  assert.deepEqual(f(tensor([[1], [2]]).repeat(1, 3)), [
    [1, 1, 1],
    [2, 2, 2],
  ]);
  assert.throws(
    () => repeat(zeros([2, 3]), [2]),
    /repeat: number of repeat dims \(1\) cannot be smaller than the number of tensor dims \(2\)/,
  );
  assert.deepEqual(f(roll(tensor([1, 2, 3, 4]), 1)), [4, 1, 2, 3]);
  assert.deepEqual(
    f(
      roll(
        tensor([
          [1, 2],
          [3, 4],
        ]),
        1,
      ),
    ),
    [
      [4, 1],
      [2, 3],
    ],
  );
  assert.deepEqual(
    f(
      roll(
        tensor([
          [1, 2, 3],
          [4, 5, 6],
        ]),
        [1, -1],
        [0, 1],
      ),
    ),
    [
      [5, 6, 4],
      [2, 3, 1],
    ],
  );
});

test('pad: constant (with crop), reflect, replicate, circular', () => {
  const x = tensor([[[1, 2, 3]]]);
  assert.deepEqual(f(pad(x, [1, 2])), [[[0, 1, 2, 3, 0, 0]]]);
  assert.deepEqual(f(pad(x, [2, -1], { value: 9 })), [[[9, 9, 1, 2]]]);
  assert.deepEqual(f(pad(x, [2, 2], 'reflect')), [[[3, 2, 1, 2, 3, 2, 1]]]);
  assert.deepEqual(f(pad(x, [2, 1], 'replicate')), [[[1, 1, 1, 2, 3, 3]]]);
  assert.deepEqual(f(pad(x, [1, 2], 'circular')), [[[3, 1, 2, 3, 1, 2]]]);
  assert.deepEqual(
    f(
      pad(
        tensor(
          [
            [1, 2],
            [3, 4],
          ],
          { dtype: 'int32' },
        ),
        [0, 0, 1, 0],
        { value: 7 },
      ),
    ),
    [
      [7, 7],
      [1, 2],
      [3, 4],
    ],
  );
  assert.deepEqual(pad(zeros([1, 2, 3, 4]), [1, 1, 2, 2], 'reflect').shape, [1, 2, 7, 6]);
  assert.throws(
    () => pad(x, [3, 0], 'reflect'),
    /pad: reflect padding \(3, 0\) of dim 2 must be smaller than the dim size 3 \(input shape \[1, 1, 3\]\)/,
  );
  assert.throws(() => pad(x, [1]), /pad: widths \[1\] must be integer \(left, right\) pairs/);
  assert.throws(() => pad(x, [1, 1], { mode: 'wrap' as never }), /pad: unknown mode 'wrap'/);
});

test('pad gradients accumulate into edge and mirrored positions', () => {
  const x = tensor([1, 2, 3, 4], { dtype: 'float64' }).reshape(1, 4).requiresGrad_(true);
  const [gr] = grad(pad(x, [2, 2], 'replicate').sum(), [x]);
  assert.deepEqual(f(gr!), [[3, 1, 1, 3]]);
  const [gf] = grad(pad(x, [2, 2], 'reflect').sum(), [x]);
  assert.deepEqual(f(gf!), [[1, 3, 3, 1]]); // sources 2,1,0,1,2,3,2,1
  const [gc] = grad(pad(x, [-1, 1]).sum(), [x]);
  assert.deepEqual(f(gc!), [[0, 1, 1, 1]]);
});

test('unfold gives overlapping windows as a view; its gradient sums the overlaps', () => {
  const x = arange(5, { dtype: 'float64' }).detach().requiresGrad_(true);
  const w = unfold(x, 0, 3, 1);
  assert.deepEqual(f(w), [
    [0, 1, 2],
    [1, 2, 3],
    [2, 3, 4],
  ]);
  assert.equal(w.storage, x.storage);
  assert.deepEqual(f(x.unfold(0, 2, 2)), [
    [0, 1],
    [2, 3],
  ]);
  const [g] = grad(w.sum(), [x]);
  assert.deepEqual(f(g!), [1, 2, 3, 2, 1]);
  assert.throws(() => unfold(x, 0, 6, 1), /unfold: window size 6 must be between 0 and the size 5 of dim 0 \(tensor shape \[5\]\)/);
});

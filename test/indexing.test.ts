import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  tensor,
  zeros,
  ones,
  arange,
  gather,
  scatterAdd,
  scatter,
  indexSelect,
  indexAdd,
  maskedFill,
  embedding,
  take,
  getItem,
  grad,
  type Tensor,
} from '../src/index.js';

const f = (t: Tensor) => t.toArray();
const i32 = (data: number[] | number[][]): Tensor => tensor(data, { dtype: 'int32' });

test('gather along dims 0 and 1', () => {
  const x = tensor([
    [1, 2],
    [3, 4],
  ]);
  assert.deepEqual(
    f(
      gather(
        x,
        1,
        i32([
          [0, 0],
          [1, 0],
        ]),
      ),
    ),
    [
      [1, 1],
      [4, 3],
    ],
  );
  assert.deepEqual(
    f(
      gather(
        x,
        0,
        i32([
          [1, 0],
          [1, 1],
          [0, 0],
        ]),
      ),
    ),
    [
      [3, 2],
      [3, 4],
      [1, 2],
    ],
  );
  assert.deepEqual(f(x.gather(1, i32([[1], [0]]))), [[2], [3]]);
  assert.equal(gather(i32([[5, 6]]), 1, i32([[1, 1]])).dtype, 'int32');
});

test('index errors name the op, the value, its position and the valid range', () => {
  const x = zeros([3, 4]);
  assert.throws(
    () =>
      gather(
        x,
        1,
        i32([
          [0, 1],
          [4, 0],
        ]),
      ),
    /gather: index 4 at position \[1, 0\] of the index \(shape \[2, 2\]\) is out of range for dim 1 of input shape \[3, 4\] \(valid range 0\.\.3\)/,
  );
  assert.throws(() => gather(x, 0, i32([[-1]])), /gather: index -1 at position \[0, 0\]/);
  assert.throws(() => gather(x, 0, tensor([[0]])), /gather: index must be an int32 tensor, got float32 of shape \[1, 1\]/);
  assert.throws(() => gather(x, 0, i32([0])), /gather: index shape \[1\] and input shape \[3, 4\] must have the same number of dims/);
  assert.throws(() => gather(x, 0, i32([[0, 0, 0, 0, 0]])), /gather: index shape \[1, 5\] is larger than input shape \[3, 4\] in dim 1/);
  assert.throws(
    () => indexSelect(x, 0, i32([0, 3])),
    /indexSelect: index 3 at position \[1\] of the index \(shape \[2\]\) is out of range for dim 0 of input shape \[3, 4\] \(valid range 0\.\.2\)/,
  );
  assert.throws(() => scatterAdd(x, 1, i32([[7]]), ones([1, 1])), /scatterAdd: index 7 at position \[0, 0\]/);
  assert.throws(
    () => embedding(ones([5, 2]), i32([[1, 5]])),
    /embedding: index 5 at position \[0, 1\] of the index \(shape \[1, 2\]\) is out of range for a weight of shape \[5, 2\] \(5 rows\) \(valid range 0\.\.4\)/,
  );
  assert.throws(() => take(x, i32([12])), /take: index 12 at position \[0\] .*valid range -12\.\.11/);
});

test('scatterAdd accumulates repeated indices; scatter overwrites', () => {
  assert.deepEqual(f(scatterAdd(zeros([3]), 0, i32([0, 2, 0]), tensor([1, 2, 3]))), [4, 0, 2]);
  const s = scatterAdd(
    ones([2, 3]),
    1,
    i32([
      [2, 2],
      [0, 1],
    ]),
    tensor([
      [1, 2, 100],
      [3, 4, 100],
    ]),
  );
  assert.deepEqual(
    f(s),
    [
      [1, 1, 4],
      [4, 5, 1],
    ],
    'only the extent of index is read from src',
  );
  assert.deepEqual(f(scatter(zeros([2, 3]), 1, i32([[2], [0]]), 5)), [
    [0, 0, 5],
    [5, 0, 0],
  ]);
  assert.deepEqual(f(zeros([3]).scatter(0, i32([1]), tensor([7]))), [0, 7, 0]);
  assert.throws(
    () => scatterAdd(zeros([3]), 0, i32([0]), tensor([1], { dtype: 'float64' })),
    /scatterAdd: src dtype float64 must match the input dtype float32/,
  );
});

test('scatterAdd gradients: x gets g, src gets gather(g)', () => {
  const x = zeros([3], { dtype: 'float64', requiresGrad: true });
  const src = tensor([1, 2, 3], { dtype: 'float64', requiresGrad: true });
  const w = tensor([10, 20, 30], { dtype: 'float64' });
  const [gx, gs] = grad(
    scatterAdd(x, 0, i32([0, 2, 0]), src)
      .mul(w)
      .sum(),
    [x, src],
  );
  assert.deepEqual(f(gx!), [10, 20, 30]);
  assert.deepEqual(f(gs!), [10, 30, 10]);
});

test('indexSelect and indexAdd', () => {
  const x = arange(6, { dtype: 'float32' }).reshape(3, 2);
  assert.deepEqual(f(indexSelect(x, 0, i32([2, 0, 2]))), [
    [4, 5],
    [0, 1],
    [4, 5],
  ]);
  assert.deepEqual(f(x.indexSelect(1, i32([1]))), [[1], [3], [5]]);
  assert.throws(() => indexSelect(x, 0, i32([[0]])), /indexSelect: index must be 0-d or 1-D, got shape \[1, 1\]/);
  assert.deepEqual(f(indexAdd(zeros([3, 2]), 0, i32([0, 0]), ones([2, 2]), { alpha: 2 })), [
    [4, 4],
    [0, 0],
    [0, 0],
  ]);
  assert.throws(
    () => indexAdd(zeros([3, 2]), 0, i32([0]), ones([2, 2])),
    /indexAdd: src shape \[2, 2\] must equal the input shape \[3, 2\] with dim 0 replaced by the 1 indices, i\.e\. \[1, 2\]/,
  );
  const w = ones([3, 2], { dtype: 'float64', requiresGrad: true });
  const [gw] = grad(indexSelect(w, 0, i32([2, 0, 2])).sum(), [w]);
  assert.deepEqual(f(gw!), [
    [1, 1],
    [0, 0],
    [2, 2],
  ]);
});

test('maskedFill broadcasts the mask, keeps dtype and zeroes the gradient where filled', () => {
  const x = tensor(
    [
      [1, 2, 3],
      [4, 5, 6],
    ],
    { dtype: 'float64', requiresGrad: true },
  );
  const mask = tensor([true, false, true]);
  const y = maskedFill(x, mask, -Infinity);
  assert.deepEqual(f(y), [
    [-Infinity, 2, -Infinity],
    [-Infinity, 5, -Infinity],
  ]);
  const [gx] = grad(maskedFill(x, mask, 0).sum(), [x]);
  assert.deepEqual(f(gx!), [
    [0, 1, 0],
    [0, 1, 0],
  ]);
  const xi = i32([[1, 2]]).maskedFill(tensor([[false, true]]), 7.9);
  assert.equal(xi.dtype, 'int32');
  assert.deepEqual(f(xi), [[1, 7]]);
  assert.throws(() => maskedFill(x, i32([1, 0, 1]), 0), /maskedFill: mask must be a bool tensor, got int32 of shape \[3\]/);
  assert.throws(
    () => maskedFill(x, tensor([[[true]], [[false]]]), 0),
    /maskedFill: mask of shape \[2, 1, 1\] cannot be broadcast to the input shape \[2, 3\]/,
  );
});

test('embedding: shape [...indices, D], gradient accumulates rows, paddingIdx row gets zero', () => {
  const w = arange(10, { dtype: 'float64' }).reshape(5, 2).detach().requiresGrad_(true);
  const idx = i32([
    [1, 3, 1],
    [4, 3, 0],
  ]);
  const out = embedding(w, idx, { paddingIdx: 3 });
  assert.deepEqual(out.shape, [2, 3, 2]);
  assert.deepEqual(
    (f(out) as number[][][])[0],
    [
      [2, 3],
      [6, 7],
      [2, 3],
    ],
    'the padding row is still read',
  );
  const [gw] = grad(out.sum(), [w]);
  assert.deepEqual(f(gw!), [
    [1, 1],
    [2, 2],
    [0, 0],
    [0, 0],
    [1, 1],
  ]);
  assert.deepEqual(embedding(w, i32([2])).shape, [1, 2]);
  assert.throws(() => embedding(ones([5]), idx), /embedding: weight must be 2-D \[V, D\], got shape \[5\]/);
  assert.throws(() => embedding(w, tensor([1])), /embedding: indices must be an int32 tensor, got float32 of shape \[1\]/);
});

test('take reads the flattened tensor, with negative indices', () => {
  assert.deepEqual(
    f(
      take(
        tensor([
          [1, 2],
          [3, 4],
        ]),
        i32([3, -4]),
      ),
    ),
    [4, 1],
  );
  assert.deepEqual(
    f(
      tensor([
        [1, 2],
        [3, 4],
      ]).take(i32([[0], [2]])),
    ),
    [[1], [3]],
  );
});

test('getItem follows torch __getitem__ for basic, tensor and mask indices', () => {
  const x = arange(24, { dtype: 'float32' }).reshape(2, 3, 4);
  assert.deepEqual(f(getItem(x, ':', -1)), [
    [8, 9, 10, 11],
    [20, 21, 22, 23],
  ]);
  assert.equal(getItem(x, ':', -1).storage, x.storage, 'basic indexing is a view');
  assert.deepEqual(getItem(x, '...', { start: 1, step: 2 }).shape, [2, 3, 2]);
  assert.deepEqual(getItem(x, null, 1).shape, [1, 3, 4]);
  assert.deepEqual(f(x.getItem(0, ':', i32([[1, -1]]))), [[[1, 3]], [[5, 7]], [[9, 11]]]);
  assert.deepEqual(
    f(
      getItem(
        x,
        tensor([
          [true, false, true],
          [false, false, true],
        ]),
      ),
    ),
    [
      [0, 1, 2, 3],
      [8, 9, 10, 11],
      [20, 21, 22, 23],
    ],
  );
  assert.throws(() => getItem(x, 0, 0, 0, 0), /getItem: too many indices for a tensor of shape \[2, 3, 4\]: 4 dims indexed/);
  assert.throws(
    () => getItem(x, ':', i32([3])),
    /getItem: index 3 at position \[0\] of the index \(shape \[1\]\) is out of range for dim 1 of size 3 \(valid range -3\.\.2\)/,
  );
  assert.throws(() => getItem(x, i32([0]), i32([0])), /getItem: only one tensor index is supported/);
  assert.throws(() => getItem(x, tensor([true, false, true])), /getItem: bool mask of shape \[3\] does not match the indexed dims \[2\]/);
  assert.throws(() => getItem(x, '...', '...'), /getItem: an index can only have a single ellipsis/);
});

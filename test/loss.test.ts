import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  tensor,
  randn,
  Generator,
  crossEntropy,
  nllLoss,
  mseLoss,
  l1Loss,
  smoothL1Loss,
  huberLoss,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  klDiv,
  logSoftmax,
  type Tensor,
} from '../src/index.js';

const close = (a: number[], b: number[], tol = 1e-5): void => {
  assert.equal(a.length, b.length, `length ${a.length} vs ${b.length}`);
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]!) <= tol, `element ${i}: ${v} vs ${b[i]}`));
};
const idx = (v: number[]): Tensor => tensor(v, { dtype: 'int32' });

test('crossEntropy on hand examples: uniform logits, reductions, float64 kept', () => {
  close(crossEntropy(tensor([[0, 0]]), idx([0])).toList(), [Math.LN2]);
  const logits = tensor(
    [
      [1, 2, 3],
      [1, 0, -1],
    ],
    { dtype: 'float64' },
  );
  const l0 = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 3;
  const l1 = Math.log(Math.exp(1) + 1 + Math.exp(-1)) - 1;
  const none = crossEntropy(logits, idx([2, 0]), { reduction: 'none' });
  assert.equal(none.dtype, 'float64');
  close(none.toList(), [l0, l1], 1e-12);
  close(crossEntropy(logits, idx([2, 0]), { reduction: 'sum' }).toList(), [l0 + l1], 1e-12);
  close(crossEntropy(logits, idx([2, 0])).toList(), [(l0 + l1) / 2], 1e-12);
});

test('crossEntropy label smoothing with weights and ignoreIndex follows PyTorch formula', () => {
  const x = tensor(
    [
      [1, 2, 3],
      [1, 0, -1],
      [0.5, 0.5, 0],
    ],
    { dtype: 'float64' },
  );
  const t = idx([2, -100, 1]);
  const w = [0.5, 1, 2];
  const eps = 0.3;
  const lp = logSoftmax(x, 1).toArray() as number[][];
  const nll = (w[2]! * -lp[0]![2]! + w[1]! * -lp[2]![1]!) / (w[2]! + w[1]!);
  const smooth = -(lp[0]!.reduce((p, v, c) => p + w[c]! * v, 0) + lp[2]!.reduce((p, v, c) => p + w[c]! * v, 0)) / (w[2]! + w[1]!);
  const want = (1 - eps) * nll + (eps / 3) * smooth;
  close(crossEntropy(x, t, { weight: tensor(w, { dtype: 'float64' }), labelSmoothing: eps }).toList(), [want], 1e-12);
});

test('crossEntropy with an -inf logit keeps a finite gradient for class targets', () => {
  const x = tensor([[0, -Infinity, 0]], { requiresGrad: true });
  const l = crossEntropy(x, idx([0]));
  close(l.toList(), [Math.LN2]);
  l.backward();
  close(x.grad!.toList(), [-0.5, 0, 0.5]);
});

test('crossEntropy with probability targets equals -sum(p log q)', () => {
  const x = tensor([[1, 2, 3]], { dtype: 'float64' });
  const p = tensor([[0.2, 0.3, 0.5]], { dtype: 'float64' });
  const lp = (logSoftmax(x, 1).toArray() as number[][])[0]!;
  close(crossEntropy(x, p).toList(), [-(0.2 * lp[0]! + 0.3 * lp[1]! + 0.5 * lp[2]!)], 1e-12);
});

test('nllLoss mean divides by the weights of non-ignored targets; all ignored gives NaN', () => {
  const x = tensor([
    [-1, -2],
    [-3, -4],
    [-5, -6],
  ]);
  const w = tensor([2, 3]);
  close(nllLoss(x, idx([1, 0, -100]), { weight: w }).toList(), [(6 + 6) / 5]);
  close(nllLoss(x, idx([1, 0, 1]), { reduction: 'none' }).toList(), [2, 3, 6]);
  assert.ok(Number.isNaN(nllLoss(x, idx([-100, -100, -100])).item()));
  close(nllLoss(tensor([-1, -2, -3]), tensor(2, { dtype: 'int32' })).toList(), [3]);
});

test('elementwise regression losses on hand examples', () => {
  const a = tensor([1, -2, 0.5, 3]);
  const z = tensor([0, 0, 0, 0]);
  close(mseLoss(a, z).toList(), [(1 + 4 + 0.25 + 9) / 4]);
  close(l1Loss(a, z, { reduction: 'sum' }).toList(), [6.5]);
  close(smoothL1Loss(a, z, { reduction: 'none' }).toList(), [0.5, 1.5, 0.125, 2.5]);
  close(smoothL1Loss(a, z, { beta: 2, reduction: 'none' }).toList(), [0.25, 1, 0.0625, 2]);
  close(huberLoss(a, z, { delta: 2, reduction: 'none' }).toList(), [0.5, 2, 0.125, 4]);
  const x = tensor([1, 2], { requiresGrad: true });
  l1Loss(x, tensor([1, 0])).backward();
  assert.deepEqual(x.grad!.toList(), [0, 0.5], 'l1 gradient is 0 where input equals target');
});

test('binaryCrossEntropy: value, log clamped at -100, weights', () => {
  close(binaryCrossEntropy(tensor([0.8, 0.2]), tensor([1, 0])).toList(), [-Math.log(0.8)]);
  close(binaryCrossEntropy(tensor([0, 1, 0]), tensor([1, 0, 0]), { reduction: 'none' }).toList(), [100, 100, 0]);
  close(binaryCrossEntropy(tensor([0.5, 0.5]), tensor([1, 0]), { weight: tensor([1, 3]), reduction: 'sum' }).toList(), [4 * Math.LN2]);
  const p = tensor([0.3, 0.6], { dtype: 'float64', requiresGrad: true });
  const t = tensor([0.2, 1], { dtype: 'float64', requiresGrad: true });
  binaryCrossEntropy(p, t, { reduction: 'sum' }).backward();
  close(p.grad!.toList(), [(0.3 - 0.2) / 0.21, (0.6 - 1) / 0.24], 1e-12);
  close(t.grad!.toList(), [Math.log(0.7 / 0.3), Math.log(0.4 / 0.6)], 1e-12);
});

test('binaryCrossEntropyWithLogits is stable for large logits and supports posWeight', () => {
  close(binaryCrossEntropyWithLogits(tensor([2, -1]), tensor([1, 0])).toList(), [0.2200948]);
  close(binaryCrossEntropyWithLogits(tensor([1000, -1000, 1000]), tensor([0, 1, 1]), { reduction: 'none' }).toList(), [1000, 1000, 0]);
  const sp = (v: number): number => Math.log1p(Math.exp(v));
  close(binaryCrossEntropyWithLogits(tensor([[0.5, -0.5]]), tensor([[1, 1]]), { posWeight: tensor([2, 3]), reduction: 'none' }).toList(), [
    2 * sp(-0.5),
    3 * sp(0.5),
  ]);
});

test('klDiv: zero targets contribute 0, batchmean, logTarget', () => {
  const inp = tensor([[Math.log(0.5), Math.log(0.25), Math.log(0.25)]], { dtype: 'float64' });
  const t = tensor([[0.5, 0.5, 0]], { dtype: 'float64' });
  close(klDiv(inp, t, { reduction: 'none' }).toList(), [0, 0.5 * Math.log(2), 0], 1e-12);
  close(klDiv(inp, t, { reduction: 'batchmean' }).toList(), [0.5 * Math.log(2)], 1e-12);
  const t2 = tensor([[0.2, 0.5, 0.3]], { dtype: 'float64' });
  close(klDiv(inp, t2, { reduction: 'sum' }).toList(), klDiv(inp, t2.log(), { reduction: 'sum', logTarget: true }).toList(), 1e-12);
  close(klDiv(inp, t).toList(), [(0.5 * Math.log(2)) / 3], 1e-12);
});

test('loss errors name the op, the index and the shapes', () => {
  const x = randn([2, 5], { generator: new Generator(0) });
  assert.throws(() => crossEntropy(x, idx([1, 7])), /crossEntropy: target 7 at index \[1\] is out of range for 5 classes/);
  assert.throws(() => nllLoss(x, idx([-1, 0])), /nllLoss: target -1 at index \[0\] is out of range for 5 classes/);
  assert.throws(
    () => crossEntropy(randn([2, 3, 4]), tensor([[0, 1, 2]], { dtype: 'int32' })),
    /crossEntropy: expected target shape \[2, 4\] for input shape \[2, 3, 4\], got \[1, 3\]/,
  );
  assert.throws(() => nllLoss(x, tensor([1, 0])), /nllLoss: target must be an int32 tensor of class indices, got float32 of shape \[2\]/);
  assert.throws(
    () => crossEntropy(x, tensor([[0.5, 0.5]])),
    /crossEntropy: probability target shape \[1, 2\] does not match input shape \[2, 5\]/,
  );
  assert.throws(() => crossEntropy(x, idx([0, 1]), { weight: tensor([1, 2]) }), /crossEntropy: weight must have shape \[5\] .* got \[2\]/);
  assert.throws(() => crossEntropy(x, idx([0, 1]), { labelSmoothing: 1.5 }), /crossEntropy: labelSmoothing must be in \[0, 1\], got 1.5/);
  assert.throws(() => mseLoss(x, randn([5])), /mseLoss: target shape \[5\] does not match input shape \[2, 5\]/);
  assert.throws(() => l1Loss(x, x, { reduction: 'avg' as never }), /l1Loss: reduction must be one of 'mean', 'sum', 'none', got 'avg'/);
  assert.throws(
    () => binaryCrossEntropy(tensor([0.5, 1.5]), tensor([1, 0])),
    /binaryCrossEntropy: input values must be in \[0, 1\].*got 1.5 at flat index 1 of shape \[2\]/,
  );
  assert.throws(
    () => binaryCrossEntropyWithLogits(x, x, { posWeight: tensor([1, 2, 3]) }),
    /binaryCrossEntropyWithLogits: shapes \[2, 5\] and \[3\] cannot be broadcast/,
  );
  assert.throws(
    () => klDiv(x, x, { reduction: 'batch' as never }),
    /klDiv: reduction must be one of 'mean', 'batchmean', 'sum', 'none', got 'batch'/,
  );
  assert.throws(() => huberLoss(x, x, { delta: 0 }), /huberLoss: delta must be positive, got 0/);
  const w = tensor([1, 1, 1, 1, 1], { requiresGrad: true });
  const xr = x.detach().requiresGrad_(true);
  assert.throws(() => nllLoss(xr, idx([0, 1]), { weight: w }).backward(), /op 'nllLoss' has no gradient for its input 1/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  tensor,
  scalar,
  zeros,
  arange,
  noGrad,
  transpose,
  expand,
  opInfo,
  rsqrt,
  abs,
  sign,
  clamp,
  maximum,
  minimum,
  ne,
  lt,
  le,
  gt,
  ge,
  logicalNot,
  logicalAnd,
  logicalOr,
  square,
  reciprocal,
  sin,
  cos,
  log1p,
  expm1,
  floor,
  ceil,
  round,
  erf,
  relu,
  relu6,
  leakyRelu,
  elu,
  gelu,
  sigmoid,
  tanh,
  softplus,
  silu,
  hardtanh,
  grad,
  type Tensor,
  type NestedArray,
} from '../src/index.js';

const close = (t: Tensor | number[], expected: number[], tol = 1e-12): void => {
  const got = Array.isArray(t) ? t : t.toList();
  assert.equal(got.length, expected.length, `length ${got.length} vs ${expected.length}`);
  got.forEach((v, i) => {
    const e = expected[i]!;
    if (Number.isNaN(e)) assert.ok(Number.isNaN(v), `element ${i}: ${v} is not NaN`);
    else assert.ok(Math.abs(v - e) <= tol * Math.max(1, Math.abs(e)), `element ${i}: ${v} vs ${e}`);
  });
};
const f64 = (v: NestedArray): Tensor => tensor(v, { dtype: 'float64' });

test('erf matches tabulated values to 1e-15 (FDLIBM rational approximations)', () => {
  // Reference values from CPython's math.erf.
  const table: [number, number][] = [
    [1e-10, 1.1283791670955126e-10],
    [0.1, 0.1124629160182849],
    [0.5, 0.5204998778130465],
    [0.84375, 0.7672256612323416],
    [1, 0.8427007929497149],
    [1.25, 0.9229001282564582],
    [1.5, 0.9661051464753108],
    [2, 0.9953222650189527],
    [2.857, 0.9999466417399131],
    [3, 0.9999779095030014],
    [4, 0.9999999845827421],
    [5, 0.9999999999984626],
    [5.9, 0.9999999999999999],
  ];
  const xs = table.map(([x]) => x);
  const pos = erf(f64(xs)).toList();
  const neg = erf(f64(xs.map((x) => -x))).toList();
  table.forEach(([x, e], i) => {
    assert.ok(Math.abs(pos[i]! - e) <= 1e-15, `erf(${x}) = ${pos[i]} vs ${e}`);
    assert.ok(Math.abs(neg[i]! + e) <= 1e-15, `erf(${-x}) = ${neg[i]} vs ${-e}`);
  });
  close(erf(f64([0, Infinity, -Infinity, NaN, 30])), [0, 1, -1, NaN, 1]);
});

test('math ops: hand-computed values', () => {
  close(rsqrt(f64([4, 0.25])), [0.5, 2]);
  close(reciprocal(f64([2, -4])), [0.5, -0.25]);
  close(square(f64([-3, 0.5])), [9, 0.25]);
  close(sin(f64([0, Math.PI / 2])), [0, 1]);
  close(cos(f64([0, Math.PI])), [1, -1]);
  close(log1p(f64([1e-20, Math.E - 1])), [1e-20, 1]);
  close(expm1(f64([1e-20, 1])), [1e-20, Math.E - 1]);
  close(abs(f64([-2, -0, 3])), [2, 0, 3]);
  close(sign(f64([-2, 0, 3, NaN])), [-1, 0, 1, 0]);
});

test('rounding: floor, ceil, round half to even, decimals', () => {
  const x = f64([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.49, -3.7]);
  close(floor(x), [-3, -2, -1, 0, 1, 2, 0, -4]);
  close(ceil(x), [-2, -1, -0, 1, 2, 3, 1, -3]);
  close(round(x), [-2, -2, -0, 0, 2, 2, 0, -4]);
  close(round(f64([1.25, 1.35, 0.125]), { decimals: 2 }), [1.25, 1.35, 0.12]);
  close(round(f64([15, 25, -35, 149]), { decimals: -1 }), [20, 20, -40, 150]);
  assert.throws(() => round(f64([1]), { decimals: 0.5 }), /round: decimals must be an integer, got 0.5/);
});

test('activations: hand-computed values', () => {
  const x = f64([-1, 0.5, 3]);
  close(relu(x), [0, 0.5, 3]);
  close(relu6(f64([-1, 3, 7])), [0, 3, 6]);
  close(leakyRelu(x), [-0.01, 0.5, 3]);
  close(leakyRelu(x, 0.2), [-0.2, 0.5, 3]);
  close(elu(f64([-1, 2])), [-0.6321205588285577, 2]);
  close(elu(f64([-1, 2]), 2), [-1.2642411176571153, 2]);
  close(gelu(x), [-0.15865525393145702, 0.34573123063700656, 2.99595030590511]);
  close(gelu(x, { approximate: 'tanh' }), [-0.15880800939172324, 0.34571400982514394, 2.996362607918227]);
  close(sigmoid(f64([0, -800, 800])), [0.5, 0, 1]);
  close(tanh(f64([0, 1])), [0, Math.tanh(1)]);
  close(softplus(f64([0, 1, 30])), [Math.LN2, 1.3132616875182228, 30]);
  close(softplus(f64([1]), { beta: 2, threshold: 1 }), [1]);
  close(softplus(f64([0.25]), { beta: 2 }), [Math.log1p(Math.exp(0.5)) / 2]);
  close(silu(f64([1, 0])), [0.7310585786300049, 0]);
  close(hardtanh(f64([-2, 0.5, 3])), [-1, 0.5, 1]);
  close(hardtanh(f64([-2, 0.5, 3]), { minVal: 0, maxVal: 2 }), [0, 0.5, 2]);
  close(relu(f64([NaN])), [NaN]);
});

test('clamp: bounds, open sides, min > max, NaN, dtype promotion', () => {
  const x = f64([-2, 0.5, 3, NaN]);
  close(clamp(x, 0, 1), [0, 0.5, 1, NaN]);
  close(clamp(x, 0), [0, 0.5, 3, NaN]);
  close(clamp(x, null, 1), [-2, 0.5, 1, NaN]);
  close(clamp(x, 1, -1), [-1, -1, -1, NaN]);
  close(x.clamp(-1, 1), [-1, 0.5, 1, NaN]);
  const i = tensor([-3, 0, 4], { dtype: 'int32' });
  assert.equal(clamp(i, 0, 2).dtype, 'int32');
  assert.deepEqual(clamp(i, 0, 2).toList(), [0, 0, 2]);
  assert.equal(clamp(i, 0.5).dtype, 'float32');
  assert.deepEqual(clamp(i, 0.5).toList(), [0.5, 0.5, 4]);
  assert.throws(() => clamp(f64([1, 2]), null, undefined), /clamp: at least one of min and max must be given \(tensor of shape \[2\]\)/);
});

test('clamp gradient passes at the bounds (inclusive), hardtanh and relu6 strictly inside', () => {
  const x = f64([-1, 0, 0.5, 1, 2]).requiresGrad_(true);
  const [gc] = grad(clamp(x, 0, 1).sum(), [x]);
  assert.deepEqual(gc!.toList(), [0, 1, 1, 1, 0]);
  const [gh] = grad(hardtanh(x, { minVal: 0, maxVal: 1 }).sum(), [x]);
  assert.deepEqual(gh!.toList(), [0, 0, 1, 0, 0]);
  const y = f64([0, 3, 6, 7]).requiresGrad_(true);
  const [g6] = grad(relu6(y).sum(), [y]);
  assert.deepEqual(g6!.toList(), [0, 1, 0, 0]);
  const [gr] = grad(relu(x).sum(), [x]);
  assert.deepEqual(gr!.toList(), [0, 0, 1, 1, 1]);
  const [gl] = grad(leakyRelu(x, 0.1).sum(), [x]);
  close(gl!, [0.1, 0.1, 1, 1, 1]);
  const [ge_] = grad(elu(x, 2).sum(), [x]);
  close(ge_!, [2 * Math.exp(-1), 2, 1, 1, 1]);
  const [ga] = grad(abs(x).sum(), [x]);
  assert.deepEqual(ga!.toList(), [-1, 0, 1, 1, 1]);
});

test('floor, ceil, round, sign are differentiable with a zero gradient', () => {
  for (const op of ['floor', 'ceil', 'round', 'sign']) assert.equal(opInfo(op)?.grad, 'differentiable', op);
  const x = f64([0.3, -1.7]).requiresGrad_(true);
  const y = floor(x).add(ceil(x)).add(round(x)).add(sign(x)).sum();
  assert.ok(y.requiresGrad);
  const [g] = grad(y, [x]);
  assert.deepEqual(g!.toList(), [0, 0]);
});

test('maximum / minimum: broadcasting, promotion, NaN, tie gradient split', () => {
  const a = f64([1, 5, 3]);
  const b = f64([[3], [2]]);
  assert.deepEqual(maximum(a, b).toList(), [3, 5, 3, 2, 5, 3]);
  assert.deepEqual(minimum(a, b).toList(), [1, 3, 3, 1, 2, 2]);
  close(maximum(f64([NaN, 1]), f64([0, NaN])), [NaN, NaN]);
  const m = maximum(tensor([1, 4], { dtype: 'int32' }), tensor([2.5, 3]));
  assert.equal(m.dtype, 'float32');
  assert.deepEqual(m.toList(), [2.5, 4]);
  assert.equal(maximum(tensor([true, false]), tensor([false, false])).dtype, 'bool');
  const x = f64([1, 2, 3]).requiresGrad_(true);
  const y = f64([1, 3, 2]).requiresGrad_(true);
  const [gx, gy] = grad(maximum(x, y).sum(), [x, y]);
  assert.deepEqual(gx!.toList(), [0.5, 0, 1]);
  assert.deepEqual(gy!.toList(), [0.5, 1, 0]);
  const [hx, hy] = grad(minimum(x, y).sum(), [x, y]);
  assert.deepEqual(hx!.toList(), [0.5, 1, 0]);
  assert.deepEqual(hy!.toList(), [0.5, 0, 1]);
  assert.throws(() => maximum(f64([1, 2, 3]), f64([1, 2])), /maximum: shapes \[3\] and \[2\] cannot be broadcast/);
});

test('comparisons return bool tensors, broadcast, promote and handle NaN', () => {
  const x = f64([1, 2, 3, NaN]);
  assert.deepEqual(lt(x, 2).toArray(), [true, false, false, false]);
  assert.deepEqual(le(x, 2).toArray(), [true, true, false, false]);
  assert.deepEqual(gt(x, 2).toArray(), [false, false, true, false]);
  assert.deepEqual(ge(x, 2).toArray(), [false, true, true, false]);
  assert.deepEqual(ne(x, 2).toArray(), [true, false, true, true]);
  assert.deepEqual(ne(x, x).toArray(), [false, false, false, true]);
  const c = gt(tensor([1, 2, 3], { dtype: 'int32' }), tensor([[1.5], [2]]));
  assert.equal(c.dtype, 'bool');
  assert.deepEqual(c.shape, [2, 3]);
  assert.deepEqual(c.toArray(), [
    [false, true, true],
    [false, false, true],
  ]);
  assert.deepEqual(x.gt(1).toArray(), [false, true, true, false]);
  const r = f64([1, 2]).requiresGrad_(true);
  assert.equal(lt(r, 2).requiresGrad, false);
  for (const op of ['ne', 'lt', 'le', 'gt', 'ge', 'logicalNot', 'logicalAnd', 'logicalOr']) {
    assert.equal(opInfo(op)?.grad, 'nondifferentiable', op);
  }
  assert.throws(() => lt(f64([1, 2, 3]), f64([1, 2])), /lt: shapes \[3\] and \[2\] cannot be broadcast together/);
});

test('logical ops: any dtype, NaN is true, bool output', () => {
  assert.deepEqual(logicalNot(f64([0, 2, NaN])).toArray(), [true, false, false]);
  assert.deepEqual(logicalAnd(tensor([0, 1, 2]), tensor([true, true, false])).toArray(), [false, true, false]);
  assert.deepEqual(logicalOr(tensor([0, 0, 3], { dtype: 'int32' }), f64([0, NaN, 0])).toArray(), [false, true, true]);
  assert.equal(logicalAnd(tensor([1]), 1).dtype, 'bool');
});

test('dtype rules follow PyTorch', () => {
  const i = tensor([-2, 0, 3], { dtype: 'int32' });
  const b = tensor([true, false]);
  assert.equal(abs(i).dtype, 'int32');
  assert.equal(sign(i).dtype, 'int32');
  assert.equal(sign(b).dtype, 'bool');
  assert.equal(square(i).dtype, 'int32');
  assert.equal(square(b).dtype, 'int32');
  assert.equal(floor(i).dtype, 'int32');
  assert.equal(relu(i).dtype, 'int32');
  assert.deepEqual(relu(i).toList(), [0, 0, 3]);
  assert.equal(relu6(i).dtype, 'int32');
  for (const f of [reciprocal, sin, cos, log1p, expm1, rsqrt, sigmoid, tanh, erf]) assert.equal(f(i).dtype, 'float32');
  assert.equal(sigmoid(f64([0])).dtype, 'float64');
  assert.equal(gelu(tensor([1])).dtype, 'float32');
  assert.throws(() => abs(b), /abs: bool tensors are not supported \(shape \[2\]\)/);
  assert.throws(() => floor(b), /floor: bool tensors are not supported/);
  assert.throws(() => relu(b), /relu: bool tensors are not supported/);
  assert.throws(() => gelu(i), /gelu: expected a floating point tensor, got int32 of shape \[3\]/);
  assert.throws(() => elu(i), /elu: expected a floating point tensor, got int32/);
  assert.throws(() => leakyRelu(i), /leakyRelu: expected a floating point tensor/);
  assert.throws(() => softplus(i), /softplus: expected a floating point tensor/);
  assert.throws(() => silu(b), /silu: expected a floating point tensor, got bool/);
  assert.throws(() => gelu(f64([1]), { approximate: 'fast' as 'tanh' }), /gelu: approximate must be 'none' or 'tanh', got 'fast'/);
  assert.throws(() => hardtanh(f64([1]), { minVal: 2, maxVal: 1 }), /hardtanh: minVal \(2\) must be <= maxVal \(1\)/);
});

test('ops read non-contiguous views', () => {
  const base = f64([
    [1, -2, 3],
    [-4, 5, -6],
  ]);
  const t = transpose(base);
  assert.deepEqual(relu(t).toArray(), [
    [1, 0],
    [0, 5],
    [3, 0],
  ]);
  assert.deepEqual(abs(t).toArray(), [
    [1, 4],
    [2, 5],
    [3, 6],
  ]);
  assert.deepEqual(maximum(t, 0).toArray(), [
    [1, 0],
    [0, 5],
    [3, 0],
  ]);
  assert.deepEqual(gt(t, 0).toArray(), [
    [true, false],
    [false, true],
    [true, false],
  ]);
  const e = expand(f64([[2], [-1]]), [2, 3]);
  assert.deepEqual(clamp(e, 0).toArray(), [
    [2, 2, 2],
    [0, 0, 0],
  ]);
});

test('second derivatives: sigmoid, tanh, gelu, softplus', () => {
  const x = f64([0.3, -1.2]).requiresGrad_(true);
  const d2 = (f: (t: Tensor) => Tensor): number[] => {
    const [g1] = grad(f(x).sum(), [x], { createGraph: true });
    const [g2] = grad(g1!.sum(), [x]);
    return g2!.toList();
  };
  const s = (v: number): number => 1 / (1 + Math.exp(-v));
  close(
    d2(sigmoid),
    [0.3, -1.2].map((v) => s(v) * (1 - s(v)) * (1 - 2 * s(v))),
    1e-12,
  );
  close(
    d2(tanh),
    [0.3, -1.2].map((v) => -2 * Math.tanh(v) * (1 - Math.tanh(v) ** 2)),
    1e-12,
  );
  close(
    d2(softplus),
    [0.3, -1.2].map((v) => s(v) * (1 - s(v))),
    1e-12,
  );
  // gelu'' = phi(x) (2 - x^2)
  const phi = (v: number): number => Math.exp((-v * v) / 2) / Math.sqrt(2 * Math.PI);
  close(
    d2(gelu),
    [0.3, -1.2].map((v) => phi(v) * (2 - v * v)),
    1e-12,
  );
});

// ---------------------------------------------------------------------------------------------
// In-place ops

test('in-place arithmetic writes through a transposed view into its base', () => {
  const base = f64([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  const v = transpose(base);
  assert.equal(v.add_(f64([10, 20])), v);
  assert.deepEqual(base.toArray(), [
    [11, 12, 13],
    [24, 25, 26],
  ]);
  v.sub_(f64([1, 2]), 2);
  assert.deepEqual(base.toArray(), [
    [9, 10, 11],
    [20, 21, 22],
  ]);
  v.mul_(f64([[1], [2], [3]]));
  assert.deepEqual(base.toArray(), [
    [9, 20, 33],
    [20, 42, 66],
  ]);
  v.div_(2);
  assert.deepEqual(base.toArray(), [
    [4.5, 10, 16.5],
    [10, 21, 33],
  ]);
  v.add_(1, 0.5);
  assert.deepEqual(base.toArray(), [
    [5, 10.5, 17],
    [10.5, 21.5, 33.5],
  ]);
  v.clamp_(10, 20);
  assert.deepEqual(base.toArray(), [
    [10, 10.5, 17],
    [10.5, 20, 20],
  ]);
});

test('copy_, fill_, zero_ on views; copy_ broadcasts and converts dtypes', () => {
  const base = zeros([3, 4], { dtype: 'float64' });
  transpose(base).copy_(f64([1, 2, 3]));
  assert.deepEqual(base.toArray(), [
    [1, 1, 1, 1],
    [2, 2, 2, 2],
    [3, 3, 3, 3],
  ]);
  transpose(base).fill_(7);
  assert.deepEqual(base.toList(), new Array(12).fill(7));
  transpose(base).zero_();
  assert.deepEqual(base.toList(), new Array(12).fill(0));
  base.fill_(scalar(2.5));
  assert.equal(base.sum().item(), 30);
  const i = zeros([3], { dtype: 'int32' });
  i.copy_(f64([1.9, -1.9, 3]));
  assert.deepEqual(i.toList(), [1, -1, 3]);
  const b = zeros([3], { dtype: 'bool' });
  b.copy_(f64([0.5, 0, -2]));
  assert.deepEqual(b.toArray(), [true, false, true]);
  i.fill_(2.7);
  assert.deepEqual(i.toList(), [2, 2, 2]);
  const s = arange(6, { dtype: 'float64' }).reshape([2, 3]);
  s.copy_(
    transpose(
      f64([
        [0, 3],
        [1, 4],
        [2, 5],
      ]),
    ).mul(10),
  );
  assert.deepEqual(s.toList(), [0, 10, 20, 30, 40, 50]);
});

test('in-place ops with an aliasing operand behave as if the operand were copied first', () => {
  const a = f64([
    [1, 2],
    [3, 4],
  ]);
  a.add_(transpose(a));
  assert.deepEqual(a.toArray(), [
    [2, 5],
    [5, 8],
  ]);
  const b = f64([
    [1, 2],
    [3, 4],
  ]);
  b.copy_(transpose(b));
  assert.deepEqual(b.toArray(), [
    [1, 3],
    [2, 4],
  ]);
});

test('in-place ops refuse autograd participants in grad mode, and work under noGrad', () => {
  const w = f64([1, 2]).requiresGrad_(true);
  assert.throws(() => w.add_(1), /add_: a leaf Variable that requires grad is being used in an in-place operation \(shape \[2\]\)/);
  assert.throws(() => w.zero_(), /zero_: a leaf Variable that requires grad/);
  assert.throws(() => w.clamp_(0, 1), /clamp_: a leaf Variable that requires grad/);
  const y = w.mul(2);
  assert.throws(
    () => y.mul_(2),
    /mul_: in-place ops are not recorded by autograd, and this tensor \(shape \[2\]\) is an output of a recorded op/,
  );
  const buf = zeros([2], { dtype: 'float64' });
  assert.throws(() => buf.copy_(w), /copy_: the source \(shape \[2\]\) requires grad/);
  noGrad(() => {
    w.sub_(f64([0.5, 0.5]), 2);
    buf.copy_(w);
  });
  assert.deepEqual(w.toList(), [0, 1]);
  assert.deepEqual(buf.toList(), [0, 1]);
  assert.ok(w.requiresGrad && w.isLeaf);
  for (const op of ['add_', 'sub_', 'mul_', 'div_', 'copy_', 'zero_', 'fill_', 'clamp_']) {
    assert.equal(opInfo(op)?.grad, 'nondifferentiable', op);
  }
});

test('in-place errors: shapes, dtypes, overlapping writes', () => {
  const a = zeros([2, 3], { dtype: 'float64' });
  assert.throws(() => a.add_(f64([1, 2])), /add_: shapes \[2, 3\] and \[2\] cannot be broadcast together/);
  assert.throws(() => a.copy_(zeros([4, 2, 3])), /copy_: output with shape \[2, 3\] doesn't match the broadcast shape \[4, 2, 3\]/);
  const i = zeros([3], { dtype: 'int32' });
  assert.throws(() => i.add_(0.5), /add_: result type float32 can't be cast to the desired output type int32 \(shape \[3\]\)/);
  assert.throws(() => i.div_(2), /div_: result type float32 can't be cast to the desired output type int32/);
  assert.throws(() => i.clamp_(0.5), /clamp_: result type float32 can't be cast/);
  assert.throws(() => i.add_(1, 0.5), /add_: result type float32 can't be cast/);
  i.add_(tensor([1, 2, 3], { dtype: 'int32' }), 2);
  assert.deepEqual(i.toList(), [2, 4, 6]);
  const f = zeros([2], { dtype: 'float32' });
  f.add_(f64([0.1, 0.2]));
  close(f, [Math.fround(0.1), Math.fround(0.2)], 0);
  const e = expand(f64([[1], [2]]), [2, 3]);
  assert.throws(
    () => e.mul_(2),
    /mul_: unsupported operation: more than one element of the written-to tensor \(shape \[2, 3\], strides \[1, 0\]\)/,
  );
  assert.throws(() => a.fill_(f64([1, 2])), /fill_: only a number or a 0-d tensor can fill a tensor, got a value of shape \[2\]/);
});

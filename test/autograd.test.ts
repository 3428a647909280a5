import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  tensor,
  randn,
  ones,
  grad,
  noGrad,
  enableGrad,
  isGradEnabled,
  mul,
  add,
  exp,
  sum,
  matmul,
  cat,
  listOps,
  Generator,
  type Tensor,
} from '../src/index.js';
import { record } from '../src/autograd/node.js';

test('backward accumulates into leaves and keeps non-leaf grads only when retained', () => {
  const x = tensor([1, 2, 3], { requiresGrad: true });
  const y = mul(x, x).retainGrad();
  const z = sum(mul(y, 2));
  z.backward();
  assert.deepEqual(x.grad!.toList(), [4, 8, 12]);
  assert.deepEqual(y.grad!.toList(), [2, 2, 2]);
  assert.equal(x.isLeaf, true);
  assert.equal(y.isLeaf, false);
  sum(mul(x, 3)).backward();
  assert.deepEqual(x.grad!.toList(), [7, 11, 15], 'gradients accumulate across backward calls');
  const w = mul(x, 1);
  sum(w).backward();
  assert.equal(w.grad, null, 'non-leaf without retainGrad keeps no grad');
});

test('each leaf gets its own grad tensor, safe to modify in place', () => {
  const a = tensor([1, 2], { requiresGrad: true });
  const b = tensor([3, 4], { requiresGrad: true });
  sum(add(a, b)).backward();
  assert.notEqual(a.grad!.storage, b.grad!.storage);
  a.grad!.data[0] = 99;
  assert.equal(b.grad!.data[0], 1);
  const s = tensor([2], { requiresGrad: true });
  sum(mul(s, ones([3]))).backward();
  assert.equal(s.grad!.isContiguous(), true);
});

test('a freed graph cannot be walked twice; retainGraph allows it', () => {
  const x = tensor([1, 2], { requiresGrad: true });
  const y = sum(exp(x));
  y.backward();
  assert.throws(() => y.backward(), /backward through the graph a second time \(op 'sum'/);
  const x2 = tensor([1, 2], { requiresGrad: true });
  const y2 = sum(exp(x2));
  y2.backward(null, { retainGraph: true });
  y2.backward();
  assert.ok(Math.abs(x2.grad!.data[0]! - 2 * Math.E) < 1e-5);
});

test('non-scalar backward needs a gradient of the same shape', () => {
  const x = tensor([1, 2], { requiresGrad: true });
  const y = mul(x, 2);
  assert.throws(() => y.backward(), /grad can be implicitly created only for scalar outputs; got shape \[2\]/);
  assert.throws(() => y.backward(ones([3])), /gradient shape \[3\] does not match output shape \[2\]/);
  y.backward(tensor([1, 10]));
  assert.deepEqual(x.grad!.toList(), [2, 20]);
  assert.throws(() => tensor([1]).backward(), /does not require grad/);
});

test('noGrad and enableGrad scopes', () => {
  const x = tensor([1, 2], { requiresGrad: true });
  const y = noGrad(() => mul(x, 2));
  assert.equal(y.requiresGrad, false);
  assert.equal(y.gradFn, null);
  const z = noGrad(() => enableGrad(() => mul(x, 2)));
  assert.equal(z.requiresGrad, true);
  assert.equal(isGradEnabled(), true);
  assert.throws(
    () =>
      noGrad(() => {
        throw new Error('boom');
      }),
    /boom/,
  );
  assert.equal(isGradEnabled(), true, 'mode restored after an exception');
});

test('detach cuts the graph and shares storage', () => {
  const x = tensor([1, 2], { requiresGrad: true });
  const d = mul(x, 3).detach();
  assert.equal(d.requiresGrad, false);
  assert.equal(d.gradFn, null);
  const y = sum(mul(x, d));
  y.backward();
  assert.deepEqual(x.grad!.toList(), [3, 6]);
});

test('grad() returns gradients without touching .grad, and double backward works', () => {
  const x = tensor([0.5, -1, 2], { dtype: 'float64', requiresGrad: true });
  const y = sum(mul(mul(x, x), x)); // sum x^3
  const [dx] = grad(y, [x], { createGraph: true });
  assert.equal(x.grad, null);
  assert.deepEqual(dx!.toList(), [0.75, 3, 12]); // 3x^2
  const [d2] = grad(sum(dx!), [x]);
  assert.deepEqual(d2!.toList(), [3, -6, 12]); // 6x
  const u = tensor([1], { requiresGrad: true });
  assert.throws(() => grad(sum(mul(x, 2)), [u]), /input 0 \(shape \[1\]\) was not used/);
  assert.deepEqual(grad(sum(mul(x, 2)), [u], { allowUnused: true }), [null]);
});

test('an op without a gradient for an input throws instead of returning zeros', () => {
  const x = tensor([1, 2], { requiresGrad: true });
  const out = record('brokenOp', [x], mul(x, 1).detach(), () => [undefined]);
  assert.throws(() => sum(out).backward(), /op 'brokenOp' has no gradient for its input 0 \(shape \[2\]\)/);
});

test('every registered op declares whether it is differentiable, and non-differentiable float ops yield no graph', () => {
  const ops = listOps();
  assert.ok(ops.length > 10);
  for (const o of ops) assert.ok(o.grad === 'differentiable' || o.grad === 'nondifferentiable', o.name);
  const x = tensor([1, 2], { requiresGrad: true });
  assert.equal(x.eq(1).requiresGrad, false);
});

test('matmul gradients against a hand computation', () => {
  const g = new Generator(3);
  const a = randn([2, 3], { generator: g, requiresGrad: true });
  const b = randn([3, 4], { generator: g, requiresGrad: true });
  sum(matmul(a, b)).backward();
  // d/da sum(a b) = 1 b^T: each row of a.grad is the row sums of b.
  const bRows = (b.toArray() as number[][]).map((r) => r.reduce((s, v) => s + v, 0));
  for (const row of a.grad!.toArray() as number[][]) row.forEach((v, j) => assert.ok(Math.abs(v - bRows[j]!) < 1e-5));
});

test('the grad mode is restored after a backward that creates a graph', () => {
  const x = tensor([1], { requiresGrad: true }) as Tensor;
  sum(mul(x, x)).backward(null, { createGraph: true });
  assert.equal(x.grad!.requiresGrad, true);
  assert.equal(isGradEnabled(), true);
});

test('backward refuses values changed in place after they were used (version counters)', () => {
  const w = tensor([1, 2], { requiresGrad: true });
  const x = tensor([3, 4]);
  const y = sum(mul(w, x));
  noGrad(() => x.mul_(10));
  assert.throws(() => y.backward(), /input 1 \(shape \[2\]\) of op 'mul' was modified by an in-place operation/);
  // add never reads its inputs' values: changing one in place is harmless, as in PyTorch.
  const a = tensor([1, 2], { requiresGrad: true });
  const b = tensor([5, 6]);
  const z = sum(add(a, b));
  noGrad(() => b.add_(1));
  z.backward();
  assert.deepEqual(a.grad!.toList(), [1, 1]);
  // a view shares its base's version
  const base = tensor([1, 2, 3, 4]);
  const v = base.reshape(2, 2);
  const p = tensor(
    [
      [1, 1],
      [1, 1],
    ],
    { requiresGrad: true },
  );
  const q = sum(mul(p, v));
  noGrad(() => base.zero_());
  assert.throws(() => q.backward(), /modified by an in-place operation/);
});

test('a weight used at many steps accumulates its gradient inside the GEMM; results match the unfused sum', () => {
  const gen = new Generator(3);
  const w = randn([24, 24], { generator: gen }).mul(0.2).detach().requiresGrad_(true);
  const x = randn([5, 24], { generator: gen }).detach().requiresGrad_(true);
  const unroll = (): Tensor => {
    let h: Tensor = x;
    let out: Tensor = sum(h);
    for (let t = 0; t < 6; t++) {
      h = matmul(h, w).tanh();
      out = add(out, sum(mul(h, h)));
    }
    return out;
  };
  // With createGraph the engine offers no sums: every contribution is a separate tensor, then added.
  const [gwRef, gxRef] = grad([unroll()], [w, x], { createGraph: true });
  unroll().backward();
  const close = (a: Tensor, b: Tensor, what: string): void => {
    const p = a.data;
    const q = b.data;
    for (let i = 0; i < p.length; i++)
      assert.ok(Math.abs(p[i]! - q[i]!) <= 1e-5 * (1 + Math.abs(q[i]!)), `${what}[${i}]: ${p[i]} vs ${q[i]}`);
  };
  close(w.grad!, gwRef!, 'dW');
  close(x.grad!, gxRef!, 'dx');
  // The gradient of the first pass is a tensor the user may hold: a second pass must not change it in place.
  const first = Float32Array.from(w.grad!.data as Float32Array);
  const held = w.grad!;
  unroll().backward();
  assert.deepEqual(Float32Array.from(held.data as Float32Array), first);
  close(w.grad!, gwRef!.mul(2), 'dW after two passes');
});

test('matmul(x, x) through a shared non-leaf: both contributions land in the one offered sum', () => {
  const a = randn([6, 6], { dtype: 'float64' }).requiresGrad_(true);
  const f = (v: Tensor): Tensor => {
    const x = v.mul(1.5); // non-leaf: both matmul inputs share its gradient sum
    let y = matmul(x, x);
    for (let i = 0; i < 3; i++) y = add(y, matmul(x, x));
    return sum(mul(y, y));
  };
  const [want] = grad([f(a)], [a], { createGraph: true });
  f(a).backward();
  const p = a.grad!.data;
  const q = want!.data;
  for (let i = 0; i < p.length; i++) assert.ok(Math.abs(p[i]! - q[i]!) <= 1e-9 * (1 + Math.abs(q[i]!)), `element ${i}: ${p[i]} vs ${q[i]}`);
});

test('slices of one tensor add their gradients into the offered sum in place, including strided slices', () => {
  const a = randn([5, 12], { dtype: 'float64' }).requiresGrad_(true);
  const f = (v: Tensor): Tensor => {
    const u = v.mul(2); // non-leaf whose gradient sum the slices share
    const parts = [0, 3, 6, 9].map((s) => u.narrow(1, s, 3).tanh());
    const strided = u.slice(1, 1, 12, 2).exp(); // every other column
    return sum(mul(parts[0]!, parts[1]!))
      .add(sum(mul(parts[2]!, parts[3]!)))
      .add(sum(strided))
      .add(sum(u.narrow(0, 1, 2)));
  };
  const [want] = grad([f(a)], [a], { createGraph: true });
  f(a).backward();
  const p = a.grad!.data;
  const q = want!.data;
  for (let i = 0; i < p.length; i++)
    assert.ok(Math.abs(p[i]! - q[i]!) <= 1e-12 * (1 + Math.abs(q[i]!)), `element ${i}: ${p[i]} vs ${q[i]}`);
});

test('gradient sums: x + x of a non-leaf, and a fresh gradient passed on to two inputs, stay correct with in-place accumulation', () => {
  // add returns the same gradient tensor for both inputs: it must be counted twice.
  const a = randn([3, 4], { dtype: 'float64' }).requiresGrad_(true);
  const x = a.mul(2);
  sum(add(x, x)).backward();
  assert.deepEqual([...a.grad!.data], new Array(12).fill(4));
  // The slice's gradient of z (a fresh tensor) reaches p1 and p2 through add's backward: later
  // in-place additions into p1's sum (another slice of p1) must not leak into p2's.
  const f = (v: Tensor): Tensor => {
    const p1 = v.mul(2);
    const p2 = v.mul(3);
    const z = add(p1, p2);
    return sum(z.narrow(1, 0, 3))
      .add(sum(p1.narrow(1, 1, 3).mul(5)))
      .add(sum(p2.narrow(1, 2, 2).mul(7)));
  };
  const b = randn([2, 4], { dtype: 'float64' }).requiresGrad_(true);
  const [want] = grad([f(b)], [b], { createGraph: true });
  f(b).backward();
  assert.deepEqual([...b.grad!.data], [...want!.data]);
});

test('grad() of a non-leaf whose gradient then flows on unchanged is not modified by in-place sums below it', () => {
  for (const swap of [false, true]) {
    const v = randn([2, 5], { dtype: 'float64' }).requiresGrad_(true);
    const p1 = v.mul(2);
    const z = add(p1, 1); // its backward hands z's gradient to p1 as it is
    const t1 = sum(z.narrow(1, 0, 3)); // z's gradient: a fresh slice gradient
    const t2 = sum(p1.narrow(1, 1, 3).mul(5)); // adds into p1's gradient sum
    const [gz, gv] = grad([swap ? t2.add(t1) : t1.add(t2)], [z, v]);
    assert.deepEqual([...gz!.data], [1, 1, 1, 0, 0, 1, 1, 1, 0, 0], `swap ${swap}`);
    assert.deepEqual([...gv!.data], [2, 12, 12, 10, 0, 2, 12, 12, 10, 0], `swap ${swap}`);
  }
});

test('random graphs: backward() with in-place gradient sums equals grad() without them (createGraph)', () => {
  const gen = new Generator(17);
  let choices = new Generator(0);
  const pick = <T>(xs: T[]): T => xs[Math.floor(choices.random() * xs.length)]!;
  for (let trial = 0; trial < 40; trial++) {
    const leaves = [0, 1, 2].map(() => randn([4, 6], { dtype: 'float64', generator: gen }).requiresGrad_(true));
    const w = randn([6, 6], { dtype: 'float64', generator: gen }).mul(0.3).detach().requiresGrad_(true);
    const build = (): Tensor => {
      choices = new Generator(1000 + trial); // the same graph on every call
      const pool: Tensor[] = [...leaves];
      const ops: ((a: Tensor, b: Tensor) => Tensor)[] = [
        (a, b) => add(a, b),
        (a, b) => mul(a, b.tanh()),
        (a) => add(a, a),
        (a) => matmul(a, w),
        (a) => matmul(a.mul(0.5), w).add(a),
        (a, b) => cat([a.narrow(1, 0, 3), b.narrow(1, 3, 3)], 1),
        (a) => cat([a.narrow(1, 2, 4), a.narrow(1, 0, 2)], 1),
        (a, b) => a.slice(1, 0, 6, 2).repeat([1, 2]).add(b),
      ];
      for (let k = 0; k < 12; k++) pool.push(pick(ops)(pick(pool), pick(pool)));
      let loss = sum(pool[pool.length - 1]!);
      for (let k = 0; k < 4; k++) loss = loss.add(sum(mul(pick(pool), pick(pool))).mul(0.1));
      return loss;
    };
    const ins = [...leaves, w];
    const want = grad([build()], ins, { createGraph: true, allowUnused: true });
    for (const t of ins) t.grad = null;
    build().backward();
    ins.forEach((t, i) => {
      const got = t.grad ? [...t.grad.data] : null;
      const exp = want[i] ? [...want[i].data] : null;
      if (exp === null) return assert.equal(got, null, `trial ${trial} input ${i}`);
      for (let j = 0; j < exp.length; j++) {
        assert.ok(
          Math.abs(got![j]! - exp[j]!) <= 1e-9 * (1 + Math.abs(exp[j]!)),
          `trial ${trial} input ${i} [${j}]: ${got![j]} vs ${exp[j]}`,
        );
      }
    });
  }
});

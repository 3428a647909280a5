// Property-based tests (fast-check) of the public op API: random shapes, dims and options. The
// normal suite runs a small budget (30 cases per property; SHINSOU_FUZZ_RUNS=N runs N/5, as these
// properties are slower than the parsers'). A failure prints the seed and the shrunk counterexample.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as s from '../src/index.js';
import { randn, type Tensor } from '../src/index.js';
import { params as budget } from './fuzz/_budget.js';

// The shared budget (test/fuzz/_budget.ts): 150 runs by default, scaled to 30 here; the same seed rules.
const params = budget(0.2);

/** A shape of rank 0..4 with sizes 1..4 (reductions here need non-empty dims). */
const shapeArb = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 4 });

/** A shape with a non-empty list of distinct dims of it, each written either way (d or d - rank). */
const shapeDims = shapeArb
  .filter((sh) => sh.length > 0)
  .chain((sh) =>
    fc.record({
      shape: fc.constant(sh),
      dims: fc.uniqueArray(fc.integer({ min: 0, max: sh.length - 1 }), { minLength: 1, maxLength: sh.length }),
      negate: fc.array(fc.boolean(), { minLength: sh.length, maxLength: sh.length }),
      keepdim: fc.boolean(),
    }),
  )
  .map(({ shape, dims, negate, keepdim }) => ({ shape, dims: dims.map((d) => (negate[d] ? d - shape.length : d)), keepdim }));

const expectedShape = (shape: number[], dims: number[], keepdim: boolean): number[] => {
  const norm = dims.map((d) => (d < 0 ? d + shape.length : d));
  return keepdim ? shape.map((n, i) => (norm.includes(i) ? 1 : n)) : shape.filter((_, i) => !norm.includes(i));
};

const close = (a: Tensor, b: Tensor, tol = 1e-5): boolean => {
  const x = a.toList() as unknown;
  const y = b.toList() as unknown;
  const fa = [x].flat(8) as number[];
  const fb = [y].flat(8) as number[];
  return (
    fa.length === fb.length &&
    fa.every((v, i) => (Number.isNaN(v) && Number.isNaN(fb[i])) || Math.abs(v - fb[i]!) <= tol * (1 + Math.abs(v)))
  );
};

const reductions = ['sum', 'mean', 'amax', 'amin', 'prod', 'logsumexp', 'variance', 'std'] as const;

test('fuzz: every reduction gives the same answer for positional and named dims, of the expected shape', () => {
  fc.assert(
    fc.property(shapeDims, fc.constantFrom(...reductions), ({ shape, dims, keepdim }, op) => {
      const x = randn(shape);
      const f = s[op] as (x: Tensor, ...a: unknown[]) => Tensor;
      const dimArg = dims.length === 1 ? dims[0] : dims;
      const pos = f(x, dimArg, keepdim);
      const named = f(x, { dim: dimArg, keepdim });
      assert.deepEqual(pos.shape, expectedShape(shape, dims, keepdim));
      assert.ok(close(pos, named), `${op}: positional and named differ`);
      // The method form is the same function.
      assert.ok(close((x as unknown as Record<string, (...a: unknown[]) => Tensor>)[op]!(dimArg, keepdim), pos));
    }),
    params,
  );
});

test('fuzz: reducing dims one after another equals reducing them at once (sum)', () => {
  fc.assert(
    fc.property(shapeDims, ({ shape, dims }) => {
      const x = randn(shape);
      const norm = [...new Set(dims.map((d) => (d < 0 ? d + shape.length : d)))].sort((a, b) => b - a);
      let y: Tensor = x;
      for (const d of norm) y = s.sum(y, d);
      assert.ok(close(y, s.sum(x, dims)));
    }),
    params,
  );
});

test('fuzz: one-dim ops (softmax, logSoftmax, cumsum, argmax, max) accept both forms and keep their contracts', () => {
  const oneDim = shapeArb
    .filter((sh) => sh.length > 0)
    .chain((sh) => fc.tuple(fc.constant(sh), fc.integer({ min: -sh.length, max: sh.length - 1 })));
  fc.assert(
    fc.property(oneDim, ([shape, dim]) => {
      const x = randn(shape);
      const p = s.softmax(x, dim);
      assert.ok(close(p, s.softmax(x, { dim })));
      assert.ok(close(s.sum(p, dim), s.onesLike(s.sum(x, dim)), 1e-5), 'softmax sums to 1 along dim');
      assert.ok(close(s.logSoftmax(x, dim), s.log(p), 1e-4));
      assert.ok(close(s.cumsum(x, dim), s.cumsum(x, { dim })));
      const { values, indices } = s.maxWithIndices(x, dim, true);
      assert.ok(close(values, s.max(x, dim, true)));
      assert.deepEqual(indices.toList(), s.argmax(x, { dim, keepdim: true }).toList());
    }),
    params,
  );
});

test('fuzz: conv2d honours stride, padding and dilation (the output size formula), in every argument form', () => {
  const geom = fc.record({
    n: fc.integer({ min: 1, max: 2 }),
    c: fc.integer({ min: 1, max: 3 }),
    o: fc.integer({ min: 1, max: 3 }),
    h: fc.integer({ min: 1, max: 7 }),
    w: fc.integer({ min: 1, max: 7 }),
    k: fc.integer({ min: 1, max: 3 }),
    stride: fc.integer({ min: 1, max: 3 }),
    padding: fc.integer({ min: 0, max: 2 }),
    dilation: fc.integer({ min: 1, max: 2 }),
  });
  fc.assert(
    fc.property(geom, (g) => {
      const eff = g.dilation * (g.k - 1) + 1;
      fc.pre(g.h + 2 * g.padding >= eff && g.w + 2 * g.padding >= eff);
      const x = randn([g.n, g.c, g.h, g.w]);
      const wt = randn([g.o, g.c, g.k, g.k]);
      const opts = { stride: g.stride, padding: g.padding, dilation: g.dilation };
      const y = s.conv2d(x, wt, null, opts);
      const out = (n: number): number => Math.floor((n + 2 * g.padding - eff) / g.stride) + 1;
      assert.deepEqual(y.shape, [g.n, g.o, out(g.h), out(g.w)]);
      assert.ok(close(x.conv2d(wt, null, opts), y));
      assert.ok(close(s.conv2d(x, wt, null, { ...opts, stride: [g.stride, g.stride] }), y));
    }),
    params,
  );
});

/** Values plain JavaScript might pass where a dim or an options object goes. */
const junk = fc.oneof(
  fc.string({ maxLength: 3 }),
  fc.double({ noInteger: true }),
  fc.constantFrom(NaN, Infinity, -Infinity, true, false, null),
  fc.object({ maxDepth: 1, maxKeys: 3 }),
  fc.array(fc.oneof(fc.string({ maxLength: 2 }), fc.double()), { minLength: 1, maxLength: 3 }),
  fc.func(fc.integer()),
);

test('fuzz: junk where a dim or options go fails with an error naming the op, or is a documented form', () => {
  const ops = ['sum', 'mean', 'amax', 'max', 'argmax', 'softmax', 'cumsum', 'squeeze', 'unsqueeze', 'std', 'logsumexp'] as const;
  fc.assert(
    fc.property(fc.constantFrom(...ops), junk, fc.option(junk, { nil: undefined }), (op, a, b) => {
      const x = randn([2, 3]);
      try {
        (s[op] as (x: Tensor, ...args: unknown[]) => Tensor)(x, a, b);
      } catch (e) {
        if (!(e instanceof Error && e.message.startsWith(`${op}: `)))
          assert.fail(`${op}(x, ${fc.stringify(a)}, ${fc.stringify(b)}) threw: ${String(e)}`);
        return;
      }
      // Accepted: only null (all dims), an empty options object, or a list of valid integer dims.
      const validDims = Array.isArray(a) && a.length > 0 && a.every((d) => Number.isInteger(d) && (d as number) >= -2 && (d as number) < 2);
      const ok = a === null || validDims || (typeof a === 'object' && !Array.isArray(a) && Object.keys(a).length === 0);
      if (!ok) assert.fail(`${op} accepted ${fc.stringify(a)}, ${fc.stringify(b)}`);
    }),
    params,
  );
});

test('fuzz: unknown option keys are rejected by every options-taking op, naming the key', () => {
  const key = fc
    .string({ minLength: 1, maxLength: 8 })
    .filter((k) => !['dim', 'keepdim', 'correction', 'unbiased', 'stride', 'padding', 'dilation', 'groups', '__proto__'].includes(k));
  fc.assert(
    fc.property(key, fc.constantFrom('sum', 'variance', 'conv2d'), (k, op) => {
      const call = (): unknown =>
        op === 'conv2d'
          ? s.conv2d(randn([1, 1, 3, 3]), randn([1, 1, 2, 2]), null, { [k]: 1 } as never)
          : (s[op] as (x: Tensor, o: unknown) => Tensor)(randn([2]), { [k]: 1 });
      assert.throws(call, (e: unknown) => e instanceof Error && e.message.startsWith(`${op}: unknown option '${k}'`));
    }),
    params,
  );
});

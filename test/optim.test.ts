import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tensor, zeros, randn, manualSeed, optim, setKernelVariant, type Tensor } from '../src/index.js';
import { optimTuning } from '../src/backend/optim.js';

interface OptimCase {
  name: string;
  options: Record<string, unknown>;
  groups: boolean;
  p0: number[][];
  shapes: number[][];
  grads: number[][][];
  after: number[][][];
}
const cases = (JSON.parse(readFileSync(new URL('../../fixtures/parity/optim.json', import.meta.url), 'utf8')) as { cases: OptimCase[] })
  .cases;

/** torch option names -> ours. */
function translate(o: Record<string, unknown>): Record<string, number | boolean> {
  const out: Record<string, number | boolean> = {};
  for (const [k, v] of Object.entries(o)) {
    if (k === 'betas') {
      out['beta1'] = (v as number[])[0]!;
      out['beta2'] = (v as number[])[1]!;
    } else out[k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = v as number | boolean;
  }
  return out;
}

function make(name: string, params: Tensor[], opts: Record<string, number | boolean>, groups: boolean): optim.Optimizer<any> {
  const ctor = name.startsWith('sgd')
    ? optim.SGD
    : name.startsWith('adamw')
      ? optim.AdamW
      : name.startsWith('adam')
        ? optim.Adam
        : name.startsWith('adagrad')
          ? optim.Adagrad
          : optim.RMSprop;
  const arg = groups ? [{ params: [params[0]!] }, { params: [params[1]!], lr: (opts['lr'] as number) * 0.5 }] : params;
  return new (ctor as new (p: unknown, o: unknown) => optim.Optimizer<any>)(arg, opts);
}

/** Runs f with the float32 updates on one path: the JS loops, or the wasm kernels for every size. */
function onPath<T>(path: 'js' | 'wasm', f: () => T): T {
  const saved = optimTuning.wasmMinElements;
  if (path === 'js') setKernelVariant('js');
  else optimTuning.wasmMinElements = 0;
  try {
    return f();
  } finally {
    optimTuning.wasmMinElements = saved;
    setKernelVariant('auto');
  }
}

for (const path of ['js', 'wasm'] as const) {
  for (const c of cases) {
    test(`optimizer matches torch.optim step for step (${path} updates): ${c.name}`, () => {
      const params = c.p0.map((v, i) => tensor(Float32Array.from(v), { shape: c.shapes[i]! }).requiresGrad_());
      const opt = make(c.name, params, translate(c.options), c.groups);
      c.grads.forEach((gs, step) => {
        params.forEach((p, i) => (p.grad = tensor(Float32Array.from(gs[i]!), { shape: c.shapes[i]! })));
        onPath(path, () => opt.step());
        params.forEach((p, i) => {
          const want = c.after[step]![i]!;
          const got = p.toList();
          want.forEach((w, j) =>
            assert.ok(Math.abs(got[j]! - w) <= 1e-5 + 1e-5 * Math.abs(w), `step ${step + 1} param ${i}[${j}]: ${got[j]} vs torch ${w}`),
          );
        });
      });
    });
  }
}

test('float32 updates in wasm give the bits of the JS loops (SGD, Adam, AdamW, RMSprop; awkward sizes)', () => {
  const configs: [string, Record<string, number | boolean>][] = [
    ['sgd', { lr: 0.1 }],
    ['sgd', { lr: 0.1, momentum: 0.9, weightDecay: 0.01 }],
    ['sgd', { lr: 0.05, momentum: 0.8, dampening: 0.3 }],
    ['sgd', { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.001 }],
    ['adam', { lr: 0.01 }],
    ['adam', { lr: 0.01, weightDecay: 0.1, amsgrad: true }],
    ['adamw', { lr: 0.01, beta1: 0.8, beta2: 0.99, eps: 1e-6 }],
    ['adamw', { lr: 0.02, amsgrad: true }],
    ['rmsprop', { lr: 0.01 }],
    ['rmsprop', { lr: 0.01, centered: true, weightDecay: 0.01 }],
    ['rmsprop', { lr: 0.01, momentum: 0.9 }],
    ['rmsprop', { lr: 0.01, alpha: 0.9, centered: true, momentum: 0.5 }],
  ];
  manualSeed(7);
  for (const [name, opts] of configs) {
    for (const n of [1, 2, 3, 17, 1023, 4099]) {
      const p0 = randn([n]);
      const grads = Array.from({ length: 4 }, () => randn([n]));
      const run = (path: 'js' | 'wasm'): { p: Tensor; opt: optim.Optimizer<any> } => {
        const p = tensor(p0.toList(), { dtype: 'float32' }).requiresGrad_();
        const opt = make(name, [p], opts, false);
        for (const g of grads) {
          p.grad = g;
          onPath(path, () => opt.step());
        }
        return { p, opt };
      };
      const ref = run('js');
      const fast = run('wasm');
      const where = `${name} ${JSON.stringify(opts)} n=${n}`;
      assert.deepEqual(
        new Int32Array((fast.p.data as Float32Array).slice().buffer),
        new Int32Array((ref.p.data as Float32Array).slice().buffer),
        `${where}: parameter bits`,
      );
      const sr = ref.opt.stateDict().state[0]!.buffers;
      const sf = fast.opt.stateDict().state[0]!.buffers;
      assert.deepEqual(Object.keys(sf).sort(), Object.keys(sr).sort(), `${where}: state buffers`);
      for (const k of Object.keys(sr)) {
        const bits = (d: number[]): number[] => Array.from(new Int32Array(Float32Array.from(d).buffer));
        assert.deepEqual(bits(sf[k]!.data), bits(sr[k]!.data), `${where}: state '${k}' bits`);
      }
    }
  }
});

test('optimizer state dict round trip continues identically', () => {
  const mk = (): Tensor => tensor([1, 2, 3]).requiresGrad_();
  const a = mk();
  const b = mk();
  const oa = new optim.Adam([a], { lr: 0.1 });
  const ob = new optim.Adam([b], { lr: 0.1 });
  const g = tensor([0.5, -1, 2]);
  a.grad = g;
  oa.step();
  b.grad = g;
  ob.step();
  const saved = JSON.parse(JSON.stringify(oa.stateDict()));
  const c = tensor(b.toList()).requiresGrad_();
  const oc = new optim.Adam([c], { lr: 0.1 });
  oc.loadStateDict(saved);
  b.grad = g;
  ob.step();
  c.grad = g;
  oc.step();
  assert.deepEqual(c.toList(), b.toList());
});

test('parameters without a gradient are skipped; bad inputs are named', () => {
  const p = zeros([2]).requiresGrad_();
  const o = new optim.SGD([p], { lr: 1 });
  o.step();
  assert.deepEqual(p.toList(), [0, 0]);
  assert.throws(() => new optim.SGD([], { lr: 1 }), /SGD: got an empty parameter list/);
  assert.throws(() => new optim.SGD([p], { lr: 1, nesterov: true }), /Nesterov momentum requires a momentum/);
  assert.throws(() => new optim.SGD([p.mul(2)], { lr: 1 }), /can't optimize a non-leaf tensor/);
});

test('clipGradNorm scales by threshold/norm only when the norm is above it', () => {
  const a = zeros([2]).requiresGrad_();
  const b = zeros([1]).requiresGrad_();
  a.grad = tensor([3, 0]);
  b.grad = tensor([4]);
  const norm = optim.clipGradNorm([a, b], 1);
  assert.ok(Math.abs(norm - 5) < 1e-9);
  assert.ok(Math.abs(a.grad.toList()[0]! - 0.6) < 1e-6);
  assert.ok(Math.abs(b.grad.toList()[0]! - 0.8) < 1e-6);
  optim.clipGradNorm([a, b], 10);
  assert.ok(Math.abs(b.grad.toList()[0]! - 0.8) < 1e-6, 'no change below the threshold');
  a.grad = tensor([-3, 0.5]);
  optim.clipGradValue([a], 1);
  assert.deepEqual(a.grad.toList(), [-1, 0.5]);
});

test('schedulers follow their formulas', () => {
  const p = zeros([1]).requiresGrad_();
  const lrs = (s: { step(): void }, o: optim.Optimizer<any>, n: number): number[] => {
    const out = [o.lrs[0]!];
    for (let i = 0; i < n; i++) {
      s.step();
      out.push(o.lrs[0]!);
    }
    return out.map((v) => Number(v.toFixed(10)));
  };
  let o = new optim.SGD([p], { lr: 1 });
  assert.deepEqual(lrs(new optim.StepLR(o, 2, 0.5), o, 4), [1, 1, 0.5, 0.5, 0.25]);
  o = new optim.SGD([p], { lr: 1 });
  assert.deepEqual(lrs(new optim.MultiStepLR(o, [1, 3], 0.1), o, 3), [1, 0.1, 0.1, 0.01]);
  o = new optim.SGD([p], { lr: 1 });
  assert.deepEqual(lrs(new optim.ExponentialLR(o, 0.5), o, 2), [1, 0.5, 0.25]);
  o = new optim.SGD([p], { lr: 1 });
  assert.deepEqual(lrs(new optim.CosineAnnealingLR(o, 2), o, 2), [1, 0.5, 0]);
  o = new optim.SGD([p], { lr: 1 });
  assert.deepEqual(lrs(new optim.LinearLR(o, 0.25, 1, 3), o, 4), [0.25, 0.5, 0.75, 1, 1]);
  o = new optim.SGD([p], { lr: 1 });
  const plateau = new optim.ReduceLROnPlateau(o, { patience: 1, factor: 0.5 });
  for (const m of [5, 4, 4, 4, 4]) plateau.step(m);
  assert.equal(o.lrs[0], 0.5);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor, randn, manualSeed, Generator, gradcheck, noGrad, type Tensor } from '../src/index.js';
import * as nn from '../src/nn/index.js';
import { Sequential, Conv2d, BatchNorm2d, ReLU, MaxPool2d, Flatten, Linear, Dropout } from '../src/nn/index.js';
import { encodeSafetensors, decodeSafetensors } from '../src/io/safetensors.js';
import { Adam } from '../src/optim/adam.js';
import { crossEntropy } from '../src/ops/index.js';
import { optimizeStep } from '../src/train/step.js';
import {
  distillationLoss,
  globalMagnitudePrune,
  applyMasks,
  addMasks,
  loadPrunedState,
  sparsity,
  maskOf,
  channelPrune,
  channelPlan,
  channelNorms,
  zeroPrunedChannels,
  prunableLayers,
  sparsitySchedule,
} from '../src/compress/index.js';
import { cnn, cnnSmall } from '../src/models/classifier/models.js';
import { prepareRecipe } from '../src/train/index.js';
import '../src/models/index.js';
import '../src/compress/recipes.js';

const maxDiff = (a: Tensor, b: Tensor): number => {
  const x = a.data;
  const y = b.data;
  assert.equal(x.length, y.length);
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  return m;
};

/** The distillation loss written out in plain float64 arithmetic. */
function directLoss(zs: number[][], zt: number[][], y: number[], T: number, alpha: number): number {
  const logSoftmax = (z: number[], t: number): number[] => {
    const s = z.map((v) => v / t);
    const m = Math.max(...s);
    const lse = m + Math.log(s.reduce((a, v) => a + Math.exp(v - m), 0));
    return s.map((v) => v - lse);
  };
  let kl = 0;
  let ce = 0;
  zs.forEach((row, n) => {
    const lps = logSoftmax(row, T);
    const lpt = logSoftmax(zt[n]!, T);
    lpt.forEach((l, c) => (kl += Math.exp(l) * (l - lps[c]!)));
    ce -= logSoftmax(row, 1)[y[n]!]!;
  });
  return (alpha * T * T * kl) / zs.length + ((1 - alpha) * ce) / zs.length;
}

test('distillationLoss equals alpha T^2 KL(p_t || p_s) + (1 - alpha) CE written out directly', () => {
  const g = new Generator(5);
  const zs = Array.from({ length: 5 }, () => Array.from({ length: 7 }, () => 3 * g.normal()));
  const zt = Array.from({ length: 5 }, () => Array.from({ length: 7 }, () => 3 * g.normal()));
  const y = [0, 6, 3, 3, 1];
  for (const [T, alpha] of [
    [1, 0.5],
    [4, 0.9],
    [2.5, 0],
    [10, 1],
  ] as const) {
    const got = distillationLoss(tensor(zs, { dtype: 'float64' }), tensor(zt, { dtype: 'float64' }), tensor(y, { dtype: 'int32' }), {
      temperature: T,
      alpha,
    }).item();
    const want = directLoss(zs, zt, y, T, alpha);
    assert.ok(Math.abs(got - want) < 1e-12 * Math.max(1, Math.abs(want)), `T ${T} alpha ${alpha}: ${got} vs ${want}`);
  }
  // The teacher matching the student exactly leaves the hard term alone.
  const same = tensor(zs, { dtype: 'float64' });
  const only = distillationLoss(same, same, tensor(y, { dtype: 'int32' }), { temperature: 3, alpha: 0.25 }).item();
  assert.ok(Math.abs(only - 0.75 * directLoss(zs, zs, y, 3, 0)) < 1e-12);
});

test('distillationLoss: gradient against finite differences; the teacher gets none', () => {
  const zs = randn([4, 6], { dtype: 'float64', generator: new Generator(1) }).requiresGrad_(true);
  const zt = randn([4, 6], { dtype: 'float64', generator: new Generator(2) }).requiresGrad_(true);
  const y = tensor([1, 5, 0, 2], { dtype: 'int32' });
  gradcheck((s) => distillationLoss(s, zt, y, { temperature: 3, alpha: 0.7 }), [zs]);
  const loss = distillationLoss(zs, zt, y, { temperature: 3, alpha: 0.7 });
  loss.backward();
  assert.equal(zt.grad, null, 'the frozen teacher must receive no gradient');
  // The soft term's gradient per logit is alpha * T * (p_s - p_t) / N (the T^2 cancels one 1/T).
  const zs2 = randn([3, 4], { dtype: 'float64', generator: new Generator(3) }).requiresGrad_(true);
  const zt2 = randn([3, 4], { dtype: 'float64', generator: new Generator(4) });
  distillationLoss(zs2, zt2, tensor([0, 1, 2], { dtype: 'int32' }), { temperature: 2, alpha: 1 }).backward();
  const soft = (z: number[]): number[] => {
    const e = z.map((v) => Math.exp(v / 2));
    const s = e.reduce((a, v) => a + v, 0);
    return e.map((v) => v / s);
  };
  const S = zs2.toArray() as unknown as number[][];
  const Tt = zt2.toArray() as unknown as number[][];
  const grad = zs2.grad!.toArray() as unknown as number[][];
  S.forEach((row, n) => {
    const ps = soft(row);
    const pt = soft(Tt[n]!);
    ps.forEach((p, c) => assert.ok(Math.abs(grad[n]![c]! - (2 * (p - pt[c]!)) / 3) < 1e-12));
  });
});

test('distillationLoss refuses bad arguments, naming itself', () => {
  const z = randn([2, 3]);
  const y = tensor([0, 1], { dtype: 'int32' });
  assert.throws(() => distillationLoss(z, z, y, { temperature: 0 }), /distillationLoss: temperature must be/);
  assert.throws(() => distillationLoss(z, z, y, { alpha: 1.5 }), /distillationLoss: alpha must be in \[0, 1\]/);
  assert.throws(() => distillationLoss(z, randn([2, 4]), y), /distillationLoss: studentLogits and teacherLogits/);
  assert.throws(() => distillationLoss(z, z, tensor([0, 1])), /distillationLoss: labels must be int32/);
  assert.throws(() => distillationLoss(z, z, y, { temp: 2 } as never), /distillationLoss.*temp/);
});

test('globalMagnitudePrune: exact global sparsity, the smallest |w| go first, masks only grow', () => {
  manualSeed(0);
  const model = cnnSmall();
  const all = prunableLayers(model).flatMap(([, l]) => [...l.weight.data].map(Math.abs));
  const r = globalMagnitudePrune(model, { sparsity: 0.6 });
  assert.equal(r.zeros, Math.round(0.6 * r.total));
  // Every surviving weight is at least as large as every pruned one (global threshold).
  all.sort((a, b) => a - b);
  const threshold = all[r.zeros - 1]!;
  for (const [, l] of prunableLayers(model)) for (const v of l.weight.data) assert.ok(v === 0 || Math.abs(v) >= threshold);
  const before = prunableLayers(model).map(([, l]) => [...maskOf(l)!.data]);
  globalMagnitudePrune(model, { sparsity: 0.8 });
  prunableLayers(model).forEach(([, l], i) => {
    const m = maskOf(l)!.data;
    before[i]!.forEach((b, j) => assert.ok(b === 1 || m[j] === 0, 'a pruned weight came back'));
  });
  assert.ok(Math.abs(sparsity(model).sparsity - 0.8) < 1e-4);
  assert.throws(() => globalMagnitudePrune(model, { sparsity: 1 }), /globalMagnitudePrune: sparsity must be a number in \[0, 1\)/);
});

test('pruning masks survive training (Adam steps) and a state-dict round trip through safetensors', () => {
  manualSeed(1);
  const model = cnnSmall();
  globalMagnitudePrune(model, { sparsity: 0.7 });
  const opt = new Adam(model.parameters(), { lr: 1e-2 });
  const x = randn([8, 1, 28, 28]);
  const y = tensor([0, 1, 2, 3, 4, 5, 6, 7], { dtype: 'int32' });
  for (let i = 0; i < 3; i++) {
    optimizeStep(opt, crossEntropy(model.forward(x), y));
    applyMasks(model);
  }
  const s = sparsity(model);
  assert.ok(s.sparsity >= 0.7 - 1e-4, `sparsity after training ${s.sparsity}`);
  for (const [, l] of prunableLayers(model)) {
    const m = maskOf(l)!.data;
    l.weight.data.forEach((v, i) => assert.ok(m[i] === 1 || v === 0));
  }
  const bytes = encodeSafetensors(model.stateDict(), { format: 'pt' });
  const state = decodeSafetensors(bytes).tensors;
  assert.ok('0.weight_mask' in state && '7.weight_mask' in state, 'the masks are in the state dict');
  // A fresh model takes the masks back (loadPrunedState adds them first), and keeps them in training.
  manualSeed(99);
  const fresh = cnnSmall();
  assert.throws(() => fresh.loadStateDict(state), /unexpected keys: 0.weight_mask/);
  loadPrunedState(fresh, state);
  noGrad(() => assert.equal(maxDiff(fresh.forward(x), model.forward(x)), 0));
  const opt2 = new Adam(fresh.parameters(), { lr: 1e-2 });
  optimizeStep(opt2, crossEntropy(fresh.forward(x), y));
  applyMasks(fresh);
  assert.ok(sparsity(fresh).sparsity >= 0.7 - 1e-4);
  // addMasks on an unpruned model changes nothing.
  manualSeed(2);
  const plain = cnnSmall();
  const out = noGrad(() => plain.forward(x));
  addMasks(plain);
  applyMasks(plain);
  noGrad(() => assert.equal(maxDiff(plain.forward(x), out), 0));
});

function bnCnn(): Sequential {
  return new Sequential(
    new Conv2d(3, 6, 3, { padding: 1 }),
    new BatchNorm2d(6),
    new ReLU(),
    new MaxPool2d(2),
    new Conv2d(6, 5, 3, { padding: 1, bias: false }),
    new BatchNorm2d(5),
    new ReLU(),
    new Dropout(0.3),
    new Flatten(),
    new Linear(5 * 4 * 4, 7),
    new ReLU(),
    new Linear(7, 3),
  );
}

test('channelPrune: the smaller dense model equals the masked model whose pruned channels are zero', () => {
  for (const [build, shape, amount] of [
    [cnn, [3, 1, 28, 28], 0.5],
    [cnnSmall, [2, 1, 28, 28], 0.4],
    [bnCnn, [4, 3, 8, 8], 0.35],
  ] as const) {
    manualSeed(7);
    const model = build();
    // Non-trivial BatchNorm statistics and affine parameters, then evaluation mode.
    model.train();
    noGrad(() => {
      for (let i = 0; i < 3; i++) model.forward(randn([...shape]));
    });
    for (const m of model.modules())
      if (m instanceof BatchNorm2d)
        noGrad(() => {
          const w = m.weight!.data;
          const b = m.bias!.data;
          for (let i = 0; i < w.length; i++) [w[i], b[i]] = [0.5 + 0.1 * i, 0.2 - 0.05 * i];
        });
    model.eval();
    const x = randn([...shape]);
    const small = channelPrune(model, { amount });
    assert.ok(small.numParameters() < model.numParameters(), 'the pruned model is smaller');
    zeroPrunedChannels(model, { amount });
    const d = noGrad(() => maxDiff(small.forward(x), model.forward(x)));
    assert.ok(d < 1e-5, `${build.name}: pruned vs masked differ by ${d}`);
  }
});

test('channelPlan keeps the channels of largest L1 norm, in order, at least one', () => {
  manualSeed(3);
  const model = cnnSmall();
  const conv = model.at(0) as Conv2d;
  const norms = channelNorms(conv.weight);
  const plan = channelPlan(model, { amount: 0.5 });
  const kept = plan.get(0)!;
  assert.equal(kept.length, 4);
  const dropped = [0, 1, 2, 3, 4, 5, 6, 7].filter((c) => !kept.includes(c));
  for (const k of kept) for (const d of dropped) assert.ok(norms[k]! >= norms[d]!);
  assert.deepEqual(
    [...kept].sort((a, b) => a - b),
    kept,
  );
  assert.equal(plan.get(3)!.length, 8);
  assert.equal(plan.has(9), false, 'the output layer keeps every class');
  assert.equal(channelPlan(model, { amount: 0.99 }).get(0)!.length, 1);
  assert.throws(() => channelPrune(model, { amount: -0.1 }), /channelPrune: amount must be a number in \[0, 1\)/);
  assert.throws(() => channelPrune(model, { amount: 0.5, sparsity: 1 } as never), /channelPrune.*sparsity/);
});

test('sparsitySchedule: the cubic ramp of Zhu and Gupta, from 0 to the final sparsity', () => {
  assert.equal(sparsitySchedule(0.9, 8, 0), 0);
  assert.ok(Math.abs(sparsitySchedule(0.9, 8, 8) - 0.9) < 1e-15);
  assert.ok(Math.abs(sparsitySchedule(0.8, 4, 2) - 0.8 * (1 - 0.125)) < 1e-15);
});

/** n 28x28 images whose class is a bright row, plus noise (as test/train.test.ts). */
function rowImages(n: number, seed: number): { images: Tensor; labels: Tensor } {
  const g = new Generator(seed);
  const labels = Int32Array.from({ length: n }, () => g.int(0, 10));
  const px = new Float32Array(n * 784);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 784; j++) px[i * 784 + j] = g.random() * 0.2;
    for (let c = 0; c < 28; c++) px[i * 784 + (2 * labels[i]! + 4) * 28 + c] = 1;
  }
  return { images: tensor(px, { shape: [n, 1, 28, 28] }), labels: tensor(labels, { shape: [n], dtype: 'int32' }) };
}

test('distill with alpha 0 is the student trained alone, step for step; with alpha > 0 it is not', async () => {
  const fashion = { train: rowImages(48, 1), test: rowImages(16, 2) };
  manualSeed(21);
  const teacherState = cnn().stateDict();
  const data = {
    ...fashion,
    trained: {
      recipe: 'cnn',
      path: 'generated',
      build: () => {
        const m = cnn();
        m.loadStateDict(teacherState);
        return m.eval();
      },
    },
  };
  const o = { epochs: 2, batchSize: 16, seed: 4, lr: 3e-3 };
  const alone = prepareRecipe('cnn-small', o, fashion);
  await alone.trainer.fit();
  const distilled0 = prepareRecipe('distill', { ...o, alpha: 0 }, data);
  await distilled0.trainer.fit();
  const distilled = prepareRecipe('distill', { ...o, alpha: 0.5 }, data);
  await distilled.trainer.fit();
  const a = (alone.trainer.task.modules as Record<string, nn.Module<any, any>>)['model']!.stateDict();
  const b = (distilled0.trainer.task.modules as Record<string, nn.Module<any, any>>)['model']!.stateDict();
  const c = (distilled.trainer.task.modules as Record<string, nn.Module<any, any>>)['model']!.stateDict();
  for (const k of Object.keys(a)) assert.deepEqual(b[k]!.data, a[k]!.data, `alpha 0: ${k} differs from the student alone`);
  assert.ok(
    Object.keys(a).some((k) => maxDiff(a[k]!, c[k]!) > 1e-4),
    'alpha 0.5 must train differently',
  );
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nn, optim, zeros, randn, tensor, manualSeed, crossEntropy, Generator, type Tensor } from '../src/index.js';

class Net extends nn.Module {
  readonly features = this.module(
    'features',
    new nn.Sequential(new nn.Conv2d(1, 4, 3, { padding: 1 }), new nn.BatchNorm2d(4), new nn.ReLU()),
  );
  readonly head = this.module('head', new nn.Linear(4 * 5 * 5, 3));
  forward(x: Tensor): Tensor {
    return this.head.forward(this.features.forward(x).flatten(1));
  }
}

test('state dict keys, order and shapes follow PyTorch', () => {
  const net = new Net();
  const sd = net.stateDict();
  assert.deepEqual(Object.keys(sd), [
    'features.0.weight',
    'features.0.bias',
    'features.1.weight',
    'features.1.bias',
    'features.1.running_mean',
    'features.1.running_var',
    'features.1.num_batches_tracked',
    'head.weight',
    'head.bias',
  ]);
  assert.deepEqual(sd['head.weight']!.shape, [3, 100]);
  assert.deepEqual(
    [...net.namedParameters()].map(([k]) => k),
    ['features.0.weight', 'features.0.bias', 'features.1.weight', 'features.1.bias', 'head.weight', 'head.bias'],
  );
  assert.equal(net.numParameters(), 4 * 9 + 4 + 4 + 4 + 300 + 3);
});

test('strict loading reports missing, unexpected and mis-shaped keys; non-strict loads the rest', () => {
  const a = new Net();
  const b = new Net();
  const sd = a.stateDict();
  delete sd['head.bias'];
  sd['extra.weight'] = zeros([1]);
  sd['features.0.weight'] = zeros([4, 1, 2, 2]);
  assert.throws(
    () => b.loadStateDict(sd),
    (e: Error) =>
      /missing keys: head\.bias/.test(e.message) &&
      /unexpected keys: extra\.weight/.test(e.message) &&
      /features\.0\.weight: model \[4, 1, 3, 3\] vs state \[4, 1, 2, 2\]/.test(e.message),
  );
  const r = b.loadStateDict(sd, { strict: false });
  assert.deepEqual(r.missingKeys, ['head.bias']);
  assert.deepEqual(b.stateDict()['head.weight']!.toList(), a.stateDict()['head.weight']!.toList());
});

test('repr reads like PyTorch', () => {
  const s = new nn.Sequential(new nn.Linear(784, 256), new nn.ReLU(), new nn.Dropout(0.2), new nn.Linear(256, 10, { bias: false }));
  assert.equal(
    s.toString(),
    'Sequential(\n  (0): Linear(in_features=784, out_features=256, bias=True)\n  (1): ReLU()\n  (2): Dropout(p=0.2, inplace=False)\n  (3): Linear(in_features=256, out_features=10, bias=False)\n)',
  );
  assert.equal(
    new nn.Conv2d(3, 8, 3, { stride: 2, padding: 1 }).toString(),
    'Conv2d(3, 8, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1))',
  );
  assert.match(new Net().toString(), /\(features\): Sequential\(\n {4}\(0\): Conv2d/);
});

test('train/eval propagate; apply visits every module; zeroGrad clears', () => {
  const net = new Net();
  net.eval();
  assert.ok([...net.modules()].every((m) => !m.training));
  net.train();
  assert.ok([...net.modules()].every((m) => m.training));
  const names: string[] = [];
  net.apply((m) => names.push(m.constructor.name));
  assert.deepEqual(names, ['Conv2d', 'BatchNorm2d', 'ReLU', 'Sequential', 'Linear', 'Net']);
  crossEntropy(net.forward(randn([2, 1, 5, 5])), tensor([0, 2], { dtype: 'int32' })).backward();
  assert.ok(net.parameters().every((p) => p.grad));
  net.zeroGrad();
  assert.ok(net.parameters().every((p) => p.grad === null));
});

test('dropout is active in train mode only', () => {
  const d = new nn.Dropout(0.5, new Generator(1));
  const x = randn([1000]).abs().add(1);
  assert.ok(
    d
      .forward(x)
      .toList()
      .some((v) => v === 0),
  );
  d.eval();
  assert.deepEqual(d.forward(x).toList(), x.toList());
});

test('default initialisations have PyTorch ranges', () => {
  manualSeed(3);
  const lin = new nn.Linear(100, 50);
  const bound = 1 / Math.sqrt(100);
  assert.ok(lin.weight.toList().every((v) => Math.abs(v) <= bound));
  assert.ok(Math.max(...lin.weight.toList()) > 0.9 * bound, 'uniform fills its range');
  const conv = new nn.Conv2d(8, 4, 3);
  const cb = 1 / Math.sqrt(8 * 9);
  assert.ok(conv.weight.toList().every((v) => Math.abs(v) <= cb));
  const w = zeros([64, 32]);
  nn.init.kaimingNormal_(w, { nonlinearity: 'relu' });
  const vals = w.toList();
  const std = Math.sqrt(vals.reduce((s, v) => s + v * v, 0) / vals.length);
  assert.ok(Math.abs(std - Math.sqrt(2 / 32)) < 0.02, `kaiming std ${std}`);
  const q = zeros([6, 4]);
  nn.init.orthogonal_(q);
  const m = q.toArray() as number[][];
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 4; j++) {
      const dot = m.reduce((s, row) => s + row[i]! * row[j]!, 0);
      assert.ok(Math.abs(dot - (i === j ? 1 : 0)) < 1e-5, `columns ${i},${j}: ${dot}`);
    }
  }
  const emb = new nn.Embedding(5, 3, { paddingIdx: 1 });
  assert.deepEqual(emb.weight.toList().slice(3, 6), [0, 0, 0]);
});

test('containers: ModuleList and ModuleDict register their modules', () => {
  const list = new nn.ModuleList([new nn.Linear(2, 2), new nn.Linear(2, 3)]);
  assert.deepEqual(Object.keys(list.stateDict()), ['0.weight', '0.bias', '1.weight', '1.bias']);
  const dict = new nn.ModuleDict({ enc: new nn.Linear(2, 2) });
  assert.deepEqual(Object.keys(dict.stateDict()), ['enc.weight', 'enc.bias']);
  assert.throws(() => dict.getModule('dec'), /no module 'dec'/);
});

test('batchnorm eval uses running statistics', () => {
  const bn = new nn.BatchNorm1d(2);
  const x = tensor([
    [1, 10],
    [3, 14],
    [5, 18],
  ]);
  bn.forward(x);
  assert.deepEqual(
    bn.runningMean!.toList().map((v) => +v.toFixed(4)),
    [0.3, 1.4],
  );
  bn.eval();
  const y = bn.forward(tensor([[0.3, 1.4]]));
  assert.ok(y.toList().every((v) => Math.abs(v) < 1e-6));
  assert.throws(
    () => new nn.BatchNorm2d(3).forward(zeros([2, 4, 2, 2])),
    /BatchNorm2d: expected input of rank 4 with 3 channels in dim 1, got shape \[2, 4, 2, 2\]/,
  );
});

test('a small CNN overfits one batch', () => {
  manualSeed(0);
  const net = new Net();
  const x = randn([6, 1, 5, 5]);
  const y = tensor([0, 1, 2, 0, 1, 2], { dtype: 'int32' });
  const opt = new optim.Adam(net.parameters(), { lr: 0.05 });
  let loss = 0;
  for (let i = 0; i < 40; i++) {
    opt.zeroGrad();
    const l = crossEntropy(net.forward(x), y);
    l.backward();
    opt.step();
    loss = l.item();
  }
  assert.ok(loss < 0.05, `loss after 40 steps: ${loss}`);
});

test('nn.Unflatten splits one dim (torch.nn.Unflatten) and is the inverse of nn.Flatten', () => {
  const x = randn([2, 12]);
  const u = new nn.Unflatten(1, [3, 2, 2]);
  const y = u.forward(x);
  assert.deepEqual(y.shape, [2, 3, 2, 2]);
  assert.deepEqual([...new nn.Flatten().forward(y).data], [...x.data]);
  assert.deepEqual(new nn.Unflatten(-1, [4, 3]).forward(x).shape, [2, 4, 3]);
  assert.equal(u.toString(), 'Unflatten(dim=1, unflattened_size=(3, 2, 2))');
  assert.deepEqual(Object.keys(u.stateDict()), []);
  assert.throws(
    () => u.forward(randn([2, 10])),
    /nn.Unflatten: dim 1 of the input \(shape \[2, 10\]\) has size 10, but sizes \[3, 2, 2\] hold 12/,
  );
  assert.throws(() => new nn.Unflatten(3, [2, 6]).forward(x), /nn.Unflatten: dim 3 is out of range/);
});

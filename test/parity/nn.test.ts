import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { nn, type Tensor } from '../../src/index.js';
import { assertClose, fromSpec, type TensorSpec } from './_harness.js';

interface ModuleCase {
  name: string;
  train: boolean;
  state: Record<string, TensorSpec>;
  inputs: TensorSpec[];
  output: TensorSpec;
  upstream: TensorSpec;
  input_grads: (TensorSpec | null)[];
  param_grads: Record<string, TensorSpec>;
  buffers_after: Record<string, TensorSpec>;
}

const build: Record<string, () => nn.Module<any, any>> = {
  linear: () => new nn.Linear(7, 5),
  'linear no bias 3d': () => new nn.Linear(4, 6, { bias: false }),
  bilinear: () => new nn.Bilinear(3, 4, 5),
  'embedding padding': () => new nn.Embedding(10, 4, { paddingIdx: 2 }),
  conv2d: () => new nn.Conv2d(3, 4, 3, { stride: 2, padding: 1 }),
  'conv2d depthwise dilated': () => new nn.Conv2d(4, 8, 3, { padding: 2, dilation: 2, groups: 4, bias: false }),
  conv1d: () => new nn.Conv1d(2, 3, 5, { padding: 2 }),
  convtranspose2d: () => new nn.ConvTranspose2d(4, 2, 3, { stride: 2, padding: 1, outputPadding: 1 }),
  'batchnorm2d train': () => new nn.BatchNorm2d(3),
  'batchnorm2d eval': () => new nn.BatchNorm2d(3),
  'batchnorm1d train': () => new nn.BatchNorm1d(5),
  'batchnorm1d 3d input': () => new nn.BatchNorm1d(3, { momentum: 0.3 }),
  layernorm: () => new nn.LayerNorm([3, 4]),
  groupnorm: () => new nn.GroupNorm(2, 4),
  'instancenorm2d affine': () => new nn.InstanceNorm2d(3, { affine: true }),
  'sequential mlp': () => new nn.Sequential(new nn.Linear(6, 8), new nn.ReLU(), new nn.Linear(8, 4), new nn.Tanh(), new nn.Linear(4, 2)),
  'gelu softplus silu elu': () => new nn.Sequential(new nn.GELU(), new nn.Softplus(2), new nn.SiLU(), new nn.ELU(0.5)),
  'leaky hardtanh sigmoid': () => new nn.Sequential(new nn.LeakyReLU(0.2), new nn.Hardtanh(-0.5, 0.7), new nn.Sigmoid()),
  'flatten logsoftmax': () => new nn.Sequential(new nn.Flatten(), new nn.LogSoftmax(1)),
  maxpool2d: () => new nn.MaxPool2d(3, { stride: 2, padding: 1 }),
  'maxpool2d ceil dilation': () => new nn.MaxPool2d(2, { stride: 2, dilation: 2, ceilMode: true }),
  avgpool2d: () => new nn.AvgPool2d(3, { stride: 2, padding: 1, countIncludePad: false }),
  adaptiveavgpool2d: () => new nn.AdaptiveAvgPool2d([3, 2]),
  'unpool after pool': () => new PoolUnpool(),
};

class PoolUnpool extends nn.Module {
  readonly pool = this.module('pool', new nn.MaxPool2d(2));
  readonly unpool = this.module('unpool', new nn.MaxUnpool2d(2));
  forward(x: Tensor): Tensor {
    const { values, indices } = this.pool.forwardWithIndices(x);
    return this.unpool.forward(values.mul(2), indices);
  }
}

const cases = (JSON.parse(readFileSync(new URL('../../../fixtures/parity/nn.json', import.meta.url), 'utf8')) as { cases: ModuleCase[] })
  .cases;

for (const c of cases) {
  test(`nn parity: ${c.name} (forward, input and parameter gradients, buffers)`, () => {
    const make = build[c.name];
    if (!make) throw new Error(`no shinsou module mapped for fixture case '${c.name}'`);
    const m = make();
    const state: Record<string, Tensor> = {};
    for (const [k, s] of Object.entries(c.state)) state[k] = fromSpec(s);
    const report = m.loadStateDict(state);
    assert.deepEqual(report, { missingKeys: [], unexpectedKeys: [], mismatched: [] });
    m.train(c.train);
    const xs = c.inputs.map((s) => {
      const t = fromSpec(s);
      return t.dtype === 'float32' ? t.requiresGrad_() : t;
    });
    const out = m.forward(...(xs as [Tensor])) as Tensor;
    assertClose(out, c.output, `${c.name} forward`);
    out.backward(fromSpec(c.upstream));
    c.input_grads.forEach((g, i) => g && assertClose(xs[i]!.grad!, g, `${c.name} input ${i} grad`));
    const params = Object.fromEntries(m.namedParameters());
    for (const [k, g] of Object.entries(c.param_grads)) {
      assert.ok(params[k]?.grad, `${c.name}: parameter ${k} has no gradient`);
      assertClose(params[k].grad, g, `${c.name} grad of ${k}`);
    }
    const buffers = Object.fromEntries(m.namedBuffers());
    for (const [k, b] of Object.entries(c.buffers_after)) assertClose(buffers[k]!, b, `${c.name} buffer ${k} after the pass`);
  });
}

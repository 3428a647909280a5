import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { nn, backward, type Tensor } from '../../src/index.js';
import { assertClose, fromSpec, type TensorSpec } from './_harness.js';

interface RnnCase {
  name: string;
  layer: 'RNN' | 'LSTM' | 'GRU' | 'RNNCell' | 'LSTMCell' | 'GRUCell';
  opts: {
    hidden: number;
    numLayers?: number;
    bidirectional?: boolean;
    batchFirst?: boolean;
    bias: boolean;
    nonlinearity?: 'tanh' | 'relu';
  };
  inputSize: number;
  lengths: number[] | null;
  state: Record<string, TensorSpec>;
  inputs: Record<string, TensorSpec>;
  outputs: Record<string, TensorSpec>;
  upstream: Record<string, TensorSpec>;
  input_grads: Record<string, TensorSpec>;
  param_grads: Record<string, TensorSpec>;
}

const cases = (JSON.parse(readFileSync(new URL('../../../fixtures/parity/rnn.json', import.meta.url), 'utf8')) as { cases: RnnCase[] })
  .cases;

function run(c: RnnCase, xs: Record<string, Tensor>): { module: nn.Module<any, any>; outs: Record<string, Tensor> } {
  const o = c.opts;
  const I = c.inputSize;
  const layerOpts = {
    numLayers: o.numLayers ?? 1,
    bidirectional: o.bidirectional ?? false,
    batchFirst: o.batchFirst ?? false,
    bias: o.bias,
  };
  const lengths = c.lengths ?? undefined;
  switch (c.layer) {
    case 'RNN': {
      const m = new nn.RNN(I, o.hidden, { ...layerOpts, nonlinearity: o.nonlinearity ?? 'tanh' });
      m.loadStateDict(stateOf(c));
      const r = m.forward(xs.x!, xs.h0 ?? null, lengths);
      return { module: m, outs: { output: r.output, h: r.h } };
    }
    case 'GRU': {
      const m = new nn.GRU(I, o.hidden, layerOpts);
      m.loadStateDict(stateOf(c));
      const r = m.forward(xs.x!, xs.h0 ?? null, lengths);
      return { module: m, outs: { output: r.output, h: r.h } };
    }
    case 'LSTM': {
      const m = new nn.LSTM(I, o.hidden, layerOpts);
      m.loadStateDict(stateOf(c));
      const r = m.forward(xs.x!, xs.h0 ? { h: xs.h0, c: xs.c0! } : null, lengths);
      return { module: m, outs: { output: r.output, h: r.h, c: r.c } };
    }
    case 'RNNCell': {
      const m = new nn.RNNCell(I, o.hidden, { bias: o.bias, nonlinearity: o.nonlinearity ?? 'tanh' });
      m.loadStateDict(stateOf(c));
      return { module: m, outs: { h: m.forward(xs.x!, xs.h0) } };
    }
    case 'GRUCell': {
      const m = new nn.GRUCell(I, o.hidden, { bias: o.bias });
      m.loadStateDict(stateOf(c));
      return { module: m, outs: { h: m.forward(xs.x!, xs.h0) } };
    }
    case 'LSTMCell': {
      const m = new nn.LSTMCell(I, o.hidden, { bias: o.bias });
      m.loadStateDict(stateOf(c));
      const r = m.forward(xs.x!, { h: xs.h0!, c: xs.c0! });
      return { module: m, outs: { h: r.h, c: r.c } };
    }
  }
}

function stateOf(c: RnnCase): Record<string, Tensor> {
  return Object.fromEntries(Object.entries(c.state).map(([k, s]) => [k, fromSpec(s)]));
}

for (const c of cases) {
  test(`rnn parity: ${c.name} (outputs, final states, input/state/parameter gradients)`, () => {
    const xs: Record<string, Tensor> = {};
    for (const [k, s] of Object.entries(c.inputs)) xs[k] = fromSpec(s).requiresGrad_();
    const { module, outs } = run(c, xs);
    // The torch state dict loaded by name (strict): same keys and layouts.
    assert.deepEqual(Object.keys(module.stateDict()), Object.keys(c.state));
    const keys = Object.keys(c.outputs);
    for (const k of keys) assertClose(outs[k]!, c.outputs[k]!, `${c.name} ${k}`);
    backward(
      keys.map((k) => outs[k]!),
      keys.map((k) => fromSpec(c.upstream[k]!)),
    );
    for (const [k, g] of Object.entries(c.input_grads)) {
      assert.ok(xs[k]!.grad, `${c.name}: ${k} has no gradient`);
      assertClose(xs[k]!.grad, g, `${c.name} grad of ${k}`);
    }
    const params = Object.fromEntries(module.namedParameters());
    for (const [k, g] of Object.entries(c.param_grads)) {
      assert.ok(params[k]?.grad, `${c.name}: parameter ${k} has no gradient`);
      assertClose(params[k].grad, g, `${c.name} grad of ${k}`);
    }
  });
}

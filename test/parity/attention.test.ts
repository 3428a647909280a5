// PyTorch parity for attention (fixtures/parity/attention.json, written by scripts/fixtures/attention.py):
// the torch state dict loads by name (strict), then outputs, attention weights and the gradients of
// every input and parameter match torch's, with masks of every kind, odd lengths, batchFirst both
// ways, normFirst both ways, relu and gelu.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { nn, backward, type Tensor } from '../../src/index.js';
import { assertClose, fromSpec, type TensorSpec } from './_harness.js';

interface AttnCase {
  name: string;
  kind: 'sdpa' | 'mha' | 'encoderLayer' | 'decoderLayer' | 'encoder' | 'decoder' | 'transformer';
  opts: Record<string, unknown>;
  forward: Record<string, boolean>;
  state: Record<string, TensorSpec>;
  inputs: Record<string, TensorSpec & { grad: boolean }>;
  masks?: Record<string, TensorSpec>;
  outputs: Record<string, TensorSpec>;
  upstream: Record<string, TensorSpec>;
  input_grads: Record<string, TensorSpec>;
  param_grads: Record<string, TensorSpec>;
}

const cases = (
  JSON.parse(readFileSync(new URL('../../../fixtures/parity/attention.json', import.meta.url), 'utf8')) as { cases: AttnCase[] }
).cases;

type AnyModule = nn.Module<any, any>;

function layerOptions(o: Record<string, unknown>): nn.TransformerLayerOptions {
  return {
    dimFeedforward: o.dimFeedforward as number,
    dropout: o.dropout as number,
    activation: o.activation as 'relu' | 'gelu',
    batchFirst: o.batchFirst as boolean,
    normFirst: o.normFirst as boolean,
  };
}

function run(
  c: AttnCase,
  xs: Record<string, Tensor>,
  m: Record<string, Tensor>,
): { module: AnyModule | null; outs: Record<string, Tensor | null> } {
  const o = c.opts;
  const f = c.forward;
  switch (c.kind) {
    case 'sdpa': {
      const [out] = nn.functional.scaledDotProductAttention(xs.query!, xs.key!, xs.value!, {
        attnMask: xs.attnMask ?? m.attnMask ?? null,
        isCausal: o.isCausal as boolean,
        enableGqa: o.enableGqa as boolean,
        scale: (o.scale as number | undefined) ?? null,
        returnWeights: true,
      });
      return { module: null, outs: { output: out } };
    }
    case 'mha': {
      const mod = new nn.MultiheadAttention(o.embedDim as number, o.numHeads as number, {
        batchFirst: o.batchFirst as boolean,
        bias: o.bias as boolean,
        addBiasKv: o.addBiasKv as boolean,
        addZeroAttn: o.addZeroAttn as boolean,
        ...(o.kdim ? { kdim: o.kdim as number } : {}),
        ...(o.vdim ? { vdim: o.vdim as number } : {}),
      });
      mod.loadStateDict(stateOf(c));
      const q = xs.query!;
      const k = f.selfAttn ? q : xs.key!;
      const v = f.selfAttn || f.keyIsValue ? k : xs.value!;
      const [out, w] = mod.forward(q, k, v, {
        attnMask: m.attnMask ?? null,
        keyPaddingMask: m.keyPaddingMask ?? null,
        needWeights: f.needWeights!,
        averageAttnWeights: f.averageAttnWeights!,
        isCausal: f.isCausal!,
      });
      return { module: mod, outs: { output: out, weights: w } };
    }
    case 'encoderLayer':
    case 'encoder': {
      const layer = new nn.TransformerEncoderLayer(o.dModel as number, o.nhead as number, layerOptions(o));
      const mod =
        c.kind === 'encoder'
          ? new nn.TransformerEncoder(layer, o.numLayers as number, { norm: new nn.LayerNorm(o.dModel as number) })
          : layer;
      mod.loadStateDict(stateOf(c));
      const out =
        mod instanceof nn.TransformerEncoder
          ? mod.forward(xs.src!, { mask: m.srcMask ?? null, srcKeyPaddingMask: m.srcKeyPaddingMask ?? null, isCausal: f.isCausal! })
          : mod.forward(xs.src!, { srcMask: m.srcMask ?? null, srcKeyPaddingMask: m.srcKeyPaddingMask ?? null, isCausal: f.isCausal! });
      return { module: mod, outs: { output: out } };
    }
    case 'decoderLayer':
    case 'decoder': {
      const layer = new nn.TransformerDecoderLayer(o.dModel as number, o.nhead as number, layerOptions(o));
      const mod =
        c.kind === 'decoder'
          ? new nn.TransformerDecoder(layer, o.numLayers as number, { norm: new nn.LayerNorm(o.dModel as number) })
          : layer;
      mod.loadStateDict(stateOf(c));
      const out = mod.forward(xs.tgt!, xs.memory!, {
        tgtMask: m.tgtMask ?? null,
        memoryMask: m.memoryMask ?? null,
        tgtKeyPaddingMask: m.tgtKeyPaddingMask ?? null,
        memoryKeyPaddingMask: m.memoryKeyPaddingMask ?? null,
        tgtIsCausal: f.tgtIsCausal!,
      });
      return { module: mod, outs: { output: out } };
    }
    case 'transformer': {
      const mod = new nn.Transformer({
        ...layerOptions(o),
        dModel: o.dModel as number,
        nhead: o.nhead as number,
        numEncoderLayers: o.numEncoderLayers as number,
        numDecoderLayers: o.numDecoderLayers as number,
      });
      mod.loadStateDict(stateOf(c));
      const T = xs.tgt!.shape[o.batchFirst ? 1 : 0]!;
      const out = mod.forward(xs.src!, xs.tgt!, {
        // torch built its mask with generate_square_subsequent_mask; so does this side
        tgtMask: f.tgtIsCausal ? nn.Transformer.generateSquareSubsequentMask(T) : null,
        srcKeyPaddingMask: m.srcKeyPaddingMask ?? null,
        tgtKeyPaddingMask: m.tgtKeyPaddingMask ?? null,
        memoryKeyPaddingMask: m.memoryKeyPaddingMask ?? null,
      });
      return { module: mod, outs: { output: out } };
    }
  }
}

function stateOf(c: AttnCase): Record<string, Tensor> {
  return Object.fromEntries(Object.entries(c.state).map(([k, s]) => [k, fromSpec(s)]));
}

for (const c of cases) {
  test(`attention parity: ${c.name} (outputs, weights, input and parameter gradients)`, () => {
    const xs: Record<string, Tensor> = {};
    for (const [k, s] of Object.entries(c.inputs)) xs[k] = s.grad ? fromSpec(s).requiresGrad_() : fromSpec(s);
    const masks: Record<string, Tensor> = {};
    for (const [k, s] of Object.entries(c.masks ?? {})) masks[k] = fromSpec(s);
    const { module, outs } = run(c, xs, masks);
    if (module) assert.deepEqual(Object.keys(module.stateDict()), Object.keys(c.state), `${c.name}: state-dict keys`);
    const keys = Object.keys(c.outputs);
    for (const k of Object.keys(outs)) {
      if (!keys.includes(k)) assert.equal(outs[k], null, `${c.name}: ${k} returned though torch returned none`);
    }
    for (const k of keys) {
      assert.ok(outs[k], `${c.name}: no ${k}`);
      assertClose(outs[k], c.outputs[k]!, `${c.name} ${k}`, 1e-4, 2e-5);
    }
    backward(
      keys.map((k) => outs[k]!),
      keys.map((k) => fromSpec(c.upstream[k]!)),
    );
    for (const [k, g] of Object.entries(c.input_grads)) {
      assert.ok(xs[k]!.grad, `${c.name}: ${k} has no gradient`);
      assertClose(xs[k]!.grad, g, `${c.name} grad of ${k}`, 1e-3, 5e-5);
    }
    if (module) {
      const params = Object.fromEntries(module.namedParameters());
      assert.deepEqual(Object.keys(params).sort(), Object.keys(c.param_grads).sort(), `${c.name}: parameter names`);
      for (const [k, g] of Object.entries(c.param_grads)) {
        assert.ok(params[k]?.grad, `${c.name}: parameter ${k} has no gradient`);
        assertClose(params[k].grad, g, `${c.name} grad of ${k}`, 1e-3, 5e-5);
      }
    }
  });
}

// Attention layers beyond the PyTorch fixtures (test/parity/attention.test.ts): float64 finite-difference
// gradients through every kind of mask, the mask conventions, dropout, PyTorch's initialisation,
// causality, positional encodings, weight tying, and a tiny Transformer that overfits one batch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  nn,
  optim,
  Generator,
  randn,
  tensor,
  zeros,
  manualSeed,
  gradcheck,
  gradgradcheck,
  crossEntropy,
  argmax,
  matmul,
  mul,
  add,
  sum,
  cat,
  narrow,
  reshape,
  transpose,
  type Tensor,
} from '../src/index.js';

const F = nn.functional;
const f64 = { dtype: 'float64' as const };

function close(a: Tensor, b: Tensor, what: string, tol = 1e-5): void {
  assert.deepEqual(a.shape, b.shape, `${what}: shapes`);
  const da = a.data;
  const db = b.data;
  for (let i = 0; i < da.length; i++) assert.ok(Math.abs(da[i]! - db[i]!) <= tol, `${what}: element ${i} is ${da[i]} vs ${db[i]}`);
}

/** A random bool mask [..shape] with true in column 0 of every row (no row loses every key). */
function attendMask(shape: number[], p: number, seed: number): Tensor {
  const g = new Generator(seed);
  const S = shape[shape.length - 1]!;
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(
    Array.from({ length: n }, (_, i) => i % S === 0 || g.random() > p),
    { shape, dtype: 'bool' },
  );
}

test('scaledDotProductAttention: float64 gradcheck of query, key and value with bool, float and causal masks, and of a float mask itself', () => {
  manualSeed(11);
  const q = randn([2, 2, 4, 3], f64).requiresGrad_();
  const k = randn([2, 2, 5, 3], f64).requiresGrad_();
  const v = randn([2, 2, 5, 2], f64).requiresGrad_();
  gradcheck((a, b, c) => F.scaledDotProductAttention(a, b, c), [q, k, v]);
  const m = attendMask([4, 5], 0.4, 3);
  gradcheck((a, b, c) => F.scaledDotProductAttention(a, b, c, { attnMask: m }), [q, k, v]);
  gradcheck((a, b, c) => F.scaledDotProductAttention(a, b, c, { isCausal: true, scale: 0.8 }), [q, k, v]);
  const bias = randn([2, 1, 4, 5], f64).requiresGrad_();
  gradcheck((a, b, c, d) => F.scaledDotProductAttention(a, b, c, { attnMask: d }), [q, k, v, bias]);
  // bool and causal together (their union), and the weights as an output
  gradcheck((a, b, c) => F.scaledDotProductAttention(a, b, c, { attnMask: m, isCausal: true, returnWeights: true })[1], [q, k, v]);
  // grouped-query attention: 4 query heads share 2 key/value heads
  const q4 = randn([1, 4, 3, 2], f64).requiresGrad_();
  gradcheck(
    (a, b, c) => F.scaledDotProductAttention(a, b, c, { enableGqa: true }),
    [q4, randn([1, 2, 5, 2], f64).requiresGrad_(), randn([1, 2, 5, 3], f64).requiresGrad_()],
  );
});

test('scaledDotProductAttention: second derivatives (gradgradcheck) with a mask', () => {
  manualSeed(12);
  const q = randn([1, 3, 2], f64).requiresGrad_();
  const k = randn([1, 4, 2], f64).requiresGrad_();
  const v = randn([1, 4, 2], f64).requiresGrad_();
  const m = attendMask([3, 4], 0.5, 5);
  gradgradcheck((a, b, c) => F.scaledDotProductAttention(a, b, c, { attnMask: m }), [q, k, v]);
});

test('scaledDotProductAttention: dropout on the weights is seeded, inverted and differentiable', () => {
  manualSeed(13);
  const q = randn([2, 3, 4], f64).requiresGrad_();
  const k = randn([2, 5, 4], f64).requiresGrad_();
  const v = randn([2, 5, 3], f64).requiresGrad_();
  const run = (): [Tensor, Tensor] =>
    F.scaledDotProductAttention(q, k, v, { dropoutP: 0.5, generator: new Generator(7), returnWeights: true });
  const [o1, w1] = run();
  const [o2] = run();
  close(o1, o2, 'same generator seed, same output', 0);
  // kept weights are scaled by 1 / (1 - p): each kept entry is twice the undropped weight
  const [, w0] = F.scaledDotProductAttention(q, k, v, { returnWeights: true });
  let dropped = 0;
  for (let i = 0; i < w1.numel(); i++) {
    const a = w1.data[i]!;
    if (a === 0) dropped++;
    else assert.ok(Math.abs(a - 2 * w0.data[i]!) < 1e-12, `kept weight ${i}`);
  }
  assert.ok(dropped > 0 && dropped < w1.numel(), `some but not all weights dropped (${dropped} of ${w1.numel()})`);
  gradcheck((a, b, c) => F.scaledDotProductAttention(a, b, c, { dropoutP: 0.3, generator: new Generator(9) }), [q, k, v]);
  const [ones] = F.scaledDotProductAttention(q, k, v, { dropoutP: 1, returnWeights: true });
  assert.ok(
    [...ones.data].every((x) => x === 0),
    'dropoutP = 1 drops every weight',
  );
});

test('scaledDotProductAttention: bool true = attend equals the float 0 / -inf mask; masked weights are exactly 0; an all-masked row is NaN as in PyTorch', () => {
  manualSeed(14);
  const q = randn([3, 4, 5]);
  const k = randn([3, 6, 5]);
  const v = randn([3, 6, 2]);
  const m = attendMask([4, 6], 0.5, 2);
  const fm = tensor(
    [...m.data].map((x) => (x ? 0 : -Infinity)),
    { shape: [4, 6] },
  );
  const [a, wa] = F.scaledDotProductAttention(q, k, v, { attnMask: m, returnWeights: true });
  const [b] = F.scaledDotProductAttention(q, k, v, { attnMask: fm, returnWeights: true });
  close(a, b, 'bool vs float mask', 1e-6);
  for (let n = 0; n < 3; n++) {
    for (let i = 0; i < 4; i++) {
      let rowSum = 0;
      for (let j = 0; j < 6; j++) {
        const w = wa.data[(n * 4 + i) * 6 + j]!;
        rowSum += w;
        if (!m.data[i * 6 + j]) assert.equal(w, 0, `masked weight (${n}, ${i}, ${j})`);
      }
      assert.ok(Math.abs(rowSum - 1) < 1e-5, `row (${n}, ${i}) sums to ${rowSum}`);
    }
  }
  const none = tensor(
    [
      [false, false],
      [true, true],
    ],
    { dtype: 'bool' },
  );
  const o = F.scaledDotProductAttention(randn([2, 3]), randn([2, 3]), randn([2, 1]), { attnMask: none });
  assert.ok(Number.isNaN(o.data[0]!) && !Number.isNaN(o.data[1]!), 'row 0 has no key: NaN; row 1 is finite');
});

test('scaledDotProductAttention: errors name the function and the shapes', () => {
  assert.throws(
    () => F.scaledDotProductAttention(randn([2, 3]), randn([4, 5]), randn([4, 2])),
    /^Error: scaledDotProductAttention: expected key \[\.\.\., S, 3\]/,
  );
  assert.throws(
    () => F.scaledDotProductAttention(randn([2, 3]), randn([4, 3]), randn([4, 2]), { attnMask: zeros([3, 4]) }),
    /scaledDotProductAttention.*\[2, 4\].*\[3, 4\]|broadcast/,
  );
  assert.throws(
    () => F.scaledDotProductAttention(randn([2, 3]), randn([4, 3]), randn([4, 2]), { dropoutP: 2 }),
    /scaledDotProductAttention: dropoutP must be in \[0, 1\]/,
  );
  assert.throws(
    () => F.scaledDotProductAttention(randn([1, 3, 2, 2]), randn([1, 2, 4, 2]), randn([1, 2, 4, 2]), { enableGqa: true }),
    /scaledDotProductAttention: enableGqa needs the query heads \(3\)/,
  );
});

test('MultiheadAttention: float64 gradcheck of inputs and every parameter with bool/float masks, key padding, bias_kv and zero attention', () => {
  manualSeed(15);
  const mha = new nn.MultiheadAttention(4, 2, { kdim: 3, vdim: 2, addBiasKv: true, addZeroAttn: true, batchFirst: true, dtype: 'float64' });
  for (const p of mha.parameters()) if (p.ndim === 1) p.data.set(randn(p.shape, f64).data);
  const q = randn([2, 3, 4], f64).requiresGrad_();
  const k = randn([2, 5, 3], f64).requiresGrad_();
  const v = randn([2, 5, 2], f64).requiresGrad_();
  const kpm = tensor(
    [
      [false, false, false, true, true],
      [false, false, false, false, false],
    ],
    { dtype: 'bool' },
  );
  const am = randn([4, 3, 5], f64);
  gradcheck(
    (a, b, c) => {
      const [o, w] = mha.forward(a, b, c, { keyPaddingMask: kpm, attnMask: am, averageAttnWeights: false });
      return cat([o.flatten(), mul(w!, 0.5).flatten()]);
    },
    [q, k, v, ...mha.parameters()],
  );
  const self = new nn.MultiheadAttention(4, 2, { dtype: 'float64' });
  const x = randn([3, 2, 4], f64).requiresGrad_();
  gradcheck((a) => self.forward(a, a, a, { isCausal: true, needWeights: false })[0], [x, ...self.parameters()]);
});

test('MultiheadAttention: the bool mask means "may not attend" (PyTorch), key padding keys get zero weight, unbatched input and isCausal', () => {
  manualSeed(16);
  const mha = new nn.MultiheadAttention(6, 3, { batchFirst: true });
  const x = randn([2, 5, 6]);
  const kpm = tensor(
    [
      [false, false, true, true, true],
      [false, false, false, false, true],
    ],
    { dtype: 'bool' },
  );
  const [, w] = mha.forward(x, x, x, { keyPaddingMask: kpm, averageAttnWeights: false });
  assert.deepEqual(w!.shape, [2, 3, 5, 5]);
  for (let n = 0; n < 2; n++)
    for (let h = 0; h < 3; h++)
      for (let i = 0; i < 5; i++)
        for (let j = 0; j < 5; j++) if (kpm.data[n * 5 + j]) assert.equal(w!.data[((n * 3 + h) * 5 + i) * 5 + j], 0);
  // a float key padding mask of 0 / -inf gives the same output as the bool one
  const fk = tensor(
    [...kpm.data].map((b) => (b ? -Infinity : 0)),
    { shape: [2, 5] },
  );
  close(mha.forward(x, x, x, { keyPaddingMask: kpm })[0], mha.forward(x, x, x, { keyPaddingMask: fk })[0], 'bool vs float key padding');
  // isCausal equals the bool causal mask and nn.Transformer.generateSquareSubsequentMask
  const causalBool = tensor(
    Array.from({ length: 25 }, (_, i) => i % 5 > Math.floor(i / 5)),
    { shape: [5, 5], dtype: 'bool' },
  );
  const byFlag = mha.forward(x, x, x, { isCausal: true })[0];
  close(byFlag, mha.forward(x, x, x, { attnMask: causalBool })[0], 'isCausal vs bool mask');
  close(byFlag, mha.forward(x, x, x, { attnMask: nn.Transformer.generateSquareSubsequentMask(5) })[0], 'isCausal vs float mask');
  // unbatched [L, E] is the batch of one, squeezed
  const one = narrow(x, 0, 0, 1);
  const [ou, wu] = mha.forward(reshape(one, [5, 6]), reshape(one, [5, 6]), reshape(one, [5, 6]));
  const [ob, wb] = mha.forward(one, one, one);
  close(ou, reshape(ob, [5, 6]), 'unbatched output');
  close(wu!, reshape(wb!, [5, 5]), 'unbatched weights');
  assert.equal(mha.forward(x, x, x, { needWeights: false })[1], null);
});

test('MultiheadAttention: batchFirst true and false give the same result on transposed inputs; dropout only in train mode', () => {
  manualSeed(17);
  const a = new nn.MultiheadAttention(8, 2, { dropout: 0.5 });
  const b = new nn.MultiheadAttention(8, 2, { dropout: 0.5, batchFirst: true });
  b.loadStateDict(a.stateDict());
  a.eval();
  b.eval();
  const q = randn([4, 3, 8]);
  const kv = randn([6, 3, 8]);
  const [oa] = a.forward(q, kv, kv);
  const [ob] = b.forward(transpose(q, 0, 1), transpose(kv, 0, 1), transpose(kv, 0, 1));
  close(oa, transpose(ob, 0, 1).contiguous(), 'layouts');
  close(a.forward(q, kv, kv)[0], oa, 'eval mode is deterministic', 0);
  a.train();
  const [t1] = a.forward(q, kv, kv);
  const [t2] = a.forward(q, kv, kv);
  assert.ok(
    [...t1.data].some((x, i) => x !== t2.data[i]),
    'train mode drops different weights each call',
  );
});

test('MultiheadAttention: PyTorch initialisation (xavier_uniform_ in_proj, zero biases) and names with separate kdim/vdim', () => {
  manualSeed(18);
  const E = 64;
  const m = new nn.MultiheadAttention(E, 4);
  const bound = Math.sqrt(6 / (E + 3 * E)); // xavier on the stacked [3E, E] matrix
  const w = m.inProjWeight!.data;
  let maxAbs = 0;
  let sq = 0;
  for (const x of w) {
    maxAbs = Math.max(maxAbs, Math.abs(x));
    sq += x * x;
  }
  assert.ok(maxAbs <= bound && maxAbs > 0.95 * bound, `in_proj_weight within +-${bound}, max ${maxAbs}`);
  const variance = sq / w.length;
  assert.ok(Math.abs(variance - (bound * bound) / 3) < 0.05 * ((bound * bound) / 3), `uniform variance ${variance}`);
  assert.ok([...m.inProjBias!.data].every((x) => x === 0) && [...m.outProj.bias!.data].every((x) => x === 0), 'zero biases');
  const sep = new nn.MultiheadAttention(6, 2, { kdim: 3, vdim: 5, addBiasKv: true, bias: false });
  assert.deepEqual(
    Object.entries(sep.stateDict()).map(([k, t]) => `${k} ${t.shape.join('x')}`),
    ['q_proj_weight 6x6', 'k_proj_weight 6x3', 'v_proj_weight 6x5', 'bias_k 1x1x6', 'bias_v 1x1x6', 'out_proj.weight 6x6'],
  );
  assert.throws(() => new nn.MultiheadAttention(6, 4), /nn\.MultiheadAttention: embedDim 6 must be divisible by numHeads 4/);
  assert.throws(
    () => m.forward(randn([3, 2, 64]), randn([3, 2, 64]), randn([3, 2, 64]), { attnMask: zeros([2, 3]) }),
    /MultiheadAttention\.forward: attnMask must be \[L, S\] = \[3, 3\] or \[N \* numHeads, L, S\] = \[8, 3, 3\], got \[2, 3\]/,
  );
  assert.throws(
    () => m.forward(randn([3, 2, 64]), randn([3, 2, 64]), randn([3, 2, 64]), { keyPaddingMask: zeros([3, 2]) }),
    /MultiheadAttention\.forward: keyPaddingMask must be \[N, S\] = \[2, 3\], got \[3, 2\]/,
  );
});

test('Transformer layers: float64 gradcheck of encoder and decoder layers (post- and pre-norm, relu and gelu)', () => {
  manualSeed(19);
  const enc = new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 6, dropout: 0, activation: 'gelu', dtype: 'float64' });
  const src = randn([3, 2, 4], f64).requiresGrad_();
  const kpm = tensor(
    [
      [false, false, false],
      [false, false, true],
    ],
    { dtype: 'bool' },
  );
  gradcheck((a) => enc.forward(a, { srcKeyPaddingMask: kpm }), [src, ...enc.parameters()]);
  const dec = new nn.TransformerDecoderLayer(4, 2, { dimFeedforward: 6, dropout: 0, normFirst: true, batchFirst: true, dtype: 'float64' });
  const tgt = randn([2, 3, 4], f64).requiresGrad_();
  const mem = randn([2, 4, 4], f64).requiresGrad_();
  gradcheck((a, b) => dec.forward(a, b, { tgtIsCausal: true }), [tgt, mem, ...dec.parameters()]);
});

test('Transformer: causal decoding (an output never depends on later target positions), xavier init, cloned stacks, options checked', () => {
  manualSeed(20);
  const t = new nn.Transformer({
    dModel: 8,
    nhead: 2,
    numEncoderLayers: 2,
    numDecoderLayers: 2,
    dimFeedforward: 16,
    dropout: 0,
    batchFirst: true,
  });
  const src = randn([2, 5, 8]);
  const tgt = randn([2, 4, 8]);
  const mask = nn.Transformer.generateSquareSubsequentMask(4);
  const y = t.forward(src, tgt, { tgtMask: mask });
  const changed = cat([narrow(tgt, 1, 0, 3), randn([2, 1, 8])], 1);
  const y2 = t.forward(src, changed, { tgtMask: mask });
  close(narrow(y, 1, 0, 3).contiguous(), narrow(y2, 1, 0, 3).contiguous(), 'first 3 positions unchanged');
  assert.ok(
    [...narrow(y, 1, 3, 1).contiguous().data].some((v, i) => Math.abs(v - narrow(y2, 1, 3, 1).contiguous().data[i]!) > 1e-4),
    'position 3 changed',
  );
  close(t.forward(src, tgt, { tgtIsCausal: true }), y, 'tgtIsCausal equals the mask');
  for (const [name, p] of t.namedParameters()) {
    if (p.ndim < 2) continue;
    const bound = Math.sqrt(6 / (p.shape[0]! + p.shape[1]!));
    assert.ok(
      [...p.data].every((x) => Math.abs(x) <= bound),
      `${name} within the xavier bound ${bound}`,
    );
  }
  assert.deepEqual([...nn.Transformer.generateSquareSubsequentMask(3).data], [0, -Infinity, -Infinity, 0, 0, -Infinity, 0, 0, 0]);
  // TransformerEncoder copies its layer numLayers times: same values, separate tensors
  const layer = new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 8 });
  const stack = new nn.TransformerEncoder(layer, 3, { norm: new nn.LayerNorm(4) });
  const keys = Object.keys(stack.stateDict());
  assert.ok(keys.includes('layers.2.self_attn.in_proj_weight') && keys.includes('norm.weight'));
  const w0 = stack.get('layers.0.linear1.weight') as Tensor;
  const w2 = stack.get('layers.2.linear1.weight') as Tensor;
  close(w0, layer.linear1.weight, 'a copy of the given layer', 0);
  assert.notEqual(w0.storage, w2.storage);
  // bias: false (PyTorch 2.1) removes every bias: projections, FFN and LayerNorms
  const nb = new nn.Transformer({ dModel: 4, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 8, bias: false });
  assert.deepEqual(
    Object.keys(nb.stateDict()).filter((k) => k.endsWith('bias')),
    [],
  );
  assert.ok(Object.keys(nb.stateDict()).includes('decoder.norm.weight'));
  assert.throws(() => new nn.TransformerEncoderLayer(6, 4), /nn\.TransformerEncoderLayer: dModel 6 must be divisible by nhead 4/);
  assert.throws(
    () => new nn.TransformerEncoderLayer(4, 2, { activation: 'tanh' as never }),
    /nn\.TransformerEncoderLayer: option 'activation' must be 'relu', 'gelu' or a function/,
  );
  assert.throws(
    () => t.forward(src, randn([3, 4, 8])),
    /Transformer\.forward: src \[2, 5, 8\] and tgt \[3, 4, 8\] have different batch sizes/,
  );
  assert.throws(() => layer.forward(randn([3, 2, 5])), /TransformerEncoderLayer\.forward: src must be \[L, N, E\]/);
});

test('incremental decoding: decodeStep with a key/value cache equals the causal full decoder, post- and pre-norm, both layouts; reorder keeps beams', () => {
  manualSeed(23);
  for (const [normFirst, batchFirst] of [
    [false, false],
    [true, true],
  ] as const) {
    const t = new nn.Transformer({
      dModel: 8,
      nhead: 2,
      numEncoderLayers: 1,
      numDecoderLayers: 2,
      dimFeedforward: 16,
      normFirst,
      batchFirst,
      dtype: 'float64',
    });
    t.eval();
    const bd = batchFirst ? 0 : 1;
    const sd = 1 - bd;
    const src = randn(batchFirst ? [3, 5, 8] : [5, 3, 8], f64);
    const tgt = randn(batchFirst ? [3, 4, 8] : [4, 3, 8], f64);
    const pad = tensor(
      [
        [false, false, false, true, true],
        [false, false, false, false, false],
        [false, true, true, true, true],
      ],
      { dtype: 'bool' },
    );
    const memory = t.encode(src, { srcKeyPaddingMask: pad });
    const full = t.decode(tgt, memory, { tgtIsCausal: true, memoryKeyPaddingMask: pad });
    const cache = t.newDecoderCache();
    for (let i = 0; i < 4; i++) {
      const y = t.decodeStep(narrow(tgt, sd, i, 1), memory, cache, { memoryKeyPaddingMask: pad });
      close(y, narrow(full, sd, i, 1).contiguous(), `step ${i} (normFirst ${normFirst}, batchFirst ${batchFirst})`, 1e-10);
      assert.equal(cache.length, i + 1);
    }
    // keeping rows [2, 2, 0] of the batch (beam search) gives the decoding of those rows
    const rows = tensor([2, 2, 0], { dtype: 'int32' });
    cache.reorder(rows);
    const pick = (x: Tensor): Tensor =>
      cat(
        [2, 2, 0].map((r) => narrow(x, bd, r, 1)),
        bd,
      );
    const next = randn(batchFirst ? [3, 1, 8] : [1, 3, 8], f64);
    const mem2 = pick(memory);
    const pad2 = cat(
      [2, 2, 0].map((r) => narrow(pad, 0, r, 1)),
      0,
    );
    const y = t.decodeStep(next, mem2, cache, { memoryKeyPaddingMask: pad2 });
    const ref = t.decode(cat([pick(tgt), next], sd), mem2, { tgtIsCausal: true, memoryKeyPaddingMask: pad2 });
    close(y, narrow(ref, sd, 4, 1).contiguous(), 'after reorder', 1e-10);
  }
  assert.throws(() => new nn.TransformerDecoderCache(0), /nn\.TransformerDecoderCache: numLayers must be a positive integer/);
});

test('PositionalEncoding: the sinusoids of Vaswani et al., offsets, both layouts; LearnedPositionalEmbedding trains', () => {
  const pe = new nn.PositionalEncoding(6, { maxLen: 20, dropout: 0 });
  assert.deepEqual(Object.keys(pe.stateDict()), [], 'the table is not saved');
  const x = zeros([4, 2, 6]);
  const y = pe.forward(x, 3);
  for (let pos = 0; pos < 4; pos++) {
    for (let i = 0; i < 3; i++) {
      const angle = (pos + 3) / Math.pow(10000, (2 * i) / 6);
      for (let n = 0; n < 2; n++) {
        assert.ok(Math.abs(y.data[(pos * 2 + n) * 6 + 2 * i]! - Math.sin(angle)) < 1e-6);
        assert.ok(Math.abs(y.data[(pos * 2 + n) * 6 + 2 * i + 1]! - Math.cos(angle)) < 1e-6);
      }
    }
  }
  const bf = new nn.PositionalEncoding(6, { maxLen: 20, dropout: 0, batchFirst: true });
  close(bf.forward(zeros([2, 4, 6]), 3), transpose(y, 0, 1).contiguous(), 'batchFirst');
  assert.throws(
    () => pe.forward(zeros([18, 1, 6]), 3),
    /PositionalEncoding\.forward: positions 3\.\.20 of input \[18, 1, 6\] exceed maxLen 20/,
  );
  const lp = new nn.LearnedPositionalEmbedding(10, 4, { batchFirst: true });
  const out = lp.forward(zeros([2, 3, 4]), 1);
  sum(mul(out, out)).backward();
  const g = lp.weight.grad!;
  assert.ok(
    [...narrow(g, 0, 0, 1).contiguous().data].every((v) => v === 0),
    'position 0 unused',
  );
  assert.ok(
    [...narrow(g, 0, 1, 3).contiguous().data].some((v) => v !== 0),
    'positions 1..3 get gradients',
  );
});

test('tieWeights: the output layer shares the embedding matrix; gradients of both uses add up; one optimizer entry', () => {
  manualSeed(21);
  const emb = new nn.Embedding(7, 4);
  const head = new nn.Linear(4, 7);
  nn.tieWeights(head, emb);
  assert.equal(head.weight, emb.weight);
  const model = new nn.ModuleList([emb, head]);
  assert.equal(model.parameters().length, 2, 'weight (shared) and the head bias');
  assert.deepEqual(Object.keys(model.stateDict()), ['0.weight', '1.weight', '1.bias']);
  const ids = tensor([1, 3, 3], { dtype: 'int32' });
  sum(mul(head.forward(emb.forward(ids)), 0.5)).backward();
  // the same loss with an untied copy: the shared gradient is the sum of the two
  const w = emb.weight.detach().contiguous().requiresGrad_();
  const w2 = emb.weight.detach().contiguous().requiresGrad_();
  const h2 = cat([narrow(w, 0, 1, 1), narrow(w, 0, 3, 1), narrow(w, 0, 3, 1)]);
  sum(mul(add(matmul(h2, transpose(w2)), head.bias!), 0.5)).backward();
  close(emb.weight.grad!, add(w.grad!, w2.grad!), 'tied gradient = embedding part + output part', 1e-5);
  assert.throws(() => nn.tieWeights(new nn.Linear(4, 6), emb), /tieWeights: output weight \[6, 4\]/);
});

test('a tiny Transformer overfits one batch of the reverse task (tied embeddings, sinusoidal positions, causal decoder)', () => {
  manualSeed(22);
  const V = 8;
  const BOS = 0;
  const E = 16;
  const N = 12;
  const L = 5;
  const g = new Generator(5);
  const srcIds = Array.from({ length: N * L }, () => 1 + Math.floor(g.random() * (V - 1)));
  const tgtOut = Array.from({ length: N * L }, (_, i) => srcIds[Math.floor(i / L) * L + (L - 1 - (i % L))]!);
  const tgtIn = tgtOut.map((_, i) => (i % L === 0 ? BOS : tgtOut[i - 1]!));
  const ids = (a: number[]): Tensor => tensor(a, { shape: [N, L], dtype: 'int32' });
  const emb = new nn.Embedding(V, E);
  const pos = new nn.PositionalEncoding(E, { maxLen: 16, dropout: 0, batchFirst: true });
  const tr = new nn.Transformer({
    dModel: E,
    nhead: 2,
    numEncoderLayers: 1,
    numDecoderLayers: 1,
    dimFeedforward: 32,
    dropout: 0,
    batchFirst: true,
  });
  const head = new nn.Linear(E, V);
  nn.tieWeights(head, emb);
  const model = new nn.ModuleList<nn.Module<any, any>>([emb, pos, tr, head]);
  const opt = new optim.Adam(model.parameters(), { lr: 0.01 });
  const embed = (t: Tensor): Tensor => pos.forward(mul(emb.forward(t), Math.sqrt(E)));
  const logits = (): Tensor => head.forward(tr.forward(embed(ids(srcIds)), embed(ids(tgtIn)), { tgtIsCausal: true }));
  let loss = Infinity;
  for (let step = 0; step < 300 && loss > 0.02; step++) {
    opt.zeroGrad();
    const l = crossEntropy(reshape(logits(), [N * L, V]), tensor(tgtOut, { dtype: 'int32' }));
    l.backward();
    opt.step();
    loss = l.item();
  }
  assert.ok(loss < 0.05, `loss ${loss}`);
  const pred = argmax(logits(), { dim: -1 });
  assert.deepEqual([...pred.data], tgtOut, 'every reversed token predicted (teacher forcing)');
});

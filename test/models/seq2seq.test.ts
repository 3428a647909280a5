import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Tensor, manualSeed, randn, nn, gradcheck, noGrad, sum, mul } from '../../src/index.js';
import { seq2seq } from '../../src/models/index.js';
import { prepareRecipe } from '../../src/train/prepare.js';

const f64 = (shape: number[]): Tensor => randn(shape, { dtype: 'float64', requiresGrad: true });

/** The attention of one example, straight from the formulas with loops (no batching, no broadcasting). */
function attentionByHand(
  score: (q: number[], k: number[]) => number,
  q: number[][],
  k: number[][],
  valid: number,
): { c: number[][]; a: number[][] } {
  const c: number[][] = [];
  const a: number[][] = [];
  for (const qt of q) {
    const e = k.map((ks, s) => (s < valid ? score(qt, ks) : -Infinity));
    const m = Math.max(...e);
    const z = e.reduce((acc, v) => acc + Math.exp(v - m), 0);
    const w = e.map((v) => Math.exp(v - m) / z);
    a.push(w);
    c.push(k[0]!.map((_, j) => w.reduce((acc, ws, s) => acc + ws * k[s]![j]!, 0)));
  }
  return { c, a };
}

const rows = (t: Tensor): number[][] => t.toArray() as number[][];
const dot = (x: number[], y: number[]): number => x.reduce((s, v, i) => s + v * y[i]!, 0);
const matVec = (w: number[][], x: number[]): number[] => w.map((r) => dot(r, x));

function close(got: number[][], want: number[][], what: string, tol = 1e-9): void {
  got.forEach((r, i) => r.forEach((v, j) => assert.ok(Math.abs(v - want[i]![j]!) <= tol, `${what}[${i}][${j}]: ${v} vs ${want[i]![j]}`)));
}

test('nn.LuongAttention (dot, general, concat) and nn.AdditiveAttention match the per-example formulas, with padding masked', () => {
  manualSeed(3);
  const B = 2;
  const S = 5;
  const T = 3;
  const D = 4;
  const lengths = [5, 3];
  const mask = nn.paddingMask(lengths, S);
  const q = randn([B, T, D], { dtype: 'float64' });
  const k = randn([B, S, D], { dtype: 'float64' });
  const layers: [string, nn.AdditiveAttention | nn.LuongAttention, (l: never) => (q: number[], k: number[]) => number][] = [
    ['dot', new nn.LuongAttention(D, D, { score: 'dot', dtype: 'float64' }), () => dot],
    [
      'general',
      new nn.LuongAttention(D, D, { score: 'general', dtype: 'float64' }),
      (l: nn.LuongAttention) => (qt, ks) => dot(qt, matVec(rows(l.weight!), ks)),
    ],
    [
      'concat',
      new nn.LuongAttention(D, D, { score: 'concat', hiddenSize: 6, dtype: 'float64' }),
      (l: nn.LuongAttention) => (qt, ks) => dot(l.v!.toList(), matVec(rows(l.weight!), [...qt, ...ks]).map(Math.tanh)),
    ],
    [
      'additive',
      new nn.AdditiveAttention(D, D, 5, { dtype: 'float64' }),
      (l: nn.AdditiveAttention) => (qt, ks) => {
        const wq = matVec(rows(l.queryProj.weight), qt);
        const wk = matVec(rows(l.keyProj.weight), ks);
        const b = l.keyProj.bias!.toList();
        const v = rows(l.energy.weight)[0]!;
        return dot(
          v,
          wq.map((x, i) => Math.tanh(x + wk[i]! + b[i]!)),
        );
      },
    ],
  ];
  for (const [name, layer, scoreOf] of layers) {
    const { context, weights } = layer.forward(q, k, mask);
    assert.deepEqual(context.shape, [B, T, D], name);
    assert.deepEqual(weights.shape, [B, T, S], name);
    const score = scoreOf(layer as never);
    for (let b = 0; b < B; b++) {
      const want = attentionByHand(score, rows(q.select(0, b)), rows(k.select(0, b)), lengths[b]!);
      close(rows(weights.select(0, b)), want.a, `${name} weights, example ${b}`);
      close(rows(context.select(0, b)), want.c, `${name} context, example ${b}`);
    }
    // padding gets no weight; one-step queries give the same rows as the sequence form
    for (const w of rows(weights.select(0, 1))) assert.deepEqual(w.slice(3), [0, 0]);
    const one = layer.forward(q.select(1, 2), k, mask);
    assert.deepEqual(one.context.shape, [B, D]);
    close(rows(one.weights), rows(weights.select(1, 2)), `${name} one step`);
  }
});

test('attention layers: gradients of query, keys and every parameter pass the float64 finite-difference check, with a mask', () => {
  manualSeed(5);
  const mask = nn.paddingMask([3, 2], 3);
  const layers = [
    new nn.AdditiveAttention(3, 4, 2, { dtype: 'float64' }),
    new nn.LuongAttention(4, 4, { score: 'dot', dtype: 'float64' }),
    new nn.LuongAttention(3, 4, { score: 'general', dtype: 'float64' }),
    new nn.LuongAttention(3, 4, { score: 'concat', hiddenSize: 2, dtype: 'float64' }),
  ];
  for (const l of layers) {
    const q = f64([2, 2, l.querySize]);
    const k = f64([2, 3, 4]);
    // the context and the weights both carry gradient
    const fn = (qq: Tensor, kk: Tensor): Tensor => {
      const r = l.forward(qq, kk, mask);
      return sum(mul(r.context, 1)).add(sum(mul(r.weights, r.weights)));
    };
    assert.equal(gradcheck(fn as never, [q, k, ...l.parameters()]), true, l.toString());
  }
});

test('attention layers refuse wrong shapes and masks that hide a whole sequence, naming the layer', () => {
  const att = new nn.LuongAttention(4, 4);
  assert.throws(() => att.forward(randn([2, 3, 5]), randn([2, 6, 4])), /LuongAttention: query must be \[2, Tq, 4\]/);
  assert.throws(() => att.forward(randn([2, 3, 4]), randn([2, 6, 3])), /LuongAttention: keys must be \[B, S, 4\]/);
  assert.throws(() => att.forward(randn([2, 3, 4]), randn([2, 2, 4]), nn.paddingMask([2, 1], 3)), /mask must be a bool tensor \[2, 2\]/);
  const all = Tensor.empty([1, 2], 'bool');
  all.storage.fill(1);
  assert.throws(() => att.forward(randn([1, 4]), randn([1, 2, 4]), all), /mask hides every position of sequence 0/);
  assert.throws(() => new nn.LuongAttention(3, 4, { score: 'dot' }), /dot score needs querySize = keySize/);
  assert.throws(() => nn.paddingMask([0, 2], 2), /paddingMask: length 0 of sequence 0 is not in \[1, 2\]/);
});

test('addition and date generators: seeded, distinct pairs, correct answers, held-out days never seen in training', () => {
  const a = seq2seq.additionPairs({ count: 3000, seed: 4 });
  assert.deepEqual(a, seq2seq.additionPairs({ count: 3000, seed: 4 }));
  assert.notDeepEqual(a.slice(0, 5), seq2seq.additionPairs({ count: 5, seed: 5 }));
  assert.equal(new Set(a.map((p) => p.source)).size, 3000);
  for (const p of a) {
    const [x, y] = p.source.split('+').map(Number) as [number, number];
    assert.ok(x < 1000 && y < 1000);
    assert.equal(Number(p.target), x + y);
  }
  const d = seq2seq.datePairs({ trainSize: 3000, validSize: 500, seed: 2 });
  const trainDays = new Set(d.train.map((p) => p.target));
  assert.ok(
    d.valid.every((p) => !trainDays.has(p.target)),
    'a held-out day appears in training',
  );
  for (const p of [...d.train, ...d.valid]) {
    assert.match(p.target, /^(19[5-9]\d|20[0-4]\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/);
    const [y, m, day] = p.target.split('-').map(Number) as [number, number, number];
    // the day number is written in the source (as d, dd, or a "3rd"-style ordinal), and the year's last two digits
    assert.ok(p.source.includes(String(day)) && p.source.includes(String(y).slice(2)), `${p.source} -> ${p.target}`);
    assert.ok(m >= 1 && m <= 12);
  }
  // the weekday is the real one: 3 March 1996 was a Sunday
  const first = seq2seq.DATE_FORMATS[0]!({ y: 1996, m: 3, d: 3, w: new Date(Date.UTC(1996, 2, 3)).getUTCDay() } as never);
  assert.equal(first, 'Sunday, March 3 1996');
  assert.ok(new Set(d.train.map((p) => p.source.replace(/\d/g, '9'))).size > 20, 'many formats');
});

test('collateSeq2Seq pads sources at the end and shifts targets: <bos> y for the input, y <eos> for the output', () => {
  const b = seq2seq.collateSeq2Seq(
    [
      { source: Int32Array.of(5, 6, 7), target: Int32Array.of(8) },
      { source: Int32Array.of(9), target: Int32Array.of(10, 11) },
    ],
    { pad: 0, bos: 1, eos: 2 },
  );
  assert.deepEqual(b.src.toArray(), [
    [5, 9],
    [6, 0],
    [7, 0],
  ]);
  assert.deepEqual([...b.lengths], [3, 1]);
  assert.deepEqual(b.input.toArray(), [
    [1, 1],
    [8, 10],
    [0, 11],
  ]);
  assert.deepEqual(b.target.toArray(), [
    [8, 10],
    [2, 11],
    [0, 2],
  ]);
  assert.equal(b.tokens, 5);
});

test('Seq2Seq: reversing the source is reading it backwards, and a padded batch gives each sequence the answer it gets alone', () => {
  manualSeed(1);
  const opts = { srcVocab: 12, tgtVocab: 9, embedSize: 5, hiddenSize: 6 };
  const fwd = new seq2seq.Seq2Seq({ ...opts, peeky: true });
  const rev = new seq2seq.Seq2Seq({ ...opts, peeky: true, reverseSource: true });
  rev.loadStateDict(fwd.stateDict());
  const ids = { pad: 0, bos: 1, eos: 2 };
  const x = Int32Array.of(4, 7, 9, 3);
  const y = Int32Array.of(5, 6);
  const a = seq2seq.collateSeq2Seq([{ source: x, target: y }], ids);
  const b = seq2seq.collateSeq2Seq([{ source: x.slice().reverse(), target: y }], ids);
  assert.deepEqual(rev.forward(a, a.input).logits.toArray(), fwd.forward(b, b.input).logits.toArray());
  for (const o of [
    { attention: 'general' as const },
    { attention: 'additive' as const, bidirectional: true, reverseSource: true },
    { attention: 'concat' as const, numLayers: 2, peeky: true },
  ]) {
    const m = new seq2seq.Seq2Seq({ ...opts, ...o });
    const alone = seq2seq.collateSeq2Seq([{ source: Int32Array.of(4, 7), target: y }], ids);
    const batch = seq2seq.collateSeq2Seq(
      [
        { source: Int32Array.of(4, 7), target: y },
        { source: x, target: y },
      ],
      ids,
    );
    const one = noGrad(() => m.forward(alone, alone.input));
    const two = noGrad(() => m.forward(batch, batch.input));
    const l1 = one.logits.select(1, 0).toArray() as number[][];
    const l2 = two.logits.select(1, 0).toArray() as number[][];
    l1.forEach((r, t) => r.forEach((v, j) => assert.ok(Math.abs(v - l2[t]![j]!) < 1e-5, `${JSON.stringify(o)} logit ${t},${j}`)));
    // the padded positions of the short source get no attention
    for (const w of two.attention!.select(0, 0).toArray() as number[][]) assert.deepEqual(w.slice(2), [0, 0]);
  }
});

test('Seq2Seq overfits one batch (baseline, reversed-peeky, attention): greedy decoding then reproduces every target; beam 1 = greedy', () => {
  manualSeed(0);
  const vocab = seq2seq.seq2seqCharVocab(['0123456789+ ']);
  const ids = { pad: 0, bos: 1, eos: 2 };
  const pairs = seq2seq
    .additionPairs({ count: 8, digits: 2, seed: 1 })
    .map((p) => ({ source: vocab.encode(p.source), target: vocab.encode(p.target) }));
  for (const o of [{}, { reverseSource: true, peeky: true }, { attention: 'general' as const, bidirectional: true }]) {
    const m = new seq2seq.Seq2Seq({ srcVocab: vocab.size, tgtVocab: vocab.size, embedSize: 8, hiddenSize: 32, ...o });
    const { task } = seq2seq.seq2seqTask(m, { train: pairs, valid: pairs }, ids, { epochs: 1, batchSize: 8, lr: 0.02 });
    for (let s = 0; s < 150; s++) task.trainStep({ epoch: 0, batch: s, step: s });
    const r = seq2seq.evaluateSeq2Seq(m, pairs, ids);
    assert.equal(r.exactMatch, 1, `${JSON.stringify(o)}: exact match ${r.exactMatch}, loss ${r.loss}`);
    const src = pairs.map((p) => p.source);
    const greedy = seq2seq.generateSeq2Seq(m, src, ids, { maxLength: 5 });
    assert.deepEqual(seq2seq.generateSeq2Seq(m, src, ids, { maxLength: 5, method: 'beam', beamWidth: 1 }), greedy);
    assert.deepEqual(seq2seq.generateSeq2Seq(m, src, ids, { maxLength: 5, method: 'beam', beamWidth: 3, lengthPenalty: 0 }), greedy);
  }
});

test('recipes seq2seq-addition and attention-dates: a few steps run, and the dates heatmap spec holds one panel per example', async () => {
  const add = prepareRecipe('seq2seq-addition', { epochs: 1, maxBatches: 3, pairs: 200, evalLimit: 20, hidden: 8, variant: 'peeky' }, null);
  await add.trainer.fit();
  const last = add.trainer.history.at(-1)!.eval;
  assert.ok(last['validExactMatch']! >= 0 && Number.isFinite(last['validLoss']!), JSON.stringify(last));
  const dates = prepareRecipe('attention-dates', { epochs: 1, maxBatches: 2, trainSize: 100, validSize: 30, hidden: 8, embed: 4 }, null);
  await dates.trainer.fit();
  const files = dates.run.artifacts!();
  const spec = JSON.parse(files['attention.vl.json'] as string) as {
    concat: { title: string; data: { values: { example: string; t: number; weight: number }[] } }[];
  };
  assert.equal(spec.concat.length, 4);
  for (const panel of spec.concat) {
    const v = panel.data.values;
    assert.ok(v.length > 0 && v.every((x) => x.example === panel.title && x.weight >= 0 && x.weight <= 1));
    // each generated character's weights over the source sum to 1
    const rowsum = new Map<number, number>();
    for (const x of v) rowsum.set(x.t, (rowsum.get(x.t) ?? 0) + x.weight);
    for (const total of rowsum.values()) assert.ok(Math.abs(total - 1) < 1e-4);
  }
  assert.match(files['samples.txt'] as string, /-> /);
});

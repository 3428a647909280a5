// The shared decoding module (src/models/decoding.ts): greedy, sampling (temperature, top-k) and
// beam search, driven through a StepDecoder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Generator, Tensor, randn, manualSeed, nn, tanh, matmul, add, reshape, indexSelect } from '../src/index.js';
import { decoding } from '../src/models/index.js';

const { argmaxToken, sampleToken, decode } = decoding;

test('argmaxToken picks the largest logit (the lowest id on ties), skipping excluded ids', () => {
  assert.equal(argmaxToken([0.1, 2, -1, 2]), 1);
  assert.equal(argmaxToken(Float32Array.of(0.1, 2, -1, 3)), 3);
  assert.equal(argmaxToken([0.1, 2, -1, 3], { exclude: [3, 1] }), 0);
  assert.throws(() => argmaxToken([1], { exclude: [0] }), /argmaxToken: every token is excluded/);
  assert.throws(() => argmaxToken('12' as never), /argmaxToken: argument 1 \(logits\) must be a list of numbers/);
});

test('sampleToken: seeded draws are reproducible, follow the softmax, and top-k never leaves the top k', () => {
  const logits = [1.5, 0.2, -0.3, 2.0, 0.9, -1.2, 0.0];
  const draw = (seed: number, o = {}): number[] => {
    const g = new Generator(seed);
    return Array.from({ length: 50 }, () => sampleToken(logits, g, o));
  };
  assert.deepEqual(draw(7), draw(7));
  assert.notDeepEqual(draw(7), draw(8));
  // frequencies against p(w) = softmax(logits / τ)
  for (const temperature of [1, 0.5]) {
    const g = new Generator(3);
    const counts = new Array<number>(logits.length).fill(0);
    const N = 20000;
    for (let i = 0; i < N; i++) counts[sampleToken(logits, g, { temperature })]!++;
    const e = logits.map((z) => Math.exp(z / temperature));
    const Z = e.reduce((a, b) => a + b, 0);
    e.forEach((v, w) => assert.ok(Math.abs(counts[w]! / N - v / Z) < 0.015, `τ ${temperature}, token ${w}: ${counts[w]! / N} vs ${v / Z}`));
  }
  const top3 = new Set([3, 0, 4]);
  const seen = new Set<number>();
  const g = new Generator(1);
  for (let i = 0; i < 3000; i++) {
    const w = sampleToken(logits, g, { topK: 3, temperature: 5 });
    assert.ok(top3.has(w), `top-3 sampling drew ${w}`);
    seen.add(w);
  }
  assert.equal(seen.size, 3, 'all of the top 3 are drawn at a high temperature');
  for (let i = 0; i < 200; i++) assert.notEqual(sampleToken(logits, g, { exclude: [3] }), 3);
  assert.throws(() => sampleToken(logits, g, { temperature: 0 }), /sampleToken: temperature must be a finite number > 0, got 0/);
  assert.throws(() => sampleToken(logits, 3 as never), /sampleToken: argument 2 \(generator\) must be a Generator/);
  assert.throws(() => sampleToken(logits, g, { topk: 2 } as never), /sampleToken: unknown option 'topk'/);
});

/** A small random recurrent decoder: state h [n, H]; logits = W_out tanh(W_h h + E[token]). */
function toyDecoder(V: number, H: number, seed: number): { dec: Required<decoding.StepDecoder<Tensor>>; start: (rows: number) => Tensor } {
  manualSeed(seed);
  const E = new nn.Embedding(V, H);
  const Wh = randn([H, H]);
  const Wout = randn([H, V]);
  const dec = {
    step: (tokens: Int32Array, h: Tensor) => {
      const next = tanh(add(matmul(h, Wh), E.forward(new Tensor(Int32Array.from(tokens), [tokens.length]))));
      return { logits: matmul(next, Wout), state: next };
    },
    reorder: (h: Tensor, rows: Int32Array) => indexSelect(h, 0, new Tensor(Int32Array.from(rows), [rows.length])),
  };
  const start = (rows: number): Tensor => reshape(randn([rows * H]), [rows, H]);
  return { dec, start };
}

test('decode: greedy follows the argmax at every step and stops at <eos>; beam width 1 is greedy', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const V = 9;
    const { dec, start } = toyDecoder(V, 6, seed);
    const h0 = start(3);
    const greedy = decode(dec, h0, 3, { maxLength: 12, bos: 0, eos: 1 });
    // the same walk by hand, row by row, with argmaxToken
    for (let r = 0; r < 3; r++) {
      let h = dec.reorder(h0, Int32Array.of(r));
      let tok = 0;
      const mine: number[] = [];
      for (let t = 0; t < 12; t++) {
        const s = dec.step(Int32Array.of(tok), h);
        h = s.state;
        tok = argmaxToken(s.logits.data as Float32Array);
        if (tok === 1) break;
        mine.push(tok);
      }
      assert.deepEqual(greedy[r], mine, `seed ${seed}, row ${r}`);
    }
    const beam1 = decode(dec, h0, 3, { maxLength: 12, bos: 0, eos: 1, method: 'beam', beamWidth: 1 });
    assert.deepEqual(beam1, greedy, `seed ${seed}: beam width 1 = greedy`);
    const noEos = decode(dec, h0, 3, { maxLength: 7, bos: 0 });
    assert.ok(noEos.every((s) => s.length === 7));
    assert.deepEqual(decode(dec, h0, 3, { maxLength: 7, bos: 0, method: 'beam', beamWidth: 1 }), noEos);
  }
});

/** log p of a sequence (plus <eos> when `eos` is given) under the toy decoder. */
function logProb(dec: decoding.StepDecoder<Tensor>, h0: Tensor, seq: number[], eos: number | null): number {
  let h = h0;
  let tok = 0;
  let lp = 0;
  for (const w of eos === null ? seq : [...seq, eos]) {
    const s = dec.step(Int32Array.of(tok), h);
    h = s.state;
    const z = [...(s.logits.data as Float32Array)];
    const m = Math.max(...z);
    lp += z[w]! - m - Math.log(z.reduce((a, v) => a + Math.exp(v - m), 0));
    tok = w;
  }
  return lp;
}

test('decode: a wider beam never finds a less likely sequence than greedy (α = 0), and the length penalty favours longer ones', () => {
  let better = 0;
  for (const seed of [11, 12, 13, 14, 15, 16]) {
    const { dec, start } = toyDecoder(6, 5, seed);
    const h0 = start(1);
    const o = { maxLength: 8, bos: 0, eos: 1 };
    const g = decode(dec, h0, 1, o)[0]!;
    const b = decode(dec, h0, 1, { ...o, method: 'beam', beamWidth: 5, lengthPenalty: 0 })[0]!;
    const ended = (s: number[]): number | null => (s.length < 8 ? 1 : null);
    const lg = logProb(dec, h0, g, ended(g));
    const lb = logProb(dec, h0, b, ended(b));
    assert.ok(lb >= lg - 1e-5, `seed ${seed}: beam ${lb} < greedy ${lg}`);
    if (lb > lg + 1e-5) better++;
    const long = decode(dec, h0, 1, { ...o, method: 'beam', beamWidth: 5, lengthPenalty: 3 })[0]!;
    assert.ok(long.length >= b.length, `seed ${seed}: α = 3 gave ${long.length} tokens, α = 0 ${b.length}`);
  }
  assert.ok(better > 0, 'the beam beats greedy somewhere');
});

test('decode: seeded sampling is reproducible, top-k restricts every step, options are checked', () => {
  const { dec, start } = toyDecoder(12, 6, 21);
  const h0 = start(4);
  const o = { maxLength: 10, bos: 0, eos: 1, method: 'sample' as const, seed: 5 };
  assert.deepEqual(decode(dec, h0, 4, o), decode(dec, h0, 4, o));
  assert.notDeepEqual(decode(dec, h0, 4, o), decode(dec, h0, 4, { ...o, seed: 6 }));
  const g1 = new Generator(9);
  const g2 = new Generator(9);
  assert.deepEqual(decode(dec, h0, 4, { ...o, generator: g1 }), decode(dec, h0, 4, { ...o, generator: g2 }));
  // top-1 sampling is greedy
  assert.deepEqual(decode(dec, h0, 4, { ...o, topK: 1 }), decode(dec, h0, 4, { maxLength: 10, bos: 0, eos: 1 }));
  assert.throws(() => decode(dec, h0, 4, { ...o, beam: 3 } as never), /decode: unknown option 'beam'/);
  assert.throws(() => decode(dec, h0, 4, { bos: 0 } as never), /decode: options maxLength and bos are required/);
  assert.throws(() => decode({ step: dec.step }, h0, 4, { maxLength: 3, bos: 0, method: 'beam' }), /beam search needs decoder.reorder/);
  assert.throws(() => decode(5 as never, h0, 4, { maxLength: 3, bos: 0 }), /decode: argument 1 \(decoder\) must be an object with a step/);
  assert.throws(() => decode(dec, h0, 0, { maxLength: 3, bos: 0 }), /decode: argument 3 \(rows\) must be a positive integer/);
  const wrong = { step: (_t: Int32Array, h: Tensor) => ({ logits: randn([2, 5]), state: h }) };
  assert.throws(
    () => decode(wrong, h0, 3, { maxLength: 3, bos: 0 }),
    /step\(\) must return logits of shape \[3, V\] for 3 tokens, got \[2, 5\]/,
  );
});

test('decode: beam search over a batch gives each row the sequence it gets searched alone (one step call per position)', () => {
  for (const seed of [1, 2, 3]) {
    const { dec, start } = toyDecoder(7, 5, seed);
    const h0 = start(3);
    let calls = 0;
    const counted = { step: (t: Int32Array, s: Tensor) => (calls++, dec.step(t, s)), reorder: dec.reorder };
    const o = { maxLength: 9, bos: 0, eos: 1, method: 'beam' as const, beamWidth: 3, lengthPenalty: 0.6 };
    const all = decode(counted, h0, 3, o);
    assert.ok(calls <= 9, `seed ${seed}: ${calls} step calls for 3 rows`);
    for (let r = 0; r < 3; r++) assert.deepEqual(decode(dec, dec.reorder(h0, Int32Array.of(r)), 1, o)[0], all[r], `seed ${seed}, row ${r}`);
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { Generator, Tensor, manualSeed, nn, optim } from '../../src/index.js';
import * as w2v from '../../src/models/word2vec/index.js';
import { skipGramStep, cbowStep } from '../../src/models/word2vec/model.js';
import { chunkSentences } from '../../src/models/word2vec/task.js';
import type { KjvData } from '../../src/models/rnn/recipes.js';
import { prepareRecipe, encodeSnapshot } from '../../src/train/index.js';
import { saveSnapshot } from '../../src/node/checkpoint.js';
import { runTrain } from '../../src/cli/commands/train.js';
import { runNeighbours, runAnalogy } from '../../src/cli/commands/word2vec.js';
import { wasmKernels } from '../../src/backend/wasm/loader.js';

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string): void => {
  assert.equal(a.length, b.length, `${what}: lengths`);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) <= tol, `${what}[${i}]: ${a[i]} vs ${b[i]}`);
};
const row = (W: Float32Array, r: number, d: number): Float32Array => W.slice(r * d, (r + 1) * d);

function randomRows(V: number, d: number, seed: number, scale: number): Float32Array {
  const g = new Generator(seed);
  return Float32Array.from({ length: V * d }, () => (g.random() - 0.5) * scale);
}

/** The engine's SGD step on the reference loss: parameters, backward, optim.SGD. */
function engineStep(
  W_in: Float32Array,
  W_out: Float32Array,
  V: number,
  d: number,
  inputs: number[],
  target: number,
  negs: number[],
  lr: number,
) {
  const pin = new nn.Parameter(new Tensor(W_in.slice(), [V, d]));
  const pout = new nn.Parameter(new Tensor(W_out.slice(), [V, d]));
  const loss = w2v.negativeSamplingLoss(pin, pout, inputs, target, negs);
  loss.backward();
  const gradIn = (pin.grad!.data as Float32Array).slice();
  new optim.SGD([pin, pout], { lr }).step();
  return { loss: loss.item(), W_in: pin.data as Float32Array, W_out: pout.data as Float32Array, gradIn };
}

test('skip-gram: the sparse step equals an SGD step of autograd on the negative-sampling loss, and touches only its rows', () => {
  const V = 9;
  const d = 7; // not a multiple of 4: the unrolled loops' tails run
  const alpha = 0.05;
  const W_in = randomRows(V, d, 1, 1);
  const W_out = randomRows(V, d, 2, 1);
  const cases = [
    { context: 2, target: 4, negs: [1, 5, 7] },
    { context: 0, target: 3, negs: [3, 8, 6, 1] }, // a negative equal to the target is skipped, as in word2vec.c
  ];
  for (const c of cases) {
    const ref = engineStep(W_in, W_out, V, d, [c.context], c.target, c.negs, alpha);
    const a = W_in.slice();
    const b = W_out.slice();
    const loss = skipGramStep(a, b, d, c.context, c.target, Int32Array.from(c.negs), c.negs.length, alpha, new Float32Array(d));
    assert.ok(Math.abs(loss - ref.loss) < 1e-5, `loss ${loss} vs autograd ${ref.loss}`);
    close(a, ref.W_in, 1e-6, 'W_in');
    close(b, ref.W_out, 1e-6, 'W_out');
    const touchedOut = new Set([c.target, ...c.negs]);
    for (let r = 0; r < V; r++) {
      if (r !== c.context) assert.deepEqual(row(a, r, d), row(W_in, r, d), `W_in row ${r} untouched`);
      if (!touchedOut.has(r)) assert.deepEqual(row(b, r, d), row(W_out, r, d), `W_out row ${r} untouched`);
    }
    assert.notDeepEqual(row(a, c.context, d), row(W_in, c.context, d), 'the context row moved');
  }
});

test('CBOW: the sparse step is autograd SGD on the loss of the window mean, the context rows at |C| times the rate (word2vec.c)', () => {
  const V = 8;
  const d = 6;
  const alpha = 0.04;
  const W_in = randomRows(V, d, 3, 1);
  const W_out = randomRows(V, d, 4, 1);
  const window = Int32Array.from([3, 6, 2, 3]); // the centre at position 1; word 3 twice in the context
  const inputs = [3, 2, 3];
  const negs = [0, 5, 7];
  const ref = engineStep(W_in, W_out, V, d, inputs, 6, negs, alpha);
  const a = W_in.slice();
  const b = W_out.slice();
  const loss = cbowStep(a, b, d, window, 0, 4, 1, 6, Int32Array.from(negs), negs.length, alpha, new Float32Array(d), new Float32Array(d));
  assert.ok(Math.abs(loss - ref.loss) < 1e-5, `loss ${loss} vs autograd ${ref.loss}`);
  close(b, ref.W_out, 1e-6, 'W_out');
  // input rows: W_in - alpha * |C| * dL/dW_in
  const expected = Float32Array.from(W_in, (w, i) => w - alpha * inputs.length * ref.gradIn[i]!);
  close(a, expected, 1e-6, 'W_in');
  for (const r of [0, 1, 4, 5, 6, 7]) assert.deepEqual(row(a, r, d), row(W_in, r, d), `W_in row ${r} untouched`);
});

test('tokens and vocabulary: lower case, possessives joined, counts, min-count, most frequent first', () => {
  assert.deepEqual(w2v.tokenizeVerse("And Abraham's servant said, Let burnt-offerings be."), [
    'and',
    'abraham',
    'servant',
    'said',
    'let',
    'burnt',
    'offerings',
    'be',
  ]);
  const s = w2v.tokenizeLines('a b c a\n\nb a\nd');
  assert.deepEqual(s, [['a', 'b', 'c', 'a'], ['b', 'a'], ['d']]);
  const v = w2v.Word2VecVocab.build(s, 2);
  assert.deepEqual(
    [v.words, v.counts],
    [
      ['a', 'b'],
      [3, 2],
    ],
  );
  const e = v.encode(s);
  assert.deepEqual([...e.ids], [0, 1, 0, 1, 0]);
  assert.deepEqual([...e.offsets], [0, 3, 5, 5]);
  assert.deepEqual([...e.raw], [4, 2, 1]);
  assert.deepEqual(w2v.Word2VecVocab.fromJSON(v.toJSON()).words, v.words);
  const c = chunkSentences(Int32Array.from([4, 3, 5, 1]), 7);
  assert.deepEqual(
    [[...c.start], [...c.words], [...c.wordsBefore]],
    [
      [0, 2, 4],
      [7, 6],
      [0, 7],
    ],
  );
});

test('unigram^0.75 table: each word holds its share of slots (within one slot), every word at least one', () => {
  const counts = [1000, 300, 50, 7, 1];
  const size = 100_000;
  const table = w2v.unigramTable(counts, size);
  const slots = new Array<number>(counts.length).fill(0);
  for (const w of table) slots[w]!++;
  const z = counts.reduce((a, c) => a + c ** 0.75, 0);
  counts.forEach((c, w) => {
    assert.ok(slots[w]! >= 1, `word ${w} has a slot`);
    assert.ok(Math.abs(slots[w]! - (size * c ** 0.75) / z) <= 1, `word ${w}: ${slots[w]} slots, expected ${(size * c ** 0.75) / z}`);
  });
  // a tiny table still reaches every word
  assert.deepEqual(new Set(w2v.unigramTable([1e6, 1, 1], 3)), new Set([0, 1, 2]));
  assert.throws(() => w2v.unigramTable([1, 2, 3], 2), /unigramTable: size must be an integer >= the vocabulary size 3, got 2/);
});

/** 2000 two-word sentences "a b_i": a is frequent (2000 of 4000 words), each b_i rare (10). */
function subsampleCorpus() {
  const sentences: string[][] = [];
  for (let i = 0; i < 2000; i++) sentences.push(['a', `b${i % 200}`]);
  return sentences;
}

test('subsampling: keep probabilities follow word2vec.c (sqrt(f/t) + 1) t/f, and training keeps that share of a frequent word', () => {
  const sentences = subsampleCorpus();
  const vocab = w2v.Word2VecVocab.build(sentences, 1);
  const t = 0.01;
  const p = w2v.keepProbabilities(vocab.counts, t);
  const f = 2000 / 4000;
  const pa = (Math.sqrt(f / t) + 1) * (t / f);
  assert.ok(Math.abs(p[0]! - pa) < 1e-9, `P_keep(a) = ${p[0]}, expected ${pa}`);
  assert.equal(p[1], 1, 'a rare word is always kept');
  assert.deepEqual([...w2v.keepProbabilities(vocab.counts, 0)].slice(0, 3), [1, 1, 1]);
  // Skip-gram with window 1: a sentence "a b" gives 2 steps when a is kept, none otherwise.
  for (const kernel of ['auto', 'js'] as const) {
    const stepsOf = (sample: number): number => {
      manualSeed(0);
      const model = new w2v.Word2Vec({ vocabSize: vocab.size, dim: 4 });
      const { task } = w2v.word2vecTask(model, vocab, vocab.encode(sentences), {
        mode: 'skipgram',
        window: 1,
        negatives: 1,
        sample,
        alpha: 0.01,
        minAlpha: 0.001,
        epochs: 1,
        seed: 5,
        tableSize: 1000,
        kernel,
      });
      let steps = 0;
      for (let b = 0; b < task.stepsPerEpoch; b++) steps += task.trainStep({ epoch: 0, batch: b, step: b }).totals!['steps']!;
      return steps;
    };
    assert.equal(stepsOf(0), 4000, `${kernel}: without subsampling every pair trains`);
    const mean = 2 * 2000 * pa;
    const sd = 2 * Math.sqrt(2000 * pa * (1 - pa));
    const got = stepsOf(t);
    assert.ok(Math.abs(got - mean) < 4 * sd, `${kernel}: ${got} steps, expected ${mean.toFixed(1)} +- ${(4 * sd).toFixed(1)}`);
  }
});

/** Sentences from two topics that never meet in a sentence. */
function topicsText(n: number, seed: number): string {
  const topics = [
    ['sun', 'moon', 'star', 'sky', 'light'],
    ['bread', 'wine', 'cup', 'table', 'feast'],
  ];
  const g = new Generator(seed);
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const t = topics[i % 2]!;
    lines.push(Array.from({ length: 6 }, () => t[g.int(0, t.length)]).join(' '));
  }
  return lines.join('\n');
}
const topicsData = (n = 200): KjvData => ({ source: 'generated', split: () => ({ train: topicsText(n, 7), valid: '', test: '' }) });
const tinyOptions = { dim: 12, window: 2, negatives: 3, minCount: 1, sample: 0, alpha: 0.05, epochs: 20, chunkWords: 300 };

test('overfit: on a two-topic corpus, words of a topic end up nearer one another than words of the other topic', async () => {
  for (const mode of ['skipgram', 'cbow'] as const) {
    const { trainer } = prepareRecipe('word2vec', { ...tinyOptions, mode }, topicsData());
    await trainer.fit();
    const h = trainer.history;
    assert.ok(h[h.length - 1]!.trainLoss < h[0]!.trainLoss, `${mode}: the loss fell`);
    const model = trainer.task.modules!['model'] as w2v.Word2Vec;
    const words = ['sun', 'moon', 'star', 'sky', 'light', 'bread', 'wine', 'cup', 'table', 'feast'];
    const vocab = w2v.Word2VecVocab.build(w2v.tokenizeLines(topicsText(200, 7)), 1);
    const real = new w2v.WordVectors(vocab.words, Float32Array.from(model.W_in.data as Float32Array), 12);
    const topic = (w: string): number => (words.indexOf(w) < 5 ? 0 : 1);
    let within = 0;
    let across = 0;
    let nw = 0;
    let na = 0;
    for (const w of words) {
      assert.equal(topic(real.neighbours(w, 1)[0]!.word), topic(w), `${mode}: the nearest word to ${w} is of its topic`);
      for (const n of real.neighbours(w, 9)) {
        if (topic(n.word) === topic(w)) {
          within += n.similarity;
          nw++;
        } else {
          across += n.similarity;
          na++;
        }
      }
    }
    assert.ok(within / nw > across / na + 0.3, `${mode}: within ${within / nw} vs across ${across / na}`);
  }
});

test('the wasm chunk kernel follows the JS reference: same draws and steps, the same rows within float rounding', () => {
  const sentences = w2v.tokenizeLines(topicsText(120, 3) + '\n' + topicsText(80, 4));
  const vocab = w2v.Word2VecVocab.build(sentences, 1);
  const corpus = vocab.encode(sentences);
  assert.ok(wasmKernels() !== null || process.env['SHINSOU_KERNELS'] === 'js', 'the wasm kernels are loaded, so both paths run');
  for (const mode of ['skipgram', 'cbow'] as const) {
    const run = (kernel: 'auto' | 'js') => {
      manualSeed(2);
      const model = new w2v.Word2Vec({ vocabSize: vocab.size, dim: 10 });
      const o = { mode, window: 3, negatives: 4, sample: 0.05, alpha: 0.05, minAlpha: 0.001, epochs: 2, seed: 9, chunkWords: 250, kernel };
      const { task } = w2v.word2vecTask(model, vocab, corpus, o);
      const out: { loss: number; steps: number }[] = [];
      for (let e = 0; e < 2; e++)
        for (let b = 0; b < task.stepsPerEpoch; b++) {
          const r = task.trainStep({ epoch: e, batch: b, step: out.length });
          out.push({ loss: r.loss, steps: r.totals!['steps']! });
        }
      return { out, W_in: model.W_in.data as Float32Array, W_out: model.W_out.data as Float32Array };
    };
    const a = run('auto');
    const b = run('js');
    assert.deepEqual(
      a.out.map((x) => x.steps),
      b.out.map((x) => x.steps),
      `${mode}: steps per chunk`,
    );
    close(
      a.out.map((x) => x.loss),
      b.out.map((x) => x.loss),
      1e-4,
      `${mode}: chunk losses`,
    );
    close(a.W_in, b.W_in, 1e-4, `${mode}: W_in`);
    close(a.W_out, b.W_out, 1e-4, `${mode}: W_out`);
  }
});

test('analogies: 3CosAdd answers b - a + c leaving out the question words; the committed list is the generated one', () => {
  const words = ['a', 'b', 'c', 'd', 'e'];
  // b - a + c = d exactly; e sits near c
  const vectors = Float32Array.from([1, 0, 0, 1, 1, 0, 0, 0, 1, 0, 1, 1, 0.1, 0, 1]);
  const wv = new w2v.WordVectors(words, vectors, 3);
  assert.equal(wv.analogy('a', 'b', 'c')[0]!.word, 'd');
  const r = w2v.analogyAccuracy(wv, [
    { section: 's', a: 'a', b: 'b', c: 'c', d: 'd' },
    { section: 's', a: 'a', b: 'b', c: 'c', d: 'e' },
    { section: 't', a: 'a', b: 'b', c: 'c', d: 'zzz' },
  ]);
  assert.deepEqual([r.correct, r.answered, r.skipped], [1, 2, 1]);
  const q = w2v.kjvAnalogyQuestions();
  assert.ok(q.length >= 300, `${q.length} questions`);
  assert.ok(q.every((x) => x.d !== x.a && x.d !== x.b && x.d !== x.c));
  assert.ok(q.some((x) => x.a === 'abraham' && x.b === 'isaac' && x.c === 'isaac' && x.d === 'jacob'));
  const file = readFileSync(join(process.cwd(), 'fixtures/word2vec/kjv-analogies.txt'), 'utf8');
  assert.equal(file, w2v.formatAnalogies(q), 'fixtures/word2vec/kjv-analogies.txt is stale: node scripts/word2vec_analogies.mjs');
  const content = w2v.contentWords(['the', 'lord', 'and', 'god', 'unto', 'king'], 2);
  assert.deepEqual(content, ['lord', 'god']);
});

/** A KJV dump ("Ge1:1 ..." lines) of the two-topic text, for the CLI's data loader. */
function tmpKjvDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'shinsou-w2v-'));
  mkdirSync(join(dir, 'kjv'));
  const lines = topicsText(200, 7)
    .split('\n')
    .map((l, i) => `Ge${1 + Math.floor(i / 50)}:${1 + (i % 50)} ${l}`);
  writeFileSync(join(dir, 'kjv', 'kjv.txt'), lines.join('\n') + '\n');
  return dir;
}

test('shinsou train word2vec, neighbours and analogy: artifacts, -k, clear errors for unknown words and other files', async () => {
  const dataDir = tmpKjvDir();
  const out = join(dataDir, 'run');
  const options = { ...tinyOptions, epochs: 3, exportCorpus: true };
  await runTrain('word2vec', { options, out, dataDir, progress: false, print: () => {} });
  const model = join(out, 'model.safetensors');
  const corpus = readFileSync(join(out, 'corpus.txt'), 'utf8').split('\n');
  assert.equal(corpus[0], topicsText(200, 7).split('\n')[0]);
  const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) as { final: Record<string, number> };
  assert.equal(metrics.final['analogyAnswered'], 0, 'no KJV analogy question is askable on this vocabulary');
  assert.ok((JSON.parse(readFileSync(join(out, 'speed.json'), 'utf8')) as { wordsPerSecond: number }).wordsPerSecond > 0);
  const lines = runNeighbours(model, 'Sun', { k: 3, print: () => {} });
  assert.equal(lines.length, 3);
  assert.equal(runAnalogy(model, ['sun', 'moon', 'bread'], { k: 2, print: () => {} }).length, 2);
  assert.throws(() => runNeighbours(model, 'pharaoh', { print: () => {} }), /neighbours: the word 'pharaoh' is not in the vocabulary/);
  assert.throws(() => runAnalogy(model, ['sun', 'moon', 'zion'], { print: () => {} }), /analogy: the word 'zion' is not in the vocabulary/);
  assert.throws(
    () => runNeighbours(join(out, 'checkpoint.safetensors'), 'sun', { print: () => {} }),
    /neighbours: .*checkpoint.safetensors is not a word2vec model \(expected the model.safetensors of a `shinsou train word2vec` run/,
  );
  const cli = (...args: string[]) => spawnSync(process.execPath, ['dist/src/cli/main.js', ...args], { encoding: 'utf8' });
  const ok = cli('neighbours', model, 'wine', '-k', '4');
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(ok.stdout.trim().split('\n').length, 4);
  const unknown = cli('analogy', model, 'sun', 'moon', 'egypt');
  assert.equal(unknown.status, 1);
  assert.match(unknown.stderr, /analogy: the word 'egypt' is not in the vocabulary \(10 words, lower case\)/);
  const badK = cli('neighbours', model, 'wine', '-k', '0');
  assert.notEqual(badK.status, 0);
  assert.match(badK.stderr, /--k must be an integer in \[1, /);
});

test('shinsou train word2vec --resume: a run stopped mid-epoch and resumed from its checkpoint ends with the same model bytes', async () => {
  const dataDir = tmpKjvDir();
  const options = { ...tinyOptions, epochs: 2, mode: 'cbow', sample: 0.01, seed: 4 };
  const straight = join(dataDir, 'straight');
  await runTrain('word2vec', { options, out: straight, dataDir, progress: false, print: () => {} });
  // the same run stopped at step 3 of 4 (mid-epoch 1), its checkpoint written where the CLI writes it
  const data = topicsData();
  const first = prepareRecipe('word2vec', options, data, [{ onStep: (_t, s) => (s.step === 3 ? 'stop' : undefined) }]);
  assert.equal((await first.trainer.fit()).finished, false);
  assert.ok(first.trainer.task.stepsPerEpoch > 3, 'the stop falls inside the first epoch');
  const resumed = join(dataDir, 'resumed');
  mkdirSync(resumed);
  saveSnapshot(join(resumed, 'checkpoint.safetensors'), first.trainer.snapshot());
  assert.ok(encodeSnapshot(first.trainer.snapshot()).length > 0);
  await runTrain('word2vec', { resume: join(resumed, 'checkpoint.safetensors'), dataDir, progress: false, print: () => {} });
  assert.deepEqual(readFileSync(join(resumed, 'model.safetensors')), readFileSync(join(straight, 'model.safetensors')));
});

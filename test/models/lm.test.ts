import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, chmodSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manualSeed } from '../../src/index.js';
import { CharVocab, WordVocab, tokenizeWords, Vocab } from '../../src/data/text/vocab.js';
import { parseBibleDump, parseGutenberg, loadKjv, splitByBook } from '../../src/node/kjv.js';
import { RNNLanguageModel, trainLm, sampleLm, batchify, getBatch } from '../../src/models/rnn/lm.js';
import { runSample } from '../../src/cli/commands/lm.js';
import { runTrain } from '../../src/cli/commands/train.js';

/** A tiny KJV-like corpus in the `bible -f` format: a few verses in six books. */
function tinyCorpus(): string {
  const lines: string[] = [];
  const books = ['Mat', 'Mark', 'Luke', 'John', 'Acts', 'Rom'];
  const sents = [
    'And he said unto them, Follow me.',
    'And they went into the city.',
    'Blessed are the meek: for they shall inherit the earth.',
    'And Jesus answered and said unto them.',
  ];
  books.forEach((b, bi) => {
    for (let v = 1; v <= 24; v++) lines.push(`${b}1:${v} ${sents[(v + bi) % sents.length]}`);
  });
  return lines.join('\n') + '\n';
}

function tmpDataDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'shinsou-kjv-'));
  mkdirSync(join(d, 'kjv'));
  writeFileSync(join(d, 'kjv', 'kjv.txt'), tinyCorpus());
  return d;
}

test('vocab: word tokens, top-N with <unk> and <eos>, characters, JSON round trip', () => {
  assert.deepEqual(tokenizeWords("And God said, Let there be light: and it's"), [
    'and',
    'god',
    'said',
    ',',
    'let',
    'there',
    'be',
    'light',
    ':',
    'and',
    "it's",
  ]);
  const wv = WordVocab.build('the cat the dog the cat\nbird', 4);
  assert.deepEqual(wv.tokens, ['<unk>', '<eos>', 'the', 'cat']);
  assert.deepEqual([...wv.encode('the dog\ncat')], [2, 0, 1, 3, 1]);
  assert.equal(wv.decode([2, 3, 1, 3]), 'the cat\ncat');
  const cv = CharVocab.build('abca');
  assert.deepEqual(cv.tokens, ['<unk>', 'a', 'b', 'c']);
  assert.equal(cv.decode(cv.encode('cabz')), 'cab<unk>');
  assert.deepEqual((Vocab.fromJSON(wv.toJSON()) as WordVocab).tokens, wv.tokens);
});

test('kjv: bible -f dump and Gutenberg parsing, split by book', () => {
  const v = parseBibleDump('Ge1:1 In the beginning God created the heaven and the earth.\n1Sm3:4 That the LORD called Samuel.\n');
  assert.deepEqual(
    v.map((x) => [x.book, x.chapter, x.verse]),
    [
      ['Genesis', 1, 1],
      ['1 Samuel', 3, 4],
    ],
  );
  const g = parseGutenberg(
    'header\n\nThe First Book of Moses\n\n1:1 In the beginning God created\nthe heaven and the earth.\n\n1:2 And the earth was without form.\n\nThe Second Book\n\n1:1 Now these are the names.\n*** END OF THE PROJECT',
  );
  assert.deepEqual(
    g.map((x) => [x.book, x.chapter, x.verse, x.text]),
    [
      ['Genesis', 1, 1, 'In the beginning God created the heaven and the earth.'],
      ['Genesis', 1, 2, 'And the earth was without form.'],
      ['Exodus', 1, 1, 'Now these are the names.'],
    ],
  );
  const s = splitByBook(parseBibleDump(tinyCorpus()), { valid: ['Mark'], test: ['Luke'], train: ['Matthew', 'John'] });
  assert.equal(s.train.split('\n').length, 48);
  assert.equal(s.valid.split('\n').length, 24);
  assert.throws(() => splitByBook([], { valid: ['Marc'] }), /kjv: unknown book 'Marc'/);
});

test('kjv: the bible program is used and cached; offline failure names the Debian packages', async () => {
  const d = mkdtempSync(join(tmpdir(), 'shinsou-kjv-'));
  const fake = join(d, 'fake-bible');
  writeFileSync(fake, `#!/bin/sh\n[ "$1" = "-f" ] && [ "$2" = "Gen1:1-Rev22:21" ] && cat <<'X'\n${tinyCorpus()}X\n`);
  chmodSync(fake, 0o755);
  const r = await loadKjv({ dataDir: d, bibleProgram: fake, download: false });
  assert.equal(r.verses.length, 144);
  assert.ok(existsSync(join(d, 'kjv', 'kjv.txt')));
  assert.equal(parseBibleDump(readFileSync(join(d, 'kjv', 'kjv.txt'), 'utf8')).length, 144);
  const empty = mkdtempSync(join(tmpdir(), 'shinsou-kjv-'));
  await assert.rejects(
    loadKjv({ dataDir: empty, bibleProgram: join(empty, 'no-such-program'), download: false }),
    /bible-kjv and bible-kjv-text/,
  );
});

test('batchify and getBatch lay out streams as PyTorch does', () => {
  const b = batchify(
    Int32Array.from({ length: 11 }, (_, i) => i),
    2,
  );
  assert.deepEqual(b.toArray(), [
    [0, 5],
    [1, 6],
    [2, 7],
    [3, 8],
    [4, 9],
  ]);
  const { data, target, len } = getBatch(b, 3, 3);
  assert.equal(len, 1);
  assert.deepEqual(data.toArray(), [[3, 8]]);
  assert.deepEqual(target.toArray(), [4, 9]);
});

test('word LSTM language model learns a repetitive stream (perplexity falls far below the vocabulary size)', async () => {
  manualSeed(0);
  const vocab = WordVocab.build(tinyCorpus().replace(/^\S+ /gm, ''), 50);
  const text = parseBibleDump(tinyCorpus())
    .map((v) => v.text)
    .join('\n');
  const ids = vocab.encode(text);
  const model = new RNNLanguageModel({ vocabSize: vocab.size, embedSize: 16, hiddenSize: 24, numLayers: 2, dropout: 0 });
  const r = await trainLm(
    model,
    { train: ids, valid: ids, test: ids },
    { epochs: 8, batchSize: 4, bptt: 12, optimizer: 'adam', lr: 0.01, clip: 1, lrDecay: 2 },
  );
  assert.ok(r.testPpl < 4, `test perplexity ${r.testPpl} (vocabulary ${vocab.size})`);
  assert.ok(r.history[0]!.eval['validPpl']! > r.testPpl);
  const out = sampleLm(model, vocab.encode('and he').subarray(0, 2), { length: 5, topK: 1 });
  assert.equal(vocab.tokens[out[0]!], 'said', vocab.decode(out));
});

test('shinsou train word-lstm / char-lstm and sample, end to end on a tiny generated corpus', async () => {
  const d = tmpDataDir();
  const lines: string[] = [];
  for (const recipe of ['word-lstm', 'char-lstm']) {
    const out = join(d, recipe);
    const r = await runTrain(recipe, {
      dataDir: d,
      out,
      progress: false,
      print: (s) => lines.push(s),
      options: {
        epochs: 2,
        hidden: 16,
        embed: 8,
        layers: 1,
        bptt: 10,
        batchSize: 4,
        maxBatches: 6,
        trainBooks: 'Matthew,John,Acts',
        validBooks: 'Mark',
        testBooks: 'Luke',
      },
    });
    assert.equal(r.history.length, 2);
    assert.ok(Number.isFinite(r.final['testPpl']));
    for (const f of ['model.safetensors', 'checkpoint.safetensors', 'samples.txt', 'metrics.json', 'curves.svg'])
      assert.ok(existsSync(join(out, f)), `${recipe}: ${f} written`);
    const text = runSample(join(out, 'model.safetensors'), {
      prompt: recipe === 'word-lstm' ? 'and he' : 'And ',
      length: 10,
      temperature: 0.7,
      topK: 5,
      print: () => {},
    });
    assert.ok(text.length > 5);
  }
  assert.ok(
    lines.some((l) => /^epoch 2\/2: train loss [\d.]+ \| valid loss [\d.]+ ppl [\d.]+/.test(l)),
    lines.join('\n'),
  );
});

// Translation (issue 12, model 3): the Bible verse pairs (parsed from diatheke output the tests
// carry in fixtures/bible/, not from the installed modules), BPE, batches, the seq2seq translator
// overfitting one batch, and `shinsou translate` on awkward input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manualSeed, optim, crossEntropy } from '../../src/index.js';
import { encodeSafetensors } from '../../src/io/safetensors.js';
import {
  parseDiathekeBook,
  alignVerses,
  splitPairsByBook,
  formatPairs,
  parsePairs,
  osisToText,
  BpeVocab,
  bpeWords,
  type VersePair,
} from '../../src/data/index.js';
import { translation } from '../../src/models/index.js';
import { loadBibleParallel } from '../../src/node/bible-parallel.js';
import { runTranslate } from '../../src/cli/commands/translate.js';

const fixture = (m: string) => readFileSync(new URL(`../../../fixtures/bible/${m}.txt`, import.meta.url), 'utf8');
const ES = fixture('spaRV1909eb');
const EN = fixture('engWEB2015eb');
const versesOf = (text: string) => ['Gen', 'Ps', '3John', 'Matt'].flatMap((b) => parseDiathekeBook(text, b));

test('parseDiathekeBook: markup stripped, words apart, the psalm title kept once at verse 1, empty verses left out', () => {
  const en = versesOf(EN);
  const gen1 = en.find((v) => v.book === 'Gen' && v.chapter === 1 && v.verse === 1)!;
  // the module has <w>God</w><w>created</w>: the words must not run together
  assert.equal(gen1.text, 'In the beginning, God created the heavens and the earth.');
  const ps1 = en.find((v) => v.book === 'Ps' && v.verse === 1)!;
  const ps2 = en.find((v) => v.book === 'Ps' && v.verse === 2)!;
  assert.match(ps1.text, /^A Psalm by David, when he fled from Absalom his son\. Yahweh, how my adversaries have increased!/);
  assert.doesNotMatch(ps2.text, /A Psalm by David/, 'diatheke repeats the title before verse 2: that copy is dropped');
  assert.equal(
    en.find((v) => v.book === '3John' && v.verse === 15),
    undefined,
    'the WEB leaves 3 John 1:15 empty',
  );
  assert.equal(en.find((v) => v.book === 'Matt')!.text, '“Blessed are the poor in spirit, for theirs is the Kingdom of Heaven.');
  const es = versesOf(ES);
  assert.equal(es.find((v) => v.book === 'Gen' && v.verse === 1)!.text, 'EN el principio crió Dios los cielos y la tierra.');
  for (const v of [...en, ...es]) assert.doesNotMatch(v.text, /[<>]|strong:|savlm/, `${v.book} ${v.chapter}:${v.verse}: ${v.text}`);
  assert.throws(() => parseDiathekeBook(EN, 'Genesis'), /parseDiathekeBook: unknown book 'Genesis'/);
  assert.equal(osisToText('<note type="x">a footnote</note>Hi &amp; <transChange type="added">bye</transChange> .'), 'Hi & bye.');
});

test('alignVerses and splitPairsByBook: pairs by reference; whole books held out; a cache round-trips', () => {
  const pairs = alignVerses(versesOf(ES), versesOf(EN));
  assert.deepEqual(
    pairs.map((p) => `${p.book} ${p.chapter}:${p.verse}`),
    ['Gen 1:1', 'Gen 1:2', 'Gen 1:3', 'Ps 3:1', 'Ps 3:2', '3John 1:14', 'Matt 5:3'],
  );
  assert.match(pairs[3]!.es, /^Salmo de David/);
  const sp = splitPairsByBook(pairs, { valid: ['Ps'], test: ['Matt', '3John'] });
  assert.deepEqual([sp.train.length, sp.valid.length, sp.test.length], [3, 2, 2]);
  for (const p of sp.train) assert.equal(p.book, 'Gen');
  assert.throws(() => splitPairsByBook(pairs, { valid: ['Ps'], test: ['Ps'] }), /a book is in two splits/);
  assert.throws(() => splitPairsByBook(pairs, { valid: ['Psalms'], test: [] }), /unknown book 'Psalms'/);
  assert.deepEqual(parsePairs(formatPairs(pairs)), pairs);
  assert.throws(() => parsePairs('Gen\t1\tx\ta\tb\n', 'p.tsv'), /parsePairs: p.tsv line 1/);
});

test('loadBibleParallel: reads the cache of the data directory; without it and without diatheke, names the packages', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shinsou-bible-'));
  try {
    assert.throws(
      () => loadBibleParallel({ dataDir: dir, diatheke: join(dir, 'no-diatheke') }),
      /apt-get install diatheke sword-text-sparv sword-text-web/,
    );
    const pairs = alignVerses(versesOf(ES), versesOf(EN));
    const cache = join(dir, 'bible-es-en');
    mkdirSync(cache, { recursive: true });
    writeFileSync(join(cache, 'pairs.tsv'), formatPairs(pairs));
    assert.deepEqual(loadBibleParallel({ dataDir: dir }).pairs, pairs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const SENTENCES = [
  'En el principio creó Dios los cielos y la tierra.',
  'Y dijo Dios: Sea la luz: y fué la luz.',
  'In the beginning, God created the heavens and the earth.',
  'God said, “Let there be light,” and there was light.',
];

test('BpeVocab: learns merges deterministically, round-trips text, maps unseen characters to <unk>', () => {
  assert.deepEqual(bpeWords('Y dijo Dios: ¡luz!'), ['▁Y', '▁dijo', '▁Dios', ':', '▁¡', 'luz', '!']);
  const a = BpeVocab.learn(SENTENCES, { merges: 40 });
  const b = BpeVocab.learn(SENTENCES, { merges: 40 });
  assert.deepEqual(a.toJSON(), b.toJSON());
  // learning stops early when no pair occurs twice any more (minPairCount 2)
  assert.ok(a.merges.length > 20 && a.merges.length <= 40, `${a.merges.length} merges`);
  assert.equal(BpeVocab.learn(SENTENCES, { merges: 5 }).merges.length, 5);
  assert.deepEqual(a.tokens.slice(0, 4), ['<pad>', '<unk>', '<bos>', '<eos>']);
  // frequent words become single symbols; decoding restores the text exactly
  assert.ok(a.pieces('la luz').length < 'la luz'.length, a.pieces('la luz').join(' '));
  for (const s of SENTENCES) assert.equal(a.decode(a.encode(s)), s);
  assert.equal(a.decode(a.encode('  la   luz ')), 'la luz');
  const ids = a.encode('la luz ☃');
  assert.equal(ids[ids.length - 1], a.unk);
  assert.deepEqual(a.unknownCharacters('la luz ☃ q'), ['☃', 'q']);
  assert.equal(a.decode(ids), 'la luz <unk>');
  const c = BpeVocab.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
  assert.deepEqual([...c.encode(SENTENCES[3]!)], [...a.encode(SENTENCES[3]!)]);
  assert.throws(() => BpeVocab.fromJSON({ kind: 'word' } as never), /BpeVocab.fromJSON: expected/);
  assert.throws(() => BpeVocab.learn(5 as never), /BpeVocab.learn: argument 1 \(texts\) must be an iterable of strings/);
  assert.throws(() => BpeVocab.learn([5] as never), /BpeVocab.learn: argument 1 \(texts\) must hold strings/);
  assert.throws(() => BpeVocab.learn(['a'], { merge: 3 } as never), /BpeVocab.learn: unknown option 'merge'/);
  assert.throws(() => (BpeVocab.learn as (...a: unknown[]) => unknown)(['a'], {}, 1), /BpeVocab.learn: unexpected argument 3/);
});

const PAIRS: VersePair[] = [
  ['Y dijo Dios: Sea la luz: y fué la luz.', 'God said, “Let there be light,” and there was light.'],
  ['Y vió Dios que la luz era buena.', 'God saw the light, and saw that it was good.'],
  ['Jesús lloró.', 'Jesus wept.'],
  ['Y llamó Dios á la luz Día.', 'God called the light “day.”'],
].map(([es, en], i) => ({ book: 'Gen', chapter: 1, verse: i + 1, es: es!, en: en! }));

test('collateTranslation: <bos> then the shifted target, padding left out of the packed targets; similar lengths batch together', () => {
  const vocab = BpeVocab.learn(
    PAIRS.flatMap((p) => [p.es, p.en]),
    { merges: 30 },
  );
  const enc = translation.encodePairs(PAIRS, vocab, 64);
  for (const e of enc) assert.equal(e.tgt[e.tgt.length - 1], vocab.eos);
  const cut = translation.encodePairs(PAIRS, vocab, 3);
  assert.ok(cut.every((e) => e.src.length <= 3 && e.tgt.length <= 3 && e.tgt[2] !== vocab.eos));
  const batch = translation.collateTranslation(enc.slice(0, 2), vocab);
  const T = batch.decoderInput.shape[0]!;
  assert.deepEqual(batch.decoderInput.shape, [T, 2]);
  const din = batch.decoderInput.data as Int32Array;
  assert.equal(din[0], vocab.bos);
  assert.equal(din[2], enc[0]!.tgt[0]);
  assert.equal(batch.tokens, enc[0]!.tgt.length + enc[1]!.tgt.length);
  const rows = batch.targetRows.data as Int32Array;
  const packed = batch.targetPacked.data as Int32Array;
  for (let k = 0; k < rows.length; k++) {
    const t = Math.floor(rows[k]! / 2);
    assert.equal(packed[k], enc[rows[k]! % 2]!.tgt[t]);
  }
  const runs = translation.lengthBatches(enc, 2);
  assert.deepEqual(runs.flat().sort(), [0, 1, 2, 3]);
  assert.ok(runs[0]!.includes(2), 'the shortest pair (Jesús lloró) is in the first run');
});

function trainedTiny(kind: 'seq2seq' | 'transformer' = 'seq2seq'): {
  model: translation.Translator;
  vocab: BpeVocab;
  enc: translation.EncodedPair[];
  opts: translation.TranslatorOptions;
} {
  manualSeed(3);
  const vocab = BpeVocab.learn(
    PAIRS.flatMap((p) => [p.es, p.en]),
    { merges: 60 },
  );
  const opts: translation.TranslatorOptions =
    kind === 'seq2seq'
      ? { kind, vocabSize: vocab.size, embedSize: 16, hiddenSize: 32, dropout: 0 }
      : { kind, vocabSize: vocab.size, embedSize: 16, hiddenSize: 32, heads: 2, layers: 1, dropout: 0 };
  const model = translation.translator(opts);
  const enc = translation.encodePairs(PAIRS, vocab, 64);
  const batch = translation.collateTranslation(enc, vocab);
  const opt = new optim.Adam(model.parameters(), { lr: kind === 'seq2seq' ? 0.02 : 0.01 });
  for (let i = 0; i < (kind === 'seq2seq' ? 150 : 200); i++) {
    opt.zeroGrad();
    crossEntropy(model.forward(batch), batch.targetPacked).backward();
    opt.step();
  }
  return { model, vocab, enc, opts };
}

test('translate-seq2seq model: overfits one batch of four verses; greedy and beam give the targets back; BLEU 100', () => {
  const { model, vocab, enc } = trainedTiny();
  const batch = translation.collateTranslation(enc, vocab);
  model.eval();
  const loss = crossEntropy(model.forward(batch), batch.targetPacked).item();
  assert.ok(loss < 0.05, `loss after overfitting ${loss}`);
  const refs = PAIRS.map((p) => p.en);
  assert.ok(Math.abs(translation.bleuOf(model, vocab, enc, refs).bleu - 100) < 1e-9);
  // a beam of width 1 is greedy decoding, token for token
  const greedy = translation.translateIds(
    model,
    vocab,
    enc.map((e) => e.src),
  );
  assert.deepEqual(
    translation.translateIds(
      model,
      vocab,
      enc.map((e) => e.src),
      { method: 'beam', beamWidth: 1 },
    ),
    greedy,
  );
  // a wider beam: near-perfect (it stops once `width` hypotheses have ended, which can cut off a
  // better, longer one: decoding.ts's stopping rule)
  const beam = translation.bleuOf(model, vocab, enc, refs, { method: 'beam', beamWidth: 3 });
  assert.ok(beam.bleu > 80, beam.hypotheses.join(' | '));
});

test('translate-transformer model: overfits one batch of four verses; padding does not change a source; greedy gives the targets back', () => {
  const { model, vocab, enc } = trainedTiny('transformer');
  model.eval();
  const batch = translation.collateTranslation(enc, vocab);
  const loss = crossEntropy(model.forward(batch), batch.targetPacked).item();
  assert.ok(loss < 0.05, `loss after overfitting ${loss}`);
  // the shortest source alone and padded in a batch with longer ones: the same translation
  const alone = translation.translateIds(model, vocab, [enc[2]!.src]);
  const batched = translation.translateIds(
    model,
    vocab,
    enc.map((e) => e.src),
  );
  assert.deepEqual(batched[2], alone[0]);
  assert.ok(
    Math.abs(
      translation.bleuOf(
        model,
        vocab,
        enc,
        PAIRS.map((p) => p.en),
      ).bleu - 100,
    ) < 1e-9,
  );
  const beam = translation.bleuOf(
    model,
    vocab,
    enc,
    PAIRS.map((p) => p.en),
    { method: 'beam', beamWidth: 3 },
  );
  assert.ok(beam.bleu > 80, beam.hypotheses.join(' | '));
});

test('shinsou translate: arguments and lines, <unk> for unseen characters, over-long input cut with a note, empty lines kept', () => {
  const { model, vocab, opts } = trainedTiny();
  const dir = mkdtempSync(join(tmpdir(), 'shinsou-translate-'));
  try {
    const ckpt = join(dir, 'model.safetensors');
    const meta = { format: 'pt', model: JSON.stringify(opts), vocab: JSON.stringify(vocab.toJSON()), maxLen: '12' };
    writeFileSync(ckpt, encodeSafetensors(model.stateDict(), meta));
    const printed: string[] = [];
    const notes: string[] = [];
    const io = { print: (s: string) => printed.push(s), warn: (s: string) => notes.push(s) };
    const out = runTranslate(ckpt, ['Jesús lloró.', '', 'Jesús lloró ☃.', 'Y dijo Dios: Sea la luz: y fué la luz. '.repeat(4)], {
      ...io,
      beam: 2,
    });
    assert.equal(out.length, 4);
    assert.deepEqual(printed, out);
    assert.equal(out[0], 'Jesus wept.');
    assert.equal(out[1], '');
    assert.ok(
      notes.some((n) => /line 3: characters never seen in training read as <unk>: "☃"/.test(n)),
      notes.join('\n'),
    );
    assert.ok(
      notes.some((n) => /line 4: \d+ BPE tokens, more than the model's 12: only the first 12 are translated/.test(n)),
      notes.join('\n'),
    );
    writeFileSync(join(dir, 'other.safetensors'), encodeSafetensors(model.stateDict(), { format: 'pt' }));
    assert.throws(() => runTranslate(join(dir, 'other.safetensors'), ['a'], io), /translate: .* is not a translation checkpoint/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

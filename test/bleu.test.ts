// Corpus BLEU (src/metrics/bleu.ts) against sacrebleu's default corpus BLEU: the scores, statistics
// and 13a tokens in fixtures/bleu.json were written by scripts/bleu_sacrebleu.py (sacrebleu 2.x).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { corpusBleu, tokenize13a } from '../src/metrics/index.js';

interface Case {
  name: string;
  hyps: string[];
  refs: string[][];
  lowercase: boolean;
  score: number;
  bp: number;
  sysLen: number;
  refLen: number;
  correct: number[];
  total: number[];
  tokens: string[][];
}
const fixture = JSON.parse(readFileSync(new URL('../../fixtures/bleu.json', import.meta.url), 'utf8')) as { cases: Case[] };

test('corpusBleu: the score and statistics of sacrebleu (default settings) on every committed corpus', () => {
  assert.ok(fixture.cases.length >= 10);
  for (const c of fixture.cases) {
    const r = corpusBleu(c.hyps, c.refs, { lowercase: c.lowercase });
    assert.ok(Math.abs(r.score - c.score) <= 1e-9, `${c.name}: ${r.score} against sacrebleu's ${c.score}`);
    assert.equal(r.sysLen, c.sysLen, c.name);
    assert.equal(r.refLen, c.refLen, c.name);
    assert.deepEqual(r.correct, c.correct, c.name);
    assert.deepEqual(r.total, c.total, c.name);
    assert.ok(Math.abs(r.bp - c.bp) <= 1e-12, c.name);
  }
});

test('tokenize13a: the tokens of sacrebleu 13a on every committed line', () => {
  for (const c of fixture.cases) c.hyps.forEach((h, i) => assert.deepEqual(tokenize13a(h.trimEnd()), c.tokens[i], `${c.name} line ${i}`));
  assert.deepEqual(tokenize13a('He said: "no, 3.5 kg."'), ['He', 'said', ':', '"', 'no', ',', '3.5', 'kg', '.', '"']);
});

test('corpusBleu: statistics are pooled over the corpus, not averaged per sentence', () => {
  const a = corpusBleu(['a b c d e f'], [['a b c d e f']]).score;
  const b = corpusBleu(['x y z w'], [['p q r s']]).score;
  const both = corpusBleu(['a b c d e f', 'x y z w'], [['a b c d e f', 'p q r s']]).score;
  assert.ok(Math.abs(a - 100) < 1e-9, `${a}`);
  assert.equal(b, 0);
  assert.ok(both > 0 && both < 100 && Math.abs(both - (a + b) / 2) > 1, `pooled ${both}`);
});

test('corpusBleu: refuses mismatched lengths, wrong types and unknown options, naming itself', () => {
  assert.throws(() => corpusBleu(['a'], [['a', 'b']]), /corpusBleu: reference set 0 has 2 segments but there are 1 hypotheses/);
  assert.throws(() => corpusBleu('a' as never, [['a']]), /corpusBleu: argument 1 \(hypotheses\)/);
  assert.throws(() => corpusBleu(['a'], ['a'] as never), /corpusBleu: argument 2 \(references\)/);
  assert.throws(() => corpusBleu(['a'], [['a']], { smooth: 'none' } as never), /corpusBleu/);
  assert.throws(() => tokenize13a(3 as never), /tokenize13a: argument 1 \(line\)/);
});

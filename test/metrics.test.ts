import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor, metrics } from '../src/index.js';

const { accuracy, confusionMatrix, formatConfusionMatrix, perplexity, predictions, addConfusion } = metrics;

test('accuracy: argmax of scores (ties to the lowest index) or integer predictions against targets', () => {
  const logits = tensor([
    [0.1, 2, 0.3],
    [5, 1, 1],
    [1, 1, 0],
    [0, 0, 9],
  ]);
  const y = tensor(Int32Array.from([1, 0, 1, 2]));
  assert.deepEqual(Array.from(predictions(logits)), [1, 0, 0, 2]);
  assert.equal(accuracy(logits, y), 0.75);
  assert.equal(accuracy(tensor(Int32Array.from([1, 0, 1, 2])), y), 1);
  assert.throws(() => accuracy(logits, tensor(Int32Array.from([1, 2]))), /accuracy: target shape \[2\] does not match 4 predictions/);
  assert.throws(() => accuracy(tensor([[[1]]]), y), /predictions: expected scores \[N, C\] or labels \[N\], got shape \[1, 1, 1\]/);
});

test('confusionMatrix: rows are the true class, columns the prediction; accumulates and prints', () => {
  const pred = tensor(Int32Array.from([0, 1, 1, 2, 2, 2]));
  const y = tensor(Int32Array.from([0, 1, 2, 2, 2, 0]));
  const m = confusionMatrix(pred, y, 3);
  assert.equal(m.dtype, 'int32');
  assert.deepEqual(m.toArray(), [
    [1, 0, 1],
    [0, 1, 0],
    [0, 1, 2],
  ]);
  addConfusion(m, m);
  assert.deepEqual(m.toArray(), [
    [2, 0, 2],
    [0, 2, 0],
    [0, 2, 4],
  ]);
  const text = formatConfusionMatrix(m, ['cat', 'dog', 'eel']);
  assert.match(
    text,
    /^true \\ pred\s+0\s+1\s+2\s+recall\n0 cat\s+2\s+0\s+2\s+0\.500\n1 dog\s+0\s+2\s+0\s+1\.000\n2 eel\s+0\s+2\s+4\s+0\.667$/,
  );
  assert.throws(
    () => confusionMatrix(tensor(Int32Array.from([3])), tensor(Int32Array.from([0])), 3),
    /label 0 or prediction 3 at 0 is outside 0\.\.2/,
  );
});

test('perplexity: exp of the mean negative log-likelihood', () => {
  assert.equal(perplexity(0), 1);
  assert.ok(Math.abs(perplexity([Math.log(2), Math.log(8)]) - 4) < 1e-12);
  assert.ok(Math.abs(perplexity(tensor([Math.log(10), Math.log(10)])) - 10) < 1e-5);
  assert.throws(() => perplexity([]), /perplexity: no values/);
});

test('distinctN: distinct n-grams over all n-grams, corpus-wide, not across sequence boundaries', () => {
  const seqs = [
    ['i', 'am', 'here'],
    ['i', 'am'],
  ];
  assert.equal(metrics.distinctN(seqs, 1), 3 / 5);
  assert.equal(metrics.distinctN(seqs, 2), 2 / 3);
  assert.equal(metrics.distinctN(seqs, 3), 1);
  assert.equal(metrics.distinctN(seqs, 4), 0, 'no 4-gram at all');
  assert.equal(
    metrics.distinctN(
      [
        ['a', 'b'],
        ['b', 'a'],
      ],
      2,
    ),
    1,
    'a b and b a differ; b|b is not a bigram',
  );
  assert.equal(metrics.distinctN([[1, 2, 1, 2]], 2), 2 / 3);
  assert.equal(metrics.distinctN([['1'], [1]], 1), 1, 'the token 1 and the string 1 differ');
  const same = Array.from({ length: 10 }, () => ['i', 'will', 'go']);
  assert.ok(metrics.distinctN(same, 1) < 0.11, 'ten identical answers are not diverse');
});

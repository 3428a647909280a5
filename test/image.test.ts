import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode } from 'fast-png';
import { tensor, io } from '../src/index.js';

const { imageGrid, encodePng } = io;

test('imageGrid lays out [N, 1, H, W] row by row with padding, values mapped from range', () => {
  // Three 2x2 images, values 0, 0.5, 1 (one per image), two per row, padding 1 of grey 7.
  const x = tensor([0, 0, 0, 0, 0.5, 0.5, 0.5, 0.5, 1, 1, 1, 1], { dtype: 'float32' }).reshape([3, 1, 2, 2]);
  const g = imageGrid(x, { nrow: 2, padding: 1, padValue: 7 });
  assert.deepEqual([g.width, g.height, g.channels], [2 * 3 + 1, 2 * 3 + 1, 1]);
  const at = (px: number, py: number): number => g.data[py * g.width + px]!;
  assert.equal(at(0, 0), 7);
  assert.equal(at(1, 1), 0); // image 0
  assert.equal(at(4, 2), 128); // image 1 (0.5 * 255 rounded)
  assert.equal(at(1, 4), 255); // image 2, second row
  assert.equal(at(4, 4), 7); // the empty cell stays padding
});

test('imageGrid: range, normalizeEach, clamping and [N, H, W] input', () => {
  const x = tensor([-2, 0, 1, 3], { dtype: 'float32' }).reshape([1, 2, 2]);
  assert.deepEqual([...imageGrid(x, { padding: 0, range: [-1, 1] }).data], [0, 128, 255, 255]);
  assert.deepEqual([...imageGrid(x, { padding: 0, normalizeEach: true }).data], [0, 102, 153, 255]);
});

test('encodePng writes a PNG that decodes to the same pixels (grey and RGB)', () => {
  const x = tensor(
    Array.from({ length: 2 * 3 * 4 * 5 }, (_, i) => (i % 17) / 16),
    { dtype: 'float32' },
  ).reshape([2, 3, 4, 5]);
  for (const img of [imageGrid(x), imageGrid(x, { nrow: 1, padding: 0 })]) {
    const back = decode(encodePng(img));
    assert.deepEqual([back.width, back.height, back.channels, back.depth], [img.width, img.height, 3, 8]);
    assert.deepEqual([...back.data], [...img.data]);
  }
});

test('imageGrid and encodePng name what was wrong', () => {
  assert.throws(() => imageGrid(tensor([1, 2, 3])), /imageGrid: images must be \[N, 1 or 3, H, W\].*got shape \[3\]/);
  assert.throws(() => imageGrid(tensor([[[[1]]]]), { range: [1, 0] }), /imageGrid: option 'range' must be \[low, high\]/);
  assert.throws(() => imageGrid(tensor([[[[1]]]]), { rows: 2 } as never), /imageGrid: unknown option 'rows'/);
  assert.throws(() => encodePng({ width: 2, height: 2, channels: 1, data: new Uint8Array(3) }), /encodePng: expected/);
});

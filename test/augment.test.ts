// The augmentation transforms the CNN recipes use (src/data/transforms.ts): seeded, reproducible,
// batched, each image drawing its own parameters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Generator, randn, data, type Tensor } from '../src/index.js';

const { randomCrop, randomHorizontalFlip, randomErasing, normalize, compose } = data;

const flat = (t: Tensor): number[] => Array.from(t.data as Float32Array);

test('augment: the same seed gives the same batch; another seed another one', () => {
  const x = randn([16, 1, 12, 12]);
  const aug = compose(randomCrop(12, { padding: 2 }), randomHorizontalFlip(), randomErasing({ p: 0.5 }), normalize(0.3, 0.4));
  const a = aug(x, new Generator(7));
  const b = aug(x, new Generator(7));
  const c = aug(x, new Generator(8));
  assert.deepEqual(flat(a), flat(b));
  assert.notDeepEqual(flat(a), flat(c));
  assert.deepEqual(a.shape, [16, 1, 12, 12]);
});

test('augment: randomErasing fills one rectangle per erased image, within the scale and ratio ranges, every channel alike', () => {
  const x = randn([200, 3, 20, 20]).add(100); // no element is 0 before erasing
  const y = randomErasing({ p: 0.5, scale: [0.05, 0.2], ratio: [0.5, 2], value: 0 })(x, new Generator(1));
  const v = y.data as Float32Array;
  let erased = 0;
  for (let b = 0; b < 200; b++) {
    const zeros: [number, number][] = [];
    for (let i = 0; i < 400; i++) if (v[b * 1200 + i] === 0) zeros.push([Math.floor(i / 20), i % 20]);
    for (let i = 0; i < 400; i++) assert.equal(v[b * 1200 + i] === 0, v[b * 1200 + 400 + i] === 0, 'channels erased alike');
    if (zeros.length === 0) continue;
    erased++;
    const rows = zeros.map(([r]) => r);
    const cols = zeros.map(([, c]) => c);
    const h = Math.max(...rows) - Math.min(...rows) + 1;
    const w = Math.max(...cols) - Math.min(...cols) + 1;
    assert.equal(zeros.length, h * w, 'a filled rectangle');
    assert.ok(h * w >= Math.round(0.05 * 400 * 0.5) && h * w <= Math.round(0.2 * 400 * 1.5), `area ${h * w}`);
    assert.ok(h / w >= 0.3 && h / w <= 3.5, `ratio ${h}/${w}`);
  }
  assert.ok(erased > 70 && erased < 130, `about half erased: ${erased} of 200`);
  assert.deepEqual(flat(randomErasing({ p: 0 })(x, new Generator(1))), flat(x), 'p = 0 leaves the batch alone');
});

test('augment: randomCrop with padding shifts each image by at most the padding, filling with zeros', () => {
  const x = randn([50, 1, 8, 8]).abs().add(1);
  const y = randomCrop(8, { padding: 2 })(x, new Generator(3));
  const v = y.data as Float32Array;
  const shifts = new Set<string>();
  for (let b = 0; b < 50; b++) {
    // Find the shift (dy, dx) that maps the input onto the output.
    let found = false;
    for (let dy = -2; dy <= 2 && !found; dy++) {
      for (let dx = -2; dx <= 2 && !found; dx++) {
        let ok = true;
        for (let r = 0; r < 8 && ok; r++) {
          for (let c = 0; c < 8 && ok; c++) {
            const sr = r + dy;
            const sc = c + dx;
            const want = sr >= 0 && sr < 8 && sc >= 0 && sc < 8 ? (x.data as Float32Array)[b * 64 + sr * 8 + sc]! : 0;
            ok = v[b * 64 + r * 8 + c] === want;
          }
        }
        if (ok) {
          found = true;
          shifts.add(`${dy},${dx}`);
        }
      }
    }
    assert.ok(found, `image ${b} is a shifted copy`);
  }
  assert.ok(shifts.size > 10, `images draw their own shift (${shifts.size} distinct)`);
});

test('augment: randomErasing rejects what it does not understand, naming itself', () => {
  assert.throws(() => randomErasing({ p: 2 }), /^RangeError: randomErasing: option 'p' must be in \[0, 1\]/);
  assert.throws(() => randomErasing({ scale: [0.5, 0.1] }), /randomErasing: option 'scale' must be a pair/);
  assert.throws(() => randomErasing({ prob: 0.5 } as never), /randomErasing: unknown option 'prob'/);
  assert.throws(() => randomErasing(0.5 as never), /randomErasing: argument 1 must be an options object/);
});

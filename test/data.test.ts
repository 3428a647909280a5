import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { tensor, arange, Generator, Tensor, data } from '../src/index.js';
import { readIdxFile, loadFashionMnist } from '../src/node/index.js';

const {
  parseIdx,
  encodeIdx,
  TensorDataset,
  DataLoader,
  MapDataset,
  randomSplit,
  defaultCollate,
  normalize,
  randomCrop,
  randomHorizontalFlip,
  compose,
} = data;

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'shinsou-data-'));
}

test('IDX: every element type round-trips through encodeIdx/parseIdx', () => {
  const vals = [0, 1, 2, 100, 127, 5, 3, 9, 11, 4, 6, 7];
  for (const dtype of ['uint8', 'int8', 'int16', 'int32', 'float32', 'float64'] as const) {
    const v =
      dtype === 'int8' || dtype === 'int16' || dtype === 'int32'
        ? vals.map((x, i) => (i % 2 ? -x : x))
        : dtype.startsWith('float')
          ? vals.map((x) => x + 0.5)
          : vals;
    const arr = parseIdx(encodeIdx({ dtype, shape: [2, 3, 2], data: v }));
    assert.equal(arr.dtype, dtype);
    assert.deepEqual(arr.shape, [2, 3, 2]);
    assert.deepEqual(Array.from(arr.data), v);
  }
});

test('IDX: the header is big-endian as in the MNIST files', () => {
  const b = encodeIdx({ dtype: 'uint8', shape: [2, 28, 28], data: new Uint8Array(2 * 784) });
  assert.deepEqual(Array.from(b.subarray(0, 16)), [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 28, 0, 0, 0, 28]);
  const i32 = encodeIdx({ dtype: 'int32', shape: [1], data: [0x01020304] });
  assert.deepEqual(Array.from(i32.subarray(8)), [1, 2, 3, 4]);
});

test('IDX: corrupt and truncated files name the file and the byte offset', () => {
  const good = encodeIdx({ dtype: 'uint8', shape: [3, 4, 4], data: new Uint8Array(48).fill(7) });
  assert.throws(
    () => parseIdx(good.subarray(0, 30), 'x-idx3-ubyte'),
    /IDX x-idx3-ubyte: truncated: shape \[3, 4, 4\] of uint8 needs 64 bytes, the file ends after 30 \(at byte offset 30\)/,
  );
  assert.throws(() => parseIdx(good.subarray(0, 10), 'f'), /IDX f: truncated header: 3 dimensions need 16 header bytes.*at byte offset 10/);
  assert.throws(() => parseIdx(good.subarray(0, 2), 'f'), /IDX f: truncated header.*at byte offset 2/);
  const bad = good.slice();
  bad[0] = 9;
  assert.throws(() => parseIdx(bad, 'f'), /IDX f: bad magic number.*at byte offset 0/);
  const badType = good.slice();
  badType[2] = 0x42;
  assert.throws(() => parseIdx(badType, 'f'), /unknown element type code 0x42 \(.*\) \(at byte offset 2\)/);
  const long = new Uint8Array(good.length + 3);
  long.set(good);
  assert.throws(() => parseIdx(long, 'f'), /3 unexpected bytes after the last element.*at byte offset 64/);
  assert.throws(() => parseIdx(gzipSync(good), 'f.gz'), /looks gzip-compressed/);
});

test('IDX files: raw and gzip are read alike; a truncated gzip names the file', () => {
  const dir = tmp();
  try {
    const b = encodeIdx({ dtype: 'uint8', shape: [5], data: [1, 2, 3, 4, 5] });
    writeFileSync(join(dir, 'a-idx1-ubyte'), b);
    writeFileSync(join(dir, 'a-idx1-ubyte.gz'), gzipSync(b));
    assert.deepEqual(Array.from(readIdxFile(join(dir, 'a-idx1-ubyte')).data), [1, 2, 3, 4, 5]);
    assert.deepEqual(Array.from(readIdxFile(join(dir, 'a-idx1-ubyte.gz')).data), [1, 2, 3, 4, 5]);
    const gz = gzipSync(b);
    writeFileSync(join(dir, 'cut.gz'), gz.subarray(0, gz.length - 6));
    assert.throws(() => readIdxFile(join(dir, 'cut.gz')), /cut\.gz: corrupt gzip data/);
    writeFileSync(join(dir, 'short-idx1-ubyte'), b.subarray(0, 11));
    assert.throws(() => readIdxFile(join(dir, 'short-idx1-ubyte')), /IDX .*short-idx1-ubyte: truncated.*at byte offset 11/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Writes a small Fashion-MNIST look-alike (gzip for train, raw for test) into dir/fashion-mnist. */
function writeFakeFashion(dir: string, nTrain: number, nTest: number): void {
  const d = join(dir, 'fashion-mnist');
  mkdirSync(d, { recursive: true });
  const g = new Generator(5);
  const make = (n: number) => {
    const labels = Array.from({ length: n }, () => g.int(0, 10));
    const px = new Uint8Array(n * 784);
    for (let i = 0; i < px.length; i++) px[i] = g.int(0, 256);
    return { labels, px };
  };
  const tr = make(nTrain);
  const te = make(nTest);
  writeFileSync(join(d, 'train-images-idx3-ubyte.gz'), gzipSync(encodeIdx({ dtype: 'uint8', shape: [nTrain, 28, 28], data: tr.px })));
  writeFileSync(join(d, 'train-labels-idx1-ubyte.gz'), gzipSync(encodeIdx({ dtype: 'uint8', shape: [nTrain], data: tr.labels })));
  writeFileSync(join(d, 't10k-images-idx3-ubyte'), encodeIdx({ dtype: 'uint8', shape: [nTest, 28, 28], data: te.px }));
  writeFileSync(join(d, 't10k-labels-idx1-ubyte'), encodeIdx({ dtype: 'uint8', shape: [nTest], data: te.labels }));
}

test('Fashion-MNIST loader: reads the data directory first, as float images [N, 1, 28, 28] in [0, 1]', async () => {
  const dir = tmp();
  try {
    writeFakeFashion(dir, 12, 7);
    const train = await loadFashionMnist('train', { dataDir: dir, systemDirs: [], download: false });
    assert.deepEqual(train.images.shape, [12, 1, 28, 28]);
    assert.equal(train.images.dtype, 'float32');
    assert.equal(train.labels.dtype, 'int32');
    assert.ok(train.files.images.endsWith('train-images-idx3-ubyte.gz'));
    const px = train.images.data;
    assert.ok(Math.max(...px) <= 1 && Math.min(...px) >= 0);
    const test = await loadFashionMnist('test', { dataDir: dir, systemDirs: [], download: false });
    assert.deepEqual(test.labels.shape, [7]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Fashion-MNIST loader: absent and offline, the error names the Debian package', async () => {
  const dir = tmp();
  try {
    await assert.rejects(
      loadFashionMnist('test', { dataDir: dir, systemDirs: [], download: false }),
      /apt-get install dataset-fashion-mnist/,
    );
    // A download that cannot connect (port 9 on localhost refuses) also ends in the install hint.
    await assert.rejects(
      loadFashionMnist('test', { dataDir: dir, systemDirs: [], baseUrl: 'http://127.0.0.1:9/' }),
      /download of http:\/\/127\.0\.0\.1:9\/t10k-images-idx3-ubyte\.gz failed.*apt-get install dataset-fashion-mnist/s,
    );
    const labels = join(dir, 'fashion-mnist');
    mkdirSync(labels, { recursive: true });
    writeFileSync(join(labels, 't10k-images-idx3-ubyte'), encodeIdx({ dtype: 'uint8', shape: [2, 28, 28], data: new Uint8Array(1568) }));
    writeFileSync(join(labels, 't10k-labels-idx1-ubyte'), encodeIdx({ dtype: 'uint8', shape: [2], data: [3, 12] }));
    await assert.rejects(
      loadFashionMnist('test', { dataDir: dir, systemDirs: [], download: false }),
      /label 12 of example 1 is not a class 0\.\.9 \(at byte offset 9\)/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Fashion-MNIST loader: images that are not 28x28 (14x56 has the same pixel count) are refused', async () => {
  const dir = tmp();
  try {
    const d = join(dir, 'fashion-mnist');
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 't10k-images-idx3-ubyte'), encodeIdx({ dtype: 'uint8', shape: [2, 14, 56], data: new Uint8Array(1568) }));
    writeFileSync(join(d, 't10k-labels-idx1-ubyte'), encodeIdx({ dtype: 'uint8', shape: [2], data: [3, 1] }));
    await assert.rejects(
      loadFashionMnist('test', { dataDir: dir, systemDirs: [], download: false }),
      /t10k-images-idx3-ubyte: expected uint8 images \[N, 28, 28\], got uint8 \[2, 14, 56\] \(at byte offset 8\)/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('IDX files over the size limit are refused naming the file and the limit, gzip output too', () => {
  const dir = tmp();
  try {
    const b = encodeIdx({ dtype: 'uint8', shape: [4096], data: new Uint8Array(4096) });
    writeFileSync(join(dir, 'z-idx1-ubyte.gz'), gzipSync(b));
    assert.throws(
      () => readIdxFile(join(dir, 'z-idx1-ubyte.gz'), { maxBytes: 1024 }),
      /IDX .*z-idx1-ubyte\.gz: it gunzips to more bytes, over the limit of 1 KiB for IDX files/,
    );
    assert.equal(readIdxFile(join(dir, 'z-idx1-ubyte.gz'), { maxBytes: 8192 }).shape[0], 4096);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('TensorDataset: get returns row views, getBatch gathers rows into one tensor', () => {
  const x = arange(0, 24, 1, { dtype: 'float32' }).reshape([6, 2, 2]);
  const y = tensor(Int32Array.from([0, 1, 2, 3, 4, 5]));
  const ds = new TensorDataset(x, y);
  assert.equal(ds.length, 6);
  const [xi, yi] = ds.get(2);
  assert.deepEqual(xi!.toArray(), [
    [8, 9],
    [10, 11],
  ]);
  assert.equal(yi!.item(), 2);
  const [xb, yb] = ds.getBatch([4, 0]);
  assert.deepEqual(xb!.shape, [2, 2, 2]);
  assert.deepEqual(xb!.toList(), [16, 17, 18, 19, 0, 1, 2, 3]);
  assert.deepEqual(yb!.toList(), [4, 0]);
  assert.equal(yb!.dtype, 'int32');
  assert.throws(() => ds.get(6), /TensorDataset\.get: index 6 is out of range for a dataset of length 6/);
  assert.throws(() => new TensorDataset(x, tensor([1, 2])), /same first dimension.*\[6, 2, 2\] and \[2\]/);
});

test('defaultCollate: tensors stack, numbers become int32/float32, tuples and objects go by position/key', () => {
  const b = defaultCollate([
    [tensor([1, 2]), 3, true],
    [tensor([4, 5]), 6, false],
  ] as [Tensor, number, boolean][]);
  assert.deepEqual(b[0].toArray(), [
    [1, 2],
    [4, 5],
  ]);
  assert.equal(b[1].dtype, 'int32');
  assert.deepEqual(b[1].toList(), [3, 6]);
  assert.equal(b[2].dtype, 'bool');
  const o = defaultCollate([
    { a: 0.5, s: 'x' },
    { a: 1, s: 'y' },
  ]);
  assert.equal(o.a.dtype, 'float32');
  assert.deepEqual(o.s, ['x', 'y']);
  assert.throws(() => defaultCollate([tensor([1, 2]), tensor([1, 2, 3])]), /sample 1 is float32 \[3\], sample 0 is float32 \[2\]/);
});

test('DataLoader: batches cover every sample once per epoch; dropLast; seeded shuffle differs per epoch', () => {
  const ds = new MapDataset(10, (i) => i);
  const plain = [...new DataLoader(ds, { batchSize: 4 })].map((b) => b.toList());
  assert.deepEqual(plain, [
    [0, 1, 2, 3],
    [4, 5, 6, 7],
    [8, 9],
  ]);
  const dl = new DataLoader(ds, { batchSize: 4, dropLast: true });
  assert.equal(dl.length, 2);
  assert.deepEqual(
    [...dl].map((b) => b.toList()),
    [
      [0, 1, 2, 3],
      [4, 5, 6, 7],
    ],
  );

  const a = new DataLoader(ds, { batchSize: 3, shuffle: true, seed: 7 });
  const e0 = [...a].flatMap((b) => b.toList());
  const e1 = [...a].flatMap((b) => b.toList());
  assert.deepEqual(
    [...e0].sort((p, q) => p - q),
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  );
  assert.notDeepEqual(e0, e1);
  assert.equal(a.epoch, 2);
  const b = new DataLoader(ds, { batchSize: 3, shuffle: true, seed: 7 });
  assert.deepEqual(
    [...b].flatMap((x) => x.toList()),
    e0,
  );
  b.setEpoch(0);
  assert.deepEqual(
    [...b].flatMap((x) => x.toList()),
    e0,
  );
  const c = new DataLoader(ds, { batchSize: 3, shuffle: true, seed: 8 });
  assert.notDeepEqual(
    [...c].flatMap((x) => x.toList()),
    e0,
  );
});

test('DataLoader: the fast path (getBatch) gives the same batches as per-sample collation', () => {
  const x = arange(0, 60, 1, { dtype: 'float32' }).reshape([15, 4]);
  const y = arange(0, 15);
  const ds = new TensorDataset(x, y);
  const fast = new DataLoader(ds, { batchSize: 4, shuffle: true, seed: 3 });
  const slow = new DataLoader(ds, { batchSize: 4, shuffle: true, seed: 3, collate: (s) => defaultCollate(s) });
  const fb = [...fast];
  const sb = [...slow];
  assert.equal(fb.length, 4);
  fb.forEach((batch, i) => {
    assert.deepEqual(batch[0]!.toArray(), sb[i]![0]!.toArray());
    assert.deepEqual(batch[1]!.toArray(), sb[i]![1]!.toArray());
  });
});

test('DataLoader: a state saved mid-epoch resumes with the same batches and the same random augmentation', () => {
  const x = arange(0, 16 * 4, 1, { dtype: 'float32' }).reshape([16, 1, 2, 2]);
  const ds = new TensorDataset(x, arange(0, 16));
  const flip = randomHorizontalFlip(0.5);
  const opts = { batchSize: 3, shuffle: true, seed: 11, batchTransform: (b: Tensor[], g: Generator) => [flip(b[0]!, g), b[1]!] };
  const ref = new DataLoader(ds, opts);
  const all = [...[...ref], ...[...ref]].map((b) => b[0]!.toList().concat(b[1]!.toList()));

  const first = new DataLoader(ds, opts);
  const got: number[][] = [];
  let state = null as ReturnType<typeof first.stateDict> | null;
  for (const b of first) {
    got.push(b[0]!.toList().concat(b[1]!.toList()));
    if (got.length === 4) {
      state = JSON.parse(JSON.stringify(first.stateDict()));
      break;
    }
  }
  const second = new DataLoader(ds, opts);
  second.loadStateDict(state!);
  for (const b of second) got.push(b[0]!.toList().concat(b[1]!.toList()));
  for (const b of second) got.push(b[0]!.toList().concat(b[1]!.toList()));
  assert.deepEqual(got, all);
  assert.throws(() => new DataLoader(ds, { ...opts, seed: 12 }).loadStateDict(state!), /saved with seed 11, this loader has seed 12/);
});

test('randomSplit: sizes or fractions, disjoint and covering, seeded', () => {
  const ds = new MapDataset(10, (i) => i);
  const [a, b] = randomSplit(ds, [7, 3], new Generator(1));
  assert.equal(a!.length, 7);
  assert.equal(b!.length, 3);
  const all = [...Array.from({ length: 7 }, (_, i) => a!.get(i)), ...Array.from({ length: 3 }, (_, i) => b!.get(i))];
  assert.deepEqual(
    all.sort((p, q) => p - q),
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  );
  const again = randomSplit(ds, [7, 3], new Generator(1));
  assert.deepEqual(again[1]!.indices, b!.indices);
  const f = randomSplit(ds, [0.25, 0.25, 0.5], new Generator(2));
  assert.deepEqual(
    f.map((s) => s.length),
    [3, 2, 5],
  );
  assert.throws(() => randomSplit(ds, [5, 4]), /sum to 9, the dataset has 10 samples/);
  // Subsets of a TensorDataset keep the fast path.
  const t = new TensorDataset(arange(0, 10, 1, { dtype: 'float32' }));
  const [s] = randomSplit(t, [10], new Generator(3));
  const batch = new DataLoader(s!, { batchSize: 10 })[Symbol.iterator]().next().value as Tensor[];
  assert.deepEqual(batch[0]!.toList(), s!.indices);
});

test('transforms: normalize per channel, randomCrop with padding, horizontal flip, compose', () => {
  const img = tensor([
    [
      [1, 2],
      [3, 4],
    ],
    [
      [10, 20],
      [30, 40],
    ],
  ]);
  assert.deepEqual(normalize([1, 10], [2, 10])(img).toArray(), [
    [
      [0, 0.5],
      [1, 1.5],
    ],
    [
      [0, 1],
      [2, 3],
    ],
  ]);
  assert.deepEqual(normalize(1, 1)(img.reshape([1, 2, 2, 2])).shape, [1, 2, 2, 2]);
  assert.deepEqual(randomHorizontalFlip(1)(img).toArray(), [
    [
      [2, 1],
      [4, 3],
    ],
    [
      [20, 10],
      [40, 30],
    ],
  ]);
  assert.deepEqual(randomHorizontalFlip(0)(img).toArray(), img.toArray());

  const x = arange(1, 10, 1, { dtype: 'float32' }).reshape([1, 3, 3]);
  // A 3x3 crop of the image padded by 1 is the image shifted by at most one pixel, zero filled.
  const g = new Generator(0);
  const seen = new Set<string>();
  for (let k = 0; k < 60; k++) {
    const c = randomCrop(3, { padding: 1 })(x, g);
    assert.deepEqual(c.shape, [1, 3, 3]);
    const v = c.toList();
    assert.ok(v.filter((p) => p === 5).length <= 1);
    seen.add(v.join(','));
  }
  assert.equal(seen.size, 9);
  assert.deepEqual(randomCrop(3)(x, g).toList(), x.toList());
  assert.throws(() => randomCrop(5)(x), /randomCrop: crop 5x5 is larger than the padded image 3x3/);
  const both = compose(normalize(5, 1), randomHorizontalFlip(1));
  assert.deepEqual(
    both(x).toList(),
    [-2, -3, -4, 1, 0, -1, 4, 3, 2].map((v) => v),
  );
  assert.throws(
    () => normalize(0, 1)(tensor([1, 2])),
    /normalize: expected an image \[C, H, W\] or a batch \[N, C, H, W\], got shape \[2\]/,
  );
});

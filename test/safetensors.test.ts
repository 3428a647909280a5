import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tensor, zeros, randn, manualSeed, Generator, Tensor, nn, optim, io, crossEntropy, backward } from '../src/index.js';
import { saveFile, loadFile, saveCheckpoint, loadCheckpoint } from '../src/node/index.js';

const { encodeSafetensors, decodeSafetensors, packCheckpoint, unpackCheckpoint } = io;
const fixture = (name: string): URL => new URL(`../../fixtures/interop/${name}`, import.meta.url);

/**
 * A copy with every null-prototype object (the name tables decoding returns) made ordinary, so
 * strict deep equality compares contents with a literal.
 */
function plain(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(plain);
  if (v === null || typeof v !== 'object' || v instanceof Tensor) return v;
  const proto = Object.getPrototypeOf(v);
  if (proto !== null && proto !== Object.prototype) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v))
    Object.defineProperty(out, k, { value: plain(x), enumerable: true, writable: true, configurable: true });
  return out;
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'shinsou-st-'));
}

/** The bytes of a file with a hand-written header (for corrupting one field at a time). */
function handMade(header: Record<string, unknown>, dataBytes: number, headerLen?: number): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLen ?? json.length), true);
  out.set(json, 8);
  return out;
}

test('safetensors: every dtype, 0-d and empty tensors, and metadata round-trip', () => {
  const ts: Record<string, Tensor> = {
    w: tensor([
      [1.5, -2],
      [3, 4.25],
    ]),
    d: tensor(Float64Array.from([Math.PI, -1e-300])),
    i: tensor(Int32Array.from([-7, 2147483647])),
    b: tensor([true, false, true]),
    s: tensor(3.5 as number),
    e: zeros([0, 3]),
  };
  const bytes = encodeSafetensors(ts, { format: 'pt', note: 'ü' });
  const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  assert.equal(n % 8, 0, 'header padded to a multiple of 8');
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  assert.deepEqual(header.w, { dtype: 'F32', shape: [2, 2], data_offsets: [0, 16] });
  assert.deepEqual(header.b.dtype, 'BOOL');
  assert.deepEqual(header.__metadata__, { format: 'pt', note: 'ü' });
  const back = decodeSafetensors(bytes);
  assert.equal(Object.getPrototypeOf(back.metadata), null, 'names from a file index a null-prototype table');
  assert.equal(Object.getPrototypeOf(back.tensors), null);
  assert.deepEqual(plain(back.metadata), { format: 'pt', note: 'ü' });
  for (const [k, t] of Object.entries(ts)) {
    assert.equal(back.tensors[k]!.dtype, t.dtype, k);
    assert.deepEqual(back.tensors[k]!.shape, t.shape, k);
    assert.deepEqual(back.tensors[k]!.toList(), t.toList(), k);
  }
  // Non-contiguous views are written in logical order.
  const v = decodeSafetensors(
    encodeSafetensors({
      t: tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]).transpose(0, 1),
    }),
  ).tensors['t']!;
  assert.deepEqual(v.toArray(), [
    [1, 4],
    [2, 5],
    [3, 6],
  ]);
});

test('safetensors: I64 (PyTorch integers) is read as int32 when it fits', () => {
  const bytes = handMade({ x: { dtype: 'I64', shape: [2], data_offsets: [0, 16] } }, 16);
  const v = new DataView(bytes.buffer, bytes.length - 16);
  v.setBigInt64(0, -5n, true);
  v.setBigInt64(8, 3n, true);
  const x = decodeSafetensors(bytes).tensors['x']!;
  assert.equal(x.dtype, 'int32');
  assert.deepEqual(x.toList(), [-5, 3]);
  v.setBigInt64(8, 1n << 40n, true);
  assert.throws(
    () => decodeSafetensors(bytes, 'big.safetensors'),
    /big\.safetensors: tensor 'x': I64 element 1 = 1099511627776 does not fit in int32/,
  );
});

test('safetensors: corrupt files are rejected naming the tensor and the byte offset', () => {
  const d = (b: Uint8Array): unknown => decodeSafetensors(b, 'm.safetensors');
  assert.throws(() => d(new Uint8Array(5)), /safetensors m\.safetensors: file is 5 bytes, too short.*at byte offset 0/);
  const ok = { a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] } };
  assert.doesNotThrow(() => d(handMade(ok, 12)));
  assert.throws(() => d(handMade(ok, 12, 1e9)), /header length 1000000000 exceeds the limit/);
  assert.throws(() => d(handMade(ok, 12, 5000)), /header length 5000 runs past the end of the file/);
  const badJson = handMade(ok, 12);
  badJson[20] = 0x7b;
  assert.throws(() => d(badJson), /header is not valid JSON.*at byte offset \d+/);
  assert.throws(
    () => d(handMade({ ...ok, b: { dtype: 'F32', shape: [1], data_offsets: [12, 16] } }, 16)),
    /tensor 'b': data_offsets \[12, 16\] are not contiguous: expected it to start at 8 \(a gap of unused bytes precedes it\)/,
  );
  assert.throws(
    () => d(handMade({ ...ok, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, 12)),
    /tensor 'b': data_offsets \[4, 8\] are not contiguous.*overlaps/,
  );
  // Truncated data: offsets point past the end.
  const full = handMade(ok, 12);
  const dataStart = full.length - 12;
  assert.throws(
    () => d(full.subarray(0, full.length - 3)),
    new RegExp(
      `tensor 'b': data_offsets \\[8, 12\\] run past the end of the data \\(9 bytes; the file is truncated\\?\\) \\(at byte offset ${dataStart + 9}\\)`,
    ),
  );
  const short = handMade({ a: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, 8);
  assert.throws(
    () => d(short),
    new RegExp(`tensor 'a': F32 shape \\[3\\] needs 12 bytes, data_offsets \\[0, 8\\] hold 8 \\(at byte offset ${short.length - 8}\\)`),
  );
  assert.throws(
    () => d(handMade({ a: { dtype: 'F8_E5M2', shape: [2], data_offsets: [0, 2] } }, 2)),
    /tensor 'a': unsupported dtype "F8_E5M2"/,
  );
  assert.throws(
    () => d(handMade({ a: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, 4)),
    /tensor 'a': shape must be a list of non-negative integers/,
  );
  assert.throws(
    () => d(handMade({ a: { dtype: 'F32', shape: [1], data_offsets: [4, 0] } }, 4)),
    /tensor 'a': data_offsets must be \[begin, end\]/,
  );
  assert.throws(
    () => d(handMade({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, 7)),
    /3 bytes after the last tensor are not covered/,
  );
  assert.throws(() => d(handMade({ __metadata__: { n: 1 } }, 0)), /__metadata__ 'n' must be a string/);
  const boolBad = handMade({ a: { dtype: 'BOOL', shape: [1], data_offsets: [0, 1] } }, 1);
  boolBad[boolBad.length - 1] = 2;
  assert.throws(() => d(boolBad), /tensor 'a': BOOL element 0 is 2, expected 0 or 1/);
});

test('saveFile / loadFile: atomic writes leave no temporary files; read errors name the file', () => {
  const dir = tmp();
  try {
    const p = join(dir, 'w.safetensors');
    saveFile(p, { a: tensor([1, 2, 3]) }, { k: 'v' });
    saveFile(p, { a: tensor([4, 5, 6]) });
    assert.deepEqual(readdirSync(dir), ['w.safetensors']);
    assert.deepEqual(loadFile(p).tensors['a']!.toList(), [4, 5, 6]);
    writeFileSync(join(dir, 'cut.safetensors'), readFileSync(p).subarray(0, 70));
    assert.throws(() => loadFile(join(dir, 'cut.safetensors')), /safetensors .*cut\.safetensors: .*at byte offset \d+/);
    assert.throws(() => loadFile(join(dir, 'nope.safetensors')), /safetensors .*nope\.safetensors: cannot read the file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('checkpoint: model, Adam state, RNG, loader position and extras survive a file round trip', () => {
  manualSeed(1);
  const model = new nn.Sequential(new nn.Linear(3, 4), new nn.Linear(4, 2));
  const opt = new optim.Adam(model.parameters(), { lr: 0.01 });
  for (let s = 0; s < 2; s++) {
    opt.zeroGrad();
    backward([crossEntropy(model.forward(randn([5, 3])), tensor(Int32Array.from([0, 1, 1, 0, 1])))]);
    opt.step();
  }
  const g = new Generator(9);
  g.normal();
  const c = {
    model: model.stateDict(),
    optimizer: opt.stateDict(),
    epoch: 3,
    step: 2,
    rng: g.getState(),
    loader: { seed: 1, epoch: 3, batch: 2, rng: [1, 2, 3, 4, NaN] },
    extra: { recipe: 'x' },
  };
  const parts = packCheckpoint(c);
  assert.ok('optim.state.0.expAvg' in parts.tensors && 'optim.state.3.expAvgSq' in parts.tensors && 'model.1.bias' in parts.tensors);
  assert.equal(parts.tensors['optim.state.0.expAvg'].dtype, 'float32');
  const dir = tmp();
  try {
    const p = join(dir, 'c.safetensors');
    saveCheckpoint(p, c);
    const back = loadCheckpoint(p);
    assert.equal(back.epoch, 3);
    assert.equal(back.step, 2);
    assert.deepEqual(back.rng, c.rng);
    assert.deepEqual(back.extra, { recipe: 'x' });
    assert.ok(Number.isNaN(back.loader!.rng[4]!) || back.loader!.rng[4] === null);
    assert.ok(back.optimizer);
    assert.deepEqual(plain(back.optimizer), c.optimizer);
    for (const [k, t] of Object.entries(c.model)) assert.deepEqual(back.model[k]!.toList(), t.toList());
    const opt2 = new optim.Adam(model.parameters(), { lr: 0.5 });
    opt2.loadStateDict(back.optimizer);
    assert.deepEqual(opt2.stateDict(), opt.stateDict());
    // A plain state dict is not a checkpoint.
    saveFile(join(dir, 'plain.safetensors'), model.stateDict());
    assert.throws(
      () => loadCheckpoint(join(dir, 'plain.safetensors')),
      /checkpoint .*plain\.safetensors: __metadata__\.format is undefined/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.throws(
    () => unpackCheckpoint({ tensors: { 'odd.key': zeros([1]) }, metadata: { format: 'shinsou.checkpoint/1', epoch: '0', step: '0' } }),
    /unexpected tensor 'odd\.key'/,
  );
});

test("interop: a PyTorch nn.Sequential(Linear, ReLU, Linear) state dict loads by name and gives torch's output", () => {
  const ref = JSON.parse(readFileSync(fixture('torch_mlp.json'), 'utf8')) as { input: number[][]; output: number[][] };
  const { tensors, metadata } = decodeSafetensors(new Uint8Array(readFileSync(fixture('torch_mlp.safetensors'))), 'torch_mlp.safetensors');
  assert.equal(metadata['format'], 'pt');
  const model = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 3));
  const r = model.loadStateDict(tensors);
  assert.deepEqual(r, { missingKeys: [], unexpectedKeys: [], mismatched: [] });
  const y = model.forward(tensor(ref.input)).toArray() as number[][];
  y.forEach((row, i) =>
    row.forEach((v, j) => assert.ok(Math.abs(v - ref.output[i]![j]!) < 1e-5, `output[${i}][${j}] ${v} vs torch ${ref.output[i]![j]}`)),
  );
});

/**
 * The file that scripts/torch_interop.py loads into PyTorch: written by saveFile from a seeded
 * model. The committed bytes must be exactly what shinsou writes today (regenerate with
 * SHINSOU_WRITE_FIXTURES=1), so the Python check proves shinsou's own output loads in torch.
 */
test('interop: shinsou_mlp.safetensors is exactly what saveFile writes (checked in PyTorch by scripts/torch_interop.py)', () => {
  manualSeed(42);
  const model = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 3));
  const input = randn([3, 4]);
  const output = model.forward(input);
  const bytes = encodeSafetensors(model.stateDict(), { format: 'pt', source: 'shinsou saveFile' });
  const json = `${JSON.stringify({ input: input.toArray(), output: output.toArray() })}\n`;
  if (process.env['SHINSOU_WRITE_FIXTURES'] === '1') {
    const dir = tmp();
    saveFile(join(dir, 'x.safetensors'), model.stateDict(), { format: 'pt', source: 'shinsou saveFile' });
    writeFileSync(fixture('shinsou_mlp.safetensors'), readFileSync(join(dir, 'x.safetensors')));
    writeFileSync(fixture('shinsou_mlp.json'), json);
    rmSync(dir, { recursive: true, force: true });
  }
  assert.ok(existsSync(fixture('shinsou_mlp.safetensors')), 'run SHINSOU_WRITE_FIXTURES=1 node scripts/run-tests.mjs safetensors');
  assert.deepEqual(new Uint8Array(readFileSync(fixture('shinsou_mlp.safetensors'))), bytes);
  assert.equal(readFileSync(fixture('shinsou_mlp.json'), 'utf8'), json);
});

test('safetensors: names from the file cannot reach prototypes (__proto__, constructor, toString)', () => {
  const d = (b: Uint8Array) => decodeSafetensors(b, 'evil.safetensors');
  // A tensor named __proto__ is an ordinary entry, not the prototype of the result.
  const json = '{"__proto__":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}';
  const enc = new TextEncoder().encode(json);
  const bytes = new Uint8Array(8 + enc.length + 8);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(enc.length), true);
  bytes.set(enc, 8);
  const got = d(bytes);
  assert.deepEqual(Object.keys(got.tensors).sort(), ['__proto__', 'a']);
  // ... and survives being written again.
  const again = d(encodeSafetensors(got.tensors));
  assert.deepEqual(Object.keys(again.tensors).sort(), ['__proto__', 'a']);
  assert.ok(Object.prototype.hasOwnProperty.call(got.tensors, '__proto__'));
  assert.ok(got.tensors['__proto__'] instanceof Tensor);
  assert.equal(Object.getPrototypeOf(got.tensors['a']), Tensor.prototype);
  // Object.prototype member names are not dtypes.
  for (const dtype of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    assert.throws(
      () => d(handMade({ a: { dtype, shape: [1], data_offsets: [0, 4] } }, 4)),
      new RegExp(`evil\\.safetensors: tensor 'a': unsupported dtype "${dtype}"`),
    );
  }
  // Metadata keys read from the file are plain data too.
  const meta = d(handMade({ __metadata__: { constructor: 'x' } }, 0)).metadata;
  assert.equal(meta['constructor'], 'x');
  assert.equal(meta['toString'], undefined);
});

test('checkpoint: malformed __metadata__ JSON fields are named with the file (no bare TypeError)', () => {
  const base = { format: 'shinsou.checkpoint/1', epoch: '0', step: '0' };
  const u = (metadata: Record<string, string>) => unpackCheckpoint({ tensors: {}, metadata: { ...base, ...metadata } }, 'run.ckpt');
  assert.throws(() => u({ optim: '{}' }), /checkpoint run\.ckpt: __metadata__\.optim\.state must be an object/);
  assert.throws(() => u({ optim: '[]' }), /checkpoint run\.ckpt: __metadata__\.optim must be an object/);
  assert.throws(
    () => u({ optim: '{"state":{},"paramGroups":{}}' }),
    /checkpoint run\.ckpt: __metadata__\.optim\.paramGroups must be a list/,
  );
  assert.throws(
    () => u({ optim: '{"state":{"x":{"step":1}},"paramGroups":[]}' }),
    /__metadata__\.optim\.state: key "x" is not a parameter index/,
  );
  assert.throws(
    () => u({ optim: '{"state":{"0":{"step":-1}},"paramGroups":[]}' }),
    /__metadata__\.optim\.state\.0\.step must be a non-negative integer/,
  );
  assert.throws(
    () => u({ optim: '{"state":{},"paramGroups":[{"params":[0],"options":{"lr":"fast"}}]}' }),
    /__metadata__\.optim\.paramGroups\[0\]\.options\.lr must be a number, boolean or list of numbers/,
  );
  assert.throws(() => u({ rng: '{"a":1}' }), /checkpoint run\.ckpt: __metadata__\.rng must be a list of 5 numbers/);
  assert.throws(() => u({ loader: '7' }), /checkpoint run\.ckpt: __metadata__\.loader must be an object/);
  assert.throws(
    () => u({ loader: '{"seed":1,"epoch":0,"batch":"x","rng":[1,2,3,4,5]}' }),
    /__metadata__\.loader\.batch must be a non-negative integer/,
  );
  assert.throws(() => u({ extra: '[1]' }), /checkpoint run\.ckpt: __metadata__\.extra must be an object/);
  // Tensor names from the file stay plain keys.
  const c = unpackCheckpoint({ tensors: Object.fromEntries([['model.__proto__', zeros([1])]]), metadata: base }, 'run.ckpt');
  assert.ok(Object.prototype.hasOwnProperty.call(c.model, '__proto__'));
});

test('loadStateDict accepts what loadFile returns, and names a value that is not a tensor', () => {
  const dir = tmp();
  try {
    const a = new nn.Linear(3, 2);
    const b = new nn.Linear(3, 2);
    const p = join(dir, 'lin.safetensors');
    saveFile(p, a.stateDict());
    b.loadStateDict(loadFile(p));
    assert.deepEqual(b.weight.toList(), a.weight.toList());
    assert.throws(
      () => b.loadStateDict({ weight: [1, 2] } as unknown as Record<string, Tensor>),
      /Linear\.loadStateDict: state\['weight'\] is not a Tensor \(got an array\)/,
    );
    assert.throws(
      () => b.loadStateDict({ tensors: 3 } as unknown as Record<string, Tensor>),
      /Linear\.loadStateDict: state\['tensors'\] is not a Tensor \(got number\)/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

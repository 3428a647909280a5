import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tensor, zeros, randn, manualSeed, Generator, Tensor, nn, optim, io, crossEntropy, backward } from '../src/index.js';
import { saveFile, loadFile, saveCheckpoint, loadCheckpoint } from '../src/node/index.js';

const { encodeSafetensors, decodeSafetensors, packCheckpoint, unpackCheckpoint } = io;
const fixture = (name: string): URL => new URL(`../../fixtures/interop/${name}`, import.meta.url);

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
    w: tensor([[1.5, -2], [3, 4.25]]),
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
  assert.deepEqual(back.metadata, { format: 'pt', note: 'ü' });
  for (const [k, t] of Object.entries(ts)) {
    assert.equal(back.tensors[k]!.dtype, t.dtype, k);
    assert.deepEqual(back.tensors[k]!.shape, t.shape, k);
    assert.deepEqual(back.tensors[k]!.toList(), t.toList(), k);
  }
  // Non-contiguous views are written in logical order.
  const v = decodeSafetensors(encodeSafetensors({ t: tensor([[1, 2, 3], [4, 5, 6]]).transpose(0, 1) })).tensors['t']!;
  assert.deepEqual(v.toArray(), [[1, 4], [2, 5], [3, 6]]);
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
  assert.throws(() => decodeSafetensors(bytes, 'big.safetensors'), /big\.safetensors: tensor 'x': I64 element 1 = 1099511627776 does not fit in int32/);
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
  assert.throws(() => d(handMade({ ...ok, b: { dtype: 'F32', shape: [1], data_offsets: [12, 16] } }, 16)), /tensor 'b': data_offsets \[12, 16\] are not contiguous: expected it to start at 8 \(a gap of unused bytes precedes it\)/);
  assert.throws(() => d(handMade({ ...ok, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, 12)), /tensor 'b': data_offsets \[4, 8\] are not contiguous.*overlaps/);
  // Truncated data: offsets point past the end.
  const full = handMade(ok, 12);
  const dataStart = full.length - 12;
  assert.throws(() => d(full.subarray(0, full.length - 3)), new RegExp(`tensor 'b': data_offsets \\[8, 12\\] run past the end of the data \\(9 bytes; the file is truncated\\?\\) \\(at byte offset ${dataStart + 9}\\)`));
  const short = handMade({ a: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, 8);
  assert.throws(() => d(short), new RegExp(`tensor 'a': F32 shape \\[3\\] needs 12 bytes, data_offsets \\[0, 8\\] hold 8 \\(at byte offset ${short.length - 8}\\)`));
  assert.throws(() => d(handMade({ a: { dtype: 'F16', shape: [2], data_offsets: [0, 4] } }, 4)), /tensor 'a': unsupported dtype "F16"/);
  assert.throws(() => d(handMade({ a: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, 4)), /tensor 'a': shape must be a list of non-negative integers/);
  assert.throws(() => d(handMade({ a: { dtype: 'F32', shape: [1], data_offsets: [4, 0] } }, 4)), /tensor 'a': data_offsets must be \[begin, end\]/);
  assert.throws(() => d(handMade({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, 7)), /3 bytes after the last tensor are not covered/);
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
  const c = { model: model.stateDict(), optimizer: opt.stateDict(), epoch: 3, step: 2, rng: g.getState(), loader: { seed: 1, epoch: 3, batch: 2, rng: [1, 2, 3, 4, NaN] }, extra: { recipe: 'x' } };
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
    assert.deepEqual(back.optimizer, c.optimizer);
    for (const [k, t] of Object.entries(c.model)) assert.deepEqual(back.model[k]!.toList(), t.toList());
    const opt2 = new optim.Adam(model.parameters(), { lr: 0.5 });
    opt2.loadStateDict(back.optimizer);
    assert.deepEqual(opt2.stateDict(), opt.stateDict());
    // A plain state dict is not a checkpoint.
    saveFile(join(dir, 'plain.safetensors'), model.stateDict());
    assert.throws(() => loadCheckpoint(join(dir, 'plain.safetensors')), /checkpoint .*plain\.safetensors: __metadata__\.format is undefined/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.throws(() => unpackCheckpoint({ tensors: { 'odd.key': zeros([1]) }, metadata: { format: 'shinsou.checkpoint/1', epoch: '0', step: '0' } }), /unexpected tensor 'odd\.key'/);
});

test('interop: a PyTorch nn.Sequential(Linear, ReLU, Linear) state dict loads by name and gives torch\'s output', () => {
  const ref = JSON.parse(readFileSync(fixture('torch_mlp.json'), 'utf8')) as { input: number[][]; output: number[][] };
  const { tensors, metadata } = decodeSafetensors(new Uint8Array(readFileSync(fixture('torch_mlp.safetensors'))), 'torch_mlp.safetensors');
  assert.equal(metadata['format'], 'pt');
  const model = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 3));
  const r = model.loadStateDict(tensors);
  assert.deepEqual(r, { missingKeys: [], unexpectedKeys: [], mismatched: [] });
  const y = model.forward(tensor(ref.input)).toArray() as number[][];
  y.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - ref.output[i]![j]!) < 1e-5, `output[${i}][${j}] ${v} vs torch ${ref.output[i]![j]}`)));
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

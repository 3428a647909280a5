// Property and fuzz tests of the binary parsers: safetensors and IDX. Round trips on random
// contents; random bytes, mutated and truncated files always get an explained error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Tensor, io, data } from '../../src/index.js';
import { params, explains } from './_budget.js';

const { encodeSafetensors, decodeSafetensors, unpackCheckpoint } = io;
const { encodeIdx, parseIdx } = data;

const shapeArb = fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 });
const dtypeArb = fc.constantFrom('float32', 'float64', 'int32', 'bool' as const);
// Names include the ones that reach prototypes of ordinary objects.
const nameArb = fc
  .oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'))
  .filter((n) => n !== '__metadata__');

function tensorArb(): fc.Arbitrary<Tensor> {
  return fc.tuple(dtypeArb, shapeArb).chain(([dtype, shape]) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const value =
      dtype === 'bool'
        ? fc.integer({ min: 0, max: 1 })
        : dtype === 'int32'
          ? fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })
          : dtype === 'float32'
            ? fc.float({ noNaN: true })
            : fc.double({ noNaN: true });
    return fc.array(value, { minLength: n, maxLength: n }).map((vals) => {
      const store =
        dtype === 'float32'
          ? Float32Array.from(vals)
          : dtype === 'float64'
            ? Float64Array.from(vals)
            : dtype === 'int32'
              ? Int32Array.from(vals)
              : Uint8Array.from(vals);
      return new Tensor(store, shape);
    });
  });
}

function tableArb<T>(value: fc.Arbitrary<T>): fc.Arbitrary<Record<string, T>> {
  return fc.uniqueArray(fc.tuple(nameArb, value), { maxLength: 5, selector: ([k]) => k }).map((pairs) => {
    const o = Object.create(null) as Record<string, T>;
    for (const [k, v] of pairs) o[k] = v;
    return o;
  });
}

test('fuzz safetensors: random tensors and metadata (any names) round-trip exactly', () => {
  fc.assert(
    fc.property(tableArb(tensorArb()), tableArb(fc.string({ unit: 'binary', maxLength: 10 })), (tensors, metadata) => {
      const back = decodeSafetensors(encodeSafetensors(tensors, metadata), 'fuzz.safetensors');
      assert.deepEqual(Object.keys(back.tensors), Object.keys(tensors));
      for (const k of Object.keys(tensors)) {
        const [a, b] = [tensors[k]!, back.tensors[k]!];
        assert.equal(b.dtype, a.dtype);
        assert.deepEqual(b.shape, a.shape);
        assert.deepEqual(Array.from(b.data as ArrayLike<number>), Array.from(a.data as ArrayLike<number>));
      }
      assert.deepEqual(Object.entries(back.metadata), Object.entries(metadata));
      assert.equal(Object.getPrototypeOf(back.tensors), null);
    }),
    params(),
  );
});

const stPrefix = /^safetensors fuzz\.st: .*\(at byte offset \d+\)$/s;

test('fuzz safetensors: random bytes, mutated, truncated and extended files get an explained error', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => explains(() => decodeSafetensors(bytes, 'fuzz.st'), stPrefix)),
    params(),
  );
  const valid = fc.tuple(tableArb(tensorArb()), tableArb(fc.string({ maxLength: 4 }))).map(([t, m]) => encodeSafetensors(t, m));
  const edits = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 });
  fc.assert(
    fc.property(valid, edits, fc.nat(), fc.uint8Array({ maxLength: 8 }), (file, flips, cut, extra) => {
      const mutated = file.slice();
      for (const [at, v] of flips) mutated[at % mutated.length] = v;
      explains(() => decodeSafetensors(mutated, 'fuzz.st'), stPrefix);
      explains(() => decodeSafetensors(file.subarray(0, cut % file.length), 'fuzz.st'), stPrefix);
      const longer = new Uint8Array(file.length + extra.length);
      longer.set(file);
      longer.set(extra, file.length);
      explains(() => decodeSafetensors(longer, 'fuzz.st'), stPrefix);
    }),
    params(),
  );
});

test('fuzz safetensors: any JSON header is accepted or explained', () => {
  const entry = fc.record(
    {
      dtype: fc.oneof(fc.constantFrom('F32', 'F64', 'I32', 'BOOL', 'I64', 'F16', 'constructor', '__proto__'), fc.jsonValue()),
      shape: fc.oneof(fc.array(fc.integer({ min: -2, max: 3 }), { maxLength: 3 }), fc.jsonValue()),
      data_offsets: fc.oneof(fc.tuple(fc.integer({ min: -1, max: 40 }), fc.integer({ min: -1, max: 40 })), fc.jsonValue()),
    },
    { requiredKeys: [] },
  );
  const header = fc.dictionary(fc.oneof(nameArb, fc.constant('__metadata__')), fc.oneof(entry, fc.jsonValue()), { maxKeys: 4 });
  fc.assert(
    fc.property(header, fc.integer({ min: 0, max: 48 }), (h, dataBytes) => {
      const json = new TextEncoder().encode(JSON.stringify(h));
      const bytes = new Uint8Array(8 + json.length + dataBytes);
      new DataView(bytes.buffer).setBigUint64(0, BigInt(json.length), true);
      bytes.set(json, 8);
      explains(() => decodeSafetensors(bytes, 'fuzz.st'), stPrefix);
    }),
    params(),
  );
});

test('fuzz checkpoint: any __metadata__ strings are accepted or explained naming the file', () => {
  const jsonText = fc.oneof(
    fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null'),
    fc.string({ maxLength: 8 }),
    fc.constantFrom(
      '{}',
      '{"state":{},"paramGroups":[]}',
      '{"state":{"0":{"step":1}},"paramGroups":[{"params":[0],"options":{"lr":0.1}}]}',
      '[1,2,3,4,null]',
    ),
  );
  const meta = fc.record(
    {
      optim: jsonText,
      rng: jsonText,
      loader: jsonText,
      extra: jsonText,
      epoch: fc.constantFrom('0', '3', '-1', 'x', ''),
      step: fc.constantFrom('0', '7', '1.5'),
    },
    { requiredKeys: [] },
  );
  fc.assert(
    fc.property(meta, (m) => {
      explains(
        () => unpackCheckpoint({ tensors: {}, metadata: { format: 'shinsou.checkpoint/1', epoch: '0', step: '0', ...m } }, 'fuzz.ckpt'),
        /^checkpoint fuzz\.ckpt: /,
      );
    }),
    params(),
  );
});

const idxDtype = fc.constantFrom('uint8', 'int8', 'int16', 'int32', 'float32', 'float64' as const);

test('fuzz IDX: random arrays round-trip; random and mutated bytes get an explained error', () => {
  const arr = fc.tuple(idxDtype, fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 4 })).chain(([dtype, shape]) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const range = {
      uint8: [0, 255],
      int8: [-128, 127],
      int16: [-32768, 32767],
      int32: [-(2 ** 31), 2 ** 31 - 1],
      float32: [-1e6, 1e6],
      float64: [-1e6, 1e6],
    }[dtype];
    const v = dtype.startsWith('float')
      ? fc.integer({ min: range[0]!, max: range[1]! }).map((x) => x / 8)
      : fc.integer({ min: range[0]!, max: range[1]! });
    return fc.array(v, { minLength: n, maxLength: n }).map((values) => ({ dtype, shape, data: values }));
  });
  fc.assert(
    fc.property(arr, (a) => {
      const back = parseIdx(encodeIdx(a), 'fuzz-idx');
      assert.equal(back.dtype, a.dtype);
      assert.deepEqual(back.shape, a.shape);
      assert.deepEqual(Array.from(back.data), a.data);
    }),
    params(),
  );
  const prefix = /^IDX fuzz-idx: .*\(at byte offset \d+\)$/s;
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 40 }), (b) => explains(() => parseIdx(b, 'fuzz-idx'), prefix)),
    params(),
  );
  fc.assert(
    fc.property(
      arr,
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 3 }),
      fc.nat(),
      (a, flips, cut) => {
        const file = encodeIdx(a);
        const m = file.slice();
        for (const [at, v] of flips) m[at % m.length] = v;
        explains(() => parseIdx(m, 'fuzz-idx'), prefix);
        explains(() => parseIdx(file.subarray(0, cut % file.length), 'fuzz-idx'), prefix);
      },
    ),
    params(),
  );
});

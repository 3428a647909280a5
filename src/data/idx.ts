/**
 * The IDX file format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/):
 *   bytes 0-1  zero
 *   byte  2    element type: 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64
 *   byte  3    number of dimensions d
 *   4 * d      each dimension as a big-endian uint32
 *   then       the elements, big-endian, row-major.
 * Pure: parses bytes already in memory (gunzipping is the Node loader's job), so it runs in browsers.
 */

import { checkArg, checkRest, describe, isPlainObject } from '../tensor/validate.js';

export type IdxDType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export interface IdxArray {
  dtype: IdxDType;
  shape: number[];
  /** The elements in row-major order, in host byte order. uint8 data is a view of the input bytes. */
  data: IdxData;
}

const TYPES: Record<number, { dtype: IdxDType; size: number }> = {
  0x08: { dtype: 'uint8', size: 1 },
  0x09: { dtype: 'int8', size: 1 },
  0x0b: { dtype: 'int16', size: 2 },
  0x0c: { dtype: 'int32', size: 4 },
  0x0d: { dtype: 'float32', size: 4 },
  0x0e: { dtype: 'float64', size: 8 },
};

const CODES: Record<IdxDType, number> = { uint8: 0x08, int8: 0x09, int16: 0x0b, int32: 0x0c, float32: 0x0d, float64: 0x0e };

function fail(name: string, offset: number, msg: string): never {
  throw new Error(`IDX ${name}: ${msg} (at byte offset ${offset})`);
}

/**
 * Parses an IDX file. `name` (a file name) goes into every error message, along with the byte
 * offset where the file stops making sense: a bad magic number, a truncated header or body, or
 * bytes after the last element.
 * @example parseIdx(readFileSync('t10k-labels-idx1-ubyte')) // { dtype: 'uint8', shape: [10000], data }
 */
export function parseIdx(bytes: Uint8Array, name = '<buffer>', ...extra: never[]): IdxArray {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`parseIdx: argument 1 (bytes) must be a Uint8Array, got ${describe(bytes)}`);
  checkArg('parseIdx', 'argument 2 (name)', name, 'string');
  checkRest('parseIdx', extra, 2, 'parseIdx(bytes, name?)');
  if (bytes.length < 4) fail(name, bytes.length, `truncated header: ${bytes.length} bytes, an IDX file starts with a 4-byte magic number`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const gz = bytes[0] === 0x1f && bytes[1] === 0x8b ? ' (this looks gzip-compressed: gunzip it first)' : '';
    fail(name, 0, `bad magic number: the first two bytes must be zero, got 0x${hex(bytes[0]!)} 0x${hex(bytes[1]!)}${gz}`);
  }
  const type = TYPES[bytes[2]!];
  if (!type) fail(name, 2, `unknown element type code 0x${hex(bytes[2]!)} (expected one of 08, 09, 0b, 0c, 0d, 0e)`);
  const ndim = bytes[3]!;
  if (ndim === 0) fail(name, 3, 'zero dimensions');
  const headerEnd = 4 + 4 * ndim;
  if (bytes.length < headerEnd) {
    fail(name, bytes.length, `truncated header: ${ndim} dimensions need ${headerEnd} header bytes, the file has ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  let count = 1;
  for (let d = 0; d < ndim; d++) {
    const n = view.getUint32(4 + 4 * d, false);
    shape.push(n);
    count *= n;
  }
  const expected = headerEnd + count * type.size;
  if (bytes.length < expected) {
    fail(
      name,
      bytes.length,
      `truncated: shape [${shape.join(', ')}] of ${type.dtype} needs ${expected} bytes, the file ends after ${bytes.length}`,
    );
  }
  if (bytes.length > expected) {
    fail(name, expected, `${bytes.length - expected} unexpected bytes after the last element of shape [${shape.join(', ')}]`);
  }
  return { dtype: type.dtype, shape, data: readBody(view, headerEnd, count, type.dtype, bytes) };
}

function readBody(view: DataView, at: number, n: number, dtype: IdxDType, bytes: Uint8Array): IdxData {
  switch (dtype) {
    case 'uint8':
      return bytes.subarray(at, at + n);
    case 'int8':
      return new Int8Array(bytes.buffer, bytes.byteOffset + at, n).slice();
    case 'int16': {
      const out = new Int16Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getInt16(at + 2 * i, false);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getInt32(at + 4 * i, false);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat32(at + 4 * i, false);
      return out;
    }
    case 'float64': {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat64(at + 8 * i, false);
      return out;
    }
  }
}

/** Encodes an array as an IDX file (the inverse of parseIdx; used by tests and data tools). */
export function encodeIdx(arr: { dtype: IdxDType; shape: readonly number[]; data: ArrayLike<number> }, ...extra: never[]): Uint8Array {
  if (!isPlainObject(arr) || !Object.hasOwn(CODES, arr.dtype as string) || !Array.isArray(arr.shape) || arr.data == null)
    throw new TypeError(
      `encodeIdx: argument 1 must be {dtype, shape, data} with dtype one of ${Object.keys(CODES).join(', ')}, got ${describe(arr)}`,
    );
  checkRest('encodeIdx', extra, 1, 'encodeIdx({dtype, shape, data})');
  const size = TYPES[CODES[arr.dtype]]!.size;
  const count = arr.shape.reduce((a, b) => a * b, 1);
  if (count !== arr.data.length)
    throw new Error(`encodeIdx: shape [${arr.shape.join(', ')}] holds ${count} elements, data has ${arr.data.length}`);
  const headerEnd = 4 + 4 * arr.shape.length;
  const out = new Uint8Array(headerEnd + count * size);
  const view = new DataView(out.buffer);
  out[2] = CODES[arr.dtype];
  out[3] = arr.shape.length;
  arr.shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  for (let i = 0; i < count; i++) {
    const v = arr.data[i]!;
    const at = headerEnd + i * size;
    if (arr.dtype === 'uint8') view.setUint8(at, v);
    else if (arr.dtype === 'int8') view.setInt8(at, v);
    else if (arr.dtype === 'int16') view.setInt16(at, v, false);
    else if (arr.dtype === 'int32') view.setInt32(at, v, false);
    else if (arr.dtype === 'float32') view.setFloat32(at, v, false);
    else view.setFloat64(at, v, false);
  }
  return out;
}

function hex(b: number): string {
  return b.toString(16).padStart(2, '0');
}

/**
 * The safetensors format (https://github.com/huggingface/safetensors), pure encode/decode:
 *   bytes 0-7   N, the header length, unsigned 64-bit little-endian
 *   N bytes     a UTF-8 JSON object: name -> { dtype, shape, data_offsets: [begin, end] } and an
 *               optional "__metadata__": { string: string }; padded with spaces to a multiple of 8
 *   the rest    the byte buffer; data_offsets are relative to its start, little-endian elements.
 * dtypes written: F32, F64, I32, BOOL (shinsou's four). Read also: I64 (PyTorch's integer default),
 * converted to int32 when every value fits. Decoding checks everything a corrupt or hostile file
 * can get wrong, and each error names the tensor and the byte offset in the file. Names read from
 * a file (tensors, dtypes, metadata keys) only ever index Maps or null-prototype objects, so a
 * tensor named `__proto__` is an ordinary entry and `constructor` is no dtype.
 */
import { Tensor } from '../tensor/tensor.js';
import { checkArg, checkRest, describe, isPlainObject } from '../tensor/validate.js';
import { type DType, allocStorage } from '../tensor/dtype.js';

/** Upper bound on the JSON header, as the reference implementation (100 MB). */
export const MAX_HEADER_BYTES = 100_000_000;

const TO_ST: Record<DType, string> = { float32: 'F32', float64: 'F64', int32: 'I32', bool: 'BOOL' };
const FROM_ST = new Map<string, { dtype: DType; size: number }>([
  ['F32', { dtype: 'float32', size: 4 }],
  ['F64', { dtype: 'float64', size: 8 }],
  ['I32', { dtype: 'int32', size: 4 }],
  ['BOOL', { dtype: 'bool', size: 1 }],
  ['I64', { dtype: 'int32', size: 8 }],
]);

/** An empty object without a prototype: any string, `__proto__` included, is an ordinary key. */
export function nameTable<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export interface SafetensorsContents {
  /** The tensors by name (a null-prototype object). */
  tensors: Record<string, Tensor>;
  /** The __metadata__ strings, or {} when the file has none (a null-prototype object). */
  metadata: Record<string, string>;
}

/**
 * Serializes named tensors (in the given order) with optional string metadata.
 * @example writeFileSync('model.safetensors', encodeSafetensors(model.stateDict(), { format: 'pt' }))
 */
export function encodeSafetensors(tensors: Record<string, Tensor>, metadata?: Record<string, string>, ...extra: never[]): Uint8Array {
  if (!isPlainObject(tensors))
    throw new TypeError(
      `encodeSafetensors: argument 1 (tensors) must be an object of named tensors {name: tensor}, got ${describe(tensors)}`,
    );
  if (metadata !== undefined && !isPlainObject(metadata))
    throw new TypeError(`encodeSafetensors: argument 2 (metadata) must be an object of strings {key: value}, got ${describe(metadata)}`);
  checkRest('encodeSafetensors', extra, 2, 'encodeSafetensors(tensors, metadata?)');
  // Tensor names are the caller's (perhaps read from another file): '__proto__' must stay a key.
  const header = nameTable<unknown>();
  if (metadata && Object.keys(metadata).length > 0) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') throw new Error(`encodeSafetensors: metadata '${k}' must be a string, got ${typeof v}`);
    }
    header['__metadata__'] = metadata;
  }
  let at = 0;
  const parts: { bytes: Uint8Array; at: number }[] = [];
  for (const [name, t] of Object.entries(tensors)) {
    if (name === '__metadata__') throw new Error("encodeSafetensors: '__metadata__' is reserved and cannot name a tensor");
    if (!(t instanceof Tensor)) throw new Error(`encodeSafetensors: '${name}' is not a tensor`);
    const bytes = toBytes(t);
    header[name] = { dtype: TO_ST[t.dtype], shape: [...t.shape], data_offsets: [at, at + bytes.length] };
    parts.push({ bytes, at });
    at += bytes.length;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.length + at);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  for (const p of parts) out.set(p.bytes, 8 + json.length + p.at);
  return out;
}

function toBytes(t: Tensor): Uint8Array {
  const data = t.data;
  if (t.dtype === 'bool') return Uint8Array.from(data as Uint8Array, (v) => (v ? 1 : 0));
  if (LITTLE_ENDIAN) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
  const out = new Uint8Array(data.byteLength);
  const v = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) {
    if (t.dtype === 'float32') v.setFloat32(4 * i, data[i]!, true);
    else if (t.dtype === 'float64') v.setFloat64(8 * i, data[i]!, true);
    else v.setInt32(4 * i, data[i]!, true);
  }
  return out;
}

interface Entry {
  name: string;
  dtype: string;
  shape: number[];
  begin: number;
  end: number;
}

/**
 * Parses a safetensors file. `source` (a file name) starts every error message.
 * @example const { tensors, metadata } = decodeSafetensors(readFileSync('model.safetensors'), 'model.safetensors')
 */
export function decodeSafetensors(bytes: Uint8Array, source = '<buffer>', ...extra: never[]): SafetensorsContents {
  if (!(bytes instanceof Uint8Array))
    throw new TypeError(`decodeSafetensors: argument 1 (bytes) must be a Uint8Array, got ${describe(bytes)}`);
  checkArg('decodeSafetensors', 'argument 2 (source)', source, 'string');
  checkRest('decodeSafetensors', extra, 2, 'decodeSafetensors(bytes, source?)');
  const fail = (offset: number, msg: string): never => {
    throw new Error(`safetensors ${source}: ${msg} (at byte offset ${offset})`);
  };
  if (bytes.length < 8) fail(0, `file is ${bytes.length} bytes, too short for the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n64 = view.getBigUint64(0, true);
  if (n64 > BigInt(MAX_HEADER_BYTES)) fail(0, `header length ${n64} exceeds the limit of ${MAX_HEADER_BYTES} bytes`);
  const n = Number(n64);
  if (n < 2) fail(0, `header length ${n} is too small for a JSON object`);
  if (8 + n > bytes.length) fail(0, `header length ${n} runs past the end of the file (${bytes.length} bytes)`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    return fail(8, 'header is not valid UTF-8');
  }
  if (text[0] !== '{') fail(8, `header must be a JSON object starting with '{', got ${JSON.stringify(text.slice(0, 16))}`);
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    const pos = /position (\d+)/.exec(String(e))?.[1];
    return fail(8 + (pos ? Number(pos) : 0), `header is not valid JSON: ${(e as Error).message}`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) return fail(8, 'header must be a JSON object');
  const dataStart = 8 + n;
  const bufLen = bytes.length - dataStart;

  const metadata = nameTable<string>();
  const entries: Entry[] = [];
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail(8, '__metadata__ must be an object of strings');
      for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof v !== 'string') fail(8, `__metadata__ '${k}' must be a string, got ${JSON.stringify(v)}`);
        metadata[k] = v as string;
      }
      continue;
    }
    const bad = (msg: string): never => fail(8, `tensor '${name}': ${msg}`);
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) bad('entry must be an object with dtype, shape and data_offsets');
    const e = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof e.dtype !== 'string' || !FROM_ST.has(e.dtype))
      bad(`unsupported dtype ${JSON.stringify(e.dtype)} (supported: ${[...FROM_ST.keys()].join(', ')})`);
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isSafeInteger(d) && d >= 0))
      bad(`shape must be a list of non-negative integers, got ${JSON.stringify(e.shape)}`);
    const off = e.data_offsets;
    if (!Array.isArray(off) || off.length !== 2 || !off.every((d) => Number.isSafeInteger(d) && d >= 0) || off[0] > off[1]) {
      bad(`data_offsets must be [begin, end] with 0 <= begin <= end, got ${JSON.stringify(off)}`);
    }
    entries.push({ name, dtype: e.dtype as string, shape: e.shape as number[], begin: (off as number[])[0]!, end: (off as number[])[1]! });
  }

  // The tensors must tile the byte buffer exactly: sorted by offset, each starts where the last ended.
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expect = 0;
  for (const e of sorted) {
    if (e.begin !== expect) {
      fail(
        dataStart + Math.min(e.begin, expect),
        `tensor '${e.name}': data_offsets [${e.begin}, ${e.end}] are not contiguous: expected it to start at ${expect} ${e.begin < expect ? '(it overlaps the previous tensor)' : '(a gap of unused bytes precedes it)'}`,
      );
    }
    if (e.end > bufLen) {
      fail(
        dataStart + Math.min(e.end, bufLen),
        `tensor '${e.name}': data_offsets [${e.begin}, ${e.end}] run past the end of the data (${bufLen} bytes; the file is truncated?)`,
      );
    }
    const { size } = FROM_ST.get(e.dtype)!;
    const count = e.shape.reduce((a, b) => a * b, 1);
    if (e.end - e.begin !== count * size) {
      fail(
        dataStart + e.begin,
        `tensor '${e.name}': ${e.dtype} shape [${e.shape.join(', ')}] needs ${count * size} bytes, data_offsets [${e.begin}, ${e.end}] hold ${e.end - e.begin}`,
      );
    }
    expect = e.end;
  }
  if (expect !== bufLen) fail(dataStart + expect, `${bufLen - expect} bytes after the last tensor are not covered by any data_offsets`);

  const tensors = nameTable<Tensor>();
  for (const e of entries)
    tensors[e.name] = fromBytes(e, bytes.subarray(dataStart + e.begin, dataStart + e.end), (m) =>
      fail(dataStart + e.begin, `tensor '${e.name}': ${m}`),
    );
  return { tensors, metadata };
}

function fromBytes(e: Entry, raw: Uint8Array, fail: (m: string) => never): Tensor {
  const { dtype, size } = FROM_ST.get(e.dtype)!;
  const count = raw.length / size;
  const out = allocStorage(dtype, count);
  const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  if (e.dtype === 'BOOL') {
    for (let i = 0; i < count; i++) {
      if (raw[i]! > 1) fail(`BOOL element ${i} is ${raw[i]}, expected 0 or 1`);
      out[i] = raw[i]!;
    }
  } else if (e.dtype === 'I64') {
    for (let i = 0; i < count; i++) {
      const x = v.getBigInt64(8 * i, true);
      if (x < -2147483648n || x > 2147483647n) fail(`I64 element ${i} = ${x} does not fit in int32`);
      out[i] = Number(x);
    }
  } else if (LITTLE_ENDIAN) {
    new Uint8Array(out.buffer).set(raw);
  } else {
    for (let i = 0; i < count; i++) {
      out[i] = e.dtype === 'F32' ? v.getFloat32(4 * i, true) : e.dtype === 'F64' ? v.getFloat64(8 * i, true) : v.getInt32(4 * i, true);
    }
  }
  return new Tensor(out, e.shape);
}

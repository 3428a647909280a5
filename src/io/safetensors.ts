/**
 * The safetensors format (https://github.com/huggingface/safetensors), pure encode/decode:
 *   bytes 0-7   N, the header length, unsigned 64-bit little-endian
 *   N bytes     a UTF-8 JSON object: name -> { dtype, shape, data_offsets: [begin, end] } and an
 *               optional "__metadata__": { string: string }; padded with spaces to a multiple of 8
 *   the rest    the byte buffer; data_offsets are relative to its start, little-endian elements.
 * dtypes written: F32, F64, I32, BOOL (shinsou's four), and on request (option `storage`) F16 and
 * BF16 for float tensors (half the bytes: IEEE binary16, round to nearest even, range +-65504; or
 * bfloat16, float32's exponent with 8 mantissa bits) and I8/U8 for integer tensors whose values fit.
 * Read also: I64 (PyTorch's integer default), converted to int32 when every value fits; F16 and BF16
 * widened to float32; I8 and U8 to int32. Decoding checks everything a corrupt or hostile file
 * can get wrong, and each error names the tensor and the byte offset in the file. Names read from
 * a file (tensors, dtypes, metadata keys) only ever index Maps or null-prototype objects, so a
 * tensor named `__proto__` is an ordinary entry and `constructor` is no dtype.
 */
import { Tensor } from '../tensor/tensor.js';
import { checkArg, checkOptions, checkRest, describe, isPlainObject } from '../tensor/validate.js';
import { type DType, allocStorage } from '../tensor/dtype.js';

/** Upper bound on the JSON header, as the reference implementation (100 MB). */
export const MAX_HEADER_BYTES = 100_000_000;

const TO_ST: Record<DType, string> = { float32: 'F32', float64: 'F64', int32: 'I32', bool: 'BOOL' };
const FROM_ST = new Map<string, { dtype: DType; size: number }>([
  ['F32', { dtype: 'float32', size: 4 }],
  ['F16', { dtype: 'float32', size: 2 }],
  ['BF16', { dtype: 'float32', size: 2 }],
  ['I8', { dtype: 'int32', size: 1 }],
  ['U8', { dtype: 'int32', size: 1 }],
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

/** A smaller on-disk dtype for a tensor: F16 or BF16 for floats, I8 or U8 for integers. */
export type StorageDType = 'F16' | 'BF16' | 'I8' | 'U8';

export interface EncodeOptions {
  /** Every float tensor stored as this dtype (default: its own, F32 or F64). */
  floats?: 'F16' | 'BF16';
  /** Per-tensor storage by name (wins over `floats`). */
  storage?: Record<string, StorageDType>;
}

/**
 * Serializes named tensors (in the given order) with optional string metadata.
 * `options.floats: 'F16' | 'BF16'` halves the float tensors (PyTorch reads both as torch.float16 /
 * torch.bfloat16); `options.storage` picks a dtype per tensor, e.g. `{ 'fc.weight': 'I8' }`.
 * @example writeFileSync('model.safetensors', encodeSafetensors(model.stateDict(), { format: 'pt' }))
 * @example encodeSafetensors(model.stateDict(), {}, { floats: 'BF16' })
 */
export function encodeSafetensors(
  tensors: Record<string, Tensor>,
  metadata?: Record<string, string>,
  options?: EncodeOptions,
  ...extra: never[]
): Uint8Array {
  if (!isPlainObject(tensors))
    throw new TypeError(
      `encodeSafetensors: argument 1 (tensors) must be an object of named tensors {name: tensor}, got ${describe(tensors)}`,
    );
  if (metadata !== undefined && !isPlainObject(metadata))
    throw new TypeError(`encodeSafetensors: argument 2 (metadata) must be an object of strings {key: value}, got ${describe(metadata)}`);
  checkRest('encodeSafetensors', extra, 3, 'encodeSafetensors(tensors, metadata?, options?)');
  const opts = checkOptions<EncodeOptions>('encodeSafetensors', 3, options, { floats: ['F16', 'BF16'], storage: 'any' });
  const storage = opts.storage ?? {};
  if (!isPlainObject(storage))
    throw new TypeError(`encodeSafetensors: option 'storage' must be an object {name: dtype}, got ${describe(storage)}`);
  for (const [k, v] of Object.entries(storage)) {
    if (!Object.hasOwn(tensors, k)) throw new Error(`encodeSafetensors: option 'storage' names '${k}', which is not among the tensors`);
    if (!['F16', 'BF16', 'I8', 'U8'].includes(v))
      throw new Error(`encodeSafetensors: storage of '${k}' must be F16, BF16, I8 or U8, got ${describe(v)}`);
  }
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
    const float = t.dtype === 'float32' || t.dtype === 'float64';
    // Tensor names are any strings ('valueOf', '__proto__'): only the caller's own keys count.
    const as = (Object.hasOwn(storage, name) ? storage[name] : undefined) ?? (float ? opts.floats : undefined);
    if (as && (as === 'F16' || as === 'BF16') !== float) {
      throw new Error(`encodeSafetensors: '${name}' is ${t.dtype} and cannot be stored as ${as} (F16/BF16 take floats, I8/U8 integers)`);
    }
    const bytes = as ? toNarrowBytes(t, as, name) : toBytes(t);
    header[name] = { dtype: as ?? TO_ST[t.dtype], shape: [...t.shape], data_offsets: [at, at + bytes.length] };
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

/** float32 -> IEEE binary16 bits, round to nearest even; overflow to infinity, NaN kept. */
export function f32ToF16Bits(x: number, ...extra: never[]): number {
  checkArg('f32ToF16Bits', 'argument 1 (x)', x, 'number');
  checkRest('f32ToF16Bits', extra, 1, 'f32ToF16Bits(x)');
  return toF16(x);
}

function toF16(x: number): number {
  F32[0] = x;
  const b = U32[0]!;
  const sign = (b >>> 16) & 0x8000;
  const exp = (b >>> 23) & 0xff;
  let man = b & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (man ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    // Subnormal half (or zero): shift the full mantissa, rounding half to even.
    if (e < -10) return sign;
    man |= 0x800000;
    const shift = 14 - e;
    const half = man >>> shift;
    const rest = man & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    return sign | (half + (rest > mid || (rest === mid && half & 1) ? 1 : 0));
  }
  const half = (e << 10) | (man >>> 13);
  const rest = man & 0x1fff;
  // A carry out of the mantissa correctly bumps the exponent (up to infinity).
  return sign | (half + (rest > 0x1000 || (rest === 0x1000 && half & 1) ? 1 : 0));
}

/** IEEE binary16 bits -> the number (exact). */
export function f16BitsToNumber(h: number, ...extra: never[]): number {
  if (!Number.isInteger(h) || h < 0 || h > 0xffff)
    throw new TypeError(`f16BitsToNumber: argument 1 (h) must be an integer in [0, 65535], got ${describe(h)}`);
  checkRest('f16BitsToNumber', extra, 1, 'f16BitsToNumber(h)');
  return fromF16(h);
}

function fromF16(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const man = h & 0x3ff;
  if (exp === 0) return sign * man * 2 ** -24;
  if (exp === 0x1f) return man ? NaN : sign * Infinity;
  return sign * (1 + man / 1024) * 2 ** (exp - 15);
}

/** float32 -> bfloat16 bits (the top half, rounded to nearest even; NaN stays NaN). */
export function f32ToBf16Bits(x: number, ...extra: never[]): number {
  checkArg('f32ToBf16Bits', 'argument 1 (x)', x, 'number');
  checkRest('f32ToBf16Bits', extra, 1, 'f32ToBf16Bits(x)');
  return toBf16(x);
}

function toBf16(x: number): number {
  F32[0] = x;
  const b = U32[0]!;
  if ((b & 0x7fffffff) > 0x7f800000) return ((b >>> 16) | 0x40) & 0xffff;
  return ((b + 0x7fff + ((b >>> 16) & 1)) >>> 16) & 0xffff;
}

const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

function toNarrowBytes(t: Tensor, as: StorageDType, name: string): Uint8Array {
  const data = t.contiguous().data;
  const n = data.length;
  if (as === 'I8' || as === 'U8') {
    const [lo, hi] = as === 'I8' ? [-128, 127] : [0, 255];
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const v = data[i]!;
      if (v < lo || v > hi) throw new Error(`encodeSafetensors: '${name}' element ${i} = ${v} does not fit in ${as} [${lo}, ${hi}]`);
      out[i] = v & 0xff;
    }
    return out;
  }
  const out = new Uint8Array(2 * n);
  const v = new DataView(out.buffer);
  for (let i = 0; i < n; i++) v.setUint16(2 * i, as === 'F16' ? toF16(data[i]!) : toBf16(data[i]!), true);
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
  } else if (e.dtype === 'F16' || e.dtype === 'BF16') {
    for (let i = 0; i < count; i++) {
      const h = v.getUint16(2 * i, true);
      if (e.dtype === 'F16') out[i] = fromF16(h);
      else {
        U32[0] = h << 16;
        out[i] = F32[0]!;
      }
    }
  } else if (e.dtype === 'I8') {
    for (let i = 0; i < count; i++) out[i] = v.getInt8(i);
  } else if (e.dtype === 'U8') {
    for (let i = 0; i < count; i++) out[i] = raw[i]!;
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

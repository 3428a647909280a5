/**
 * File helpers shared by the Node-only loaders: atomic writes and size-bounded reads. Every reader
 * of a file or download takes a byte limit and fails naming the file and the limit once it is
 * passed, so `/dev/zero`, a FIFO or a wrong multi-gigabyte file cannot exhaust memory.
 */
import { closeSync, fstatSync, fsyncSync, openSync, readSync, renameSync, rmSync, writeSync, mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';

const MiB = 1 << 20;

/**
 * Default byte limits of the readers, by kind of file. A caller with a larger file passes its own
 * limit (`maxBytes` options); the errors name the limit and the option.
 */
export const READ_LIMITS = {
  /** SGF game records (`loadsgf`, readSgf on a file): a long game is tens of KiB. */
  sgf: 16 * MiB,
  /** IDX arrays after gunzip (Fashion-MNIST's largest file is 47 MB). */
  idx: 1024 * MiB,
  /** safetensors files and checkpoints (Node's readFileSync stops at 2 GiB anyway). */
  safetensors: 2048 * MiB,
  /** Plain-text corpora (the KJV dump is 4.5 MB). */
  text: 256 * MiB,
} as const;

/** `12 MiB`, `512 bytes`: a limit as the errors print it. */
export function formatBytes(n: number): string {
  if (n >= MiB && n % MiB === 0) return `${n / MiB} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

function tooLarge(what: string, path: string, maxBytes: number, seen: string): Error {
  return new Error(
    `${what} ${path}: ${seen}, over the limit of ${formatBytes(maxBytes)} for ${what} files (pass a larger maxBytes to read it)`,
  );
}

/**
 * Reads at most `maxBytes` bytes of a file and fails beyond that, whatever the file is: the size of
 * a regular file is checked before reading; devices, pipes and files that grow are read in chunks
 * until the limit. `what` (e.g. 'SGF') starts the error messages, with the path.
 */
export function readFileLimited(path: string, maxBytes: number, what: string): Uint8Array {
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0)
    throw new Error(`readFileLimited: maxBytes must be a non-negative integer, got ${maxBytes}`);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new Error(`${what} ${path}: cannot read the file: ${(e as Error).message}`);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new Error(`${what} ${path}: is a directory, expected a file`);
    if (st.isFile() && st.size > maxBytes) throw tooLarge(what, path, maxBytes, `the file is ${st.size} bytes`);
    const chunks: Uint8Array[] = [];
    let total = 0;
    const chunk = Math.min(maxBytes + 1, st.isFile() ? st.size + 1 : 4 * MiB);
    for (;;) {
      const buf = new Uint8Array(Math.max(1, Math.min(chunk, maxBytes + 1 - total)));
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (e) {
        throw new Error(`${what} ${path}: cannot read the file: ${(e as Error).message}`);
      }
      if (n === 0) break;
      chunks.push(n === buf.length ? buf : buf.subarray(0, n));
      total += n;
      if (total > maxBytes) throw tooLarge(what, path, maxBytes, `read more than ${maxBytes} bytes`);
    }
    if (chunks.length === 1) return chunks[0]!;
    const out = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  } finally {
    closeSync(fd);
  }
}

/** readFileLimited, decoded as UTF-8 (a byte-order mark is dropped). */
export function readTextFileLimited(path: string, maxBytes: number, what: string): string {
  return new TextDecoder('utf-8').decode(readFileLimited(path, maxBytes, what));
}

/**
 * Downloads `url` into memory, failing once the body passes `maxBytes` (checked against
 * Content-Length first, then while streaming), or after `timeoutMs`.
 */
export async function fetchLimited(url: string, maxBytes: number, timeoutMs = 60_000): Promise<Uint8Array> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`);
  const declared = Number(res.headers.get('content-length'));
  const over = (seen: string): Error => new Error(`${url}: ${seen}, over the limit of ${formatBytes(maxBytes)} for this download`);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel();
    throw over(`the server announces ${declared} bytes`);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (res.body) {
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > maxBytes) {
        await reader.cancel();
        throw over(`received more than ${maxBytes} bytes`);
      }
      chunks.push(value);
    }
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * Writes a file so that readers see either the old file or the complete new one, never a torn
 * write: the bytes go to a temporary file in the same directory, are fsync'ed, then renamed over
 * the target (rename is atomic within a file system); the directory is fsync'ed too.
 */
export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 10)}`);
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const fd = openSync(tmp, 'w', 0o644);
  try {
    let at = 0;
    while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  try {
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  try {
    const dfd = openSync(dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // Some file systems refuse fsync on a directory; the rename itself is still atomic.
  }
}

/**
 * Reads a file, gunzipping it when it starts with the gzip magic bytes. Both the file and the
 * gunzipped bytes are bounded by `maxBytes` (default READ_LIMITS.idx). Errors name the file.
 */
export function readMaybeGzip(path: string, maxBytes: number = READ_LIMITS.idx, what = 'file'): Uint8Array {
  const raw = readFileLimited(path, maxBytes, what);
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      return gunzipSync(raw, { maxOutputLength: Math.max(1, maxBytes) });
    } catch (e) {
      if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(what, path, maxBytes, 'it gunzips to more bytes');
      throw new Error(`${what} ${path}: corrupt gzip data (${(e as Error).message}); delete the file and fetch it again`);
    }
  }
  return raw;
}

import { parseIdx, type IdxArray } from '../data/idx.js';
import { READ_LIMITS, readMaybeGzip } from './files.js';

/**
 * Reads an IDX file, raw or gzip-compressed (.gz). Errors name the file and the byte offset.
 * Files (and their gunzipped bytes) over `maxBytes` (default 1 GiB) are refused.
 */
export function readIdxFile(path: string, opts: { maxBytes?: number } = {}): IdxArray {
  return parseIdx(readMaybeGzip(path, opts.maxBytes ?? READ_LIMITS.idx, 'IDX'), path);
}

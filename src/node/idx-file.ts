import { parseIdx, type IdxArray } from '../data/idx.js';
import { readMaybeGzip } from './files.js';

/** Reads an IDX file, raw or gzip-compressed (.gz). Errors name the file and the byte offset. */
export function readIdxFile(path: string): IdxArray {
  return parseIdx(readMaybeGzip(path), path);
}

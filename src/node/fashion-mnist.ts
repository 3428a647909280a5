/**
 * Fashion-MNIST (Xiao, Rasul & Vollgraf 2017): 60,000 training and 10,000 test grey images of
 * 28x28 clothing items in 10 classes, in the IDX format. Looked up in this order:
 *   1. the data directory: opts.dataDir, else $SHINSOU_DATA, else ~/.cache/shinsou (sub-folder fashion-mnist/)
 *   2. where Debian's dataset-fashion-mnist package installs it (/usr/share/datasets/fashion-mnist)
 *   3. the upstream download (Zalando's mirror), saved into the data directory for next time.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Tensor } from '../tensor/tensor.js';
import { readIdxFile } from './idx-file.js';
import { READ_LIMITS, fetchLimited, writeFileAtomic } from './files.js';

export const FASHION_MNIST_CLASSES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;

export const FASHION_MNIST_FILES = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte', count: 60000 },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte', count: 10000 },
} as const;

/** Zalando's download location for the .gz files. */
export const FASHION_MNIST_URL = 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/';

/** Where Debian's `dataset-fashion-mnist` package puts the files. */
export const DEBIAN_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

export type Split = 'train' | 'test';

export interface FashionMnistOptions {
  /** Data directory (default $SHINSOU_DATA, else ~/.cache/shinsou); files live in its fashion-mnist/ folder. */
  dataDir?: string;
  /** System folders searched after the data directory (default: Debian's). */
  systemDirs?: readonly string[];
  /** Try the upstream download when no local copy exists (default true). */
  download?: boolean;
  /** Base URL of the download (default Zalando's). */
  baseUrl?: string;
  /** Progress messages (default: silent). */
  log?: (msg: string) => void;
}

export interface ImageSet {
  /** float32 [N, 1, 28, 28], pixel / 255 in [0, 1]. */
  images: Tensor<'float32'>;
  /** int32 [N], class indices 0..9. */
  labels: Tensor<'int32'>;
  /** The files the data came from. */
  files: { images: string; labels: string };
}

/** The data directory: the option, $SHINSOU_DATA, or ~/.cache/shinsou. */
export function defaultDataDir(dataDir?: string): string {
  return dataDir ?? process.env['SHINSOU_DATA'] ?? join(homedir(), '.cache', 'shinsou');
}

/** The first existing copy of `file` (raw or .gz) in the folders, or null. */
function findLocal(dirs: readonly string[], file: string): string | null {
  for (const d of dirs) {
    for (const name of [file, `${file}.gz`]) {
      const p = join(d, name);
      if (existsSync(p)) return p;
    }
  }
  return null;
}

async function download(url: string, dest: string, log: (m: string) => void): Promise<void> {
  log(`downloading ${url}`);
  writeFileAtomic(dest, await fetchLimited(url, READ_LIMITS.idx));
}

/** Finds (or downloads) one file of the data set and returns its path. */
async function locate(file: string, opts: FashionMnistOptions): Promise<string> {
  const dataDir = join(defaultDataDir(opts.dataDir), 'fashion-mnist');
  const dirs = [dataDir, ...(opts.systemDirs ?? [DEBIAN_FASHION_MNIST_DIR])];
  const found = findLocal(dirs, file);
  if (found) return found;
  const url = `${opts.baseUrl ?? FASHION_MNIST_URL}${file}.gz`;
  let why = 'downloads are turned off';
  if (opts.download ?? true) {
    const dest = join(dataDir, `${file}.gz`);
    try {
      mkdirSync(dataDir, { recursive: true });
      await download(url, dest, opts.log ?? (() => {}));
      return dest;
    } catch (e) {
      why = `the download of ${url} failed: ${(e as Error).message}${(e as Error).cause ? ` (${String((e as Error).cause)})` : ''}`;
    }
  }
  throw new Error(
    `Fashion-MNIST file ${file}(.gz) was not found in ${dirs.join(', ')}, and ${why}. ` +
      `Install the Debian package: apt-get install dataset-fashion-mnist ` +
      `(or put the four IDX files in ${dataDir}, or set SHINSOU_DATA / --data-dir to a folder with a fashion-mnist/ sub-folder).`,
  );
}

/**
 * Loads one split of Fashion-MNIST as tensors.
 * @example const { images, labels } = await loadFashionMnist('test') // [10000, 1, 28, 28], [10000]
 */
export async function loadFashionMnist(split: Split, opts: FashionMnistOptions = {}): Promise<ImageSet> {
  const spec = FASHION_MNIST_FILES[split];
  if (!spec) throw new Error(`loadFashionMnist: split must be 'train' or 'test', got '${String(split)}'`);
  const imagesPath = await locate(spec.images, opts);
  const labelsPath = await locate(spec.labels, opts);
  const img = readIdxFile(imagesPath);
  const lab = readIdxFile(labelsPath);
  // The header's dimensions, not only the pixel count, must be Fashion-MNIST's: 14x56 images hold
  // as many pixels and would train on scrambled pictures.
  if (img.dtype !== 'uint8' || img.shape.length !== 3 || img.shape[1] !== 28 || img.shape[2] !== 28) {
    throw new Error(`${imagesPath}: expected uint8 images [N, 28, 28], got ${img.dtype} [${img.shape.join(', ')}] (at byte offset 8)`);
  }
  if (lab.dtype !== 'uint8' || lab.shape.length !== 1)
    throw new Error(`${labelsPath}: expected uint8 labels [N], got ${lab.dtype} [${lab.shape.join(', ')}]`);
  const [n, h, w] = img.shape as [number, number, number];
  if (lab.shape[0] !== n)
    throw new Error(`Fashion-MNIST ${split}: ${imagesPath} has ${n} images but ${labelsPath} has ${lab.shape[0]} labels`);
  const px = new Float32Array(img.data.length);
  for (let i = 0; i < px.length; i++) px[i] = img.data[i]! / 255;
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = lab.data[i]!;
    if (v > 9) throw new Error(`${labelsPath}: label ${v} of example ${i} is not a class 0..9 (at byte offset ${8 + i})`);
    labels[i] = v;
  }
  return {
    images: new Tensor(px, [n, 1, h, w]),
    labels: new Tensor(labels, [n]),
    files: { images: imagesPath, labels: labelsPath },
  };
}

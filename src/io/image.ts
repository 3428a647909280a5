/**
 * Pictures of tensors: a batch of images laid out as one grid (torchvision's `make_grid`, in our
 * names) and PNG bytes of it. Browser-safe: bytes out, the caller writes the file
 * (`writeFileAtomic` in Node, a Blob in a page). The PNG encoding is fast-png's; the grid is ours.
 *
 * @example
 * const png = encodePng(imageGrid(samples, { nrow: 8, range: [-1, 1] })); // samples: [64, 1, 28, 28]
 */
import { encode } from 'fast-png';
import { Tensor } from '../tensor/tensor.js';
import { checkOptions, checkRest, checkTensor, describe } from '../tensor/validate.js';

/** 8-bit pixels, row-major, `channels` values a pixel (1 grey, 3 RGB). */
export interface Image {
  width: number;
  height: number;
  channels: 1 | 3;
  data: Uint8Array;
}

export interface ImageGridOptions {
  /** Images per row (default 8). */
  nrow?: number;
  /** Pixels between images and around the grid (default 2). */
  padding?: number;
  /** The values that map to black and white (default [0, 1]); values outside are clamped. */
  range?: [number, number];
  /** Scale each image to its own min..max instead of `range` (default false). */
  normalizeEach?: boolean;
  /** Grey level 0..255 of the padding (default 255: white). */
  padValue?: number;
}

const GRID_SPEC = {
  nrow: 'positiveInt',
  padding: 'nonNegativeInt',
  range: 'any',
  normalizeEach: 'boolean',
  padValue: 'nonNegativeInt',
} as const;

/**
 * Lays out a batch `[N, C, H, W]` (C = 1 or 3) or `[N, H, W]` as a grid of `nrow` columns, each
 * value mapped from `range` to 0..255.
 */
export function imageGrid(images: Tensor, opts?: ImageGridOptions, ...extra: never[]): Image {
  checkTensor('imageGrid', images, 'argument 1 (images)');
  checkRest('imageGrid', extra, 2, 'imageGrid(images, {nrow, padding, range, normalizeEach, padValue})');
  const o = checkOptions('imageGrid', 2, opts, GRID_SPEC);
  const shape = images.shape.length === 3 ? [images.shape[0]!, 1, images.shape[1]!, images.shape[2]!] : images.shape;
  if (shape.length !== 4 || (shape[1] !== 1 && shape[1] !== 3) || shape[0] === 0) {
    throw new Error(`imageGrid: images must be [N, 1 or 3, H, W] or [N, H, W] with N > 0, got shape [${images.shape.join(', ')}]`);
  }
  const [n, c, h, w] = shape as [number, 1 | 3, number, number];
  const range = o.range ?? [0, 1];
  if (!Array.isArray(range) || range.length !== 2 || !range.every(Number.isFinite) || !(range[1] > range[0])) {
    throw new Error(`imageGrid: option 'range' must be [low, high] with low < high, got ${describe(range)}`);
  }
  const pad = o.padding ?? 2;
  const padValue = o.padValue ?? 255;
  if (padValue > 255) throw new Error(`imageGrid: option 'padValue' must be at most 255, got ${padValue}`);
  const cols = Math.min(o.nrow ?? 8, n);
  const rows = Math.ceil(n / cols);
  const width = cols * (w + pad) + pad;
  const height = rows * (h + pad) + pad;
  const data = new Uint8Array(width * height * c).fill(padValue);
  const src = images.contiguous().data;
  const plane = h * w;
  for (let i = 0; i < n; i++) {
    const base = i * c * plane;
    let [lo, hi] = range;
    if (o.normalizeEach) {
      lo = Infinity;
      hi = -Infinity;
      for (let k = 0; k < c * plane; k++) {
        const v = Number(src[base + k]);
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (!(hi > lo)) hi = lo + 1;
    }
    const scale = 255 / (hi - lo);
    const x0 = pad + (i % cols) * (w + pad);
    const y0 = pad + Math.floor(i / cols) * (h + pad);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const out = ((y0 + y) * width + x0 + x) * c;
        for (let ch = 0; ch < c; ch++) {
          const v = (Number(src[base + ch * plane + y * w + x]) - lo) * scale;
          data[out + ch] = v <= 0 || Number.isNaN(v) ? 0 : v >= 255 ? 255 : Math.round(v);
        }
      }
    }
  }
  return { width, height, channels: c, data };
}

/** PNG bytes of an 8-bit image (grey or RGB). */
export function encodePng(img: Image, ...extra: never[]): Uint8Array {
  checkRest('encodePng', extra, 1, 'encodePng({width, height, channels, data})');
  const ok =
    img !== null &&
    typeof img === 'object' &&
    Number.isInteger(img.width) &&
    Number.isInteger(img.height) &&
    img.width > 0 &&
    img.height > 0 &&
    (img.channels === 1 || img.channels === 3) &&
    img.data instanceof Uint8Array &&
    img.data.length === img.width * img.height * img.channels;
  if (!ok)
    throw new Error(
      `encodePng: expected {width, height, channels: 1 | 3, data: Uint8Array of width*height*channels}, got ${describe(img)}`,
    );
  return encode({ width: img.width, height: img.height, channels: img.channels, depth: 8, data: img.data });
}

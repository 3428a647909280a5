/**
 * Image transforms (torchvision.transforms) on float tensors laid out [C, H, W], or on a whole
 * batch [N, C, H, W] (each image gets its own random draw). They are data preparation, not part
 * of the model: they compute on the typed arrays and record no gradient. Random transforms take
 * the generator to draw from (a DataLoader passes its per-epoch generator), default the global one.
 */
import { Tensor } from '../tensor/tensor.js';
import { fmtShape } from '../tensor/shape.js';
import { allocStorage, isFloat } from '../tensor/dtype.js';
import { type Generator, defaultGenerator } from '../tensor/random.js';
import { checkArg, checkOptions, checkRest, describe } from '../tensor/validate.js';

export type Transform = (x: Tensor, g?: Generator) => Tensor;

/** [N, C, H, W] view of an image or batch of images (N = 1 for a single [C, H, W] image). */
function dims(op: string, x: Tensor): { n: number; c: number; h: number; w: number } {
  if (x.ndim !== 3 && x.ndim !== 4)
    throw new Error(`${op}: expected an image [C, H, W] or a batch [N, C, H, W], got shape ${fmtShape(x.shape)}`);
  if (!isFloat(x.dtype)) throw new Error(`${op}: expected a float tensor, got ${x.dtype} (convert images to float first)`);
  const [h, w] = [x.shape[x.ndim - 2]!, x.shape[x.ndim - 1]!];
  const c = x.shape[x.ndim - 3]!;
  return { n: x.ndim === 4 ? x.shape[0]! : 1, c, h, w };
}

function perChannel(op: string, v: number | readonly number[], c: number): number[] {
  const arr = typeof v === 'number' ? new Array<number>(c).fill(v) : [...v];
  if (arr.length !== c && arr.length !== 1) throw new Error(`${op}: got ${arr.length} values for ${c} channels`);
  return arr.length === 1 ? new Array<number>(c).fill(arr[0]!) : arr;
}

/**
 * out[c] = (x[c] - mean[c]) / std[c], per channel (torchvision Normalize).
 * @example normalize(0.2860, 0.3530)(images) // Fashion-MNIST statistics
 */
export function normalize(mean: number | readonly number[], std: number | readonly number[], ...extra: never[]): Transform {
  checkPerChannel('normalize', 'argument 1 (mean)', mean);
  checkPerChannel('normalize', 'argument 2 (std)', std);
  checkRest('normalize', extra, 2, 'normalize(mean, std)');
  return (x) => {
    const { n, c, h, w } = dims('normalize', x);
    const m = perChannel('normalize', mean, c);
    const s = perChannel('normalize', std, c);
    if (s.some((v) => v === 0)) throw new Error('normalize: std must be nonzero');
    const src = x.data;
    const out = allocStorage(x.dtype, src.length);
    const plane = h * w;
    for (let i = 0; i < n * c; i++) {
      const ch = i % c;
      const mu = m[ch]!;
      const inv = 1 / s[ch]!;
      for (let j = i * plane; j < (i + 1) * plane; j++) out[j] = (src[j]! - mu) * inv;
    }
    return new Tensor(out, x.shape);
  };
}

export interface RandomCropOptions {
  /** Zero padding added on every side before cropping (default 0). */
  padding?: number;
  /** Value of the padding (default 0). */
  fill?: number;
}

/**
 * Pads by `padding` and cuts a random size[0] x size[1] window out of each image
 * (torchvision RandomCrop). The classic CIFAR augmentation is randomCrop(32, { padding: 4 }).
 */
export function randomCrop(size: number | readonly [number, number], opts: RandomCropOptions = {}, ...extra: never[]): Transform {
  if (!checkSize(size))
    throw new TypeError(`randomCrop: argument 1 (size) must be a positive integer or a pair [height, width], got ${describe(size)}`);
  checkOptions('randomCrop', 2, opts, { padding: 'nonNegativeInt', fill: 'number' });
  checkRest('randomCrop', extra, 2, 'randomCrop(size, {padding, fill})');
  const [ch, cw] = typeof size === 'number' ? [size, size] : size;
  const pad = opts.padding ?? 0;
  const fill = opts.fill ?? 0;
  return (x, g = defaultGenerator) => {
    const { n, c, h, w } = dims('randomCrop', x);
    const ph = h + 2 * pad;
    const pw = w + 2 * pad;
    if (ch > ph || cw > pw)
      throw new Error(
        `randomCrop: crop ${ch}x${cw} is larger than the padded image ${ph}x${pw} (shape ${fmtShape(x.shape)}, padding ${pad})`,
      );
    const src = x.data;
    const out = allocStorage(x.dtype, n * c * ch * cw);
    for (let b = 0; b < n; b++) {
      const top = g.int(0, ph - ch + 1) - pad;
      const left = g.int(0, pw - cw + 1) - pad;
      for (let k = 0; k < c; k++) {
        const si = (b * c + k) * h * w;
        const oi = (b * c + k) * ch * cw;
        for (let y = 0; y < ch; y++) {
          const sy = top + y;
          for (let xx = 0; xx < cw; xx++) {
            const sx = left + xx;
            out[oi + y * cw + xx] = sy >= 0 && sy < h && sx >= 0 && sx < w ? src[si + sy * w + sx]! : fill;
          }
        }
      }
    }
    return new Tensor(out, x.ndim === 4 ? [n, c, ch, cw] : [c, ch, cw]);
  };
}

/** Mirrors each image left-right with probability p (torchvision RandomHorizontalFlip). */
export function randomHorizontalFlip(p = 0.5, ...extra: never[]): Transform {
  checkArg('randomHorizontalFlip', 'argument 1 (p)', p, 'number');
  checkRest('randomHorizontalFlip', extra, 1, 'randomHorizontalFlip(p?)');
  if (!(p >= 0 && p <= 1)) throw new Error(`randomHorizontalFlip: p must be in [0, 1], got ${p}`);
  return (x, g = defaultGenerator) => {
    const { n, c, h, w } = dims('randomHorizontalFlip', x);
    const src = x.data;
    const out = allocStorage(x.dtype, src.length);
    out.set(src as never);
    const img = c * h * w;
    for (let b = 0; b < n; b++) {
      if (!(g.random() < p)) continue;
      for (let r = b * img; r < (b + 1) * img; r += w) {
        for (let j = 0; j < w; j++) out[r + j] = src[r + w - 1 - j]!;
      }
    }
    return new Tensor(out, x.shape);
  };
}

export interface RandomErasingOptions {
  /** Probability that an image gets a rectangle erased. Default 0.5. */
  p?: number;
  /** Range of the erased area as a fraction of the image [s_l, s_h]. Default [0.02, 0.33]. */
  scale?: readonly [number, number];
  /** Range of the rectangle's aspect ratio h / w [r_1, r_2], drawn log-uniformly. Default [0.3, 3.3]. */
  ratio?: readonly [number, number];
  /** Value written into the rectangle (in the normalised space when erasing after normalize). Default 0. */
  value?: number;
}

/**
 * Random erasing (Zhong et al. 2020, "Random Erasing Data Augmentation", AAAI; arXiv:1708.04896,
 * Algorithm 1; torchvision RandomErasing): with probability p, pick a target area S_e = s * H * W
 * (s uniform in scale) and an aspect ratio r (log-uniform in ratio), h = round(sqrt(S_e r)),
 * w = round(sqrt(S_e / r)); if the rectangle fits, place it uniformly and fill it with `value`
 * in every channel; try up to 10 times, else leave the image as it is.
 * @example compose(normalize(0.286, 0.353), randomErasing({ p: 0.5 }))
 */
export function randomErasing(opts: RandomErasingOptions = {}, ...extra: never[]): Transform {
  checkOptions('randomErasing', 1, opts, { p: 'number', scale: 'any', ratio: 'any', value: 'number' });
  checkRest('randomErasing', extra, 1, 'randomErasing({p, scale, ratio, value})');
  const p = opts.p ?? 0.5;
  const scale = opts.scale ?? [0.02, 0.33];
  const ratio = opts.ratio ?? [0.3, 3.3];
  const value = opts.value ?? 0;
  if (!(p >= 0 && p <= 1)) throw new RangeError(`randomErasing: option 'p' must be in [0, 1], got ${describe(p)}`);
  const range = (name: string, r: unknown, lo: number, hi: number): void => {
    const ok = Array.isArray(r) && r.length === 2 && r.every((v) => typeof v === 'number' && v >= lo && v <= hi) && r[0] <= r[1];
    if (!ok)
      throw new RangeError(
        `randomErasing: option '${name}' must be a pair [low, high] with ${lo} <= low <= high <= ${hi}, got ${describe(r)}`,
      );
  };
  range('scale', scale, 0, 1);
  range('ratio', ratio, Number.MIN_VALUE, Infinity);
  const logRatio = [Math.log(ratio[0]), Math.log(ratio[1])];
  return (x, g = defaultGenerator) => {
    const { n, c, h, w } = dims('randomErasing', x);
    const out = allocStorage(x.dtype, x.data.length);
    out.set(x.data as never);
    const area = h * w;
    for (let b = 0; b < n; b++) {
      if (!(g.random() < p)) continue;
      for (let attempt = 0; attempt < 10; attempt++) {
        const target = area * (scale[0] + (scale[1] - scale[0]) * g.random());
        const r = Math.exp(logRatio[0]! + (logRatio[1]! - logRatio[0]!) * g.random());
        const eh = Math.round(Math.sqrt(target * r));
        const ew = Math.round(Math.sqrt(target / r));
        if (eh < 1 || ew < 1 || eh > h || ew > w) continue;
        const top = g.int(0, h - eh + 1);
        const left = g.int(0, w - ew + 1);
        for (let k = 0; k < c; k++) {
          const base = (b * c + k) * area;
          for (let y = top; y < top + eh; y++) out.fill(value as never, base + y * w + left, base + y * w + left + ew);
        }
        break;
      }
    }
    return new Tensor(out, x.shape);
  };
}

/** Applies transforms left to right, all drawing from the same generator. */
export function compose(...transforms: Transform[]): Transform {
  transforms.forEach((t, i) => checkArg('compose', `argument ${i + 1}`, t, 'function'));
  return (x, g) => transforms.reduce((acc, t) => t(acc, g), x);
}

function checkSize(size: unknown): boolean {
  const pos = (v: unknown): boolean => Number.isInteger(v) && (v as number) > 0;
  return pos(size) || (Array.isArray(size) && size.length === 2 && size.every(pos));
}

function checkPerChannel(fn: string, name: string, v: unknown): void {
  if (typeof v === 'number' || (Array.isArray(v) && v.length > 0 && v.every((e) => typeof e === 'number'))) return;
  throw new TypeError(`${fn}: ${name} must be a number or a list of numbers (one per channel), got ${describe(v)}`);
}

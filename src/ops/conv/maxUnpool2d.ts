import { Tensor } from '../../tensor/tensor.js';
import { isFloat } from '../../tensor/dtype.js';
import { fmtShape, shapesEqual } from '../../tensor/shape.js';
import { checkPoolInput, unpoolCore, type SpatialArg, poolSpecs } from './_pool.js';
import { spatial } from './_conv.js';
import { defineOp } from '../registry.js';
import { checkOptions, checkTensor } from '../../tensor/validate.js';

export interface MaxUnpool2dOptions {
  /** The max pool's window size. */
  kernelSize: SpatialArg;
  /** The max pool's stride; defaults to kernelSize. */
  stride?: SpatialArg | null;
  /** The max pool's padding. Default 0. */
  padding?: SpatialArg;
  /** The size of the pooled input: [H, W] or a full shape (last two dims used). Default (h - 1) s - 2p + k. */
  outputSize?: readonly number[];
}

/**
 * Partial inverse of maxPool2d, as torch.nn.functional.max_unpool2d: every value is put back at
 * the position its index names within its H x W plane, zeros elsewhere.
 *
 *   out[n, c].flat[indices[n, c, y, x]] = in[n, c, y, x]
 *
 * Shapes: input and indices (int32) [N, C, h, w] or [C, h, w]; output [..., H, W] with
 * H = (h - 1) sH - 2 pH + kH unless outputSize is given. The gradient gathers by the indices.
 * @example const { values, indices } = maxPool2d(x, { kernelSize: 2, returnIndices: true });
 *          maxUnpool2d(values, indices, { kernelSize: 2 }) // x's shape, non-maxima zeroed
 */
export function maxUnpool2d(input: Tensor, indices: Tensor, opts: MaxUnpool2dOptions): Tensor {
  const op = 'maxUnpool2d';
  checkPoolInput(op, input, 2, false);
  checkTensor(op, indices, 'argument 2 (indices)');
  opts = checkOptions<MaxUnpool2dOptions>(op, 3, opts, poolSpecs.maxUnpool2d);
  if (indices.dtype !== 'int32') throw new Error(`${op}: indices must be int32, got ${indices.dtype} of shape ${fmtShape(indices.shape)}`);
  if (!shapesEqual(input.shape, indices.shape)) {
    throw new Error(`${op}: input shape ${fmtShape(input.shape)} and indices shape ${fmtShape(indices.shape)} must be equal`);
  }
  if (!isFloat(input.dtype) && input.requiresGrad) throw new Error(`${op}: integer input cannot require grad`);
  const kernel = spatial(op, 'kernelSize', opts.kernelSize, 2, 1, 1);
  const stride = opts.stride == null ? [...kernel] : spatial(op, 'stride', opts.stride, 2, 1, 1);
  const pad = spatial(op, 'padding', opts.padding, 2, 0, 0);
  const [h, w] = input.shape.slice(-2) as [number, number];
  const dflt = [h, w].map((n, i) => (n - 1) * stride[i]! - 2 * pad[i]! + kernel[i]!);
  let size = dflt;
  if (opts.outputSize) {
    const os = opts.outputSize;
    if (os.length !== 2 && os.length !== input.ndim) {
      throw new Error(`${op}: outputSize must have 2 or ${input.ndim} entries, got ${fmtShape(os)} for input ${fmtShape(input.shape)}`);
    }
    size = os.slice(-2);
    size.forEach((s, i) => {
      if (!(s > dflt[i]! - stride[i]! && s < dflt[i]! + stride[i]!)) {
        throw new Error(
          `${op}: invalid outputSize ${fmtShape(os)} for input ${fmtShape(input.shape)}: each size must be within ` +
            `(${fmtShape(dflt.map((d, j) => d - stride[j]!))}, ${fmtShape(dflt.map((d, j) => d + stride[j]!))}) exclusive`,
        );
      }
    });
  }
  if (size.some((s) => s <= 0)) throw new Error(`${op}: output size ${fmtShape(size)} is empty for input ${fmtShape(input.shape)}`);
  const plane = size[0]! * size[1]!;
  const idx = indices.data;
  for (let k = 0; k < idx.length; k++) {
    const v = idx[k]!;
    if (v < 0 || v >= plane) {
      throw new Error(
        `${op}: index ${v} in indices ${fmtShape(indices.shape)} is out of range for an output plane of size ${fmtShape(size)}`,
      );
    }
  }
  const contiguousIdx = indices.contiguous();
  return unpoolCore(input, contiguousIdx, [...input.shape.slice(0, -2), size[0]!, size[1]!]);
}
defineOp('maxUnpool2d', 'differentiable');

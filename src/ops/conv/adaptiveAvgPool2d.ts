import { Tensor } from '../../tensor/tensor.js';
import { fmtShape } from '../../tensor/shape.js';
import { adaptivePlan, checkPoolInput, windowMeanCore } from './_pool.js';
import { defineOp } from '../registry.js';
import { describe } from '../../tensor/validate.js';

/** Resolves an adaptive pool's outputSize (number, or [OH, OW] with null = keep the input size). */
export function adaptiveOutputSize(
  op: string,
  shape: readonly number[],
  outputSize: number | readonly (number | null)[],
): [number, number] {
  if (typeof outputSize !== 'number' && !Array.isArray(outputSize)) {
    throw new TypeError(`${op}: argument 2 (outputSize) must be a number or a list [OH, OW], got ${describe(outputSize)}`);
  }
  const list = typeof outputSize === 'number' ? [outputSize, outputSize] : [...outputSize];
  if (list.length !== 2) throw new Error(`${op}: outputSize must be a number or a list of 2, got ${fmtShape(list.map(String) as never)}`);
  const res = list.map((v, i) => (v === null ? shape[shape.length - 2 + i]! : v));
  if (res.some((v) => !Number.isInteger(v) || v <= 0)) {
    throw new Error(`${op}: outputSize must be positive integers, got ${fmtShape(res)} for input ${fmtShape(shape)}`);
  }
  return res as [number, number];
}

/**
 * 2-D adaptive average pooling, as torch.nn.functional.adaptive_avg_pool2d: output cell (i, j) is
 * the mean over rows [floor(i H / OH), ceil((i + 1) H / OH)) and columns [floor(j W / OW), ceil((j + 1) W / OW)).
 * Windows overlap when the sizes do not divide. Shapes: input [N, C, H, W] or [C, H, W];
 * outputSize a number or [OH, OW] (null keeps that input size); output [..., OH, OW].
 * @example adaptiveAvgPool2d(randn([1, 3, 7, 5]), [3, 2]) // [1, 3, 3, 2]
 */
export function adaptiveAvgPool2d(input: Tensor, outputSize: number | readonly (number | null)[]): Tensor {
  checkPoolInput('adaptiveAvgPool2d', input, 2, true);
  const [H, W] = input.shape.slice(-2) as [number, number];
  const [OH, OW] = adaptiveOutputSize('adaptiveAvgPool2d', input.shape, outputSize);
  return windowMeanCore(input, adaptivePlan(H, W, OH, OW, true), { forward: 'adaptiveAvgPool2d', backward: 'adaptiveAvgPool2dBackward' });
}
defineOp('adaptiveAvgPool2d', 'differentiable');

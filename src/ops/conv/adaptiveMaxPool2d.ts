import { Tensor } from '../../tensor/tensor.js';
import { adaptivePlan, checkPoolInput, maxPoolCore, poolSpecs } from './_pool.js';
import { adaptiveOutputSize } from './adaptiveAvgPool2d.js';
import { defineOp } from '../registry.js';
import type { PoolWithIndices } from './maxPool2d.js';
import { checkOptions } from '../../tensor/validate.js';

/**
 * 2-D adaptive max pooling, as torch.nn.functional.adaptive_max_pool2d: output cell (i, j) is the
 * max over rows [floor(i H / OH), ceil((i + 1) H / OH)) and the same formula for columns.
 * Shapes: input [N, C, H, W] or [C, H, W]; outputSize a number, [OH, OW] (null keeps that input size).
 * @example adaptiveMaxPool2d(randn([1, 3, 7, 5]), [3, 2]) // [1, 3, 3, 2]
 */
export function adaptiveMaxPool2d(
  input: Tensor,
  outputSize: number | readonly (number | null)[],
  opts: { returnIndices: true },
): PoolWithIndices;
export function adaptiveMaxPool2d(input: Tensor, outputSize: number | readonly (number | null)[], opts?: { returnIndices?: false }): Tensor;
export function adaptiveMaxPool2d(
  input: Tensor,
  outputSize: number | readonly (number | null)[],
  opts: { returnIndices?: boolean } = {},
): Tensor | PoolWithIndices {
  checkPoolInput('adaptiveMaxPool2d', input, 2, false);
  opts = checkOptions('adaptiveMaxPool2d', 3, opts, poolSpecs.adaptiveMaxPool2d);
  const [H, W] = input.shape.slice(-2) as [number, number];
  const [OH, OW] = adaptiveOutputSize('adaptiveMaxPool2d', input.shape, outputSize);
  const r = maxPoolCore('adaptiveMaxPool2d', input, adaptivePlan(H, W, OH, OW, false));
  return opts.returnIndices ? r : r.values;
}
defineOp('adaptiveMaxPool2d', 'differentiable');

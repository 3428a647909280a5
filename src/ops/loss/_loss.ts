/** Helpers shared by the loss ops: the `reduction` option, shape checks and sign masks. */
import type { Tensor } from '../../tensor/tensor.js';
import { broadcastShapes, fmtShape, shapesEqual } from '../../tensor/shape.js';
import { floatDtype } from '../_util.js';
import { mean } from '../reduce/mean.js';
import { sum } from '../reduce/sum.js';
import { constTensor, denseF64 } from '../reduce/_reduce.js';
import { checkOptions, checkTensor, type Spec } from '../../tensor/validate.js';

/** How a loss combines its per-element values, as PyTorch's `reduction`. */
export type Reduction = 'mean' | 'sum' | 'none';

export interface LossOptions {
  /** 'mean' (default) averages, 'sum' adds, 'none' returns the per-element losses. */
  reduction?: Reduction;
}

export function checkReduction(op: string, reduction: string, allowed: readonly string[] = ['mean', 'sum', 'none']): void {
  if (!allowed.includes(reduction)) {
    throw new Error(`${op}: reduction must be one of ${allowed.map((r) => `'${r}'`).join(', ')}, got '${reduction}'`);
  }
}

/** The options each loss takes (reduction's values are checked by checkReduction, which lists them). */
export const lossSpecs = {
  l1Loss: { reduction: 'string' },
  mseLoss: { reduction: 'string' },
  huberLoss: { reduction: 'string', delta: 'number' },
  smoothL1Loss: { reduction: 'string', beta: 'number' },
  klDiv: { reduction: 'string', logTarget: 'boolean' },
  binaryCrossEntropy: { reduction: 'string', weight: 'tensor' },
  binaryCrossEntropyWithLogits: { reduction: 'string', weight: 'tensor', posWeight: 'tensor' },
  nllLoss: { reduction: 'string', weight: 'tensor', ignoreIndex: 'int' },
  crossEntropy: { reduction: 'string', weight: 'tensor', ignoreIndex: 'int', labelSmoothing: 'number' },
} satisfies Record<string, Spec>;

/** The argument check of every loss(input, target, opts): two Tensors and known options. */
export function lossArgs<T extends object>(op: keyof typeof lossSpecs, input: unknown, target: unknown, opts: T | undefined): T {
  checkTensor(op, input);
  checkTensor(op, target, 'argument 2 (target)');
  return checkOptions(op, 3, opts, lossSpecs[op]);
}

/** Applies 'mean' | 'sum' | 'none' to an elementwise loss. */
export function reduceLoss(op: string, loss: Tensor, reduction: Reduction = 'mean'): Tensor {
  checkReduction(op, reduction);
  if (reduction === 'none') return loss;
  return reduction === 'sum' ? sum(loss) : mean(loss);
}

/** Elementwise losses require input and target of the same shape (PyTorch only warns and broadcasts). */
export function checkSameShape(op: string, input: Tensor, target: Tensor, what = 'target'): void {
  if (!shapesEqual(input.shape, target.shape)) {
    throw new Error(`${op}: ${what} shape ${fmtShape(target.shape)} does not match input shape ${fmtShape(input.shape)}`);
  }
}

/** sign(d) as a constant tensor (0 at 0): |d| = d * sign(d) has PyTorch's gradient sign(d), 0 at 0. */
export function signOf(d: Tensor): Tensor {
  return constTensor(d.shape, floatDtype(d), denseF64(d).map(Math.sign));
}

/** A constant bool tensor: pred(d_i) for every element of d. */
export function maskOf(d: Tensor, pred: (v: number) => boolean): Tensor {
  const v = denseF64(d);
  const m = new Uint8Array(v.length);
  for (let i = 0; i < v.length; i++) m[i] = pred(v[i]!) ? 1 : 0;
  return constTensor(d.shape, 'bool', m);
}

/** A weight must broadcast to the input's shape without growing it. */
export function checkWeight(op: string, input: Tensor, weight: Tensor, what = 'weight'): void {
  const shape = broadcastShapes(op, input.shape, weight.shape);
  if (!shapesEqual(shape, input.shape)) {
    throw new Error(`${op}: ${what} shape ${fmtShape(weight.shape)} does not broadcast to input shape ${fmtShape(input.shape)}`);
  }
}

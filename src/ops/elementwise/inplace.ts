/**
 * In-place updates for optimizers and buffers: add_, sub_, mul_, div_, copy_, zero_, fill_, clamp_.
 * They write through any strided view (a transposed or sliced view changes its base tensor), return
 * `this`, and are not recorded by autograd: use them inside noGrad(), as optimizer steps do.
 * With grad mode on they refuse tensors that take part in autograd rather than silently corrupting
 * the graph or dropping a gradient (PyTorch records in-place ops instead; shinsou does not).
 */
import { Tensor } from '../../tensor/tensor.js';
import { type DType, promoteTypes } from '../../tensor/dtype.js';
import { broadcastShapes, fmtShape, shapesEqual } from '../../tensor/shape.js';
import { backendOf, broadcastStrides, hasBroadcastOverlap, type InplaceKernel, type View } from '../../backend/index.js';
import { bumpVersion } from '../../autograd/version.js';
import { isGradEnabled } from '../../autograd/grad-mode.js';
import { resultDtype, type Operand } from '../_util.js';
import { clampBounds, clampDtype, type ClampBound } from './_elementwise.js';
import { defineOp } from '../registry.js';

const CATEGORY: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 2 };

/** Checks that `self` may be written in place; the error texts follow PyTorch's. */
function checkWritable(op: string, self: Tensor, other?: Operand): void {
  if (isGradEnabled()) {
    if (self.requiresGrad && self.isLeaf) {
      throw new Error(
        `${op}: a leaf Variable that requires grad is being used in an in-place operation ` +
          `(shape ${fmtShape(self.shape)}); wrap the update in noGrad(() => ...)`,
      );
    }
    if (self.requiresGrad) {
      throw new Error(
        `${op}: in-place ops are not recorded by autograd, and this tensor (shape ${fmtShape(self.shape)}) ` +
          'is an output of a recorded op; use the out-of-place op, or detach() / noGrad()',
      );
    }
    if (other instanceof Tensor && other.requiresGrad) {
      throw new Error(
        `${op}: the source (shape ${fmtShape(other.shape)}) requires grad, but in-place ops are not recorded ` +
          'by autograd, so its gradient would be lost; use the out-of-place op, or detach() the source',
      );
    }
  }
  if (hasBroadcastOverlap(self.shape, self.strides)) {
    throw new Error(
      `${op}: unsupported operation: more than one element of the written-to tensor (shape ${fmtShape(self.shape)}, ` +
        `strides ${fmtShape(self.strides)}) refers to a single memory location; clone it with contiguous() first`,
    );
  }
}

/** The operand as a view aligned to self's shape, copied out first if it aliases self (numbers as they are). */
function aligned(op: string, self: Tensor, other: Operand): View | number {
  if (typeof other === 'number') return other;
  const shape = broadcastShapes(op, self.shape, other.shape);
  if (!shapesEqual(shape, self.shape)) {
    throw new Error(
      `${op}: output with shape ${fmtShape(self.shape)} doesn't match the broadcast shape ${fmtShape(shape)} ` +
        `(operand of shape ${fmtShape(other.shape)})`,
    );
  }
  let t = other;
  // Reading while writing the same memory would see half-updated values: work from a copy.
  if (other.storage.buffer === self.storage.buffer) t = other.detach().contiguous();
  return { storage: t.storage, shape: self.shape, strides: broadcastStrides(t.shape, t.strides, self.shape), offset: t.offset };
}

/** Writes kernel(self[i], other[i]) into self on self's backend, converting to self's dtype (bool stores v != 0). */
function update(op: string, self: Tensor, other: Operand, kernel: InplaceKernel, params: readonly number[] = []): Tensor {
  const be = backendOf(op, self, other);
  be.update(kernel, self, aligned(op, self, other), params);
  bumpVersion(self);
  return self;
}

/** Arithmetic in-place ops keep self's dtype: a result type of a higher category (float into int) is an error. */
function checkCast(op: string, self: Tensor, result: DType): void {
  if (CATEGORY[result] > CATEGORY[self.dtype]) {
    throw new Error(`${op}: result type ${result} can't be cast to the desired output type ${self.dtype} (shape ${fmtShape(self.shape)})`);
  }
}

function arith(op: string, self: Tensor, other: Operand, kernel: InplaceKernel, params: readonly number[], resultOverride?: DType): Tensor {
  checkWritable(op, self, other);
  checkCast(op, self, resultOverride ?? resultDtype(self, other));
  return update(op, self, other, kernel, params);
}

function alphaDtype(self: Tensor, other: Operand, alpha: number): DType {
  const dt = resultDtype(self, other);
  if (alpha !== 1 && !Number.isInteger(alpha) && CATEGORY[dt] < 2) return promoteTypes(dt, 'float32');
  return dt;
}
defineOp('add_', 'nondifferentiable');
defineOp('sub_', 'nondifferentiable');
defineOp('mul_', 'nondifferentiable');
defineOp('div_', 'nondifferentiable');
defineOp('copy_', 'nondifferentiable');
defineOp('zero_', 'nondifferentiable');
defineOp('fill_', 'nondifferentiable');
defineOp('clamp_', 'nondifferentiable');

/** The in-place methods, installed on Tensor by ops/methods.ts. */
export const inplaceMethods = {
  add_(this: Tensor, other: Operand, alpha = 1) {
    return arith('add_', this, other, 'add', [alpha], alphaDtype(this, other, alpha)) as never;
  },
  sub_(this: Tensor, other: Operand, alpha = 1) {
    return arith('sub_', this, other, 'sub', [alpha], alphaDtype(this, other, alpha)) as never;
  },
  mul_(this: Tensor, other: Operand) {
    return arith('mul_', this, other, 'mul', []) as never;
  },
  div_(this: Tensor, other: Operand) {
    const dt = resultDtype(this, other);
    return arith('div_', this, other, 'div', [], CATEGORY[dt] < 2 ? 'float32' : dt) as never;
  },
  copy_(this: Tensor, src: Tensor | number) {
    checkWritable('copy_', this, src);
    return update('copy_', this, src, 'copy') as never;
  },
  zero_(this: Tensor) {
    checkWritable('zero_', this);
    return update('zero_', this, 0, 'copy') as never;
  },
  fill_(this: Tensor, value: number | Tensor) {
    if (value instanceof Tensor && value.ndim !== 0) {
      throw new Error(`fill_: only a number or a 0-d tensor can fill a tensor, got a value of shape ${fmtShape(value.shape)}`);
    }
    const v = value instanceof Tensor ? value.item() : value;
    checkWritable('fill_', this, value);
    return update('fill_', this, v, 'copy') as never;
  },
  clamp_(this: Tensor, min?: ClampBound, max?: ClampBound) {
    checkWritable('clamp_', this);
    const dt = clampDtype(this, min, max);
    checkCast('clamp_', this, dt);
    const { lo, hi } = clampBounds('clamp_', this, min, max, dt);
    return update('clamp_', this, 0, 'clamp', [lo, hi]) as never;
  },
};

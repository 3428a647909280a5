import { Tensor } from '../../tensor/tensor.js';
import { binaryOp, type Operand } from '../_util.js';
import { neg } from './neg.js';
import { defineOp } from '../registry.js';

/** Elementwise difference with broadcasting: out = a - b. */
export function sub(a: Operand, b: Operand): Tensor {
  return binaryOp('sub', a, b, { readsInputs: false }, (g, _a, tb) => [g, tb.requiresGrad ? neg(g) : null]);
}
defineOp('sub', 'differentiable');

/** Shared machinery for op files: operand coercion, elementwise maps with broadcasting, sumTo. */
import { Tensor } from '../tensor/tensor.js';
import { type DType, isFloat, promoteTypes, promoteWithScalar } from '../tensor/dtype.js';
import { broadcastShapes, fmtShape, shapesEqual, type Shape } from '../tensor/shape.js';
import { record, type BackwardFn } from '../autograd/node.js';
import { backendOf, broadcastStrides, type BinaryKernel, type UnaryKernel } from '../backend/index.js';
import { checkTensor, describe } from '../tensor/validate.js';

/** A tensor or a plain number (a "Python scalar" in PyTorch terms). */
export type Operand = Tensor | number;

export function resultDtype(a: Operand, b: Operand): DType {
  if (typeof a === 'number' && typeof b === 'number') return 'float32';
  if (typeof a === 'number') return promoteWithScalar((b as Tensor).dtype, a);
  if (typeof b === 'number') return promoteWithScalar(a.dtype, b);
  return promoteTypes(a.dtype, b.dtype);
}

/** A 0-d tensor for a number (on `device`, default the current backend), or the tensor itself. */
export function asTensor(x: Operand, dtype: DType, device?: string): Tensor {
  if (typeof x !== 'number') return x;
  const t = Tensor.empty([], dtype, device);
  t.backend.fill(t.storage, x);
  return t;
}

/** The float dtype an op computes in for input x (int/bool lift to float32). */
export function floatDtype(x: Tensor): DType {
  return isFloat(x.dtype) ? x.dtype : 'float32';
}

/** An operand of a binary op: a Tensor or a number (`add: argument 2 must be a Tensor or a number, got the string '1'`). */
export function checkOperand(op: string, v: unknown, position: number): void {
  if (typeof v !== 'number' && typeof v !== 'boolean' && !(v instanceof Tensor)) {
    throw new TypeError(`${op}: argument ${position} must be a Tensor or a number, got ${describe(v)}`);
  }
}

/** A named elementwise kernel of the backend, with its parameters when it takes any (see UnaryKernel). */
export type UnaryCall = UnaryKernel | { kernel: UnaryKernel; params: readonly number[] };

/** out = kernel(x) elementwise on x's backend, recorded as `name` with `backward` when given (null backward: no gradient). */
export function unaryOp(
  name: string,
  x: Tensor,
  kernel: UnaryCall,
  outDtype: DType,
  backward: ((g: Tensor, out: Tensor) => Tensor) | null,
  readsInputs = true,
): Tensor {
  checkTensor(name, x);
  const be = backendOf(name, x);
  const out = Tensor.empty(x.shape, outDtype, be.name);
  if (typeof kernel === 'string') be.unary(kernel, x, out.storage);
  else be.unary(kernel.kernel, x, out.storage, kernel.params);
  if (!backward) return out;
  return record(name, [x], out, (g) => [backward(g, out)], readsInputs);
}

/**
 * out = kernel `name`(a, b) with NumPy broadcasting, on the operands' backend. `backward` returns
 * the gradients at the broadcast shape; they are reduced back to each input's shape and dtype
 * here, once, for every binary op.
 */
export function binaryOp(
  name: BinaryKernel,
  a: Operand,
  b: Operand,
  opts: { outDtype?: DType; computeDtype?: DType; readsInputs?: boolean } = {},
  backward: ((g: Tensor, a: Tensor, b: Tensor, out: Tensor) => [Tensor | null, Tensor | null]) | null = null,
): Tensor {
  checkOperand(name, a, 1);
  checkOperand(name, b, 2);
  const dt = opts.computeDtype ?? resultDtype(a, b);
  const be = backendOf(name, a, b);
  const ta = asTensor(a, dt, be.name);
  const tb = asTensor(b, dt, be.name);
  const shape = broadcastShapes(name, ta.shape, tb.shape);
  const out = Tensor.empty(shape, opts.outDtype ?? dt, be.name);
  const va = { storage: ta.storage, shape, strides: broadcastStrides(ta.shape, ta.strides, shape), offset: ta.offset };
  const vb = { storage: tb.storage, shape, strides: broadcastStrides(tb.shape, tb.strides, shape), offset: tb.offset };
  be.binary(name, va, vb, shape, out.storage);
  if (!backward) return out;
  const bw: BackwardFn = (g) => {
    const [ga, gb] = backward(g, ta, tb, out);
    return [ga && ta.requiresGrad ? reduceGradTo(ga, ta) : null, gb && tb.requiresGrad ? reduceGradTo(gb, tb) : null];
  };
  return record(name, [ta, tb], out, bw, opts.readsInputs ?? true);
}

// Filled in by ops/reduce/sum.ts, ops/shape/reshape.ts and ops/elementwise/cast.ts, which import this module (no cycle at load time).
export const hooks: {
  sum?: (x: Tensor, dims: number[], keepdim: boolean) => Tensor;
  reshape?: (x: Tensor, shape: Shape) => Tensor;
  cast?: (x: Tensor, dtype: DType) => Tensor;
} = {};

/**
 * Undoes broadcasting: sums `g` over the dims that were broadcast to reach its shape from `shape`.
 * The single place where broadcasting is reversed (see DESIGN.md, convention 1).
 */
export function sumTo(g: Tensor, shape: Shape): Tensor {
  checkTensor('sumTo', g);
  if (shapesEqual(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  if (lead < 0) throw new Error(`sumTo: cannot reduce shape ${fmtShape(g.shape)} to ${fmtShape(shape)}`);
  const dims: number[] = [];
  for (let i = 0; i < g.ndim; i++) {
    if (i < lead) dims.push(i);
    else if (shape[i - lead] === 1 && g.shape[i] !== 1) dims.push(i);
    else if (shape[i - lead] !== g.shape[i]) {
      throw new Error(`sumTo: cannot reduce shape ${fmtShape(g.shape)} to ${fmtShape(shape)}`);
    }
  }
  const s = dims.length ? hooks.sum!(g, dims, true) : g;
  return hooks.reshape!(s, shape);
}

/** sumTo the input's shape, then cast to the input's dtype (after type promotion). */
export function reduceGradTo(g: Tensor, input: Tensor): Tensor {
  const r = sumTo(g, input.shape);
  return r.dtype === input.dtype ? r : hooks.cast!(r, input.dtype);
}

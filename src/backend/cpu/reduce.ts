/**
 * Reduction planning: for a strided tensor and a set of reduced dims, the storage offset of the
 * first element of every output cell (`bases`) and the relative offsets of the reduced elements
 * (`rel`). A reduction is then `for o: for k: combine(x[bases[o] + rel[k]])`, whatever the dims.
 */
import type { Shape } from '../../tensor/shape.js';

export interface ReducePlan {
  /** Output shape with reduced dims kept as 1. */
  keptShape: number[];
  bases: Int32Array;
  rel: Int32Array;
}

/** All storage offsets of a sub-shape with given strides, in row-major order, starting at start. */
export function offsetsOf(shape: Shape, strides: readonly number[], start: number): Int32Array {
  let n = 1;
  for (const d of shape) n *= d;
  const out = new Int32Array(n);
  if (n === 0) return out;
  const nd = shape.length;
  const idx = new Array<number>(nd).fill(0);
  let p = start;
  for (let i = 0; i < n; i++) {
    out[i] = p;
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]!++;
      p += strides[d]!;
      if (idx[d]! < shape[d]!) break;
      p -= strides[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
  return out;
}

export function planReduce(shape: Shape, strides: readonly number[], offset: number, dims: readonly number[]): ReducePlan {
  const keptShape = [...shape];
  const keepShape: number[] = [];
  const keepStrides: number[] = [];
  const redShape: number[] = [];
  const redStrides: number[] = [];
  for (let d = 0; d < shape.length; d++) {
    if (dims.includes(d)) {
      redShape.push(shape[d]!);
      redStrides.push(strides[d]!);
      keptShape[d] = 1;
    } else {
      keepShape.push(shape[d]!);
      keepStrides.push(strides[d]!);
    }
  }
  return { keptShape, bases: offsetsOf(keepShape, keepStrides, offset), rel: offsetsOf(redShape, redStrides, 0) };
}

/** out[o] = the product of group o (float64 accumulation). */
export function prodGroups(src: ArrayLike<number>, plan: ReducePlan, out: { [i: number]: number }): void {
  const { bases, rel } = plan;
  for (let o = 0; o < bases.length; o++) {
    const b = bases[o]!;
    let acc = 1;
    for (let k = 0; k < rel.length; k++) acc *= src[b + rel[k]!]!;
    out[o] = acc;
  }
}

/** Running sums along the lines of inPlan, written along outPlan's lines (float64 accumulation). */
export function cumsumLines(src: ArrayLike<number>, inPlan: ReducePlan, out: { [i: number]: number }, outPlan: ReducePlan): void {
  for (let o = 0; o < inPlan.bases.length; o++) {
    const b = inPlan.bases[o]!;
    const ob = outPlan.bases[o]!;
    let acc = 0;
    for (let k = 0; k < inPlan.rel.length; k++) {
      acc += src[b + inPlan.rel[k]!]!;
      out[ob + outPlan.rel[k]!] = acc;
    }
  }
}

/** Shape arithmetic shared by every op: sizes, strides, broadcasting, dimension normalisation. */
export type Shape = readonly number[];

export function numel(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * Checks a shape given to `op` (sizes are non-negative integers) and returns its element count.
 * Every creation function and Tensor.empty go through here, so a bad size fails naming the function
 * and the shape instead of as a bare RangeError from a typed array.
 */
export function checkShape(op: string, shape: Shape): number {
  if (!Array.isArray(shape)) {
    throw new Error(
      `${op}: shape must be an array of sizes such as [2, 3], got ${typeof shape === 'object' ? JSON.stringify(shape) : String(shape)}`,
    );
  }
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new Error(`${op}: invalid shape ${fmtShape(shape)}: sizes must be non-negative integers`);
  }
  const n = numel(shape);
  if (!Number.isSafeInteger(n)) throw tooManyElements(op, shape, n);
  return n;
}

/** The error for a shape whose element count no typed array can hold. */
export function tooManyElements(op: string, shape: Shape, n: number, why?: string): Error {
  return new Error(
    `${op}: shape ${fmtShape(shape)} has ${Number.isFinite(n) ? BigInt(Math.round(n)) : 'over 1e308'} elements, more than one tensor can hold${why ? ` (${why})` : ''}`,
  );
}

/** Row-major (C-contiguous) strides for a shape. */
export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function fmtShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/** NumPy broadcasting: align trailing dims; each pair must be equal or one of them 1. */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(
        `${op}: shapes ${fmtShape(a)} and ${fmtShape(b)} cannot be broadcast together ` + `(dimension ${i - n} is ${da} vs ${db})`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Turns a possibly negative dim into 0..rank-1, or throws naming the op. */
export function normDim(op: string, dim: number, rank: number): number {
  const r = Math.max(rank, 1);
  if (!Number.isInteger(dim) || dim < -r || dim >= r) {
    throw new Error(`${op}: dim ${dim} is out of range for a tensor of rank ${rank} (expected ${-r}..${r - 1})`);
  }
  return dim < 0 ? dim + r : dim;
}

/** Normalises a dim list (undefined = all dims), sorted and de-duplicated. */
export function normDims(op: string, dims: number | readonly number[] | undefined, rank: number): number[] {
  if (dims === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof dims === 'number' ? [dims] : dims;
  const out = [...new Set(list.map((d) => normDim(op, d, rank)))];
  if (out.length !== list.length) throw new Error(`${op}: repeated dim in ${fmtShape(list)}`);
  return out.sort((x, y) => x - y);
}

/** Resolves a single -1 in a target shape against a known element count. */
export function inferShape(op: string, shape: readonly number[], n: number, from: Shape): number[] {
  let infer = -1;
  let known = 1;
  shape.forEach((d, i) => {
    if (d === -1) {
      if (infer >= 0) throw new Error(`${op}: only one dimension can be -1, got ${fmtShape(shape)}`);
      infer = i;
    } else if (!Number.isInteger(d) || d < 0) {
      throw new Error(`${op}: invalid size ${d} in shape ${fmtShape(shape)}`);
    } else known *= d;
  });
  const out = [...shape];
  if (infer >= 0) {
    if (known === 0 || n % known !== 0) {
      throw new Error(`${op}: shape ${fmtShape(shape)} is invalid for input of shape ${fmtShape(from)} (${n} elements)`);
    }
    out[infer] = n / known;
  } else if (known !== n) {
    throw new Error(`${op}: shape ${fmtShape(shape)} is invalid for input of shape ${fmtShape(from)} (${n} elements)`);
  }
  return out;
}

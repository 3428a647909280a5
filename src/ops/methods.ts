/**
 * Tensor methods, installed from one table: `x.sum(opts)` is `sum(x, opts)`. Each op file exports
 * its function; this file alone adds methods to Tensor.prototype and declares their types, so no op
 * file patches the prototype (and the tensor module stays free of import cycles).
 */
import { Tensor } from '../tensor/tensor.js';
import type { DType } from '../tensor/dtype.js';
import type { Shape } from '../tensor/shape.js';
import { type Operand } from './_util.js';
import { adaptiveAvgPool2d } from './conv/adaptiveAvgPool2d.js';
import { avgPool2d, type AvgPool2dOptions } from './conv/avgPool2d.js';
import { conv1d, type Conv1dOptions } from './conv/conv1d.js';
import { conv2d, type Conv2dOptions } from './conv/conv2d.js';
import { convTranspose2d, type ConvTranspose2dOptions } from './conv/convTranspose2d.js';
import { maxPool2d, type MaxPool2dOptions } from './conv/maxPool2d.js';
import { type ClampBound } from './elementwise/_elementwise.js';
import { abs } from './elementwise/abs.js';
import { add } from './elementwise/add.js';
import { cast } from './elementwise/cast.js';
import { toDevice } from './elementwise/toDevice.js';
import { DTYPES } from '../tensor/dtype.js';
import { ceil } from './elementwise/ceil.js';
import { clamp } from './elementwise/clamp.js';
import { cos } from './elementwise/cos.js';
import { div } from './elementwise/div.js';
import { eq } from './elementwise/eq.js';
import { erf } from './elementwise/erf.js';
import { exp } from './elementwise/exp.js';
import { expm1 } from './elementwise/expm1.js';
import { floor } from './elementwise/floor.js';
import { ge } from './elementwise/ge.js';
import { gt } from './elementwise/gt.js';
import { inplaceMethods } from './elementwise/inplace.js';
import { le } from './elementwise/le.js';
import { log } from './elementwise/log.js';
import { log1p } from './elementwise/log1p.js';
import { logicalAnd } from './elementwise/logicalAnd.js';
import { logicalNot } from './elementwise/logicalNot.js';
import { logicalOr } from './elementwise/logicalOr.js';
import { lt } from './elementwise/lt.js';
import { maximum } from './elementwise/maximum.js';
import { minimum } from './elementwise/minimum.js';
import { mul } from './elementwise/mul.js';
import { ne } from './elementwise/ne.js';
import { neg } from './elementwise/neg.js';
import { pow } from './elementwise/pow.js';
import { reciprocal } from './elementwise/reciprocal.js';
import { relu } from './elementwise/relu.js';
import { round, type RoundOptions } from './elementwise/round.js';
import { rsqrt } from './elementwise/rsqrt.js';
import { sigmoid } from './elementwise/sigmoid.js';
import { sign } from './elementwise/sign.js';
import { sin } from './elementwise/sin.js';
import { sqrt } from './elementwise/sqrt.js';
import { square } from './elementwise/square.js';
import { sub } from './elementwise/sub.js';
import { tanh } from './elementwise/tanh.js';
import { where } from './elementwise/where.js';
import { type ArgReduceOptions, type ValuesIndices } from './indexing/_select.js';
import { gather } from './indexing/gather.js';
import { getItem, type IndexSpec } from './indexing/getItem.js';
import { indexAdd, type IndexAddOptions } from './indexing/indexAdd.js';
import { indexSelect } from './indexing/indexSelect.js';
import { maskedFill } from './indexing/maskedFill.js';
import { scatter } from './indexing/scatter.js';
import { scatterAdd } from './indexing/scatterAdd.js';
import { take } from './indexing/take.js';
import { matmul } from './linalg/matmul.js';
import { logSoftmax } from './normalization/logSoftmax.js';
import { softmax } from './normalization/softmax.js';
import { amax } from './reduce/amax.js';
import { amin } from './reduce/amin.js';
import { argmax } from './reduce/argmax.js';
import { argmin } from './reduce/argmin.js';
import { cumsum } from './reduce/cumsum.js';
import { logsumexp } from './reduce/logsumexp.js';
import { max } from './reduce/max.js';
import { maxWithIndices } from './reduce/maxWithIndices.js';
import { mean } from './reduce/mean.js';
import { min } from './reduce/min.js';
import { minWithIndices } from './reduce/minWithIndices.js';
import { prod } from './reduce/prod.js';
import { std } from './reduce/std.js';
import { type ReduceArg, sum } from './reduce/sum.js';
import { variance, type VarianceArg, type VarianceOptions } from './reduce/variance.js';
import { chunk } from './shape/chunk.js';
import { expand } from './shape/expand.js';
import { flatten, type FlattenOptions } from './shape/flatten.js';
import { flip } from './shape/flip.js';
import { narrow } from './shape/narrow.js';
import { permute } from './shape/permute.js';
import { repeat } from './shape/repeat.js';
import { reshape, shapeArgs } from './shape/reshape.js';
import { roll } from './shape/roll.js';
import { select } from './shape/select.js';
import { slice } from './shape/slice.js';
import { split } from './shape/split.js';
import { squeeze } from './shape/squeeze.js';
import { transpose } from './shape/transpose.js';
import { fmtShape } from '../tensor/shape.js';
import { checkTensor } from '../tensor/validate.js';
import { unfold } from './shape/unfold.js';
import { unsqueeze } from './shape/unsqueeze.js';
import { view } from './shape/view.js';

declare module '../tensor/tensor.js' {
  interface Tensor<D extends DType = DType> {
    // conv/adaptiveAvgPool2d.ts
    adaptiveAvgPool2d(outputSize: number | readonly (number | null)[]): Tensor;
    // conv/avgPool2d.ts
    avgPool2d(opts: AvgPool2dOptions): Tensor;
    // conv/conv1d.ts
    conv1d(weight: Tensor, bias?: Tensor | null, opts?: Conv1dOptions): Tensor;
    // conv/conv2d.ts
    conv2d(weight: Tensor, bias?: Tensor | null, opts?: Conv2dOptions): Tensor;
    // conv/convTranspose2d.ts
    convTranspose2d(weight: Tensor, bias?: Tensor | null, opts?: ConvTranspose2dOptions): Tensor;
    // conv/maxPool2d.ts
    maxPool2d(opts: MaxPool2dOptions & { returnIndices?: false }): Tensor;
    // elementwise/abs.ts
    abs(): Tensor;
    // elementwise/add.ts
    add(other: Operand): Tensor;
    // elementwise/cast.ts
    /** Converts to a dtype (see cast), or moves to another backend by name (see toDevice): `x.to('float64')`, `x.to('cpu')`. */
    to<E extends DType>(dtype: E): Tensor<E>;
    to(device: string): Tensor<D>;
    float(): Tensor<'float32'>;
    double(): Tensor<'float64'>;
    int(): Tensor<'int32'>;
    bool(): Tensor<'bool'>;
    // elementwise/ceil.ts
    ceil(): Tensor;
    // elementwise/clamp.ts
    /** Clamps into [min, max]; pass null to leave a side open (see clamp). */
    clamp(min?: ClampBound, max?: ClampBound): Tensor;
    // elementwise/cos.ts
    cos(): Tensor;
    // elementwise/div.ts
    div(other: Operand): Tensor;
    // elementwise/eq.ts
    eq(other: Operand): Tensor<'bool'>;
    // elementwise/erf.ts
    erf(): Tensor;
    // elementwise/exp.ts
    exp(): Tensor;
    // elementwise/expm1.ts
    expm1(): Tensor;
    // elementwise/floor.ts
    floor(): Tensor;
    // elementwise/ge.ts
    ge(other: Operand): Tensor<'bool'>;
    // elementwise/gt.ts
    gt(other: Operand): Tensor<'bool'>;
    // elementwise/inplace.ts
    /** In place: this += alpha * other (broadcast to this shape). Not recorded by autograd. */
    add_(other: Operand, alpha?: number): this;
    /** In place: this -= alpha * other. Not recorded by autograd. */
    sub_(other: Operand, alpha?: number): this;
    /** In place: this *= other. Not recorded by autograd. */
    mul_(other: Operand): this;
    /** In place: this /= other (true division; integer tensors are rejected). Not recorded by autograd. */
    div_(other: Operand): this;
    /** Copies src (broadcast to this shape, any dtype, converted) into this view. Not recorded by autograd. */
    copy_(src: Tensor | number): this;
    /** Sets every element of this view to 0. */
    zero_(): this;
    /** Sets every element of this view to value (converted to this dtype). */
    fill_(value: number | Tensor): this;
    /** In place clamp into [min, max] (see clamp). Not recorded by autograd. */
    clamp_(min?: ClampBound, max?: ClampBound): this;
    // elementwise/le.ts
    le(other: Operand): Tensor<'bool'>;
    // elementwise/log.ts
    log(): Tensor;
    // elementwise/log1p.ts
    log1p(): Tensor;
    // elementwise/logicalAnd.ts
    logicalAnd(other: Operand): Tensor<'bool'>;
    // elementwise/logicalNot.ts
    logicalNot(): Tensor<'bool'>;
    // elementwise/logicalOr.ts
    logicalOr(other: Operand): Tensor<'bool'>;
    // elementwise/lt.ts
    lt(other: Operand): Tensor<'bool'>;
    // elementwise/maximum.ts
    maximum(other: Operand): Tensor;
    // elementwise/minimum.ts
    minimum(other: Operand): Tensor;
    // elementwise/mul.ts
    mul(other: Operand): Tensor;
    // elementwise/ne.ts
    ne(other: Operand): Tensor<'bool'>;
    // elementwise/neg.ts
    neg(): Tensor;
    // elementwise/pow.ts
    pow(exponent: Operand): Tensor;
    // elementwise/reciprocal.ts
    reciprocal(): Tensor;
    // elementwise/relu.ts
    relu(): Tensor;
    // elementwise/round.ts
    round(opts?: RoundOptions): Tensor;
    // elementwise/rsqrt.ts
    rsqrt(): Tensor;
    // elementwise/sigmoid.ts
    sigmoid(): Tensor;
    // elementwise/sign.ts
    sign(): Tensor;
    // elementwise/sin.ts
    sin(): Tensor;
    // elementwise/sqrt.ts
    sqrt(): Tensor;
    // elementwise/square.ts
    square(): Tensor;
    // elementwise/sub.ts
    sub(other: Operand): Tensor;
    // elementwise/tanh.ts
    tanh(): Tensor;
    // elementwise/where.ts
    /** this where cond holds, other elsewhere (torch.Tensor.where). */
    where(cond: Tensor, other: Operand): Tensor;
    // indexing/gather.ts
    /** Gathers values along dim at int32 indices (see gather). */
    gather(dim: number, index: Tensor): Tensor;
    // indexing/getItem.ts
    /** x[spec0, spec1, ...] in PyTorch terms (see getItem). */
    getItem(...specs: IndexSpec[]): Tensor;
    // indexing/indexAdd.ts
    /** Out-of-place index_add along dim (see indexAdd). */
    indexAdd(dim: number, index: Tensor, src: Tensor, opts?: IndexAddOptions): Tensor;
    // indexing/indexSelect.ts
    /** Picks slices along dim at int32 indices (see indexSelect). */
    indexSelect(dim: number, index: Tensor): Tensor;
    // indexing/maskedFill.ts
    /** value where mask holds, this elsewhere (see maskedFill). */
    maskedFill(mask: Tensor, value: number | Tensor): Tensor;
    // indexing/scatter.ts
    /** Out-of-place scatter along dim (see scatter). */
    scatter(dim: number, index: Tensor, src: Tensor | number): Tensor;
    // indexing/scatterAdd.ts
    /** Out-of-place scatter-add along dim (see scatterAdd). */
    scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor;
    // indexing/take.ts
    /** Elements at flat int32 indices (see take). */
    take(index: Tensor): Tensor;
    // linalg/matmul.ts
    matmul(other: Tensor): Tensor;
    // normalization/logSoftmax.ts
    logSoftmax(dim: number | { dim: number }): Tensor;
    // normalization/softmax.ts
    softmax(dim: number | { dim: number }): Tensor;
    // reduce/amax.ts
    amax(dim?: ReduceArg, keepdim?: boolean): Tensor;
    // reduce/amin.ts
    amin(dim?: ReduceArg, keepdim?: boolean): Tensor;
    // reduce/argmax.ts
    argmax(dim?: number | ArgReduceOptions, keepdim?: boolean): Tensor<'int32'>;
    // reduce/argmin.ts
    argmin(dim?: number | ArgReduceOptions, keepdim?: boolean): Tensor<'int32'>;
    // reduce/cumsum.ts
    cumsum(dim: number | { dim: number }): Tensor;
    // reduce/logsumexp.ts
    logsumexp(dim?: ReduceArg, keepdim?: boolean): Tensor;
    // reduce/max.ts
    max(dim?: ReduceArg, keepdim?: boolean): Tensor;
    // reduce/maxWithIndices.ts
    maxWithIndices(dim: number | { dim: number; keepdim?: boolean }, keepdim?: boolean): ValuesIndices;
    // reduce/mean.ts
    mean(dim?: ReduceArg, keepdim?: boolean): Tensor;
    // reduce/min.ts
    min(dim?: ReduceArg, keepdim?: boolean): Tensor;
    // reduce/minWithIndices.ts
    minWithIndices(dim: number | { dim: number; keepdim?: boolean }, keepdim?: boolean): ValuesIndices;
    // reduce/prod.ts
    prod(dim?: ReduceArg, keepdim?: boolean): Tensor;
    // reduce/std.ts
    std(dim?: VarianceArg, keepdim?: boolean | Omit<VarianceOptions, 'dim'>): Tensor;
    // reduce/sum.ts
    sum(dim?: ReduceArg, keepdim?: boolean): Tensor;
    // reduce/variance.ts
    var(dim?: VarianceArg, keepdim?: boolean | Omit<VarianceOptions, 'dim'>): Tensor;
    variance(dim?: VarianceArg, keepdim?: boolean | Omit<VarianceOptions, 'dim'>): Tensor;
    // shape/chunk.ts
    /** Splits into at most `chunks` views along dim (see chunk). */
    chunk(chunks: number, dim?: number): Tensor[];
    // shape/expand.ts
    expand(...shape: number[] | [Shape]): Tensor;
    expandAs(other: Tensor): Tensor;
    // shape/flatten.ts
    /** Merges dims startDim..endDim into one (see flatten). */
    flatten(startDim?: number | FlattenOptions, endDim?: number): Tensor;
    // shape/flip.ts
    /** Reverses the order of elements along dims (see flip). */
    flip(...dims: number[] | [readonly number[]]): Tensor;
    // shape/narrow.ts
    /** x[..., start:start+length, ...] along dim, as a view (see narrow). */
    narrow(dim: number, start: number, length: number): Tensor;
    // shape/permute.ts
    permute(...dims: number[]): Tensor;
    // shape/repeat.ts
    /** Tiles the tensor along each dim (torch.Tensor.repeat; see repeat). */
    repeat(...sizes: number[] | [Shape]): Tensor;
    // shape/reshape.ts
    reshape(...shape: number[] | [Shape]): Tensor;
    // shape/roll.ts
    /** Rotates elements along dims (see roll). */
    roll(shifts: number | readonly number[], dims?: number | readonly number[]): Tensor;
    // shape/select.ts
    /** x[..., index, ...] along dim, removing it (see select). */
    select(dim: number, index: number): Tensor;
    // shape/slice.ts
    /** x[..., start:end:step, ...] along dim, as a view (see slice). */
    slice(dim?: number, start?: number | null, end?: number | null, step?: number): Tensor;
    // shape/split.ts
    /** Splits into views along dim (see split). */
    split(splitSizeOrSections: number | readonly number[], dim?: number): Tensor[];
    // shape/squeeze.ts
    /** Removes size-1 dims (all, or those listed), as a view (see squeeze). */
    squeeze(dim?: number | readonly number[] | { dim?: number | readonly number[] }): Tensor;
    // shape/transpose.ts
    transpose(dim0?: number, dim1?: number): Tensor;
    /** The matrix transpose of a 2-D tensor (or 0/1-D unchanged). */
    readonly T: Tensor;
    /** The matrix transpose, as torch.Tensor.t(): 2-D swapped, 0/1-D unchanged, more dims an error. */
    t(): Tensor;
    // shape/unfold.ts
    /** Sliding windows along dim as a view (torch.Tensor.unfold; see unfold). */
    unfold(dim: number, size: number, step: number): Tensor;
    // shape/unsqueeze.ts
    /** Inserts a size-1 dim at `dim`, as a view (see unsqueeze). */
    unsqueeze(dim: number | { dim: number }): Tensor;
    // shape/view.ts
    view(...shape: number[] | [Shape]): Tensor;
  }
}

/**
 * The matrix transpose, as torch.Tensor.t() and .T: a 2-D tensor's two dims swapped (a view);
 * 0-D and 1-D tensors come back unchanged; more dims are an error (use transpose or permute).
 */
function matrixTranspose(op: string, x: Tensor): Tensor {
  checkTensor(op, x);
  if (x.ndim > 2)
    throw new Error(`${op}: expects a tensor with <= 2 dims, got shape ${fmtShape(x.shape)}; use transpose(x, dim0, dim1) or permute`);
  return x.ndim < 2 ? x : transpose(x, 0, 1);
}

Object.defineProperty(Tensor.prototype, 'T', {
  get(this: Tensor) {
    return matrixTranspose('T', this);
  },
});

type Method = (this: Tensor, ...args: never[]) => unknown;

/** Methods that call the op of the same (or the given) name with the tensor as first argument. */
const forwarded = {
  adaptiveAvgPool2d,
  avgPool2d,
  maxPool2d,
  abs,
  add,
  ceil,
  clamp,
  cos,
  div,
  eq,
  erf,
  exp,
  expm1,
  floor,
  ge,
  gt,
  le,
  log,
  log1p,
  logicalAnd,
  logicalNot,
  logicalOr,
  lt,
  maximum,
  minimum,
  mul,
  ne,
  neg,
  reciprocal,
  relu,
  round,
  rsqrt,
  sigmoid,
  sign,
  sin,
  sqrt,
  square,
  sub,
  tanh,
  gather,
  getItem,
  indexAdd,
  indexSelect,
  maskedFill,
  scatter,
  scatterAdd,
  take,
  matmul,
  logSoftmax,
  softmax,
  amax,
  amin,
  argmax,
  argmin,
  cumsum,
  logsumexp,
  max,
  maxWithIndices,
  mean,
  min,
  minWithIndices,
  prod,
  std,
  sum,
  var: variance,
  variance,
  chunk,
  flatten,
  narrow,
  roll,
  select,
  slice,
  split,
  squeeze,
  transpose,
  unfold,
  unsqueeze,
} satisfies Record<string, (x: Tensor, ...args: never[]) => unknown>;

/** Methods whose argument forms differ from the function's (varargs shapes, optional bias, argument order). */
const adapted: Record<string, Method> = {
  conv1d(this: Tensor, weight: Tensor, bias?: Tensor | null, opts?: Conv1dOptions) {
    return conv1d(this, weight, bias ?? null, opts);
  },
  conv2d(this: Tensor, weight: Tensor, bias?: Tensor | null, opts?: Conv2dOptions) {
    return conv2d(this, weight, bias ?? null, opts);
  },
  convTranspose2d(this: Tensor, weight: Tensor, bias?: Tensor | null, opts?: ConvTranspose2dOptions) {
    return convTranspose2d(this, weight, bias ?? null, opts);
  },
  t(this: Tensor) {
    return matrixTranspose('t', this);
  },
  expandAs(this: Tensor, other: Tensor) {
    return expand(this, other.shape);
  },
  to(this: Tensor, target: string) {
    return (DTYPES as readonly string[]).includes(target) ? cast(this, target as DType) : toDevice(this, target);
  },
  double(this: Tensor) {
    return cast(this, 'float64');
  },
  bool(this: Tensor) {
    return cast(this, 'bool');
  },
  float(this: Tensor) {
    return cast(this, 'float32');
  },
  int(this: Tensor) {
    return cast(this, 'int32');
  },
  pow(this: Tensor, exponent: Operand) {
    return pow(this, exponent);
  },
  where(this: Tensor, cond: Tensor, other: Operand) {
    return where(cond, this, other);
  },
  expand(this: Tensor, ...shape: number[] | [Shape]) {
    return expand(this, shapeArgs(shape));
  },
  repeat(this: Tensor, ...sizes: number[] | [Shape]) {
    return repeat(this, shapeArgs(sizes));
  },
  reshape(this: Tensor, ...shape: number[] | [Shape]) {
    return reshape(this, shapeArgs(shape));
  },
  view(this: Tensor, ...shape: number[] | [Shape]) {
    return view(this, shapeArgs(shape));
  },
  flip(this: Tensor, ...dims: number[] | [readonly number[]]) {
    return flip(this, Array.isArray(dims[0]) ? (dims[0] as readonly number[]) : (dims as number[]));
  },
  permute(this: Tensor, ...dims: number[] | [number[]]) {
    return permute(this, Array.isArray(dims[0]) ? dims[0] : (dims as number[]));
  },
  ...inplaceMethods,
};

function install(name: string, fn: Method): void {
  if (Object.prototype.hasOwnProperty.call(Tensor.prototype, name)) {
    throw new Error(`Tensor methods: '${name}' is installed twice`);
  }
  Object.defineProperty(Tensor.prototype, name, { value: fn, writable: true, configurable: true });
}

for (const [name, op] of Object.entries(forwarded) as [string, (x: Tensor, ...args: unknown[]) => unknown][]) {
  install(name, function (this: Tensor, ...args: unknown[]) {
    return op(this, ...args);
  });
}
for (const [name, fn] of Object.entries(adapted)) install(name, fn);

import { Tensor } from '../../tensor/tensor.js';
import { isFloat, promoteTypes } from '../../tensor/dtype.js';
import { broadcastShapes, fmtShape } from '../../tensor/shape.js';
import { backendOf, broadcastStrides, offsetsOf } from '../../backend/index.js';
import { markFresh, record } from '../../autograd/node.js';
import { reduceGradTo } from '../_util.js';
import { reshape } from '../shape/reshape.js';
import { transpose } from '../shape/transpose.js';
import { cast } from '../elementwise/cast.js';
import { defineOp } from '../registry.js';

/** How a matrix (last two dims of a view) can be read by GEMM without copying. */
function matrixLayout(t: Tensor): { t: Tensor; trans: boolean; ld: number } {
  const r = t.ndim;
  const rows = t.shape[r - 2]!;
  const cols = t.shape[r - 1]!;
  const sr = t.strides[r - 2]!;
  const sc = t.strides[r - 1]!;
  // Any leading dimension works (rows of a narrowed or permuted view need not be adjacent).
  if (sc === 1 && (sr >= cols || rows === 1)) return { t, trans: false, ld: Math.max(cols, sr) };
  if (sr === 1 && (sc >= rows || cols === 1)) return { t, trans: true, ld: Math.max(rows, sc) };
  const c = t.contiguous();
  return { t: c, trans: false, ld: cols };
}

/** Batched matrix product of tensors with >= 2 dims, batch dims broadcast. */
function bmm(a: Tensor, b: Tensor): Tensor {
  const M = a.shape[a.ndim - 2]!;
  const K = a.shape[a.ndim - 1]!;
  const K2 = b.shape[b.ndim - 2]!;
  const N = b.shape[b.ndim - 1]!;
  if (K !== K2) {
    throw new Error(`matmul: shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} are not aligned (${K} != ${K2})`);
  }
  const dt = promoteTypes(a.dtype, b.dtype);
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  const batch = broadcastShapes('matmul', batchA, batchB);
  const be = backendOf('matmul', a, b);
  const out = Tensor.empty([...batch, M, N], dt, be.name);
  const la = matrixLayout(a);
  const lb = matrixLayout(b);
  const offsA = offsetsOf(batch, broadcastStrides(batchA, la.t.strides.slice(0, -2), batch), la.t.offset);
  const offsB = offsetsOf(batch, broadcastStrides(batchB, lb.t.strides.slice(0, -2), batch), lb.t.offset);
  const offsC = new Array<number>(offsA.length);
  for (let i = 0; i < offsC.length; i++) offsC[i] = i * M * N;
  // On 'wasm', float32 runs on the SIMD kernels (threaded when large); float64 on the JS reference.
  be.gemm({
    transA: la.trans,
    transB: lb.trans,
    M,
    N,
    K,
    A: la.t.storage,
    offsA,
    lda: la.ld,
    B: lb.t.storage,
    offsB,
    ldb: lb.ld,
    C: out.storage,
    offsC,
    ldc: N,
  });
  return record('matmul', [a, b], out, (g, acc) => [
    a.requiresGrad ? (acc?.[0] && productInto(g, transpose(b), acc[0]) ? acc[0] : gradFor(g, transpose(b), a)) : null,
    b.requiresGrad ? (acc?.[1] && productInto(transpose(a), g, acc[1]) ? acc[1] : gradFor(transpose(a), g, b)) : null,
  ]);
}

/**
 * The gradient x y of `input`, laid out as the input: when the input is a transposed 2-D view
 * (nn.Linear's W^T) it is computed as (y^T x^T)^T, so the gradient reaching W through the
 * transpose is dense and the engine need not copy a strided view into W.grad (as PyTorch's mm
 * backward matches the layout of its operand).
 */
function gradFor(x: Tensor, y: Tensor, input: Tensor): Tensor {
  if (input.ndim === 2 && x.ndim === 2 && y.ndim === 2 && input.strides[0] === 1 && input.strides[1] !== 1 && input.shape[0]! > 1) {
    return transpose(matmul(transpose(y), transpose(x)));
  }
  return gradOf(matmul(x, y), input);
}

/** reduceGradTo; a product of matrices that needed no reduction is a fresh tensor (see markFresh). */
function gradOf(p: Tensor, input: Tensor): Tensor {
  const r = reduceGradTo(p, input);
  return r === p && p.ndim === 2 && input.ndim === 2 ? markFresh(r) : r;
}

/**
 * dst += x y for 2-D x, y and a dense dst of the product's shape and dtype (a gradient sum the
 * engine offered, see BackwardFn): one GEMM in accumulate mode, no temporary. False when the
 * operands do not fit that case (batched products are reduced over broadcast dims first).
 */
function productInto(x: Tensor, y: Tensor, dst: Tensor): boolean {
  if (x.ndim !== 2 || y.ndim !== 2 || dst.ndim !== 2 || x.dtype !== dst.dtype || y.dtype !== dst.dtype) return false;
  const [M, K] = x.shape as [number, number];
  const N = y.shape[1]!;
  if (dst.shape[0] !== M || dst.shape[1] !== N || !dst.isContiguous()) return false;
  const lx = matrixLayout(x);
  const ly = matrixLayout(y);
  backendOf('matmul', x, y, dst).gemm({
    transA: lx.trans,
    transB: ly.trans,
    M,
    N,
    K,
    A: lx.t.storage,
    offsA: [lx.t.offset],
    lda: lx.ld,
    B: ly.t.storage,
    offsB: [ly.t.offset],
    ldb: ly.ld,
    C: dst.storage,
    offsC: [dst.offset],
    ldc: N,
    accumulate: true,
  });
  return true;
}

/**
 * Matrix product with PyTorch's rules: 1-D x 1-D is a dot product, a 1-D operand is treated as a
 * row (left) or column (right) vector and that dim is removed, and batch dims broadcast.
 * out[..., i, j] = sum_k a[..., i, k] b[..., k, j]
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.ndim === 0 || b.ndim === 0) {
    throw new Error(`matmul: both arguments need at least 1 dim, got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  }
  if (!isFloat(a.dtype) || !isFloat(b.dtype)) {
    throw new Error(`matmul: expected floating point tensors, got ${a.dtype} and ${b.dtype}`);
  }
  if (a.dtype !== b.dtype) {
    const dt = promoteTypes(a.dtype, b.dtype);
    return matmul(cast(a, dt), cast(b, dt));
  }
  if (a.ndim > 2 && b.ndim === 2) {
    // [..., M, K] x [K, N] (a Linear layer on a batch of sequences): fold the batch dims into the
    // rows, as PyTorch does. One GEMM forward, and in backward b's gradient is one GEMM too,
    // instead of a batch of [K, N] products summed afterwards (measured 5x slower in the
    // Transformer training step, with a [batch, K, N] temporary).
    const K = a.shape[a.ndim - 1]!;
    if (K !== b.shape[0]) {
      throw new Error(`matmul: shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} are not aligned (${K} != ${b.shape[0]})`);
    }
    const out = bmm(reshape(a, [-1, K]), b);
    return reshape(out, [...a.shape.slice(0, -1), b.shape[1]!]);
  }
  const a2 = a.ndim === 1 ? reshape(a, [1, a.shape[0]!]) : a;
  const b2 = b.ndim === 1 ? reshape(b, [b.shape[0]!, 1]) : b;
  let out = bmm(a2, b2);
  if (a.ndim === 1 || b.ndim === 1) {
    const s = [...out.shape];
    if (b.ndim === 1) s.splice(s.length - 1, 1);
    if (a.ndim === 1) s.splice(s.length - (b.ndim === 1 ? 1 : 2), 1);
    out = reshape(out, s);
  }
  return out;
}
defineOp('matmul', 'differentiable');

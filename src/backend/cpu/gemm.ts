/**
 * Reference GEMM: C = A·B for row-major matrices (the dispatcher in ../gemm.ts adds accumulation), with either operand
 * optionally transposed (read through its leading dimension). Accumulates in float64: this is the
 * oracle that fast kernels are tested against, not the fast path.
 */
export interface GemmArgs {
  transA: boolean;
  transB: boolean;
  M: number;
  N: number;
  K: number;
  A: ArrayLike<number>;
  offA: number;
  lda: number;
  B: ArrayLike<number>;
  offB: number;
  ldb: number;
  C: { [i: number]: number };
  offC: number;
  ldc: number;
}

export function gemmRef(g: GemmArgs): void {
  const { transA, transB, M, N, K, A, offA, lda, B, offB, ldb, C, offC, ldc } = g;
  const row = new Float64Array(N);
  for (let i = 0; i < M; i++) {
    row.fill(0);
    if (!transB) {
      for (let k = 0; k < K; k++) {
        const aik = transA ? A[offA + k * lda + i]! : A[offA + i * lda + k]!;
        if (aik === 0) continue;
        const bRow = offB + k * ldb;
        for (let j = 0; j < N; j++) row[j] = row[j]! + aik * B[bRow + j]!;
      }
    } else {
      for (let j = 0; j < N; j++) {
        const bRow = offB + j * ldb;
        let acc = 0;
        if (transA) for (let k = 0; k < K; k++) acc += A[offA + k * lda + i]! * B[bRow + k]!;
        else {
          const aRow = offA + i * lda;
          for (let k = 0; k < K; k++) acc += A[aRow + k]! * B[bRow + k]!;
        }
        row[j] = acc;
      }
    }
    const c = offC + i * ldc;
    for (let j = 0; j < N; j++) C[c + j] = row[j]!;
  }
}

/** A batch of products with shared sizes and layouts (the dispatcher's GemmBatchArgs). */
export interface GemmBatchRefArgs extends Omit<GemmArgs, 'offA' | 'offB' | 'offC'> {
  offsA: ArrayLike<number>;
  offsB: ArrayLike<number>;
  offsC: ArrayLike<number>;
  accumulate?: boolean;
}

/**
 * The batched product on the reference kernel: item i reads A at offsA[i], B at offsB[i] and
 * writes (or with `accumulate` adds to) C at offsC[i].
 */
export function gemmBatchedRef(g: GemmBatchRefArgs): void {
  const { M, N, ldc } = g;
  for (let i = 0; i < g.offsC.length; i++) {
    const args: GemmArgs = {
      transA: g.transA,
      transB: g.transB,
      M,
      N,
      K: g.K,
      A: g.A,
      offA: g.offsA[i]!,
      lda: g.lda,
      B: g.B,
      offB: g.offsB[i]!,
      ldb: g.ldb,
      C: g.C,
      offC: g.offsC[i]!,
      ldc,
    };
    if (!g.accumulate) {
      gemmRef(args);
      continue;
    }
    const tmp = new Float64Array(M * N);
    gemmRef({ ...args, C: tmp, offC: 0, ldc: N });
    for (let r = 0; r < M; r++) for (let c = 0, o = g.offsC[i]! + r * ldc; c < N; c++) g.C[o + c] = g.C[o + c]! + tmp[r * N + c]!;
  }
}

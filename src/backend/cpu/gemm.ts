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

/*
 * sori's native kernels (WebAssembly SIMD128):
 *   - the recurrent cells (simple.h, lstm.h, gru.h, mgu.h): the gate arithmetic of a step, forward
 *     and hand-written backward, exactly what the TypeScript steps in src/rnn/bptt/ compute (read
 *     those for the derivations; tests check both against the autodiff reference);
 *     src/rnn/bptt/native-loop.ts runs the loop over time, in JavaScript or on slices of the batch
 *     (loop.h);
 *   - the matrix products around them (gemm.h), transposes and column sums;
 *   - softmax cross-entropy with its gradient (cross-entropy.h), for src/seq2seq/loss.ts;
 *   - Adam's update of a weight (adam.h), for src/nn/adam.ts.
 *
 * Every array is row-major [B, ·] in the module's memory; gate blocks are laid out as in PyTorch
 * (LSTM i, f, g, o; GRU r, z, n; MGU f, n), so a row of a [B, G·H] array is G blocks of H.
 * "out" arrays are consecutive [B, H] blocks, listed per function.
 *
 * Build: npm run build:native (src/native/build.sh).
 */
#include "simd.h"
#include "gemm.h"

#include "export.h"
#include "simple.h"
#include "lstm.h"
#include "gru.h"
#include "mgu.h"
#include "cross-entropy.h"
#include "decoder.h"
#include "adam.h"
#include "loop.h"

/* Floats of a packed K × N matrix (gemm.h). */
EXPORT(packed_size)
int sori_packed_size(int K, int N) { return packed_size(K, N); }

/* Bp = B [K, N] packed in panels of 8 or 16 columns (gemm.h). */
EXPORT(pack)
void sori_pack(int K, int N, const float *B, float *Bp) { pack_b(K, N, B, N, Bp); }

/* C [M, N] = A [M, K] · B [K, N] (+ bias [N], when not 0) (+ C, when accumulate ≠ 0), B packed. */
EXPORT(gemm_packed)
void sori_gemm_packed(int M, int N, int K, const float *A, const float *Bp, const float *bias, float *C, int accumulate) {
  gemm_packed(M, N, K, A, K, Bp, bias, C, N, accumulate);
}

/*
 * The same on a block of a larger product (threads.ts splits products so): A with row stride lda,
 * C with row stride ldc; a block of columns j0 … j0+N−1 (j0 a multiple of 8) is Bp + j0·K,
 * bias + j0, C + j0.
 */
EXPORT(gemm_packed_strided)
void sori_gemm_packed_strided(int M, int N, int K, const float *A, int lda, const float *Bp, const float *bias, float *C,
                              int ldc, int accumulate) {
  gemm_packed(M, N, K, A, lda, Bp, bias, C, ldc, accumulate);
}

/* Bp = columns of B [K, ·] (row stride ldb) packed: a block of columns j0 … (j0 a multiple of the panel) is B + j0, Bp + j0·K. */
EXPORT(pack_strided)
void sori_pack_strided(int K, int N, const float *B, int ldb, float *Bp) { pack_b(K, N, B, ldb, Bp); }

/* The same with B as it is; `scratch` holds packed_size(K, N) floats. */
EXPORT(gemm)
void sori_gemm(int M, int N, int K, const float *A, const float *B, const float *bias, float *C, int accumulate,
               float *scratch) {
  pack_b(K, N, B, N, scratch);
  gemm_packed(M, N, K, A, K, scratch, bias, C, N, accumulate);
}

/*
 * out [N, M] = Aᵀ for A [M, N] with row stride lda: 4 × 4 blocks transposed in registers, the edges
 * one by one. Columns j0 … j0+N−1 of a wider A are rows j0 … of its transpose: A + j0, out + j0·M.
 * With `sums` (not 0), also sums [N] = Σ_m A[m, ·], each column added in the order m = 0, 1, … as
 * column_sums does (a bias gradient from the same pass over A as the weight gradient's transpose).
 */
static void transpose(int M, int N, const float *A, int lda, float *out, float *sums) {
  enum { COLS = 16 }; /* columns of A per pass: the 16 rows of `out` they fill are written in step */
  int M4 = M & ~3, N4 = N & ~3;
  if (sums)
    for (int j = 0; j < N; j++) sums[j] = 0.0f;
  for (int j0 = 0; j0 < N4; j0 += COLS) {
    int j1 = j0 + COLS < N4 ? j0 + COLS : N4;
    for (int i = 0; i < M4; i += 4) {
      for (int j = j0; j < j1; j += 4) {
        f32x4 r0 = wasm_v128_load(A + i * lda + j), r1 = wasm_v128_load(A + (i + 1) * lda + j);
        f32x4 r2 = wasm_v128_load(A + (i + 2) * lda + j), r3 = wasm_v128_load(A + (i + 3) * lda + j);
        f32x4 t0 = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7);
        f32x4 t2 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5), t3 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);
        wasm_v128_store(out + j * M + i, wasm_i64x2_shuffle(t0, t2, 0, 2));
        wasm_v128_store(out + (j + 1) * M + i, wasm_i64x2_shuffle(t0, t2, 1, 3));
        wasm_v128_store(out + (j + 2) * M + i, wasm_i64x2_shuffle(t1, t3, 0, 2));
        wasm_v128_store(out + (j + 3) * M + i, wasm_i64x2_shuffle(t1, t3, 1, 3));
        if (sums) wasm_v128_store(sums + j, add(add(add(add(wasm_v128_load(sums + j), r0), r1), r2), r3));
      }
    }
  }
  for (int i = 0; i < M4; i++)
    for (int j = N4; j < N; j++) {
      out[j * M + i] = A[i * lda + j];
      if (sums) sums[j] += A[i * lda + j];
    }
  for (int i = M4; i < M; i++)
    for (int j = 0; j < N; j++) {
      out[j * M + i] = A[i * lda + j];
      if (sums) sums[j] += A[i * lda + j];
    }
}

/* out [N, M] = Aᵀ for A [M, N]. */
EXPORT(transpose)
void sori_transpose(int M, int N, const float *A, float *out) { transpose(M, N, A, N, out, 0); }

/* out [N, M] = Aᵀ and sums [N] = Σ_m A[m, ·] for A [M, N] (column_sums' sums, bit for bit). */
EXPORT(transpose_sums)
void sori_transpose_sums(int M, int N, const float *A, float *out, float *sums) { transpose(M, N, A, N, out, sums); }

/* Either on columns of a wider A (row stride lda; sums 0: none): threads.ts splits large transposes so. */
EXPORT(transpose_strided)
void sori_transpose_strided(int M, int N, const float *A, int lda, float *out, float *sums) {
  transpose(M, N, A, lda, out, sums);
}

/*
 * out [N] = Σ_m A[m, ·] (+ out, when accumulate ≠ 0) for A [M, N]: a bias gradient. Row by row,
 * four rows per pass over `out` (which stays in cache), each column summed in the order m = 0, 1, …
 */
static void column_sums(int M, int N, const float *A, int lda, float *out, int accumulate) {
  if (!accumulate)
    for (int j = 0; j < N; j++) out[j] = 0.0f;
  int m = 0;
  for (; m + 4 <= M; m += 4) {
    const float *a = A + m * lda;
    FOR_LANES(j, N, whole) {
      f32x4 s = add(load(out + j, whole), load(a + j, whole));
      s = add(s, load(a + lda + j, whole));
      s = add(s, load(a + 2 * lda + j, whole));
      store(out + j, add(s, load(a + 3 * lda + j, whole)), whole);
    }
  }
  for (; m < M; m++)
    FOR_LANES(j, N, whole) store(out + j, add(load(out + j, whole), load(A + m * lda + j, whole)), whole);
}

EXPORT(column_sums)
void sori_column_sums(int M, int N, const float *A, float *out, int accumulate) { column_sums(M, N, A, N, out, accumulate); }

/* The same on columns j0 … j0+N−1 of A [M, ·] with row stride lda: A + j0, out + j0 (threads.ts splits so). */
EXPORT(column_sums_strided)
void sori_column_sums_strided(int M, int N, const float *A, int lda, float *out, int accumulate) {
  column_sums(M, N, A, lda, out, accumulate);
}

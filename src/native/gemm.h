/*
 * C = A · B (+ bias) (+ C):  A [M, K], B [K, N], C [M, N], bias [N]; row-major with row strides.
 *
 * B is first packed into panels of 8 columns (pack_b): panel p holds B[k, 8p … 8p+7] for
 * k = 0 … K−1 one after the other, the last panel padded with zeros. The product then reads B
 * contiguously whatever N is (a row stride of 512 floats, 2 KB, would put every row of a column
 * strip in the same few cache sets), and a weight matrix used at every step is packed once.
 *
 * C is computed in tiles of R ≤ 4 rows × 8 columns held in registers (eight f32x4 accumulators):
 * for each k, R values of A are broadcast and the panel's two vectors of row k loaded,
 * c_rj += a_rk · b_kj. Every entry is the same sum in the same order, whatever the tiling.
 */
#ifndef SORI_GEMM_H
#define SORI_GEMM_H
#include "simd.h"

/* Floats pack_b writes for K × N. */
static inline int packed_size(int K, int N) { return ((N + 7) / 8) * 8 * K; }

static void pack_b(int K, int N, const float *B, int ldb, float *Bp) {
  for (int j0 = 0; j0 < N; j0 += 8) {
    int cols = N - j0 < 8 ? N - j0 : 8;
    for (int k = 0; k < K; k++) {
      for (int c = 0; c < 8; c++) Bp[c] = c < cols ? B[k * ldb + j0 + c] : 0.0f;
      Bp += 8;
    }
  }
}

/* One tile: rows [0, R) of A and C, one panel (8 columns, of which `cols` are real). */
static inline __attribute__((always_inline)) void gemm_tile(int R, int cols, int K, const float *A, int lda,
                                                             const float *Bp, const float *bias, float *C, int ldc,
                                                             int accumulate) {
  f32x4 acc[4][2];
  float edge[8];
  for (int r = 0; r < R; r++) {
    for (int v = 0; v < 2; v++) acc[r][v] = splat(0.0f);
    if (bias) {
      for (int c = 0; c < 8; c++) edge[c] = c < cols ? bias[c] : 0.0f;
      acc[r][0] = wasm_v128_load(edge);
      acc[r][1] = wasm_v128_load(edge + 4);
    }
    if (accumulate) {
      for (int c = 0; c < 8; c++) edge[c] = c < cols ? C[r * ldc + c] : 0.0f;
      acc[r][0] = add(acc[r][0], wasm_v128_load(edge));
      acc[r][1] = add(acc[r][1], wasm_v128_load(edge + 4));
    }
  }
  for (int k = 0; k < K; k++) {
    f32x4 b0 = wasm_v128_load(Bp + 8 * k), b1 = wasm_v128_load(Bp + 8 * k + 4);
    for (int r = 0; r < R; r++) {
      f32x4 a = wasm_v128_load32_splat(A + r * lda + k);
      acc[r][0] = madd(a, b0, acc[r][0]);
      acc[r][1] = madd(a, b1, acc[r][1]);
    }
  }
  for (int r = 0; r < R; r++) {
    if (cols == 8) {
      wasm_v128_store(C + r * ldc, acc[r][0]);
      wasm_v128_store(C + r * ldc + 4, acc[r][1]);
    } else {
      wasm_v128_store(edge, acc[r][0]);
      wasm_v128_store(edge + 4, acc[r][1]);
      for (int c = 0; c < cols; c++) C[r * ldc + c] = edge[c];
    }
  }
}

/* C = A · B (+ bias) (+ C) with B given packed (pack_b). */
static void gemm_packed(int M, int N, int K, const float *A, int lda, const float *Bp, const float *bias, float *C,
                        int ldc, int accumulate) {
  enum { ROWS = 64 }; /* rows of A per block: they stay in cache while every panel passes over them */
  if (M > ROWS) {
    for (int i0 = 0; i0 < M; i0 += ROWS)
      gemm_packed(M - i0 < ROWS ? M - i0 : ROWS, N, K, A + i0 * lda, lda, Bp, bias, C + i0 * ldc, ldc, accumulate);
    return;
  }
  for (int j0 = 0; j0 < N; j0 += 8) {
    int cols = N - j0 < 8 ? N - j0 : 8;
    const float *panel = Bp + j0 * K;
    const float *b = bias ? bias + j0 : 0;
    int i = 0;
    if (cols == 8) {
      for (; i + 4 <= M; i += 4) gemm_tile(4, 8, K, A + i * lda, lda, panel, b, C + i * ldc + j0, ldc, accumulate);
      for (; i < M; i++) gemm_tile(1, 8, K, A + i * lda, lda, panel, b, C + i * ldc + j0, ldc, accumulate);
    } else {
      for (; i + 4 <= M; i += 4) gemm_tile(4, cols, K, A + i * lda, lda, panel, b, C + i * ldc + j0, ldc, accumulate);
      for (; i < M; i++) gemm_tile(1, cols, K, A + i * lda, lda, panel, b, C + i * ldc + j0, ldc, accumulate);
    }
  }
}

#endif

/*
 * C = A · B (+ bias) (+ C):  A [M, K], B [K, N], C [M, N], bias [N]; row-major with row strides.
 *
 * B is first packed into panels of PANEL columns (pack_b): panel p holds B[k, PANEL·p …] for
 * k = 0 … K−1 one after the other, the last panel padded with zeros. The product then reads B
 * contiguously whatever N is (a row stride of 512 floats, 2 KB, would put every row of a column
 * strip in the same few cache sets), and a weight matrix used at every step is packed once.
 *
 * C is computed in tiles of R ≤ TILE_ROWS rows × PANEL columns held in registers (eight f32x4
 * accumulators): for each k, R values of A are broadcast and the panel's vectors of row k loaded,
 * c_rj += a_rk · b_kj. Every entry is the same sum in the same order, whatever the tiling.
 *
 * Tiles: 4 × 8 with a multiply and an add, 2 × 16 with relaxed_madd (SORI_FMA): the fastest
 * shapes with at most eight accumulators for each (V8 spills with more: 4 × 12, 6 × 8 and 5 × 8
 * ran at ~0.55× on Node 20). With fused multiply-adds the four broadcasts per k of a 4 × 8 tile
 * cost more than the two of a 2 × 16 one (1.03–1.08× the plain 4 × 8 tile, against 0.95×).
 */
#ifndef SORI_GEMM_H
#define SORI_GEMM_H
#include "simd.h"

#ifdef SORI_FMA
enum { TILE_ROWS = 2, PANEL_VECTORS = 4 };
#else
enum { TILE_ROWS = 4, PANEL_VECTORS = 2 };
#endif
enum { PANEL = 4 * PANEL_VECTORS };

/* Floats pack_b writes for K × N. */
static inline int packed_size(int K, int N) { return ((N + PANEL - 1) / PANEL) * PANEL * K; }

static void pack_b(int K, int N, const float *B, int ldb, float *Bp) {
  for (int j0 = 0; j0 < N; j0 += PANEL) {
    int cols = N - j0 < PANEL ? N - j0 : PANEL;
    if (cols == PANEL) {
      for (int k = 0; k < K; k++, Bp += PANEL)
        for (int v = 0; v < PANEL_VECTORS; v++) wasm_v128_store(Bp + 4 * v, wasm_v128_load(B + k * ldb + j0 + 4 * v));
    } else {
      for (int k = 0; k < K; k++, Bp += PANEL)
        for (int c = 0; c < PANEL; c++) Bp[c] = c < cols ? B[k * ldb + j0 + c] : 0.0f;
    }
  }
}

/* One tile: rows [0, R) of A and C, one panel (PANEL columns, of which `cols` are real). */
static inline __attribute__((always_inline)) void gemm_tile(int R, int cols, int K, const float *A, int lda,
                                                             const float *Bp, const float *bias, float *C, int ldc,
                                                             int accumulate) {
  f32x4 acc[TILE_ROWS][PANEL_VECTORS];
  float edge[PANEL];
  for (int r = 0; r < R; r++) {
    for (int v = 0; v < PANEL_VECTORS; v++) acc[r][v] = splat(0.0f);
    if (bias) {
      for (int c = 0; c < PANEL; c++) edge[c] = c < cols ? bias[c] : 0.0f;
      for (int v = 0; v < PANEL_VECTORS; v++) acc[r][v] = wasm_v128_load(edge + 4 * v);
    }
    if (accumulate) {
      for (int c = 0; c < PANEL; c++) edge[c] = c < cols ? C[r * ldc + c] : 0.0f;
      for (int v = 0; v < PANEL_VECTORS; v++) acc[r][v] = add(acc[r][v], wasm_v128_load(edge + 4 * v));
    }
  }
  for (int k = 0; k < K; k++) {
    f32x4 b[PANEL_VECTORS];
    for (int v = 0; v < PANEL_VECTORS; v++) b[v] = wasm_v128_load(Bp + PANEL * k + 4 * v);
    for (int r = 0; r < R; r++) {
      f32x4 a = wasm_v128_load32_splat(A + r * lda + k);
      for (int v = 0; v < PANEL_VECTORS; v++) acc[r][v] = madd(a, b[v], acc[r][v]);
    }
  }
  for (int r = 0; r < R; r++) {
    if (cols == PANEL) {
      for (int v = 0; v < PANEL_VECTORS; v++) wasm_v128_store(C + r * ldc + 4 * v, acc[r][v]);
    } else {
      for (int v = 0; v < PANEL_VECTORS; v++) wasm_v128_store(edge + 4 * v, acc[r][v]);
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
  for (int j0 = 0; j0 < N; j0 += PANEL) {
    int cols = N - j0 < PANEL ? N - j0 : PANEL;
    const float *panel = Bp + j0 * K;
    const float *b = bias ? bias + j0 : 0;
    int i = 0;
    if (cols == PANEL) {
      for (; i + TILE_ROWS <= M; i += TILE_ROWS)
        gemm_tile(TILE_ROWS, PANEL, K, A + i * lda, lda, panel, b, C + i * ldc + j0, ldc, accumulate);
      for (; i < M; i++) gemm_tile(1, PANEL, K, A + i * lda, lda, panel, b, C + i * ldc + j0, ldc, accumulate);
    } else {
      for (; i + TILE_ROWS <= M; i += TILE_ROWS)
        gemm_tile(TILE_ROWS, cols, K, A + i * lda, lda, panel, b, C + i * ldc + j0, ldc, accumulate);
      for (; i < M; i++) gemm_tile(1, cols, K, A + i * lda, lda, panel, b, C + i * ldc + j0, ldc, accumulate);
    }
  }
}

#endif

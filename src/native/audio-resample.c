/*
 * Polyphase FIR resampling in WebAssembly SIMD: the inner products of a windowed-sinc
 * resampler, four taps per f32x4 lane group.
 *
 * The readable reference is src/audio/sinc-resample.ts, which owns the formulas: it builds the
 * tap table (sinc, window, cutoff) in float64 and calls this for the sums. With the rates
 * reduced by their gcd to orig : new, output m = j·new + i (frame j, phase i) lies at input time
 * m·orig/new, and
 *
 *   y[j·new + i] = Σ_{q < K} x[j·orig + first[i] + q] · h[i·K + q]
 *
 * with K a multiple of 4 (the table is zero-padded), x already offset so every index is ≥ 0.
 */
#include <wasm_simd128.h>
#include "export.h"

/** Σ_q a[q]·b[q] for K a multiple of 4; a unaligned, b 16-byte aligned. */
static float dot(const float *a, const float *b, int K) {
  v128_t s0 = wasm_f32x4_splat(0.0f), s1 = s0;
  int q = 0;
  for (; q + 8 <= K; q += 8) {
    s0 = wasm_f32x4_add(s0, wasm_f32x4_mul(wasm_v128_load(a + q), wasm_v128_load(b + q)));
    s1 = wasm_f32x4_add(s1, wasm_f32x4_mul(wasm_v128_load(a + q + 4), wasm_v128_load(b + q + 4)));
  }
  if (q < K) s0 = wasm_f32x4_add(s0, wasm_f32x4_mul(wasm_v128_load(a + q), wasm_v128_load(b + q)));
  s0 = wasm_f32x4_add(s0, s1);
  return wasm_f32x4_extract_lane(s0, 0) + wasm_f32x4_extract_lane(s0, 1) +
         wasm_f32x4_extract_lane(s0, 2) + wasm_f32x4_extract_lane(s0, 3);
}

/**
 * y [count] = outputs j·new + i for j = 0, 1, … (the last frame may stop early), i < new.
 * x: input from the chunk's first needed sample; first [new] offsets into it; h [new, K] taps.
 */
EXPORT(resample_polyphase)
void resample_polyphase(const float *x, int count, int orig, int new_rate, int K, const int *first,
                        const float *h, float *y) {
  for (int m = 0, j = 0; m < count; j++) {
    const float *xj = x + j * orig;
    for (int i = 0; i < new_rate && m < count; i++, m++) y[m] = dot(xj + first[i], h + i * K, K);
  }
}

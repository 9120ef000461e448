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

static float hsum(v128_t s) {
  return wasm_f32x4_extract_lane(s, 0) + wasm_f32x4_extract_lane(s, 1) + wasm_f32x4_extract_lane(s, 2) +
         wasm_f32x4_extract_lane(s, 3);
}

#define MAC(acc, x, h) acc = wasm_f32x4_add(acc, wasm_f32x4_mul(wasm_v128_load(x), h))

/**
 * y [count] = outputs j·new + i for j = 0, 1, … (the last frame may stop early), i < new.
 * x: input from the chunk's first needed sample; first [new] offsets into it; h [new, K] taps.
 * Phase by phase, four frames at a time, so each load of the phase's taps serves four outputs.
 */
EXPORT(resample_polyphase)
void resample_polyphase(const float *x, int count, int orig, int new_rate, int K, const int *first,
                        const float *h, float *y) {
  for (int i = 0; i < new_rate && i < count; i++) {
    const float *hi = h + i * K, *xi = x + first[i];
    int frames = count / new_rate + (i < count % new_rate); /* frames j with j·new + i < count */
    int j = 0;
    for (; j + 4 <= frames; j += 4) {
      const float *x0 = xi + j * orig, *x1 = x0 + orig, *x2 = x1 + orig, *x3 = x2 + orig;
      v128_t s0 = wasm_f32x4_splat(0.0f), s1 = s0, s2 = s0, s3 = s0;
      for (int q = 0; q < K; q += 4) {
        v128_t hq = wasm_v128_load(hi + q);
        MAC(s0, x0 + q, hq);
        MAC(s1, x1 + q, hq);
        MAC(s2, x2 + q, hq);
        MAC(s3, x3 + q, hq);
      }
      y[j * new_rate + i] = hsum(s0);
      y[(j + 1) * new_rate + i] = hsum(s1);
      y[(j + 2) * new_rate + i] = hsum(s2);
      y[(j + 3) * new_rate + i] = hsum(s3);
    }
    for (; j < frames; j++) {
      const float *x0 = xi + j * orig;
      v128_t s0 = wasm_f32x4_splat(0.0f);
      for (int q = 0; q < K; q += 4) MAC(s0, x0 + q, wasm_v128_load(hi + q));
      y[j * new_rate + i] = hsum(s0);
    }
  }
}

/** The first i < n with x[i] not finite (x − x is NaN exactly there), or −1. */
EXPORT(first_nonfinite)
int first_nonfinite(const float *x, int n) {
  int i = 0;
  for (; i + 16 <= n; i += 16) {
    v128_t a = wasm_v128_load(x + i), b = wasm_v128_load(x + i + 4);
    v128_t c = wasm_v128_load(x + i + 8), d = wasm_v128_load(x + i + 12);
    v128_t z = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_sub(a, a), wasm_f32x4_sub(b, b)),
                              wasm_f32x4_add(wasm_f32x4_sub(c, c), wasm_f32x4_sub(d, d)));
    if (!wasm_i32x4_all_true(wasm_f32x4_eq(z, z))) break;
  }
  for (; i < n; i++) if (x[i] - x[i] != 0.0f) return i;
  return -1;
}

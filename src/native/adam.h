/* Adam's update of one weight, and the sum of squares of a gradient (included by kernels.c; src/nn/adam.ts, src/backend/sum-of-squares.ts). */
#ifndef SORI_ADAM_H
#define SORI_ADAM_H
#include "simd.h"
#include "export.h"

/*
 * For the n entries of a weight w with gradient g and moments m, v, in float32 and in the order
 * tf.train.adam's ops compute them (so the results are the same floats):
 *   m ← m β₁ + g (1 − β₁),   v ← v β₂ + g² (1 − β₂)
 *   w ← (m / d₁) / (√(v / d₂) + ε) · (−η) + w        d₁ = 1 − β₁ᵗ, d₂ = 1 − β₂ᵗ
 * c₁ = 1 − β₁ and c₂ = 1 − β₂ are passed as the float32 values tfjs's scalars hold.
 */
EXPORT(adam_update)
void adam_update(int n, float *w, float *m, float *v, const float *g, float b1, float c1, float b2, float c2, float d1,
                 float d2, float eps, float minus_lr) {
  FOR_LANES(j, n, whole) {
    f32x4 gj = load(g + j, whole);
    f32x4 mj = add(mul(load(m + j, whole), splat(b1)), mul(gj, splat(c1)));
    f32x4 vj = add(mul(load(v + j, whole), splat(b2)), mul(mul(gj, gj), splat(c2)));
    store(m + j, mj, whole);
    store(v + j, vj, whole);
    f32x4 step = div(div(mj, splat(d1)), add(wasm_f32x4_sqrt(div(vj, splat(d2))), splat(eps)));
    store(w + j, add(mul(step, splat(minus_lr)), load(w + j, whole)), whole);
  }
}

/* Σ x_i² over n floats, the squares and sums in float64 (a global gradient norm's sum). */
EXPORT(sum_squares)
double sum_squares(int n, const float *x) {
  v128_t s0 = wasm_f64x2_splat(0.0), s1 = wasm_f64x2_splat(0.0);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    f32x4 v = wasm_v128_load(x + i);
    v128_t lo = wasm_f64x2_promote_low_f32x4(v), hi = wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(v, v, 2, 3, 0, 1));
    s0 = wasm_f64x2_add(s0, wasm_f64x2_mul(lo, lo));
    s1 = wasm_f64x2_add(s1, wasm_f64x2_mul(hi, hi));
  }
  v128_t s = wasm_f64x2_add(s0, s1);
  double total = wasm_f64x2_extract_lane(s, 0) + wasm_f64x2_extract_lane(s, 1);
  for (; i < n; i++) total += (double)x[i] * x[i];
  return total;
}

#endif

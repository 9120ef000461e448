/* Adam's update of one weight (included by kernels.c; src/nn/adam.ts). */
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

#endif

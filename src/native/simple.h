/* SimpleRNN: forward step and hand-written backward step (included by kernels.c). */
#ifndef SORI_SIMPLE_H
#define SORI_SIMPLE_H
#include "simd.h"
#include "export.h"

/* SimpleRNN
 * forward:  h_t = φ(p_t + a_t),  a_t = U h_{t−1} + b_hh [B, H]        out: h_t (read by backward), h_t (the state)
 * backward: ∂L/∂a_t = ∂L/∂h_t ⊙ φ'  (tanh: 1 − h², relu: [h > 0])    da [B, H]
 */
EXPORT(simple_forward)
void simple_forward(int B, int H, int relu, const float *P, const float *A, float *out) {
  int n = B * H;
  FOR_LANES(k, n, whole) {
    f32x4 a = add(load(P + k, whole), load(A + k, whole));
    f32x4 h = relu ? wasm_f32x4_pmax(a, splat(0.0f)) : tanh4(a);
    store(out + k, h, whole);
    store(out + n + k, h, whole);
  }
}

EXPORT(simple_backward)
void simple_backward(int B, int H, int relu, const float *h, const float *dh, float *da) {
  int n = B * H;
  FOR_LANES(k, n, whole) {
    f32x4 hk = load(h + k, whole), d = load(dh + k, whole);
    f32x4 slope = relu ? wasm_v128_and(wasm_f32x4_gt(hk, splat(0.0f)), splat(1.0f)) : sub(splat(1.0f), mul(hk, hk));
    store(da + k, mul(d, slope), whole);
  }
}

#endif

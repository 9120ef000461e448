/* LSTM: forward step and hand-written backward step (included by kernels.c). */
#ifndef SORI_LSTM_H
#define SORI_LSTM_H
#include "simd.h"
#include "export.h"

/* LSTM
 * forward:  [i, f, g, o] = [σ, σ, tanh, σ](p_t + a_t),  a_t = U h_{t−1} + b_hh  [B, 4H]
 *           C_t = f ⊙ C_{t−1} + i ⊙ g,   h_t = o ⊙ tanh(C_t)
 *           out: i, f, g, o, C_{t−1}, tanh(C_t), C_t, h_t  (the first six are what backward reads)
 * backward: δC = ∂L/∂C_t + ∂L/∂h_t ⊙ o ⊙ (1 − tanh²C_t)
 *           ∂L/∂a = [δC ⊙ g ⊙ i(1−i), δC ⊙ C_{t−1} ⊙ f(1−f), δC ⊙ i ⊙ (1−g²), ∂L/∂h_t ⊙ tanhC_t ⊙ o(1−o)]
 *           ∂L/∂C_{t−1} = δC ⊙ f        (∂L/∂h_{t−1} = ∂L/∂a · U, by gemm)
 */
EXPORT(lstm_forward)
void lstm_forward(int B, int H, const float *P, const float *A, const float *cPrev, float *out) {
  int n = B * H;
  float *inputGate = out, *forgetGate = out + n, *candidate = out + 2 * n, *outputGate = out + 3 * n;
  float *cSaved = out + 4 * n, *tanhC = out + 5 * n, *c = out + 6 * n, *h = out + 7 * n;
  for (int b = 0; b < B; b++) {
    const float *p = P + 4 * b * H, *a = A + 4 * b * H;
    FOR_LANES(j, H, whole) {
      int k = b * H + j;
      f32x4 i = sigmoid4(add(load(p + j, whole), load(a + j, whole)));
      f32x4 f = sigmoid4(add(load(p + H + j, whole), load(a + H + j, whole)));
      f32x4 g = tanh4(add(load(p + 2 * H + j, whole), load(a + 2 * H + j, whole)));
      f32x4 o = sigmoid4(add(load(p + 3 * H + j, whole), load(a + 3 * H + j, whole)));
      f32x4 cp = load(cPrev + k, whole);
      f32x4 ct = madd(f, cp, mul(i, g));
      f32x4 tc = tanh4(ct);
      store(inputGate + k, i, whole);
      store(forgetGate + k, f, whole);
      store(candidate + k, g, whole);
      store(outputGate + k, o, whole);
      store(cSaved + k, cp, whole);
      store(tanhC + k, tc, whole);
      store(c + k, ct, whole);
      store(h + k, mul(o, tc), whole);
    }
  }
}

EXPORT(lstm_backward)
void lstm_backward(int B, int H, const float *saved, const float *dh, const float *dc, float *dA, float *dcPrev) {
  int n = B * H;
  const float *inputGate = saved, *forgetGate = saved + n, *candidate = saved + 2 * n, *outputGate = saved + 3 * n;
  const float *cPrev = saved + 4 * n, *tanhC = saved + 5 * n;
  f32x4 one = splat(1.0f);
  for (int b = 0; b < B; b++) {
    float *da = dA + 4 * b * H;
    FOR_LANES(j, H, whole) {
      int k = b * H + j;
      f32x4 i = load(inputGate + k, whole), f = load(forgetGate + k, whole), g = load(candidate + k, whole);
      f32x4 o = load(outputGate + k, whole), tc = load(tanhC + k, whole), d = load(dh + k, whole);
      f32x4 deltaC = add(load(dc + k, whole), mul(mul(d, o), sub(one, mul(tc, tc))));
      store(da + j, mul(mul(deltaC, g), mul(i, sub(one, i))), whole);
      store(da + H + j, mul(mul(deltaC, load(cPrev + k, whole)), mul(f, sub(one, f))), whole);
      store(da + 2 * H + j, mul(mul(deltaC, i), sub(one, mul(g, g))), whole);
      store(da + 3 * H + j, mul(mul(d, tc), mul(o, sub(one, o))), whole);
      store(dcPrev + k, mul(deltaC, f), whole);
    }
  }
}

#endif

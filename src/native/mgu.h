/* MGU: forward step and hand-written backward step (included by kernels.c). */
#ifndef SORI_MGU_H
#define SORI_MGU_H
#include "simd.h"
#include "export.h"

/* MGU (gate blocks f, n)
 * forward:  a_t = U_f h_{t−1} + b_f [B, H],   f = σ(p_f + a_t)
 *           (gates)      out: f, ·, f ⊙ h_{t−1}, h_{t−1}
 *           then u_n = (f ⊙ h_{t−1}) U_nᵀ + b_n by gemm, and
 *           (candidate)  n = tanh(p_n + u_n),  h_t = (1 − f) ⊙ h_{t−1} + f ⊙ n       out: block 1 = n, block 4 = h_t
 *           out: f, n, f ⊙ h_{t−1}, h_{t−1}, h_t  (the first four are what backward reads)
 * backward: (back_candidate)  δa_n = ∂L/∂h_t ⊙ f ⊙ (1 − n²)                         dG [B, H]
 *           then δ(f⊙h) = δa_n U_n by gemm, and
 *           (back_gates)  δf = ∂L/∂h_t ⊙ (n − h_{t−1}) + δ(f⊙h) ⊙ h_{t−1},  δa_f = δf ⊙ f(1−f)
 *                         ∂L/∂p = [δa_f, δa_n],  ∂L/∂a = δa_f
 *                         ∂L/∂h_{t−1} = ∂L/∂h_t ⊙ (1 − f) + δ(f⊙h) ⊙ f   (+ δa_f U_f, by gemm)
 */
EXPORT(mgu_gates)
void mgu_gates(int B, int H, const float *P, const float *A, const float *hPrev, float *out) {
  int n = B * H;
  float *forgetGate = out, *forgetH = out + 2 * n, *hSaved = out + 3 * n;
  for (int b = 0; b < B; b++) {
    const float *p = P + 2 * b * H, *a = A + b * H;
    FOR_LANES(j, H, whole) {
      int k = b * H + j;
      f32x4 f = sigmoid4(add(load(p + j, whole), load(a + j, whole)));
      f32x4 hp = load(hPrev + k, whole);
      store(forgetGate + k, f, whole);
      store(forgetH + k, mul(f, hp), whole);
      store(hSaved + k, hp, whole);
    }
  }
}

EXPORT(mgu_candidate)
void mgu_candidate(int B, int H, const float *P, const float *un, float *out) {
  int n = B * H;
  const float *forgetGate = out, *hPrev = out + 3 * n;
  float *candidate = out + n, *h = out + 4 * n;
  for (int b = 0; b < B; b++) {
    const float *p = P + 2 * b * H + H;
    FOR_LANES(j, H, whole) {
      int k = b * H + j;
      f32x4 nn = tanh4(add(load(p + j, whole), load(un + k, whole)));
      f32x4 f = load(forgetGate + k, whole), hp = load(hPrev + k, whole);
      store(candidate + k, nn, whole);
      store(h + k, madd(f, sub(nn, hp), hp), whole); /* (1 − f) h_{t−1} + f n */
    }
  }
}

EXPORT(mgu_back_candidate)
void mgu_back_candidate(int B, int H, const float *saved, const float *dh, float *dG) {
  int n = B * H;
  const float *forgetGate = saved, *candidate = saved + n;
  f32x4 one = splat(1.0f);
  FOR_LANES(k, n, whole) {
    f32x4 f = load(forgetGate + k, whole), nn = load(candidate + k, whole);
    store(dG + k, mul(mul(load(dh + k, whole), f), sub(one, mul(nn, nn))), whole);
  }
}

EXPORT(mgu_back_gates)
void mgu_back_gates(int B, int H, const float *saved, const float *dh, const float *dG, const float *dForgetH, float *dP,
                    float *dA, float *dhPrev) {
  int n = B * H;
  const float *forgetGate = saved, *candidate = saved + n, *hPrev = saved + 3 * n;
  f32x4 one = splat(1.0f);
  for (int b = 0; b < B; b++) {
    float *dp = dP + 2 * b * H, *da = dA + b * H;
    FOR_LANES(j, H, whole) {
      int k = b * H + j;
      f32x4 f = load(forgetGate + k, whole), nn = load(candidate + k, whole), hp = load(hPrev + k, whole);
      f32x4 d = load(dh + k, whole), dfh = load(dForgetH + k, whole);
      f32x4 df = madd(d, sub(nn, hp), mul(dfh, hp));
      f32x4 daf = mul(df, mul(f, sub(one, f)));
      store(dp + j, daf, whole);
      store(dp + H + j, load(dG + k, whole), whole);
      store(da + j, daf, whole);
      store(dhPrev + k, madd(d, sub(one, f), mul(dfh, f)), whole);
    }
  }
}

#endif

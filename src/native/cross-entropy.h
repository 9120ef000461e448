/* Softmax cross-entropy with label smoothing, and its gradient (included by kernels.c). */
#ifndef SORI_CROSS_ENTROPY_H
#define SORI_CROSS_ENTROPY_H
#include "simd.h"
#include "export.h"

/*
 * log x for x > 0 (no libm here): x = m · 2^e with m in [√½, √2), log m = 2 atanh(t) for
 * t = (m − 1)/(m + 1), |t| ≤ 0.172, by its series to t¹¹ (error < 1e-10), in double.
 */
static double log_positive(double x) {
  int e = 0;
  while (x >= 1.4142135623730951) { x *= 0.5; e++; }
  while (x < 0.7071067811865476) { x *= 2.0; e--; }
  double t = (x - 1.0) / (x + 1.0), t2 = t * t;
  double series = t * (1.0 + t2 * (1.0 / 3 + t2 * (1.0 / 5 + t2 * (1.0 / 7 + t2 * (1.0 / 9 + t2 / 11)))));
  return e * 0.6931471805599453 + 2.0 * series;
}

/*
 * For each row n of logits z [N, V], target y_n and weight w_n (the mask over the number of real
 * steps), with q_v = (1 − ε)[v = y_n] + ε / V (PyTorch's label smoothing):
 *
 *   log Z_n  = max_v z_v + log Σ_v exp(z_v − max_v z_v)
 *   ℓ_n      = −Σ_v q_v (z_v − log Z_n) = log Z_n − (1 − ε) z_{y_n} − (ε / V) Σ_v z_v
 *   loss[n]  = w_n ℓ_n
 *   grad[n, v] = ∂(Σ_n loss[n]) / ∂z_{n,v} = w_n (softmax(z_n)_v − q_v)       (when grad ≠ 0)
 *
 * Rows with w_n = 0 get loss 0 and gradient 0.
 */
EXPORT(softmax_cross_entropy)
void softmax_cross_entropy(int N, int V, const float *z, const int *targets, const float *weights, float eps,
                           float *loss, float *grad) {
  for (int n = 0; n < N; n++) {
    const float *row = z + n * V;
    float w = weights[n];
    if (w == 0.0f) {
      loss[n] = 0.0f;
      if (grad)
        for (int v = 0; v < V; v++) grad[n * V + v] = 0.0f;
      continue;
    }
    float max = row[0];
    for (int v = 1; v < V; v++) max = row[v] > max ? row[v] : max;
    f32x4 sumExp = splat(0.0f), sumZ = splat(0.0f);
    float *g = grad ? grad + n * V : 0;
    FOR_LANES(v, V, whole) {
      f32x4 zv = load(row + v, whole);
      f32x4 e = exp4(sub(zv, splat(max)));
      if (!whole) { /* a splat: count lane 0 only */
        e = wasm_f32x4_replace_lane(splat(0.0f), 0, wasm_f32x4_extract_lane(e, 0));
        zv = wasm_f32x4_replace_lane(splat(0.0f), 0, wasm_f32x4_extract_lane(zv, 0));
      }
      sumExp = add(sumExp, e);
      sumZ = add(sumZ, zv);
      if (g) store(g + v, e, whole); /* exp(z_v − max), normalised below */
    }
    float s = wasm_f32x4_extract_lane(sumExp, 0) + wasm_f32x4_extract_lane(sumExp, 1) +
              wasm_f32x4_extract_lane(sumExp, 2) + wasm_f32x4_extract_lane(sumExp, 3);
    float zSum = wasm_f32x4_extract_lane(sumZ, 0) + wasm_f32x4_extract_lane(sumZ, 1) +
                 wasm_f32x4_extract_lane(sumZ, 2) + wasm_f32x4_extract_lane(sumZ, 3);
    float logZ = max + (float)log_positive(s);
    int y = targets[n];
    loss[n] = w * (logZ - (1.0f - eps) * row[y] - (eps / V) * zSum);
    if (g) {
      f32x4 scale = splat(w / s), smooth = splat(w * eps / V);
      FOR_LANES(v, V, whole) store(g + v, sub(mul(load(g + v, whole), scale), smooth), whole);
      g[y] -= w * (1.0f - eps);
    }
  }
}

#endif

/*
 * The pieces of a seq2seq decoder step that are not products (included by kernels.c); the
 * products are gemm_packed. src/seq2seq/native-step.ts runs a step of src/seq2seq/model.ts with
 * them, on arrays that stay in the module's memory for a whole decode:
 *
 *   gather_rows        x_n = table[ids_n]                   embedding rows; beams following rows
 *   scatter_add_rows   out[ids_n] += d_n                    an embedding's gradient (nn/embedding.ts)
 *   luong_attend       e_t = q · k_t (t < T_m),  α = softmax_t(e),  c = Σ_t α_t v_t
 *                      (padded steps t ≥ T_m get α_t = 0, as exp(−1e9 − max) = 0 in the reference)
 *   luong_attend_backward   its gradient (training, src/seq2seq/native-attention.ts)
 *   tanh_inplace       x = tanh(x)
 *   tanh_backward      δa = δh ⊙ (1 − h²) for h = tanh(a)    (training, src/seq2seq/native-output-loss.ts)
 *   log_softmax_rows   z_v − max − log Σ_v exp(z_v − max), per row
 *   top_k_rows         the m largest entries of each row (beam search's candidates)
 */
#ifndef SORI_DECODER_H
#define SORI_DECODER_H
#include "simd.h"
#include "export.h"
#include "cross-entropy.h" /* log_positive */

static inline float lane_sum(f32x4 v) {
  return wasm_f32x4_extract_lane(v, 0) + wasm_f32x4_extract_lane(v, 1) + wasm_f32x4_extract_lane(v, 2) +
         wasm_f32x4_extract_lane(v, 3);
}

/* out [N, E] = rows ids[n] of table [·, E]. */
EXPORT(gather_rows)
void gather_rows(int N, int E, const float *table, const int *ids, float *out) {
  for (int n = 0; n < N; n++) {
    const float *row = table + ids[n] * E;
    FOR_LANES(j, E, whole) store(out + n * E + j, load(row + j, whole), whole);
  }
}

/* out [·, E] (already zeroed or accumulating) += d_n at row ids[n], n = 0 … N−1 in order. */
EXPORT(scatter_add_rows)
void scatter_add_rows(int N, int E, const float *d, const int *ids, float *out) {
  for (int n = 0; n < N; n++) {
    float *row = out + ids[n] * E;
    FOR_LANES(j, E, whole) store(row + j, add(load(row + j, whole), load(d + n * E + j, whole)), whole);
  }
}

/* Dot product of two rows of H floats (sixteen partial sums in four vectors, then added). */
static float dot(int H, const float *a, const float *b) {
  f32x4 s0 = splat(0.0f), s1 = splat(0.0f), s2 = splat(0.0f), s3 = splat(0.0f);
  int j = 0;
  for (; j + 16 <= H; j += 16) {
    s0 = add(s0, mul(wasm_v128_load(a + j), wasm_v128_load(b + j)));
    s1 = add(s1, mul(wasm_v128_load(a + j + 4), wasm_v128_load(b + j + 4)));
    s2 = add(s2, mul(wasm_v128_load(a + j + 8), wasm_v128_load(b + j + 8)));
    s3 = add(s3, mul(wasm_v128_load(a + j + 12), wasm_v128_load(b + j + 12)));
  }
  for (; j + 4 <= H; j += 4) s0 = add(s0, mul(wasm_v128_load(a + j), wasm_v128_load(b + j)));
  float total = lane_sum(add(add(s0, s1), add(s2, s3)));
  for (; j < H; j++) total += a[j] * b[j];
  return total;
}

/* c [H] = Σ_{t < T} w_t · rows[t] (rows of H floats, stride H), four vectors of c at a time. */
static void weighted_rows(int T, int H, const float *w, const float *rows, float *c) {
  int j = 0;
  for (; j + 16 <= H; j += 16) {
    f32x4 c0 = splat(0.0f), c1 = splat(0.0f), c2 = splat(0.0f), c3 = splat(0.0f);
    for (int t = 0; t < T; t++) {
      const float *r = rows + t * H + j;
      f32x4 wt = splat(w[t]);
      c0 = add(c0, mul(wt, wasm_v128_load(r)));
      c1 = add(c1, mul(wt, wasm_v128_load(r + 4)));
      c2 = add(c2, mul(wt, wasm_v128_load(r + 8)));
      c3 = add(c3, mul(wt, wasm_v128_load(r + 12)));
    }
    wasm_v128_store(c + j, c0);
    wasm_v128_store(c + j + 4, c1);
    wasm_v128_store(c + j + 8, c2);
    wasm_v128_store(c + j + 12, c3);
  }
  for (; j < H; j++) {
    float s = 0.0f;
    for (int t = 0; t < T; t++) s += w[t] * rows[t * H + j];
    c[j] = s;
  }
}

/*
 * Luong attention of N queries q [N, Hk] (row stride ldq) over the memory row source[n] of each:
 * keys [M, T, Hk], values [M, T, Hv], T_m = lengths[m] real steps → alpha [N, T], context [N, Hv].
 */
EXPORT(luong_attend)
void luong_attend(int N, int T, int Hk, int Hv, const float *query, int ldq, const int *source, const int *lengths,
                  const float *keys, const float *values, float *alpha, float *context) {
  for (int n = 0; n < N; n++) {
    int m = source[n], Tm = lengths[m];
    const float *q = query + n * ldq, *k = keys + m * T * Hk, *v = values + m * T * Hv;
    float *a = alpha + n * T, *c = context + n * Hv;
    float max = -3.4e38f;
    for (int t = 0; t < Tm; t++) {
      a[t] = dot(Hk, q, k + t * Hk);
      max = a[t] > max ? a[t] : max;
    }
    float sum = 0.0f;
    FOR_LANES(t, Tm, whole) {
      f32x4 e = exp4(sub(load(a + t, whole), splat(max)));
      store(a + t, e, whole);
      sum += whole ? lane_sum(e) : wasm_f32x4_extract_lane(e, 0);
    }
    for (int t = 0; t < Tm; t++) a[t] /= sum;
    for (int t = Tm; t < T; t++) a[t] = 0.0f;
    weighted_rows(Tm, Hv, a, v, c);
  }
}

/*
 * The gradient of luong_attend for queries in blocks of U per memory row (query n = b·U + u reads
 * row b; B·U queries): with the forward's α, and ∂L/∂c [B·U, Hv], ∂L/∂α [B·U, T] (0: none),
 *   δα_t = ∂L/∂α_t + ∂L/∂c · v_t,   δe_t = α_t (δα_t − Σ_t' α_t' δα_t')
 *   ∂L/∂q = Σ_t δe_t k_t,   ∂L/∂k_t = Σ_u δe_{u,t} q_u,   ∂L/∂v_t = Σ_u α_{u,t} ∂L/∂c_u
 * over real steps t < T_b (padded ones get 0). dq [B·U, Hk], dk [B, T, Hk] and dv [B, T, Hv] are
 * overwritten; `scratch` holds 3·U·T floats: δe [U, T], then δeᵀ and αᵀ [T, U], so that each
 * ∂L/∂k_t and ∂L/∂v_t is one weighted sum of U rows held in registers (weighted_rows).
 */
EXPORT(luong_attend_backward)
void luong_attend_backward(int B, int U, int T, int Hk, int Hv, const float *query, const int *lengths,
                           const float *keys, const float *values, const float *alpha, const float *dContext,
                           const float *dAlpha, float *dQuery, float *dKeys, float *dValues, float *scratch) {
  float *deAll = scratch, *deT = scratch + U * T, *alphaT = scratch + 2 * U * T;
  for (int b = 0; b < B; b++) {
    int Tb = lengths[b];
    const float *k = keys + b * T * Hk, *v = values + b * T * Hv;
    const float *q = query + b * U * Hk, *a = alpha + b * U * T, *dc = dContext + b * U * Hv;
    float *dk = dKeys + b * T * Hk, *dv = dValues + b * T * Hv;
    for (int u = 0; u < U; u++) {
      int n = b * U + u;
      const float *au = a + u * T, *dcu = dc + u * Hv;
      float *de = deAll + u * T, weighted = 0.0f;
      for (int t = 0; t < Tb; t++) {
        de[t] = dot(Hv, dcu, v + t * Hv) + (dAlpha ? dAlpha[n * T + t] : 0.0f); /* δα_t */
        weighted += au[t] * de[t];
      }
      for (int t = 0; t < Tb; t++) de[t] = au[t] * (de[t] - weighted); /* δe_t */
      weighted_rows(Tb, Hk, de, k, dQuery + n * Hk);
      for (int t = 0; t < Tb; t++) {
        deT[t * U + u] = de[t];
        alphaT[t * U + u] = au[t];
      }
    }
    for (int t = 0; t < Tb; t++) {
      weighted_rows(U, Hk, deT + t * U, q, dk + t * Hk);    /* Σ_u δe_{u,t} q_u */
      weighted_rows(U, Hv, alphaT + t * U, dc, dv + t * Hv); /* Σ_u α_{u,t} ∂L/∂c_u */
    }
    for (int i = Tb * Hk; i < T * Hk; i++) dk[i] = 0.0f;
    for (int i = Tb * Hv; i < T * Hv; i++) dv[i] = 0.0f;
  }
}

/* x [n] = tanh(x). */
EXPORT(tanh_inplace)
void tanh_inplace(int n, float *x) {
  FOR_LANES(j, n, whole) store(x + j, tanh4(load(x + j, whole)), whole);
}

/* dh [n] = dh ⊙ (1 − h²), the gradient through h = tanh(a) from h itself, in place. */
EXPORT(tanh_backward)
void tanh_backward(int n, const float *h, float *dh) {
  FOR_LANES(j, n, whole) {
    f32x4 hj = load(h + j, whole);
    store(dh + j, mul(load(dh + j, whole), sub(splat(1.0f), mul(hj, hj))), whole);
  }
}

/* Each row of z [N, V] → its log-softmax, in place. */
EXPORT(log_softmax_rows)
void log_softmax_rows(int N, int V, float *z) {
  for (int n = 0; n < N; n++) {
    float *row = z + n * V;
    f32x4 m4 = splat(row[0]);
    int v = 0;
    for (; v + 4 <= V; v += 4) m4 = wasm_f32x4_pmax(m4, wasm_v128_load(row + v));
    m4 = wasm_f32x4_pmax(m4, wasm_i32x4_shuffle(m4, m4, 2, 3, 0, 1));
    m4 = wasm_f32x4_pmax(m4, wasm_i32x4_shuffle(m4, m4, 1, 0, 3, 2));
    float max = wasm_f32x4_extract_lane(m4, 0);
    for (; v < V; v++) max = row[v] > max ? row[v] : max;
    f32x4 s = splat(0.0f);
    v = 0;
    for (; v + 4 <= V; v += 4) s = add(s, exp4(sub(wasm_v128_load(row + v), splat(max))));
    float sum = lane_sum(s);
    for (; v < V; v++) sum += wasm_f32x4_extract_lane(exp4(splat(row[v] - max)), 0);
    float shift = max + (float)log_positive(sum);
    FOR_LANES(j, V, whole) store(row + j, sub(load(row + j, whole), splat(shift)), whole);
  }
}

/*
 * The m largest entries of each row of x [N, V] → index [N, m] and value [N, m], best first, among
 * equal values the lower index first (the order of src/seq2seq/search.ts's topEntries, which this
 * runs for every row at once). Four entries are compared with the current m-th best at a time;
 * only groups with an entry above it go through the insertion, one entry after the other.
 */
EXPORT(top_k_rows)
void top_k_rows(int N, int V, const float *x, int m, int *index, float *value) {
  for (int n = 0; n < N; n++) {
    const float *row = x + n * V;
    int *idx = index + n * m;
    float *val = value + n * m;
    int count = 0;
    float floor = 0.0f;
    for (int v0 = 0; v0 < V; v0 += 4) {
      if (count == m && v0 + 4 <= V && wasm_i32x4_all_true(wasm_f32x4_le(wasm_v128_load(row + v0), splat(floor)))) continue;
      int v1 = v0 + 4 < V ? v0 + 4 : V;
      for (int v = v0; v < v1; v++) {
        float xv = row[v];
        if (count == m && xv <= floor) continue;
        int i = count == m ? m - 1 : count++;
        for (; i > 0 && val[i - 1] < xv; i--) {
          val[i] = val[i - 1];
          idx[i] = idx[i - 1];
        }
        val[i] = xv;
        idx[i] = v;
        if (count == m) floor = val[m - 1];
      }
    }
  }
}

#endif

/*
 * The CTC forward-backward of one sample in block-floating form, fused with the gradient.
 *
 * The readable reference is TypeScript: src/ctc/scaled-forward-backward.ts (this file is the
 * same algorithm, statement for statement, in float64) and behind it the log-space recursions
 * of src/ctc/alpha-beta.ts. With y_t(k) the softmax of the scores z_t and l′ the extended
 * labels [S]:
 *
 *   α̂_t(s) = [α̂_(t−1)(s) + α̂_(t−1)(s−1) + skip(s)·α̂_(t−1)(s−2)] · y_t(l′_s) / m_(t−1)
 *   log p(l|x) = Σ_t log m_t + log(α̂_(T−1)(S−1) + α̂_(T−1)(S−2))
 *   β̂′_(t−1)(s) = [β̂′_t(s) y_t(l′_s) + β̂′_t(s+1) y_t(l′_(s+1)) + skip(s+2)·β̂′_t(s+2) y_t(l′_(s+2))]
 *   ∂(−log p)/∂z_t(k) = y_t(k) − Σ_{s : l′_s = k} α̂_t(s) β̂′_t(s) / Σ_s α̂_t(s) β̂′_t(s)
 *
 * Values below FLUSH of their row are set to 0 and the mass they could carry is bounded; where
 * the bound exceeds 1e-12 · p(l|x), or an emission is below FLUSH, the call returns 1 and the
 * caller runs the log-space reference instead. No libc: exp and log are written out below.
 */
#include "export.h"

#define FLUSH 1e-200
#define LOG_FLUSH (-460.51701859880916)             /* log 1e-200 */
#define LOG_MAX_RELATIVE_LOSS (-27.631021115928547) /* log 1e-12 */
#define LN2 0.6931471805599453
#define LN2_HI 0.693147180369123816490
#define LN2_LO 1.90821492927058770002e-10
#define NEG_INF (-__builtin_inf())

typedef unsigned long long u64;
/** One float64 per row of the two in flight (the softmax runs two frames at a time). */
typedef double d2 __attribute__((ext_vector_type(2)));
typedef long long l2 __attribute__((ext_vector_type(2)));

static double from_bits(u64 b) {
  union { u64 b; double d; } u = { b };
  return u.d;
}

static u64 to_bits(double d) {
  union { double d; u64 b; } u = { d };
  return u.b;
}

/** e^x for x ≤ 0 to about 1 ulp: e^x = 2^n · e^r, |r| ≤ ln2/2, e^r by its Taylor series to r^13. */
static double exp_neg(double x) {
  if (x < -700.0) return 0.0; /* e^−700 ≈ 1e−304 is below FLUSH anyway */
  double n = __builtin_nearbyint(x * (1.0 / LN2));
  double r = (x - n * LN2_HI) - n * LN2_LO;
  double p = 1.0 / 6227020800.0;
  p = p * r + 1.0 / 479001600.0;
  p = p * r + 1.0 / 39916800.0;
  p = p * r + 1.0 / 3628800.0;
  p = p * r + 1.0 / 362880.0;
  p = p * r + 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  return p * from_bits((u64)((long long)n + 1023) << 52);
}

/** 2^(j/32) for j < 32, from exp_neg on first use. */
static double exp2_fraction[32];
static int exp2_fraction_ready = 0;

/**
 * exp_neg on two lanes, x = (32n + j)·ln2/32 + r, |r| ≤ ln2/64: e^x = 2^n · 2^(j/32) · e^r with
 * e^r by its Taylor series to r^5 (relative error below 3e−15). Adding 1.5·2^52 to x·32/ln2
 * rounds it to the integer 32n + j in the low bits.
 */
static d2 exp_neg2(d2 x) {
  if (!exp2_fraction_ready) {
    for (int j = 0; j < 32; j++) exp2_fraction[j] = exp_neg((j - 32) * (LN2 / 32)) * 2.0;
    exp2_fraction_ready = 1;
  }
  const d2 shift = 6755399441055744.0;
  d2 kd = x * (32.0 / LN2) + shift;
  d2 k = kd - shift;
  d2 r = (x - k * (LN2_HI / 32)) - k * (LN2_LO / 32);
  d2 p = 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  l2 bits = (l2)kd;
  d2 fraction = { exp2_fraction[bits.x & 31], exp2_fraction[bits.y & 31] };
  d2 e = p * fraction * (d2)(((bits >> 5) + 1023) << 52); /* 2^n from the low bits of kd */
  return (d2)((l2)e & (x >= -700.0));                       /* e^−700 ≈ 1e−304 is below FLUSH anyway */
}

/** log x for normal x > 0: x = 2^e · m, m ∈ [√½, √2), log m = 2 atanh s, s = (m − 1)/(m + 1). */
static double log_pos(double x) {
  u64 b = to_bits(x);
  int e = (int)((b >> 52) & 0x7ff) - 1023;
  double m = from_bits((b & 0xfffffffffffffULL) | 0x3ff0000000000000ULL);
  if (m > 1.4142135623730951) {
    m *= 0.5;
    e += 1;
  }
  double s = (m - 1.0) / (m + 1.0), s2 = s * s;
  double series = 1.0 / 21.0;
  for (int i = 19; i >= 1; i -= 2) series = series * s2 + 1.0 / i;
  return e * LN2 + 2.0 * s * series;
}

/** log(e^a + e^b), a or b may be −∞ (only the flush bounds use it). */
static double log_add_exp(double a, double b) {
  if (a == NEG_INF) return b;
  if (b == NEG_INF) return a;
  double m = a > b ? a : b, d = a > b ? b - a : a - b;
  return m + log_pos(1.0 + exp_neg(d));
}

/**
 * y [T, C] = softmax of the rows of z [T, C], y_t(k) = e^(z_t(k) − m_t) / Σ_k' e^(z_t(k') − m_t),
 * rows t and u = t + 1 side by side (an odd last row twice); 0 when some y_t(k) < FLUSH.
 */
static int softmax_rows(const float *z, int T, int C, double *y) {
  for (int t = 0; t < T; t += 2) {
    int u = t + 1 < T ? t + 1 : t;
    const float *zt = z + t * C, *zu = z + u * C;
    double *yt = y + t * C, *yu = y + u * C;
    d2 m = NEG_INF, sum = 0.0;
    for (int k = 0; k < C; k++) {
      d2 v = { zt[k], zu[k] };
      m = v > m ? v : m;
    }
    for (int k = 0; k < C; k++) {
      d2 v = { zt[k], zu[k] };
      d2 e = exp_neg2(v - m);
      yt[k] = e.x;
      yu[k] = e.y;
      sum += e;
    }
    d2 inv = 1.0 / sum;
    int representable = 1;
    for (int k = 0; k < C; k++) {
      d2 v = (d2){ yt[k], yu[k] } * inv;
      yt[k] = v.x;
      yu[k] = v.y;
      representable &= v.x >= FLUSH && v.y >= FLUSH;
    }
    if (!representable) return 0;
  }
  return 1;
}

/** α̂ [T, S] (each row's maximum 1) and log p(l|x); 0 when flushing could move p by > 1e-12. */
static int forward(const double *y, int T, int C, const int *ext, const int *skip, int S, double *ah,
                   double *log_lik) {
  for (int i = 0; i < T * S; i++) ah[i] = 0.0;
  double log_flush_mass = log_pos(S) + LOG_FLUSH, log_scale = 0.0, log_lost = NEG_INF;
  ah[0] = y[ext[0]];
  if (S > 1) ah[1] = y[ext[1]];
  double m = S > 1 && ah[1] > ah[0] ? ah[1] : ah[0];
  for (int t = 1; t < T; t++) {
    double *prev = ah + (t - 1) * S, *cur = ah + t * S;
    const double *yt = y + t * C;
    double inv = 1.0 / m;
    log_scale += log_pos(m);
    int flushed = 0;
    double advance = 0.0, skipped = 0.0;
    int s_end = S < 2 * t + 2 ? S : 2 * t + 2;
    m = 0.0;
    for (int s = 0; s < s_end; s++) {
      double stay = prev[s] * inv;
      if (stay < FLUSH) {
        flushed |= stay > 0.0;
        stay = 0.0;
      }
      prev[s] = stay;
      double v = (skip[s] ? stay + advance + skipped : stay + advance) * yt[ext[s]];
      cur[s] = v;
      if (v > m) m = v;
      skipped = advance;
      advance = stay;
    }
    if (flushed) log_lost = log_add_exp(log_lost, log_scale + log_flush_mass);
    if (m == 0.0) return 0;
  }
  double *last = ah + (T - 1) * S, inv = 1.0 / m;
  for (int s = 0; s < S; s++) last[s] *= inv;
  log_scale += log_pos(m);
  double end = last[S - 1] + (S > 1 ? last[S - 2] : 0.0);
  if (end == 0.0) return 0;
  *log_lik = log_scale + log_pos(end);
  return log_lost - *log_lik <= LOG_MAX_RELATIVE_LOSS;
}

/** grad [T, C] = scale · (y − occupancy); 0 when flushing could move the result by > 1e-12. */
static int backward_gradient(const double *y, int T, int C, const int *ext, const int *skip, int S,
                             const double *ah, double log_lik, double scale, double *beta,
                             double *before, double *occupancy, float *grad) {
  double log_flush_mass = log_pos(S) + LOG_FLUSH, log_scale = 0.0, log_lost = NEG_INF, m = 1.0;
  for (int s = 0; s < S; s++) beta[s] = before[s] = 0.0;
  for (int k = 0; k < C; k++) occupancy[k] = 0.0;
  beta[S - 1] = 1.0;
  if (S > 1) beta[S - 2] = 1.0;
  for (int t = T - 1; t >= 0; t--) {
    const double *a = ah + t * S, *yt = y + t * C;
    double inv = 1.0 / m;
    log_scale += log_pos(m);
    int flushed = 0;
    /* Z = Σ_s α̂ β̂′ is kept as its blank (even s) and label (odd s) parts: two short dependency chains. */
    double next_max = 0.0, emitted_after = 0.0, emitted_skip = 0.0, blank_occupancy = 0.0, label_total = 0.0;
    for (int s = (S < 2 * t + 2 ? S : 2 * t + 2) - 1; s >= 0; s--) {
      double b = beta[s] * inv;
      if (b < FLUSH) {
        flushed |= b > 0.0;
        b = 0.0;
      }
      double ab = a[s] * b;
      if (s & 1) {
        occupancy[ext[s]] += ab;
        label_total += ab;
      } else {
        blank_occupancy += ab; /* l′_s = ∅ at even s: kept out of the scatter */
      }
      double emitted = b * yt[ext[s]];
      double v = s + 2 < S && skip[s + 2] ? emitted + emitted_after + emitted_skip : emitted + emitted_after;
      before[s] = v;
      if (v > next_max) next_max = v;
      emitted_skip = emitted_after;
      emitted_after = emitted;
    }
    if (flushed) log_lost = log_add_exp(log_lost, log_scale + log_flush_mass);
    double Z = blank_occupancy + label_total;
    if (Z == 0.0) return 0;
    occupancy[ext[0]] += blank_occupancy;
    double inv_z = 1.0 / Z;
    float *gt = grad + t * C;
    for (int k = 0; k < C; k++) {
      gt[k] = (float)(scale * (yt[k] - occupancy[k] * inv_z));
      occupancy[k] = 0.0;
    }
    double *swap = beta;
    beta = before;
    before = swap;
    m = next_max;
    if (m == 0.0 && t > 0) return 0;
  }
  return log_lost - log_lik <= LOG_MAX_RELATIVE_LOSS;
}

/**
 * One sample: z [T, C] scores, ext / skip [S] (l′ and skipTransitions), T ≥ 1 frames with a
 * feasible alignment. Writes log p(l|x) to out[0] and, when want_grad, scale · ∂(−log p)/∂z to
 * grad [T, C]. Scratch: y [T·C], ah [T·S], beta and before [S], occupancy [C] (float64).
 * Returns 0, or 1 when the caller must use the log-space reference (accuracy not certified).
 */
EXPORT(ctc_sample)
int ctc_sample(const float *z, int T, int C, const int *ext, const int *skip, int S, int want_grad,
               double scale, float *grad, double *y, double *ah, double *beta, double *before,
               double *occupancy, double *out) {
  if (!softmax_rows(z, T, C, y)) return 1;
  if (!forward(y, T, C, ext, skip, S, ah, out)) return 1;
  if (!want_grad) return 0;
  return backward_gradient(y, T, C, ext, skip, S, ah, out[0], scale, beta, before, occupancy, grad) ? 0 : 1;
}

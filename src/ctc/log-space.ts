/**
 * Arithmetic on log probabilities, the representation the CTC dynamic program runs in:
 * a product of probabilities is a sum of logs, a sum of probabilities is a log-sum-exp,
 *
 *   log(e^a + e^b) = m + log(e^(a−m) + e^(b−m)),   m = max(a, b),
 *
 * which never overflows and keeps tiny probabilities (T = 2000 frames of 1e-3) representable.
 * log 0 = −∞ is a legal value throughout.
 */

/** log 0: the score of a state no path reaches. */
export const LOG_ZERO = -Infinity;

/** log(e^a + e^b), exact for −∞ arguments. */
export function logAddExp(a: number, b: number): number {
  if (a === LOG_ZERO) return b;
  if (b === LOG_ZERO) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/** log(e^a + e^b + e^c): the three incoming transitions of one CTC state. */
export function logSumExp3(a: number, b: number, c: number): number {
  const m = a > b ? (a > c ? a : c) : b > c ? b : c;
  if (m === LOG_ZERO) return LOG_ZERO;
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m) + Math.exp(c - m));
}

/**
 * Row-wise log-softmax of `logits` viewed as [rows, C]:
 *   log y_t(k) = z_t(k) − log Σ_k' e^(z_t(k')).
 * Computed in float64 from the (float32) scores. Result [rows, C].
 */
export function logSoftmaxRows(logits: ArrayLike<number>, rows: number, C: number): Float64Array {
  const logProbs = new Float64Array(rows * C);
  for (let r = 0; r < rows; r++) {
    const o = r * C;
    let m = -Infinity;
    for (let k = 0; k < C; k++) if (logits[o + k] > m) m = logits[o + k];
    let sum = 0;
    for (let k = 0; k < C; k++) sum += Math.exp(logits[o + k] - m);
    const logZ = m + Math.log(sum);
    for (let k = 0; k < C; k++) logProbs[o + k] = logits[o + k] - logZ;
  }
  return logProbs;
}

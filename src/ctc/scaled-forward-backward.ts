/**
 * The fast path of the CTC forward-backward: the same recursions as alpha-beta.ts, still in
 * log space, but in block-floating form. Each frame's row is stored as one shared log scale
 * plus linear values in [0, 1]:
 *
 *   α_t(s) = exp(logScaleα_t) · α̂_t(s),   max_s α̂_t(s) = 1
 *
 * so a state costs two additions and one multiplication instead of the exp/log of a
 * log-sum-exp; y_t(k) comes straight from the softmax. The backward pass
 * keeps β′_t(s) = β_t(s) / y_t(l′_s) (the suffix after frame t) the same way, and the
 * occupancy needs no scale at all, because Σ_s α_t(s) β′_t(s) = p(l|x) at every t:
 *
 *   γ_t(s) = α_t(s) β′_t(s) / p(l|x) = α̂_t(s) β̂′_t(s) / Σ_s′ α̂_t(s′) β̂′_t(s′)
 *
 * Accuracy is certified, not hoped for. Values below FLUSH = 1e-200 of their row are set to 0
 * (this also keeps the arithmetic out of slow subnormals). Since every α_t(s) and β′_t(s) is
 * a sum of path probabilities, each ≤ 1, a flushed value v at frame t can change p(l|x) by at
 * most v · exp(logScale_t); the passes add these bounds up, and where the total exceeds
 * MAX_RELATIVE_LOSS · p(l|x) the caller recomputes the sample with per-state logs
 * (alpha-beta.ts). So does a class with log y below log FLUSH.
 */
import { LOG_ZERO, logAddExp } from './log-space.ts';

const FLUSH = 1e-200;
const LOG_FLUSH = Math.log(FLUSH);
/** Largest accepted bound on the relative change of p(l|x) from flushed values. */
const LOG_MAX_RELATIVE_LOSS = Math.log(1e-12);

/** The forward variables in block-floating form, for one sample. */
export interface ScaledAlpha {
  /** α̂ [T, S], each row's maximum 1. */
  alphaHat: Float64Array;
  /** log p(l|x). */
  logLikelihood: number;
}

/**
 * Softmax of rows [firstRow, firstRow + rows) of `logits` viewed as [·, C],
 *   y_t(k) = e^(z_t(k) − m_t) / Σ_k' e^(z_t(k') − m_t),
 * written into the same rows of y [·, C], with the log normaliser
 * log Z_t = m_t + log Σ_k' e^(z_t(k') − m_t) into logNormaliser [·], so that
 * log y_t(k) = z_t(k) − log Z_t is available without a second pass of exps.
 * (Padded frames of a batch are simply never visited.)
 */
export function softmaxRows(
  logits: ArrayLike<number>,
  C: number,
  firstRow: number,
  rows: number,
  y: Float64Array,
  logNormaliser: Float64Array,
): void {
  for (let r = firstRow; r < firstRow + rows; r++) {
    const o = r * C;
    let m = -Infinity;
    for (let k = 0; k < C; k++) if (logits[o + k] > m) m = logits[o + k];
    let sum = 0;
    for (let k = 0; k < C; k++) {
      const e = Math.exp(logits[o + k] - m);
      y[o + k] = e;
      sum += e;
    }
    const inv = 1 / sum;
    for (let k = 0; k < C; k++) y[o + k] *= inv;
    logNormaliser[r] = m + Math.log(sum);
  }
}

/** True when every y_t(k) of rows [firstRow, firstRow + T) is at least FLUSH. */
export function emissionsRepresentable(y: Float64Array, firstRow: number, T: number, C: number): boolean {
  for (let i = firstRow * C; i < (firstRow + T) * C; i++) if (y[i] < FLUSH) return false;
  return true;
}

/**
 * The forward pass in block-floating form. Needs T ≥ 1, a feasible alignment
 * (T ≥ L + repeats) and emissionsRepresentable. Returns null when flushed values could move
 * p(l|x) by more than the accepted relative amount.
 * @param y y_t(k) of all samples, [rows, C]; this sample's frame t is row firstRow + t.
 */
export function forwardScaled(
  y: Float64Array,
  firstRow: number,
  T: number,
  C: number,
  extended: Int32Array,
  canSkip: Uint8Array,
): ScaledAlpha | null {
  const S = extended.length;
  const alphaHat = new Float64Array(T * S); // row t is normalised while row t + 1 is computed
  const logFlushMass = Math.log(S) + LOG_FLUSH; // log(S · FLUSH): the most one row's flushes drop
  let logScale = 0;
  let logLost = LOG_ZERO; // log of the bound on probability mass dropped so far
  alphaHat[0] = y[firstRow * C + extended[0]];
  if (S > 1) alphaHat[1] = y[firstRow * C + extended[1]];
  let m = S > 1 ? Math.max(alphaHat[0], alphaHat[1]) : alphaHat[0];
  for (let t = 1; t < T; t++) {
    const prev = (t - 1) * S;
    const cur = t * S;
    const yRow = (firstRow + t) * C;
    const inv = 1 / m; // normalises row t − 1 to max 1
    logScale += Math.log(m);
    let flushed = false;
    m = 0;
    let advance = 0; // α̂_(t−1)(s−1), normalised
    let skip = 0; // α̂_(t−1)(s−2), normalised
    const sEnd = Math.min(S, 2 * t + 2); // states beyond 2t + 1 are unreachable at t
    for (let s = 0; s < sEnd; s++) {
      let stay = alphaHat[prev + s] * inv;
      if (stay < FLUSH) {
        if (stay > 0) flushed = true;
        stay = 0;
      }
      alphaHat[prev + s] = stay;
      // α̂_t(s) = [α̂_(t−1)(s) + α̂_(t−1)(s−1) + skip(s)·α̂_(t−1)(s−2)] · y_t(l′_s)
      const v = (canSkip[s] ? stay + advance + skip : stay + advance) * y[yRow + extended[s]];
      alphaHat[cur + s] = v;
      if (v > m) m = v;
      skip = advance;
      advance = stay;
    }
    if (flushed) logLost = logAddExp(logLost, logScale + logFlushMass);
    if (m === 0) return null; // every state flushed: certainly inaccurate
  }
  const last = (T - 1) * S;
  const inv = 1 / m;
  for (let s = 0; s < S; s++) alphaHat[last + s] *= inv;
  logScale += Math.log(m);
  const end = alphaHat[last + S - 1] + (S > 1 ? alphaHat[last + S - 2] : 0);
  if (end === 0) return null;
  const logLikelihood = logScale + Math.log(end);
  if (logLost - logLikelihood > LOG_MAX_RELATIVE_LOSS) return null;
  return { alphaHat, logLikelihood };
}

/**
 * The backward pass in block-floating form, fused with the gradient: writes
 *   grad_t(k) = scale · (y_t(k) − Σ_{s : l′_s = k} γ_t(s))
 * into rows firstRow + t (C classes each) of grad for t < T. Returns false when flushed
 * values could move the result by more than the accepted relative amount; the caller then
 * overwrites those rows.
 */
export function backwardScaledGradient(
  grad: Float32Array,
  y: Float64Array,
  firstRow: number,
  T: number,
  C: number,
  extended: Int32Array,
  canSkip: Uint8Array,
  alphaHat: Float64Array,
  logLikelihood: number,
  scale: number,
): boolean {
  const S = extended.length;
  const logFlushMass = Math.log(S) + LOG_FLUSH;
  let betaPrime = new Float64Array(S); // β̂′_t, scaled by 1/m
  let betaPrimeBefore = new Float64Array(S); // β̂′_(t−1), being computed
  const occupancy = new Float64Array(C); // Σ_{s : l′_s = k} α̂_t(s) β̂′_t(s), per class k
  betaPrime[S - 1] = 1;
  if (S > 1) betaPrime[S - 2] = 1;
  let m = 1;
  let logScale = 0; // log of β′_t's row scale
  let logLost = LOG_ZERO;
  for (let t = T - 1; t >= 0; t--) {
    const a = t * S;
    const yRow = (firstRow + t) * C;
    const inv = 1 / m;
    logScale += Math.log(m);
    let flushed = false;
    let Z = 0;
    let nextMax = 0;
    let emittedAfter = 0; // β̂_t(s+1) = β̂′_t(s+1) · y_t(l′_(s+1))
    let emittedSkip = 0; // β̂_t(s+2)
    // α̂_t(s) = 0 for s > 2t + 1, so neither γ_t(s) nor β̂′_(t−1)(s ≤ 2t − 1) needs those states.
    for (let s = Math.min(S, 2 * t + 2) - 1; s >= 0; s--) {
      let b = betaPrime[s] * inv;
      if (b < FLUSH) {
        if (b > 0) flushed = true;
        b = 0;
      }
      const ab = alphaHat[a + s] * b; // ∝ γ_t(s)
      occupancy[extended[s]] += ab;
      Z += ab;
      // β̂′_(t−1)(s) = β̂_t(s) + β̂_t(s+1) + skip(s+2)·β̂_t(s+2)
      const emitted = b * y[yRow + extended[s]];
      const v = s + 2 < S && canSkip[s + 2] ? emitted + emittedAfter + emittedSkip : emitted + emittedAfter;
      betaPrimeBefore[s] = v;
      if (v > nextMax) nextMax = v;
      emittedSkip = emittedAfter;
      emittedAfter = emitted;
    }
    // A flushed β′_t(s) ≤ FLUSH·exp(logScale) meets α_t(s) ≤ 1 (a prefix probability).
    if (flushed) logLost = logAddExp(logLost, logScale + logFlushMass);
    if (Z === 0) return false;
    // grad_t(k) = scale · (y_t(k) − Σ_{s : l′_s = k} α̂_t(s) β̂′_t(s) / Z)
    const invZ = 1 / Z;
    for (let k = 0; k < C; k++) {
      grad[yRow + k] = scale * (y[yRow + k] - occupancy[k] * invZ);
      occupancy[k] = 0;
    }
    [betaPrime, betaPrimeBefore] = [betaPrimeBefore, betaPrime];
    m = nextMax;
    if (m === 0 && t > 0) return false;
  }
  return logLost - logLikelihood <= LOG_MAX_RELATIVE_LOSS;
}

/**
 * The CTC forward-backward dynamic program, in log space.
 *
 * With y_t(k) the softmax output for class k at frame t and l′ the extended labels
 * (extended-labels.ts), S = |l′| = 2L + 1:
 *
 *   forward   α_0(0) = y_0(∅),  α_0(1) = y_0(l_1),  α_0(s) = 0 for s ≥ 2
 *             α_t(s) = [α_(t−1)(s) + α_(t−1)(s−1) + skip(s)·α_(t−1)(s−2)] · y_t(l′_s)
 *   backward  β_(T−1)(S−1) = y_(T−1)(∅),  β_(T−1)(S−2) = y_(T−1)(l_L),  otherwise 0
 *             β_t(s) = [β_(t+1)(s) + β_(t+1)(s+1) + skip(s+2)·β_(t+1)(s+2)] · y_t(l′_s)
 *   likelihood p(l|x) = α_(T−1)(S−1) + α_(T−1)(S−2)
 *             and at every t:  p(l|x) = Σ_s α_t(s) β_t(s) / y_t(l′_s)
 *
 * Both α and β include the emission at t (Graves' convention). Everything below stores
 * log α, log β, log y. The recursions run on Float64Arrays — one pass over t, a tight loop
 * over s — because the program is sequential in t and a chain of small tensor ops per
 * frame would cost far more than the arithmetic.
 */
import * as tf from '@tensorflow/tfjs';
import { checkKeys } from '../check.ts';
import { readSample } from './ctc-inputs.ts';
import { extendedLabels, skipTransitions } from './extended-labels.ts';
import { LOG_ZERO, logAddExp, logSumExp3 } from './log-space.ts';

/**
 * log α [T, S] for one sample.
 * @param logProbs log y, rows of C classes; the sample's frame t is row `firstRow + t`.
 * @param T frames of this sample (its input length).
 * @param extended l′ [S].
 * @param canSkip [S] from skipTransitions.
 */
export function forwardLogAlpha(
  logProbs: Float64Array,
  firstRow: number,
  T: number,
  C: number,
  extended: Int32Array,
  canSkip: Uint8Array,
): Float64Array {
  const S = extended.length;
  const alpha = new Float64Array(T * S).fill(LOG_ZERO);
  if (T === 0) return alpha;
  const y0 = firstRow * C;
  alpha[0] = logProbs[y0 + extended[0]];
  if (S > 1) alpha[1] = logProbs[y0 + extended[1]];
  for (let t = 1; t < T; t++) {
    const prev = (t - 1) * S;
    const cur = t * S;
    const yt = (firstRow + t) * C;
    // States s > 2t + 1 are not reachable yet; they stay log 0.
    const sEnd = Math.min(S, 2 * t + 2);
    for (let s = 0; s < sEnd; s++) {
      const stay = alpha[prev + s];
      const advance = s > 0 ? alpha[prev + s - 1] : LOG_ZERO;
      const skip = canSkip[s] ? alpha[prev + s - 2] : LOG_ZERO;
      const incoming = logSumExp3(stay, advance, skip);
      alpha[cur + s] = incoming === LOG_ZERO ? LOG_ZERO : incoming + logProbs[yt + extended[s]];
    }
  }
  return alpha;
}

/** log β [T, S] for one sample; arguments as forwardLogAlpha. */
export function backwardLogBeta(
  logProbs: Float64Array,
  firstRow: number,
  T: number,
  C: number,
  extended: Int32Array,
  canSkip: Uint8Array,
): Float64Array {
  const S = extended.length;
  const beta = new Float64Array(T * S).fill(LOG_ZERO);
  if (T === 0) return beta;
  const last = (T - 1) * S;
  const yLast = (firstRow + T - 1) * C;
  beta[last + S - 1] = logProbs[yLast + extended[S - 1]];
  if (S > 1) beta[last + S - 2] = logProbs[yLast + extended[S - 2]];
  for (let t = T - 2; t >= 0; t--) {
    const next = (t + 1) * S;
    const cur = t * S;
    const yt = (firstRow + t) * C;
    // States s < S − 2(T − t) can no longer reach the end; they stay log 0.
    const sStart = Math.max(0, S - 2 * (T - t));
    for (let s = sStart; s < S; s++) {
      const stay = beta[next + s];
      const advance = s + 1 < S ? beta[next + s + 1] : LOG_ZERO;
      const skip = s + 2 < S && canSkip[s + 2] ? beta[next + s + 2] : LOG_ZERO;
      const outgoing = logSumExp3(stay, advance, skip);
      beta[cur + s] = outgoing === LOG_ZERO ? LOG_ZERO : outgoing + logProbs[yt + extended[s]];
    }
  }
  return beta;
}

/**
 * log p(l|x) = log(α_(T−1)(S−1) + α_(T−1)(S−2)); for T = 0 it is log 1 when l is empty and
 * log 0 otherwise.
 */
export function logLikelihoodFromAlpha(alpha: Float64Array, T: number, S: number): number {
  if (T === 0) return S === 1 ? 0 : LOG_ZERO;
  const last = (T - 1) * S;
  return S > 1 ? logAddExp(alpha[last + S - 1], alpha[last + S - 2]) : alpha[last];
}

/** What ctcAlphaBeta returns for one sample. */
export interface CtcAlphaBeta {
  /** log α_t(s), [T, 2L+1]. */
  logAlpha: tf.Tensor2D;
  /** log β_t(s), [T, 2L+1]. */
  logBeta: tf.Tensor2D;
  /** l′, [2L+1]. */
  extendedLabels: number[];
  /** log p(l|x); −∞ when no alignment exists. */
  logLikelihood: number;
}

/**
 * The forward and backward variables of one sample, for teaching and plots.
 *
 * @param logits [T, C] unnormalised scores; log-softmax is applied inside.
 * @param labels l [L], class indices in [0, C), none equal to the blank.
 * @param options.blank index of ∅ (default 0).
 * @returns log α and log β [T, 2L+1], l′ [2L+1], log p(l|x). The caller disposes the tensors.
 */
export function ctcAlphaBeta(
  logits: tf.Tensor2D,
  labels: readonly number[],
  options: { blank?: number } = {},
): CtcAlphaBeta {
  checkKeys(options, ['blank'], 'ctcAlphaBeta options');
  const blank = options.blank ?? 0;
  const { T, C, logProbs } = readSample(logits, labels, blank);
  const extended = extendedLabels(labels, blank);
  const canSkip = skipTransitions(extended, blank);
  const S = extended.length;
  const alpha = forwardLogAlpha(logProbs, 0, T, C, extended, canSkip);
  const beta = backwardLogBeta(logProbs, 0, T, C, extended, canSkip);
  return {
    logAlpha: tf.tensor2d(Float32Array.from(alpha), [T, S]),
    logBeta: tf.tensor2d(Float32Array.from(beta), [T, S]),
    extendedLabels: Array.from(extended),
    logLikelihood: logLikelihoodFromAlpha(alpha, T, S),
  };
}

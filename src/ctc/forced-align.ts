/**
 * Forced alignment: the single most probable frame-level path π* that collapses to l,
 * by the Viterbi recursion over the extended labels l′ (the forward recursion of
 * alpha-beta.ts with max in place of sum):
 *
 *   δ_0(0) = log y_0(∅),  δ_0(1) = log y_0(l_1)
 *   δ_t(s) = max(δ_(t−1)(s), δ_(t−1)(s−1), skip(s)·δ_(t−1)(s−2)) + log y_t(l′_s)
 *   log p(π*) = max(δ_(T−1)(S−1), δ_(T−1)(S−2))
 *
 * then following the back-pointers from the end.
 */
import * as tf from '@tensorflow/tfjs';
import { checkKeys } from '../check.ts';
import { readSample } from './ctc-inputs.ts';
import { extendedLabels, minimumFrames, skipTransitions } from './extended-labels.ts';
import { LOG_ZERO } from './log-space.ts';

/** Which frame emits what, for one sample. */
export interface CtcAlignment {
  /** π*_t, the class emitted at each frame, [T]. */
  path: number[];
  /** u such that frame t emits l_u (0-based), or −1 where it emits the blank, [T]. */
  labelIndex: number[];
  /** log p(π*|x) = Σ_t log y_t(π*_t). */
  logProbability: number;
}

/**
 * The Viterbi alignment of labels l to one sample.
 *
 * @param logits [T, C] unnormalised scores (log-softmax applied inside).
 * @param labels l [L], class indices other than the blank.
 * @param options.blank index of ∅ (default 0).
 * @returns path and labelIndex [T], log p of the best path. Throws when T is shorter than
 *   L plus the number of repeated neighbours (no alignment exists).
 */
export function ctcForcedAlign(
  logits: tf.Tensor2D,
  labels: readonly number[],
  options: { blank?: number } = {},
): CtcAlignment {
  checkKeys(options, ['blank'], 'ctcForcedAlign options');
  const blank = options.blank ?? 0;
  const { T, C, logProbs } = readSample(logits, labels, blank);
  const needed = minimumFrames(labels);
  if (T < needed) {
    throw new Error(`logits: ${T} frames cannot align ${labels.length} labels (needs at least ${needed})`);
  }
  if (T === 0) return { path: [], labelIndex: [], logProbability: 0 }; // the empty path, p = 1
  const extended = extendedLabels(labels, blank);
  const canSkip = skipTransitions(extended, blank);
  const S = extended.length;
  const delta = new Float64Array(T * S).fill(LOG_ZERO); // [T, S]
  const from = new Int32Array(T * S); // [T, S] the best predecessor state
  delta[0] = logProbs[extended[0]];
  if (S > 1) delta[1] = logProbs[extended[1]];
  for (let t = 1; t < T; t++) {
    for (let s = 0; s < S; s++) {
      let best = delta[(t - 1) * S + s];
      let arg = s;
      if (s > 0 && delta[(t - 1) * S + s - 1] > best) {
        best = delta[(t - 1) * S + s - 1];
        arg = s - 1;
      }
      if (canSkip[s] && delta[(t - 1) * S + s - 2] > best) {
        best = delta[(t - 1) * S + s - 2];
        arg = s - 2;
      }
      delta[t * S + s] = best + logProbs[t * C + extended[s]];
      from[t * S + s] = arg;
    }
  }
  let s = S > 1 && delta[(T - 1) * S + S - 2] > delta[(T - 1) * S + S - 1] ? S - 2 : S - 1;
  const logProbability = delta[(T - 1) * S + s];
  const path = new Array<number>(T);
  const labelIndex = new Array<number>(T);
  for (let t = T - 1; t >= 0; t--) {
    path[t] = extended[s];
    labelIndex[t] = s % 2 === 1 ? (s - 1) / 2 : -1;
    s = from[t * S + s];
  }
  return { path, labelIndex, logProbability };
}

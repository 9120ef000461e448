/**
 * The CTC loss and its analytic gradient.
 *
 *   loss_b = −log p(l_b | x_b),   p(l|x) = Σ_{π ∈ B⁻¹(l)} Π_t y_t(π_t)
 *
 * summed over every frame-level path π that collapses (merge repeats, drop blanks) to l,
 * computed by the forward recursion of alpha-beta.ts. Its gradient with respect to the
 * unnormalised scores z_t(k) (Graves 2006, eq. 16) is
 *
 *   ∂loss/∂z_t(k) = y_t(k) − (1 / p(l|x)) Σ_{s : l′_s = k} α_t(s) β_t(s) / y_t(k)
 *
 * softmax minus the normalised occupancy of class k at frame t. It is attached with
 * tf.customGrad, so training never differentiates through the dynamic program.
 *
 * Each sample runs the block-floating passes of scaled-forward-backward.ts (fast; in WebAssembly,
 * native-forward-backward.ts, where the module loads) and falls back to the per-state log passes
 * of alpha-beta.ts where the fast pass cannot certify its accuracy. The backward pass runs only
 * when the gradient is asked for: the WebAssembly path computes ∂loss_b/∂z together with the loss
 * while a gradient tape records (tf.grad, valueAndGrad, minimize), and otherwise repeats the
 * forward pass if a gradient is asked for after all.
 */
import * as tf from '@tensorflow/tfjs';
import { checkInt, checkKeys, checkRank } from '../check.ts';
import { backwardLogBeta, forwardLogAlpha, logLikelihoodFromAlpha } from './alpha-beta.ts';
import { readLengths, readTargets, type CtcLengths, type CtcTargets } from './ctc-inputs.ts';
import { extendedLabels, minimumFrames, skipTransitions } from './extended-labels.ts';
import { LOG_ZERO } from './log-space.ts';
import { nativeCtcAvailable, nativeForwardBackward } from './native-forward-backward.ts';
import {
  backwardScaledGradient,
  emissionsRepresentable,
  forwardScaled,
  softmaxRows,
} from './scaled-forward-backward.ts';

export type CtcReduction = 'mean' | 'sum' | 'none';

export interface CtcLossOptions {
  /** Index of the blank ∅ in the C classes (default 0, as in PyTorch). */
  blank?: number;
  /**
   * 'mean' (default): each loss divided by its target length (at least 1), then averaged over
   * the batch; 'sum': summed over the batch; 'none': the [B] per-sample losses.
   */
  reduction?: CtcReduction;
  /** Report an impossible alignment as loss 0 with gradient 0 instead of +∞ (default false). */
  zeroInfinity?: boolean;
}

const OPTION_KEYS = ['blank', 'reduction', 'zeroInfinity'] as const;
const REDUCTIONS: readonly CtcReduction[] = ['mean', 'sum', 'none'];

/**
 * Connectionist temporal classification loss.
 *
 * @param logits [B, T, C] unnormalised scores (log-softmax is applied inside).
 * @param targets [B, S] padded integer labels, or B arrays of labels; entries past
 *   targetLengths[b] are ignored.
 * @param inputLengths [B] frames per sample, each in [0, T].
 * @param targetLengths [B] labels per sample, each in [0, S].
 * @param options blank, reduction, zeroInfinity (CtcLossOptions).
 * @returns a scalar [] ('mean', 'sum') or [B] ('none'). A sample whose alignment cannot
 *   exist (T_b < L_b + repeated neighbours) has loss +∞ and gradient 0 (PyTorch gives NaN
 *   gradients there), or loss 0 and gradient 0 under zeroInfinity.
 */
export function ctcLoss(
  logits: tf.Tensor3D,
  targets: CtcTargets,
  inputLengths: CtcLengths,
  targetLengths: CtcLengths,
  options: CtcLossOptions = {},
): tf.Tensor {
  checkKeys(options, OPTION_KEYS, 'ctcLoss options');
  checkRank(logits, 3, 'logits', '[B, T, C]');
  const [B, T, C] = logits.shape;
  const blank = options.blank ?? 0;
  checkInt(blank, 0, C - 1, 'blank');
  const reduction = options.reduction ?? 'mean';
  if (!REDUCTIONS.includes(reduction)) {
    throw new Error(`reduction: expected one of ${REDUCTIONS.join(', ')}, got '${reduction}'`);
  }
  const zeroInfinity = options.zeroInfinity ?? false;
  const frames = readLengths(inputLengths, B, T, 'inputLengths');
  const labels = readTargets(targets, targetLengths, B, C, blank);

  const taping = tf.engine().state.gradientDepth > 0; // inside tf.grad, valueAndGrad, minimize
  const loss = tf.customGrad((...inputs) => {
    const z = inputs[0] as tf.Tensor; // logits [B, T, C]
    const scores = z.dataSync(); // [B·T, C]
    const eager = taping && nativeCtcAvailable() ? new Float32Array(B * T * C) : null; // ∂loss_b/∂z [B, T, C], WebAssembly
    const emissions: Emissions = { scores, y: null, logNormaliser: null, C, eager };
    const samples = labels.map((l, b) => forwardSample(emissions, b * T, frames[b], l, blank));
    // loss_b = −log p(l_b|x_b); feasible[b] is false where no alignment exists.
    const feasible = samples.map((x) => x.logLikelihood !== LOG_ZERO);
    const perSample = samples.map((x, b) => (feasible[b] || !zeroInfinity ? -x.logLikelihood : 0));
    // ∂(reduced loss)/∂loss_b before the upstream gradient.
    const weight = labels.map((l) =>
      reduction === 'mean' ? 1 / (Math.max(l.length, 1) * B) : 1,
    );
    const value: tf.Tensor =
      reduction === 'none'
        ? tf.tensor1d(perSample, 'float32')
        : tf.scalar(perSample.reduce((acc, v, b) => acc + v * weight[b], 0), 'float32');

    const gradFunc = (dy: tf.Tensor): tf.Tensor => {
      const upstream = dy.dataSync(); // [B] for 'none', [] otherwise
      const grad = new Float32Array(B * T * C); // [B, T, C]; padded frames stay 0
      samples.forEach((sample, b) => {
        if (!feasible[b]) return;
        const scale = weight[b] * (reduction === 'none' ? upstream[b] : upstream[0]);
        backwardSample(grad, emissions, b * T, frames[b], sample, scale);
      });
      return tf.tensor3d(grad, [B, T, C]);
    };
    return { value, gradFunc };
  });
  return loss(logits);
}

/** The batch's scores z, rows of C classes, and (made per sample by softmaxOf) softmax y and log normalisers. */
interface Emissions {
  scores: ArrayLike<number>;
  y: Float64Array | null; // [B·T, C]
  logNormaliser: Float64Array | null; // [B·T]
  C: number;
  /** ∂(−log p)/∂z [B·T, C] of the samples the WebAssembly pass did at once (while taping), or null. */
  eager: Float32Array | null;
}

/** Fills y and log Z of rows [firstRow, firstRow + T) for the TypeScript passes; returns y. */
function softmaxOf(emissions: Emissions, firstRow: number, T: number): Float64Array {
  const { scores, C } = emissions;
  emissions.y ??= new Float64Array(scores.length); // [B·T, C]
  emissions.logNormaliser ??= new Float64Array(scores.length / C); // [B·T]
  softmaxRows(scores, C, firstRow, T, emissions.y, emissions.logNormaliser);
  return emissions.y;
}

/** log y_t(k) = z_t(k) − log Z_t for the T rows from firstRow, [T, C] (for the fallback). */
function logProbsOf(emissions: Emissions, firstRow: number, T: number): Float64Array {
  const { scores, C } = emissions;
  const logNormaliser = emissions.logNormaliser as Float64Array;
  const logProbs = new Float64Array(T * C);
  for (let t = 0; t < T; t++) {
    for (let k = 0; k < C; k++) logProbs[t * C + k] = scores[(firstRow + t) * C + k] - logNormaliser[firstRow + t];
  }
  return logProbs;
}

/** One sample after the forward pass: block-floating (fast) or per-state logs (fallback). */
interface ForwardSample {
  extended: Int32Array;
  canSkip: Uint8Array;
  logLikelihood: number;
  /** α̂ [T_b, S] when the block-floating pass was accurate enough. */
  alphaHat: Float64Array | null;
  /** log y [T_b, C] and log α [T_b, S] otherwise (filled by the backward pass if missing). */
  logProbs: Float64Array | null;
  alpha: Float64Array | null;
  /** The WebAssembly pass computed logLikelihood (and its gradient, into emissions.eager if set). */
  native: boolean;
}

/** log p(l|x) of one sample: the fast path first, per-state logs where it is not certified. */
function forwardSample(
  emissions: Emissions,
  firstRow: number,
  T: number,
  labels: Int32Array,
  blank: number,
): ForwardSample {
  const { C } = emissions;
  const extended = extendedLabels(labels, blank);
  const canSkip = skipTransitions(extended, blank);
  const sample: ForwardSample = {
    extended, canSkip, logLikelihood: LOG_ZERO, alphaHat: null, logProbs: null, alpha: null, native: false,
  };
  if (T === 0) {
    sample.logLikelihood = labels.length === 0 ? 0 : LOG_ZERO;
    return sample;
  }
  if (T < minimumFrames(labels)) return sample;
  const native = nativeForwardBackward(emissions.scores, firstRow, T, C, extended, canSkip, emissions.eager, 1);
  if (native !== null) {
    sample.native = true;
    sample.logLikelihood = native;
    return sample;
  }
  const y = softmaxOf(emissions, firstRow, T);
  const fast = emissionsRepresentable(y, firstRow, T, C) && forwardScaled(y, firstRow, T, C, extended, canSkip);
  if (fast) {
    sample.alphaHat = fast.alphaHat;
    sample.logLikelihood = fast.logLikelihood;
  } else {
    sample.logProbs = logProbsOf(emissions, firstRow, T);
    sample.alpha = forwardLogAlpha(sample.logProbs, 0, T, C, extended, canSkip);
    sample.logLikelihood = logLikelihoodFromAlpha(sample.alpha, T, extended.length);
  }
  return sample;
}

/** Writes scale · ∂(−log p)/∂z for one feasible sample into rows firstRow + t of grad. */
function backwardSample(
  grad: Float32Array,
  emissions: Emissions,
  firstRow: number,
  T: number,
  sample: ForwardSample,
  scale: number,
): void {
  const { C } = emissions;
  const { extended, canSkip, logLikelihood, alphaHat } = sample;
  if (T === 0) return;
  if (sample.native && emissions.eager) {
    for (let i = firstRow * C; i < (firstRow + T) * C; i++) grad[i] = scale * emissions.eager[i];
    return;
  }
  if (sample.native) {
    if (nativeForwardBackward(emissions.scores, firstRow, T, C, extended, canSkip, grad, scale) !== null) return;
    softmaxOf(emissions, firstRow, T); // the TypeScript passes below need y and log Z
  }
  const y = emissions.y as Float64Array;
  if (alphaHat && backwardScaledGradient(grad, y, firstRow, T, C, extended, canSkip, alphaHat, logLikelihood, scale)) {
    return;
  }
  const logProbs = sample.logProbs ?? logProbsOf(emissions, firstRow, T);
  const alpha = sample.alpha ?? forwardLogAlpha(logProbs, 0, T, C, extended, canSkip);
  const beta = backwardLogBeta(logProbs, 0, T, C, extended, canSkip);
  accumulateGradient(grad, firstRow, logProbs, T, C, extended, alpha, beta, logLikelihood, scale);
}

/**
 * Adds scale · (y_t(k) − γ_t(k)) into grad for frames t < T of one sample, with the
 * occupancy γ_t(k) = Σ_{s : l′_s = k} exp(log α_t(s) + log β_t(s) − log y_t(k) − log p).
 */
function accumulateGradient(
  grad: Float32Array,
  firstRow: number,
  logProbs: Float64Array,
  T: number,
  C: number,
  extended: Int32Array,
  alpha: Float64Array,
  beta: Float64Array,
  logLikelihood: number,
  scale: number,
): void {
  const S = extended.length;
  const row = new Float64Array(C);
  for (let t = 0; t < T; t++) {
    const yt = t * C;
    for (let k = 0; k < C; k++) row[k] = Math.exp(logProbs[yt + k]);
    for (let s = 0; s < S; s++) {
      const logAB = alpha[t * S + s] + beta[t * S + s];
      if (logAB === LOG_ZERO) continue;
      const k = extended[s];
      row[k] -= Math.exp(logAB - logProbs[yt + k] - logLikelihood);
    }
    for (let k = 0; k < C; k++) grad[(firstRow + t) * C + k] = scale * row[k];
  }
}

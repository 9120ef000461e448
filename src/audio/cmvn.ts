/**
 * Per-utterance cepstral mean and variance normalisation (Kaldi apply-cmvn --norm-vars):
 *
 *   μ_f = (1/T) Σ_t x[t, f],   σ_f² = (1/T) Σ_t x[t, f]² − μ_f²   (population variance)
 *   y[t, f] = (x[t, f] − μ_f) / σ_f        (or x − μ_f alone with { variance: false })
 *
 * A dimension that is constant over the utterance (σ_f = 0, e.g. one frame) becomes 0.
 */
import { checkKeys } from '../check.ts';
import { checkFeatures, type Features } from './features.ts';

export interface CmvnOptions {
  /** Divide by the standard deviation too (default true); false: mean normalisation only. */
  variance?: boolean;
}

/** features [T, F] → normalised [T, F] (a new array; T = 0 gives T = 0). */
export function cmvn(features: Features, options: CmvnOptions = {}): Features {
  checkKeys(options, ['variance'], 'cmvn options');
  checkFeatures(features, 'cmvn features');
  const variance = options.variance ?? true;
  const { data: x, numFrames: T, dim: F } = features;
  const y = new Float32Array(T * F);
  for (let f = 0; f < F; f++) {
    let sum = 0;
    let lo = Infinity;
    let hi = -Infinity;
    for (let t = 0; t < T; t++) {
      const v = x[t * F + f];
      sum += v;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const mu = sum / T;
    let sq = 0;
    for (let t = 0; t < T; t++) sq += (x[t * F + f] - mu) ** 2;
    const sigma = Math.sqrt(sq / T);
    const inv = !variance ? 1 : lo === hi ? 0 : 1 / sigma;
    for (let t = 0; t < T; t++) y[t * F + f] = lo === hi ? 0 : (x[t * F + f] - mu) * inv;
  }
  return { data: y, numFrames: T, dim: F };
}

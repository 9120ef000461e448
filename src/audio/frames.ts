/**
 * Kaldi's framing of a waveform (feature-window.cc), as torchaudio.compliance.kaldi does it:
 *
 *   frame t covers samples [t·S, t·S + L), L = frame length, S = frame shift (400 and 160 at 16 kHz);
 *   snip-edges: only frames that fit, T = 1 + ⌊(N − L)/S⌋ for N ≥ L, else T = 0;
 *   each frame: remove DC (x −= mean x), then (raw) log energy, then pre-emphasis
 *   x[j] −= k·x[j−1] with x[−1] := x[0] (so x[0] −= k·x[0]), then the window w, then zero-padding
 *   to the FFT length.
 */

/** Kaldi's analysis windows, w[n] for n = 0 … L−1 (symmetric: the denominator is L − 1). */
export type WindowType = 'povey' | 'hamming' | 'hanning' | 'rectangular';
export const WINDOW_TYPES: readonly WindowType[] = ['povey', 'hamming', 'hanning', 'rectangular'];

/**
 * hanning: w = ½ − ½ cos(2πn/(L−1)); povey: hanning^0.85 (zero at both ends);
 * hamming: w = 0.54 − 0.46 cos(2πn/(L−1)); rectangular: w = 1.  Result [L].
 */
export function windowFunction(type: WindowType, L: number): Float64Array {
  const w = new Float64Array(L);
  const a = (2 * Math.PI) / (L - 1);
  for (let n = 0; n < L; n++) {
    const hann = 0.5 - 0.5 * Math.cos(a * n);
    if (type === 'hanning') w[n] = hann;
    else if (type === 'povey') w[n] = Math.pow(hann, 0.85);
    else if (type === 'hamming') w[n] = 0.54 - 0.46 * Math.cos(a * n);
    else if (type === 'rectangular') w[n] = 1;
    else throw new Error(`windowFunction: type must be one of ${WINDOW_TYPES.join(', ')}, got '${type}'`);
  }
  return w;
}

/** Snip-edges frame count: T = 1 + ⌊(N − L)/S⌋ for N ≥ L, else 0. */
export function frameCount(N: number, L: number, S: number): number {
  return N < L ? 0 : 1 + Math.floor((N - L) / S);
}

/**
 * Cut the frame starting at sample `start` out of `samples` (times `scale`) into `out` (length ≥ L,
 * the rest zeroed): DC removal, pre-emphasis with coefficient k = `preemphasis`, window `w` [L].
 * In two passes: μ = mean of x[j]; then, with x̃ = x − μ,
 *   out[j] = w[j] · (x̃[j] − k·x̃[j−1]) = w[j] · (x[j] − k·x[j−1] − (1 − k)·μ),   out[0] = w[0]·(1 − k)·x̃[0].
 * Returns the raw energy Σ x̃² = Σ x² − L·μ² (after DC removal, before pre-emphasis: Kaldi's raw_energy).
 */
export function prepareFrame(
  samples: Float32Array,
  start: number,
  w: Float64Array,
  preemphasis: number,
  scale: number,
  out: Float64Array,
): number {
  const L = w.length;
  let sum = 0;
  let sumSq = 0;
  for (let j = start; j < start + L; j++) {
    const x = samples[j];
    sum += x;
    sumSq += x * x;
  }
  const mu = sum / L;
  const k = preemphasis;
  const offset = (1 - k) * mu;
  let prev = samples[start];
  out[0] = w[0] * scale * (1 - k) * (prev - mu);
  for (let j = 1; j < L; j++) {
    const x = samples[start + j];
    out[j] = w[j] * scale * (x - k * prev - offset);
    prev = x;
  }
  out.fill(0, L);
  return Math.max(scale * scale * (sumSq - L * mu * mu), 0);
}

/**
 * Kaldi's triangular mel filterbank (mel-computations.cc; torchaudio.compliance.kaldi.get_mel_banks).
 *
 *   mel(f) = 1127 · ln(1 + f/700)
 *   M + 2 points equally spaced in mel between mel(lowFreq) and mel(highFreq), Δ = (mel_hi − mel_lo)/(M + 1);
 *   filter m has left, centre, right = mel_lo + (m, m+1, m+2)·Δ and weight, for FFT bin k at f = k·rate/N,
 *   W[m, k] = max(0, min((mel(f) − left)/(centre − left), (right − mel(f))/(right − centre)))
 *   for k = 0 … N/2 − 1 (the Nyquist bin gets weight 0, as in Kaldi).
 */

/** mel(f) = 1127 ln(1 + f/700). */
export function melScale(f: number): number {
  return 1127 * Math.log(1 + f / 700);
}

/** A sparse filterbank: filter m covers bins [start[m], start[m] + weights[m].length). */
export interface MelFilterbank {
  numBins: number;
  start: Int32Array;
  weights: Float64Array[];
}

/**
 * Build M = `numBins` filters for an N-point FFT at `sampleRate`. `highFreq` ≤ 0 means Nyquist + highFreq.
 * Dense equivalent: W [M, N/2 + 1].
 */
export function melFilterbank(
  numBins: number,
  N: number,
  sampleRate: number,
  lowFreq: number,
  highFreq: number,
): MelFilterbank {
  const nyquist = sampleRate / 2;
  const high = highFreq <= 0 ? nyquist + highFreq : highFreq;
  if (!(numBins >= 3)) throw new Error(`melFilterbank: numMelBins must be ≥ 3, got ${numBins}`);
  if (!(lowFreq >= 0 && lowFreq < nyquist && high > 0 && high <= nyquist && lowFreq < high)) {
    throw new Error(
      `melFilterbank: need 0 ≤ lowFreq < highFreq ≤ Nyquist (${nyquist} Hz), got lowFreq ${lowFreq}, highFreq ${high}`,
    );
  }
  const melLow = melScale(lowFreq);
  const melHigh = melScale(high);
  const delta = (melHigh - melLow) / (numBins + 1);
  const binWidth = sampleRate / N;
  const start = new Int32Array(numBins);
  const weights: Float64Array[] = [];
  for (let m = 0; m < numBins; m++) {
    const left = melLow + m * delta;
    const centre = melLow + (m + 1) * delta;
    const right = melLow + (m + 2) * delta;
    const row: number[] = [];
    let first = -1;
    // mel(f) is increasing, so the positive weights of a triangle are one contiguous run of bins.
    for (let k = 0; k < N / 2; k++) {
      const mel = melScale(binWidth * k);
      const w = Math.max(0, Math.min((mel - left) / (centre - left), (right - mel) / (right - centre)));
      if (w > 0) {
        if (first < 0) first = k;
        row.push(w);
      }
    }
    start[m] = Math.max(first, 0);
    weights.push(Float64Array.from(row));
  }
  return { numBins, start, weights };
}

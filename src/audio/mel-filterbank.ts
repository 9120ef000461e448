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
 * The M + 2 equally spaced mel points of the filterbank: point[s] = melLow + s·Δ, s = 0 … M + 1.
 * Checks the band edges (shared by melFilterbank and melSegments).
 */
function melPoints(numBins: number, sampleRate: number, lowFreq: number, highFreq: number): { melLow: number; delta: number } {
  const nyquist = sampleRate / 2;
  const high = highFreq <= 0 ? nyquist + highFreq : highFreq;
  if (!(numBins >= 3)) throw new Error(`melFilterbank: numMelBins must be ≥ 3, got ${numBins}`);
  if (!(lowFreq >= 0 && lowFreq < nyquist && high > 0 && high <= nyquist && lowFreq < high)) {
    throw new Error(
      `melFilterbank: need 0 ≤ lowFreq < highFreq ≤ Nyquist (${nyquist} Hz), got lowFreq ${lowFreq}, highFreq ${high}`,
    );
  }
  const melLow = melScale(lowFreq);
  return { melLow, delta: (melScale(high) - melLow) / (numBins + 1) };
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
  const { melLow, delta } = melPoints(numBins, sampleRate, lowFreq, highFreq);
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

/**
 * The same filterbank seen as M + 1 segments between consecutive mel points: bin k (k < N/2) with
 * point[s] ≤ mel(f_k) < point[s + 1] lies in segment s, at fraction u[k] = (mel(f_k) − point[s])/Δ.
 * Filter m rises over segment m and falls over segment m + 1, and neighbouring triangles add up to 1:
 *   W[m, k] = u[k] for k in segment m,   W[m, k] = 1 − u[k] for k in segment m + 1,   0 elsewhere.
 * So with A[s] = Σ_{k∈s} P[k] and B[s] = Σ_{k∈s} u[k] P[k] (each bin visited once),
 *   Σ_k W[m, k] P[k] = B[m] + A[m + 1] − B[m + 1].
 * Segment s covers bins [first[s], end[s]) (mel(f) increases with k, so a segment is a run of bins).
 * Results: first, end [M + 1]; u [N/2] (0 outside every segment).
 */
export interface MelSegments {
  numBins: number;
  first: Int32Array;
  end: Int32Array;
  u: Float64Array;
}

/** Segments of the filterbank melFilterbank(numBins, N, sampleRate, lowFreq, highFreq) builds. */
export function melSegments(
  numBins: number,
  N: number,
  sampleRate: number,
  lowFreq: number,
  highFreq: number,
): MelSegments {
  const { melLow, delta } = melPoints(numBins, sampleRate, lowFreq, highFreq);
  const binWidth = sampleRate / N;
  const first = new Int32Array(numBins + 1);
  const end = new Int32Array(numBins + 1);
  const u = new Float64Array(N / 2);
  let k = 0;
  for (let s = 0; s <= numBins; s++) {
    const point = melLow + s * delta;
    const next = melLow + (s + 1) * delta;
    // Bins below the first point (e.g. 0 Hz under a 20 Hz low edge) belong to no segment.
    while (k < N / 2 && melScale(binWidth * k) < point) k++;
    first[s] = k;
    while (k < N / 2 && melScale(binWidth * k) < next) {
      u[k] = (melScale(binWidth * k) - point) / delta;
      k++;
    }
    end[s] = k;
  }
  return { numBins, first, end, u };
}

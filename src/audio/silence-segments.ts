/**
 * Cutting long recordings into bounded segments at their quietest moments, so that features,
 * CMVN and the recurrent pass of each segment stay bounded in memory, and CMVN is a statistic
 * of the nearby minute rather than of the whole hour (a 60-minute file normalised as one lost
 * the last syllable of 585 of its 1,440 utterances).
 *
 * From the start s of each segment: if at most `maxSeconds` remain, that is the last segment;
 * otherwise the cut goes at the centre of the 10 ms frame of least energy Σ x² among the frames
 * in the last `searchSeconds` before s + maxSeconds. Segments are contiguous and cover every
 * sample: [s₀ = 0, s₁), [s₁, s₂), …, [s_{k−1}, N).
 */
export interface SilenceSegmentOptions {
  /** Longest segment in seconds (default 30). */
  maxSeconds?: number;
  /** How far before the longest cut to look for silence, in seconds (default 5, at most maxSeconds). */
  searchSeconds?: number;
}

/** samples [N] at `sampleRate` Hz → segments [start, end) in samples, each at most maxSeconds long. */
export function silenceSegments(
  samples: Float32Array,
  sampleRate: number,
  { maxSeconds = 30, searchSeconds = Math.min(5, maxSeconds) }: SilenceSegmentOptions = {},
): [number, number][] {
  if (!(Number.isInteger(sampleRate) && sampleRate > 0)) throw new Error(`sampleRate: expected a positive integer, got ${sampleRate}`);
  if (!(maxSeconds > 0 && Number.isFinite(maxSeconds))) throw new Error(`maxSeconds: expected a positive number, got ${maxSeconds}`);
  if (!(searchSeconds > 0 && searchSeconds <= maxSeconds)) {
    throw new Error(`searchSeconds: expected a number in (0, maxSeconds = ${maxSeconds}], got ${searchSeconds}`);
  }
  const N = samples.length;
  const max = Math.max(1, Math.floor(maxSeconds * sampleRate));
  const frame = Math.max(1, Math.round(sampleRate / 100)); // 10 ms
  const search = Math.max(frame, Math.floor(searchSeconds * sampleRate));
  const segments: [number, number][] = [];
  let start = 0;
  while (N - start > max) {
    const limit = start + max;
    let best = limit;
    let bestEnergy = Infinity;
    for (let f = Math.max(start + 1, limit - search); f + frame <= limit; f += frame) {
      let energy = 0;
      for (let n = f; n < f + frame; n++) energy += samples[n] * samples[n];
      if (energy < bestEnergy) {
        bestEnergy = energy;
        best = f + (frame >> 1);
      }
    }
    segments.push([start, best]);
    start = best;
  }
  segments.push([start, N]);
  return segments;
}

/**
 * Training-data perturbations made by resampling (Kaldi's speed perturbation, Ko et al. 2015;
 * and telephone-band copies):
 *
 *   speed(x, α):      read x [N] at rate α·r and resample to r: tempo and pitch × α, [≈ N/α]
 *   bandLimit(x, r′): x at rate r → r′ → r: nothing above r′/2 survives,             [≈ N]
 */
import { resample, type ResampleQuality } from './resample.ts';

/** samples [N] at `sampleRate` played α times as fast: [≈ N / α]. */
export async function speedPerturb(
  samples: Float32Array,
  sampleRate: number,
  factor: number,
  { quality = 'fastest' }: { quality?: ResampleQuality } = {},
): Promise<Float32Array> {
  if (!(factor > 0.5 && factor < 2)) throw new Error(`speedPerturb: factor must be in (0.5, 2), got ${factor}`);
  return resample(samples, Math.round(sampleRate * factor), sampleRate, { quality });
}

/** samples [N] at `sampleRate` with only the band below `bandRate`/2 kept: [≈ N]. */
export async function bandLimit(
  samples: Float32Array,
  sampleRate: number,
  bandRate: number,
  { quality = 'fastest' }: { quality?: ResampleQuality } = {},
): Promise<Float32Array> {
  if (!(bandRate > 0 && bandRate < sampleRate)) {
    throw new Error(`bandLimit: bandRate must be in (0, ${sampleRate}), got ${bandRate}`);
  }
  const narrow = await resample(samples, sampleRate, bandRate, { quality });
  return resample(narrow, bandRate, sampleRate, { quality });
}

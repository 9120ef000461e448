/**
 * Training-data perturbations (Kaldi's speed perturbation, Ko et al. 2015; telephone-band
 * copies; additive noise):
 *
 *   speed(x, α):        read x [N] at rate α·r and resample to r: tempo and pitch × α, [≈ N/α]
 *   bandLimit(x, r′):   x at rate r → r′ → r: nothing above r′/2 survives,             [≈ N]
 *   addNoise(x, snr):   y = x + σ n,  n unit-power noise,  σ² = P_x / 10^(snr/10),     [N]
 *                       P_x = (1/N) Σ x[i]²
 */
import { resample, type ResampleQuality } from './resample.ts';

export type NoiseColour = 'white' | 'pink' | 'brown';
export const NOISE_COLOURS: readonly NoiseColour[] = ['white', 'pink', 'brown'];

/** samples [N] at `sampleRate` played α times as fast: [≈ N / α]. */
export async function speedPerturb(
  samples: Float32Array,
  sampleRate: number,
  factor: number,
  { quality = 'kaiser' }: { quality?: ResampleQuality } = {},
): Promise<Float32Array> {
  if (!(factor > 0.5 && factor < 2)) throw new Error(`speedPerturb: factor must be in (0.5, 2), got ${factor}`);
  return resample(samples, Math.round(sampleRate * factor), sampleRate, { quality });
}

/** samples [N] at `sampleRate` with only the band below `bandRate`/2 kept: [≈ N]. */
export async function bandLimit(
  samples: Float32Array,
  sampleRate: number,
  bandRate: number,
  { quality = 'kaiser' }: { quality?: ResampleQuality } = {},
): Promise<Float32Array> {
  if (!(bandRate > 0 && bandRate < sampleRate)) {
    throw new Error(`bandLimit: bandRate must be in (0, ${sampleRate}), got ${bandRate}`);
  }
  const narrow = await resample(samples, sampleRate, bandRate, { quality });
  return resample(narrow, bandRate, sampleRate, { quality });
}

/**
 * Coloured noise before normalisation, from a source of standard normal draws w[i]: white is w
 * itself; pink (power ∝ 1/f) is w through Paul Kellet's filter; brown (∝ 1/f²) is the leaky sum
 * b[i] = 0.995 b[i−1] + w[i]. Returns [length].
 */
export function filteredNoise(length: number, colour: NoiseColour, gaussian: () => number): Float32Array {
  if (!NOISE_COLOURS.includes(colour)) throw new Error(`colour: expected one of ${NOISE_COLOURS.join(', ')}, got '${colour}'`);
  const n = new Float32Array(length);
  let b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0, brown = 0;
  for (let i = 0; i < length; i++) {
    const w = gaussian();
    if (colour === 'white') n[i] = w;
    else if (colour === 'pink') {
      b0 = 0.99886 * b0 + w * 0.0555179;
      b1 = 0.99332 * b1 + w * 0.0750759;
      b2 = 0.969 * b2 + w * 0.153852;
      b3 = 0.8665 * b3 + w * 0.3104856;
      b4 = 0.55 * b4 + w * 0.5329522;
      b5 = -0.7616 * b5 - w * 0.016898;
      n[i] = b0 + b1 + b2 + b3 + b4 + b5 + b6 + w * 0.5362;
      b6 = w * 0.115926;
    } else {
      brown = 0.995 * brown + w;
      n[i] = brown;
    }
  }
  return n;
}

/**
 * n [N]: zero-mean noise of unit power, (1/N) Σ n[i]² = 1, of the given colour (filteredNoise)
 * over Gaussian draws made from `random` (Box–Muller).
 */
export function coloredNoise(length: number, colour: NoiseColour, random: () => number): Float32Array {
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()); // Box–Muller
  const n = filteredNoise(length, colour, gauss);
  let mean = 0;
  for (const v of n) mean += v / length;
  let power = 0;
  for (let i = 0; i < length; i++) power += ((n[i] -= mean) * n[i]) / length;
  const scale = power > 0 ? 1 / Math.sqrt(power) : 0;
  for (let i = 0; i < length; i++) n[i] *= scale;
  return n;
}

/**
 * samples [N] plus `colour` noise at `snr` dB below their mean power P_x: y = x + σ n with
 * σ² = P_x / 10^(snr/10), so that P_(y−x) / P_x = 10^(−snr/10). Returns y [N].
 */
export function addNoise(
  samples: Float32Array,
  snr: number,
  random: () => number,
  { colour = 'white' }: { colour?: NoiseColour } = {},
): Float32Array {
  if (!Number.isFinite(snr)) throw new Error(`addNoise: snr must be a finite number of dB, got ${snr}`);
  let powerX = 0;
  for (const v of samples) powerX += (v * v) / samples.length;
  const sigma = Math.sqrt(powerX / 10 ** (snr / 10));
  const n = coloredNoise(samples.length, colour, random);
  return samples.map((x, i) => x + sigma * n[i]);
}

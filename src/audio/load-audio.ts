/**
 * loadAudio: a WAV file (path or bytes) → mono samples in [-1, 1] at the requested rate.
 * decode (wav.ts: RIFF checks + wav-decoder) → average channels → resample (libsamplerate).
 */
import { readFile } from 'node:fs/promises';
import { checkKeys } from '../check.ts';
import { decodeWav, mixToMono } from './wav.ts';
import { resample, type ResampleQuality } from './resample.ts';

export interface LoadAudioOptions {
  /** Output rate in Hz (default 16000). */
  sampleRate?: number;
  /** Resampler quality when the file's rate differs (default 'medium', see resample.ts). */
  quality?: ResampleQuality;
  /** Name used in errors when `source` is bytes (default '<buffer>'). */
  name?: string;
}

/** Mono audio: samples [N] in [-1, 1] at `sampleRate` Hz; `fileSampleRate` is the rate as stored. */
export interface Audio {
  samples: Float32Array;
  sampleRate: number;
  fileSampleRate: number;
  fileChannels: number;
}

/**
 * Read a WAV file: PCM 8/16/24/32-bit or float 32/64-bit, any channel count (averaged to mono), any
 * rate (resampled, band-limited). Errors name the file and what is wrong (not RIFF/WAVE, truncated
 * data chunk, A-law/μ-law/ADPCM, zero channels). An empty data chunk gives 0 samples.
 * Integer samples are x / 2^(bits−1): 16-bit audio times 32768 gives back the stored integers.
 */
export async function loadAudio(source: string | Uint8Array, options: LoadAudioOptions = {}): Promise<Audio> {
  checkKeys(options, ['sampleRate', 'quality', 'name'], 'loadAudio options');
  const sampleRate = options.sampleRate ?? 16000;
  let name = options.name ?? '<buffer>';
  let bytes: Uint8Array;
  if (typeof source === 'string') {
    name = options.name ?? source;
    try {
      bytes = await readFile(source);
    } catch (err) {
      throw new Error(`${name}: cannot read file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  } else {
    bytes = source;
  }
  const wav = decodeWav(bytes, name);
  const mono = mixToMono(wav.channels);
  let samples: Float32Array;
  try {
    samples = await resample(mono, wav.sampleRate, sampleRate, { quality: options.quality ?? 'medium' });
  } catch (err) {
    throw new Error(`${name}: ${(err as Error).message}`);
  }
  return { samples, sampleRate, fileSampleRate: wav.sampleRate, fileChannels: wav.channels.length };
}

/**
 * loadAudio: a WAV file (path or bytes) → mono samples in [-1, 1] at the requested rate.
 * decode (wav.ts: RIFF checks + wav-decoder) → average channels → resample (libsamplerate).
 */
import { checkKeys } from '../check.ts';
import { MAX_FILE_BYTES, readRegularFile } from '../io/read-file.ts';
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

/** Sample rates loadAudio reads and resamples to, in Hz (libsamplerate-js's range, ratios ≤ 192 < its 256). */
export const MIN_SAMPLE_RATE = 1000;
export const MAX_SAMPLE_RATE = 192_000;

/**
 * Read a WAV file: PCM 8/16/24/32-bit or float 32/64-bit, any channel count (averaged to mono), a
 * rate from 1 kHz to 192 kHz (resampled, band-limited). Errors name the file and what is wrong
 * (not RIFF/WAVE, truncated data chunk, A-law/μ-law/ADPCM, zero channels, a rate out of range,
 * a NaN/Inf/huge float sample with its index). An empty data chunk gives 0 samples. Only a
 * regular file of at most 2 GiB is read (a FIFO or device is refused at once).
 * Integer samples are x / 2^(bits−1): 16-bit audio times 32768 gives back the stored integers.
 */
export async function loadAudio(source: string | Uint8Array, options: LoadAudioOptions = {}): Promise<Audio> {
  checkKeys(options, ['sampleRate', 'quality', 'name'], 'loadAudio options');
  const sampleRate = options.sampleRate ?? 16000;
  const inRange = (r: number) => Number.isInteger(r) && r >= MIN_SAMPLE_RATE && r <= MAX_SAMPLE_RATE;
  if (!inRange(sampleRate)) {
    throw new Error(`loadAudio: sampleRate must be an integer in [${MIN_SAMPLE_RATE}, ${MAX_SAMPLE_RATE}] Hz, got ${sampleRate}`);
  }
  let name = options.name ?? '<buffer>';
  let bytes: Uint8Array;
  if (typeof source === 'string') {
    name = options.name ?? source;
    try {
      bytes = readRegularFile(source, { what: 'audio file', maxBytes: MAX_FILE_BYTES });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new Error(`${name}: cannot read file (${code ?? `${(err as Error).message}; regular files up to 2 GiB are read`})`);
    }
  } else {
    bytes = source;
  }
  const wav = decodeWav(bytes, name);
  if (!inRange(wav.sampleRate)) {
    throw new Error(`${name}: sample rate ${wav.sampleRate} Hz is outside the supported [${MIN_SAMPLE_RATE}, ${MAX_SAMPLE_RATE}] Hz`);
  }
  const mono = mixToMono(wav.channels);
  let samples: Float32Array;
  try {
    samples = await resample(mono, wav.sampleRate, sampleRate, { quality: options.quality ?? 'medium' });
  } catch (err) {
    throw new Error(`${name}: ${(err as Error).message}`);
  }
  return { samples, sampleRate, fileSampleRate: wav.sampleRate, fileChannels: wav.channels.length };
}

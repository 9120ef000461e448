/**
 * decodeAudio: WAV bytes → mono samples in [-1, 1] at the requested rate, with no file system
 * (the browser entry exports it as `loadAudio`; load-audio.ts adds reading a path in Node).
 * decode (wav.ts: RIFF checks + wav-decoder) → average channels → resample (resample.ts).
 */
import { checkKeys } from '../check.ts';
import { decodeWav, mixToMono } from './wav.ts';
import { resample, type ResampleQuality } from './resample.ts';

export interface LoadAudioOptions {
  /** Output rate in Hz (default 16000). */
  sampleRate?: number;
  /** Resampler quality when the file's rate differs (default 'kaiser', see resample.ts). */
  quality?: ResampleQuality;
  /** Name used in errors (default: the file's name for a File or a path, else '<buffer>'). */
  name?: string;
}

/** Mono audio: samples [N] in [-1, 1] at `sampleRate` Hz; `fileSampleRate` is the rate as stored. */
export interface Audio {
  samples: Float32Array;
  sampleRate: number;
  fileSampleRate: number;
  fileChannels: number;
}

/** WAV bytes: a Uint8Array, an ArrayBuffer (fetch, FileReader) or a Blob/File (a drop, an <input>). */
export type AudioBytes = Uint8Array | ArrayBuffer | Blob;

/** Sample rates decodeAudio reads and resamples to, in Hz (libsamplerate-js's range, ratios ≤ 192 < its 256). */
export const MIN_SAMPLE_RATE = 1000;
export const MAX_SAMPLE_RATE = 192_000;

/**
 * Decode a WAV file's bytes: PCM 8/16/24/32-bit or float 32/64-bit, any channel count (averaged
 * to mono), a rate from 1 kHz to 192 kHz (resampled, band-limited). Errors name the source and
 * what is wrong (not RIFF/WAVE, truncated data chunk, A-law/μ-law/ADPCM, zero channels, a rate
 * out of range, a NaN/Inf/huge float sample with its index). An empty data chunk gives 0
 * samples. Integer samples are x / 2^(bits−1): 16-bit audio times 32768 gives back the integers.
 */
export async function decodeAudio(source: AudioBytes, options: LoadAudioOptions = {}): Promise<Audio> {
  checkKeys(options, ['sampleRate', 'quality', 'name'], 'loadAudio options');
  const sampleRate = options.sampleRate ?? 16000;
  const inRange = (r: number) => Number.isInteger(r) && r >= MIN_SAMPLE_RATE && r <= MAX_SAMPLE_RATE;
  if (!inRange(sampleRate)) {
    throw new Error(`loadAudio: sampleRate must be an integer in [${MIN_SAMPLE_RATE}, ${MAX_SAMPLE_RATE}] Hz, got ${sampleRate}`);
  }
  const isBlob = typeof Blob !== 'undefined' && source instanceof Blob;
  const name = options.name ?? (isBlob && 'name' in source ? String(source.name) : '<buffer>');
  const bytes =
    source instanceof Uint8Array ? source : new Uint8Array(isBlob ? await (source as Blob).arrayBuffer() : (source as ArrayBuffer));
  const wav = decodeWav(bytes, name);
  if (!inRange(wav.sampleRate)) {
    throw new Error(`${name}: sample rate ${wav.sampleRate} Hz is outside the supported [${MIN_SAMPLE_RATE}, ${MAX_SAMPLE_RATE}] Hz`);
  }
  const mono = mixToMono(wav.channels);
  let samples: Float32Array;
  try {
    samples = await resample(mono, wav.sampleRate, sampleRate, { quality: options.quality });
  } catch (err) {
    throw new Error(`${name}: ${(err as Error).message}`);
  }
  return { samples, sampleRate, fileSampleRate: wav.sampleRate, fileChannels: wav.channels.length };
}

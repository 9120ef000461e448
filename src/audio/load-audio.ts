/**
 * loadAudio (Node): a WAV file by path, or its bytes → mono samples in [-1, 1] at the requested
 * rate (decode-audio.ts does the decoding; the browser entry's loadAudio is decodeAudio itself).
 */
import { MAX_FILE_BYTES, readRegularFile } from '../io/read-file.ts';
import { decodeAudio, type Audio, type AudioBytes, type LoadAudioOptions } from './decode-audio.ts';

export type { Audio, AudioBytes, LoadAudioOptions } from './decode-audio.ts';
export { MIN_SAMPLE_RATE, MAX_SAMPLE_RATE } from './decode-audio.ts';

/**
 * Read a WAV file (a path) or decode WAV bytes: PCM 8/16/24/32-bit or float 32/64-bit, any
 * channel count (averaged to mono), a rate from 1 kHz to 192 kHz (resampled); see decodeAudio.
 * Errors name the file. Only a regular file of at most 2 GiB is read (a FIFO or a device is
 * refused at once).
 */
export async function loadAudio(source: string | AudioBytes, options: LoadAudioOptions = {}): Promise<Audio> {
  if (typeof source !== 'string') return decodeAudio(source, options);
  const name = options.name ?? source;
  let bytes: Uint8Array;
  try {
    bytes = readRegularFile(source, { what: 'audio file', maxBytes: MAX_FILE_BYTES });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(`${name}: cannot read file (${code ?? `${(err as Error).message}; regular files up to 2 GiB are read`})`);
  }
  return decodeAudio(bytes, { ...options, name });
}

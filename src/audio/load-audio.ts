/**
 * loadAudio (Node): a WAV file by path, or its bytes → mono samples in [-1, 1] at the requested
 * rate (decode-audio.ts does the decoding; the browser entry's loadAudio is decodeAudio itself).
 */
import { readFile } from 'node:fs/promises';
import { decodeAudio, type Audio, type AudioBytes, type LoadAudioOptions } from './decode-audio.ts';

export type { Audio, AudioBytes, LoadAudioOptions } from './decode-audio.ts';

/**
 * Read a WAV file (a path) or decode WAV bytes: PCM 8/16/24/32-bit or float 32/64-bit, any
 * channel count (averaged to mono), any rate (resampled); see decodeAudio. Errors name the file.
 */
export async function loadAudio(source: string | AudioBytes, options: LoadAudioOptions = {}): Promise<Audio> {
  if (typeof source !== 'string') return decodeAudio(source, options);
  const name = options.name ?? source;
  let bytes: Uint8Array;
  try {
    bytes = await readFile(source);
  } catch (err) {
    throw new Error(`${name}: cannot read file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return decodeAudio(bytes, { ...options, name });
}

/**
 * loadAnyAudio: loadAudio for WAV (PCM and float, read by sori itself), and every other format
 * through the `audio-decode` library (FLAC, MP3, Ogg Vorbis, Opus, AAC/M4A, AIFF, CAF, WebM, …,
 * and the WAV encodings sori does not read itself: μ-law, A-law, IMA and Microsoft ADPCM);
 * then channels averaged to mono and resampled as loadAudio does.
 */
import decode from 'audio-decode';
import { readRegularFile } from '../io/read-file.ts';
import { loadAudio, type Audio, type LoadAudioOptions } from './load-audio.ts';
import { resample } from './resample.ts';
import { mixToMono } from './wav.ts';

/** The formats audio-decode reads, as errors name them. */
export const DECODED_FORMATS = 'FLAC, MP3, Ogg Vorbis, Opus, AAC/M4A, AIFF, CAF, WebM, WMA, AMR, QOA; μ-law, A-law and ADPCM WAV';

function ascii(b: Uint8Array, at: number, n: number): string {
  return String.fromCharCode(...b.subarray(at, at + n));
}

/** The WAV encodings loadAudio refuses by name (decodeWav's message), which audio-decode reads. */
const DELEGATED = /cannot read (A-law|μ-law|Microsoft ADPCM|IMA ADPCM) encoding/;

/**
 * Read audio of any format sori or audio-decode knows: mono samples [N] in [-1, 1] at
 * `options.sampleRate` (default 16000). Errors name the file (`options.name` for bytes) and, for
 * an unknown format, its first bytes.
 */
export async function loadAnyAudio(source: string | Uint8Array, options: LoadAudioOptions = {}): Promise<Audio> {
  const name = options.name ?? (typeof source === 'string' ? source : '<buffer>');
  let bytes: Uint8Array;
  if (typeof source === 'string') {
    try {
      bytes = readRegularFile(source, { what: 'audio file' }); // a FIFO or /dev/zero is refused, not read forever
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new Error(`${name}: cannot read file (${code ?? `${(err as Error).message}; regular files up to 2 GiB are read`})`);
    }
  } else bytes = source;
  if (bytes.byteLength === 0) throw new Error(`${name}: empty (0 bytes)`);
  const wav = bytes.byteLength >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WAVE';
  if (wav) {
    try {
      return await loadAudio(bytes, { ...options, name });
    } catch (err) {
      if (!DELEGATED.test((err as Error).message)) throw err;
    }
  }
  let decoded: { channelData: Float32Array[]; sampleRate: number };
  try {
    decoded = await decode(bytes);
  } catch (err) {
    throw new Error(
      `${name}: cannot decode (${(err as Error).message}; starts with ${JSON.stringify(ascii(bytes, 0, 4))}): ` +
        `sori reads WAV (PCM, float) and, through audio-decode, ${DECODED_FORMATS}`,
    );
  }
  if (decoded.channelData.length === 0) throw new Error(`${name}: decoded to no audio (0 channels)`);
  const sampleRate = options.sampleRate ?? 16000;
  const mono = mixToMono(decoded.channelData);
  let samples: Float32Array;
  try {
    samples = await resample(mono, decoded.sampleRate, sampleRate, { quality: options.quality });
  } catch (err) {
    throw new Error(`${name}: ${(err as Error).message}`);
  }
  return { samples, sampleRate, fileSampleRate: decoded.sampleRate, fileChannels: decoded.channelData.length };
}

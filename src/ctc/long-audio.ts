/**
 * Transcribing recordings of any length in bounded memory: the audio is cut at its quietest
 * moments into segments of at most `maxSeconds` (silenceSegments), each segment is transcribed
 * on its own (its own features and CMVN), and the texts are joined with a space.
 */
import { silenceSegments, type SilenceSegmentOptions } from '../audio/silence-segments.ts';
import type { Recognizer } from './recognizer.ts';

/**
 * samples [N] at recognizer.sampleRate → text. Audio no longer than maxSeconds (default 30) is
 * transcribed in one piece, exactly as `recognizer.transcribe` does.
 */
export function transcribeLong(
  recognizer: Pick<Recognizer, 'transcribe' | 'sampleRate'>,
  samples: Float32Array,
  { beam = 1, ...segmentOptions }: { beam?: number } & SilenceSegmentOptions = {},
): string {
  return silenceSegments(samples, recognizer.sampleRate, segmentOptions)
    .map(([start, end]) => recognizer.transcribe(samples.subarray(start, end), { beam }).trim())
    .filter((text) => text !== '')
    .join(' ');
}

/**
 * The output formats of `sori transcribe --output-format` (whisper's set):
 *
 *   txt   the transcript, one line per input
 *   tsv   `path<TAB>transcript` per input (with --scp: Kaldi's `utt-id transcript`)
 *   json  { key, text, duration, words: [{ text, start, end }], symbols: [...] } per input
 *   srt   SubRip: one numbered cue per word, `HH:MM:SS,mmm --> HH:MM:SS,mmm`
 *   vtt   WebVTT: `WEBVTT`, then one cue per word, `HH:MM:SS.mmm --> HH:MM:SS.mmm`
 *
 * Times come from the CTC forced alignment (Recognizer.recognize), in seconds.
 */
import { escapeForLine, type Recognition } from '../index.ts';

export const OUTPUT_FORMATS = ['txt', 'tsv', 'json', 'srt', 'vtt'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** One transcribed input: `key` is its path, '-' or its utt-id (--scp); `kaldi` marks an utt-id. */
export interface Transcript extends Recognition {
  key: string;
  kaldi?: boolean;
}

/** `seconds` as HH:MM:SS,mmm (srt) or HH:MM:SS.mmm (vtt). */
export function formatTimestamp(seconds: number, format: 'srt' | 'vtt'): string {
  const ms = Math.round(seconds * 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const hms = `${pad(Math.floor(ms / 3600000))}:${pad(Math.floor(ms / 60000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}`;
  return `${hms}${format === 'srt' ? ',' : '.'}${pad(ms % 1000, 3)}`;
}

/** The text of one transcript in `format` (ends with a newline). */
export function formatTranscript(t: Transcript, format: OutputFormat): string {
  switch (format) {
    case 'txt':
      return `${t.text}\n`;
    case 'tsv':
      // escapeForLine: a file name with a newline or an ANSI escape still takes one line
      return t.kaldi ? `${escapeForLine(t.key)} ${t.text}`.trimEnd() + '\n' : `${escapeForLine(t.key)}\t${t.text}\n`;
    case 'json':
      return JSON.stringify({ key: t.key, text: t.text, duration: t.duration, words: t.words, symbols: t.symbols }) + '\n';
    case 'srt':
      return t.words
        .map((w, i) => `${i + 1}\n${formatTimestamp(w.start, 'srt')} --> ${formatTimestamp(w.end, 'srt')}\n${w.text}\n`)
        .join('\n');
    case 'vtt':
      return ['WEBVTT\n', ...t.words.map((w) => `${formatTimestamp(w.start, 'vtt')} --> ${formatTimestamp(w.end, 'vtt')}\n${w.text}\n`)].join('\n');
  }
}

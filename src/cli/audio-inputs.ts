/**
 * What `sori transcribe` reads: audio files (WAV, and FLAC, MP3, Ogg … through loadAnyAudio),
 * directories (their audio files, sorted), '-' (one file on standard input) and Kaldi wav.scp
 * lists (`utt-id path` per line).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { loadAnyAudio, MAX_FILE_BYTES, type Audio } from '../index.ts';
import { readBytes, readTextArgument } from './stdin.ts';

/** One audio input: `key` names it in the output (its path, '-', or its utt-id from a wav.scp). */
export interface AudioInput {
  key: string;
  /** The file to read, or '-' for standard input. */
  path: string;
  /** True when `key` is an utt-id (from --scp). */
  kaldi: boolean;
}

/** Extensions a directory is searched for. */
export const AUDIO_EXTENSIONS = ['.wav', '.flac', '.mp3', '.ogg', '.opus', '.m4a'];

/**
 * The inputs named by `files` (paths, directories, '-') and by the wav.scp `scp`, in order.
 * Throws when there are none, when '-' is used twice, or when a directory has no audio.
 */
export async function collectAudioInputs(files: readonly string[], scp?: string): Promise<AudioInput[]> {
  const inputs: AudioInput[] = [];
  for (const f of files) {
    if (f === '-') inputs.push({ key: '-', path: '-', kaldi: false });
    else if (existsSync(f) && statSync(f).isDirectory()) {
      const found = readdirSync(f)
        .filter((name) => AUDIO_EXTENSIONS.some((e) => name.toLowerCase().endsWith(e)))
        .sort()
        .map((name) => join(f, name));
      if (found.length === 0) throw new Error(`directory ${f} holds no ${AUDIO_EXTENSIONS.join('/')} files`);
      inputs.push(...found.map((p) => ({ key: p, path: p, kaldi: false })));
    } else inputs.push({ key: f, path: f, kaldi: false });
  }
  if (scp !== undefined) {
    if (scp === '-' && files.includes('-')) throw new Error(`--scp -: standard input is already the audio input '-'`);
    inputs.push(...parseWavScp(await readTextArgument(scp, '--scp'), scp));
  }
  if (files.filter((f) => f === '-').length > 1) throw new Error(`'-' (standard input) given more than once`);
  if (inputs.length === 0) throw new Error('no audio to transcribe: name WAV files, directories, - (standard input) or --scp FILE');
  return inputs;
}

/**
 * The lines of a Kaldi wav.scp, `utt-id path`. A relative path is taken from the current
 * directory, or else (a corpus laid out as corpora/NAME/SPLIT/wav.scp with paths relative to
 * corpora/NAME) from the directory above the wav.scp's. Piped entries (`cmd |`) are refused.
 */
export function parseWavScp(content: string, scp: string): AudioInput[] {
  const out: AudioInput[] = [];
  const root = scp === '-' ? '.' : dirname(dirname(resolve(scp)));
  content.split(/\r?\n/).forEach((line, n) => {
    if (line.trim() === '') return;
    const m = /^\s*(\S+)\s+(.+?)\s*$/.exec(line);
    if (!m) throw new Error(`${scp}:${n + 1}: expected 'utt-id path', got '${line}'`);
    const [, id, path] = m;
    if (path.endsWith('|')) throw new Error(`${scp}:${n + 1}: '${path}' is a command (Kaldi pipe): sori reads files only`);
    const resolved = isAbsolute(path) || existsSync(path) || !existsSync(join(root, path)) ? path : join(root, path);
    out.push({ key: id, path: resolved, kaldi: true });
  });
  return out;
}

/** Read one input (standard input for '-') as mono samples at `sampleRate` (loadAnyAudio: WAV, FLAC, MP3, Ogg, …). */
export async function readAudioInput(input: AudioInput, sampleRate: number, stdin: NodeJS.ReadableStream = process.stdin): Promise<Audio> {
  if (input.path !== '-') return loadAnyAudio(input.path, { sampleRate });
  return loadAnyAudio(await readBytes(stdin, { maxBytes: MAX_FILE_BYTES }), { sampleRate, name: '<stdin>' });
}

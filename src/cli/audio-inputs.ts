/**
 * What `sori transcribe` reads: WAV files, directories (their .wav files, sorted), '-' (one WAV
 * on standard input) and Kaldi wav.scp lists (`utt-id path` per line).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { loadAudio, type Audio } from '../index.ts';
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
export const AUDIO_EXTENSIONS = ['.wav'];

/**
 * Audio formats recognised by their first bytes and refused by name (sori decodes WAV only:
 * PCM 8/16/24/32-bit and float 32/64-bit, any rate and channel count).
 */
const REFUSED: { name: string; test: (b: Uint8Array) => boolean }[] = [
  { name: 'FLAC', test: (b) => ascii(b, 0, 4) === 'fLaC' },
  { name: 'Ogg (Vorbis/Opus)', test: (b) => ascii(b, 0, 4) === 'OggS' },
  { name: 'MP3', test: (b) => ascii(b, 0, 3) === 'ID3' || (b[0] === 0xff && (b[1] & 0xe0) === 0xe0) },
  { name: 'AIFF', test: (b) => ascii(b, 0, 4) === 'FORM' && ['AIFF', 'AIFC'].includes(ascii(b, 8, 4)) },
  { name: 'Sun AU', test: (b) => ascii(b, 0, 4) === '.snd' },
  { name: 'MP4/M4A', test: (b) => ascii(b, 4, 4) === 'ftyp' },
  { name: 'WebM/Matroska', test: (b) => b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3 },
];

function ascii(b: Uint8Array, at: number, n: number): string {
  return String.fromCharCode(...b.subarray(at, at + n));
}

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

/** Read one input (standard input for '-') as mono samples at `sampleRate`; refused formats are named. */
export async function readAudioInput(input: AudioInput, sampleRate: number, stdin: NodeJS.ReadableStream = process.stdin): Promise<Audio> {
  const name = input.path === '-' ? '<stdin>' : input.path;
  let bytes: Uint8Array;
  if (input.path === '-') bytes = await readBytes(stdin);
  else {
    try {
      bytes = await readFile(input.path);
    } catch (err) {
      throw new Error(`${name}: cannot read file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  }
  if (bytes.length === 0) throw new Error(`${name}: empty input (0 bytes)`);
  const refused = REFUSED.find((f) => ascii(bytes, 0, 4) !== 'RIFF' && f.test(bytes));
  if (refused) {
    throw new Error(
      `${name}: ${refused.name} audio is not read (sori reads WAV: PCM 8/16/24/32-bit or float 32/64-bit); ` +
        `convert it, e.g. sox '${name}' -b 16 out.wav`,
    );
  }
  return loadAudio(bytes, { sampleRate, name });
}

/**
 * `sori transcribe --model DIR [--beam K] [--output-format F] [--output-dir D] [--scp wav.scp] INPUT…`
 *
 * INPUT is a WAV file, a directory (its .wav files, sorted) or '-' (one WAV on standard input);
 * `--scp` adds the utterances of a Kaldi wav.scp (`utt-id path`; `--scp -` reads it from standard
 * input). Audio is resampled to the model's rate and its channels averaged.
 *
 * Output (transcript-formats.ts): tsv (default) prints `path<TAB>transcript`, or Kaldi's
 * `utt-id transcript` for --scp inputs; txt, json (JSON Lines: text, duration, words and symbols
 * with times), srt and vtt (one cue per word, times from the CTC forced alignment). `--json` is
 * `--output-format json`. `--output-dir` writes one file per input (NAME.FORMAT) instead.
 * An input it cannot read gets `key<TAB>ERROR: reason` on stderr, the others still come out, and
 * the exit code is 1.
 */
import { basename, extname, join } from 'node:path';
import type { CommandModule } from 'yargs';
import { checkBeam, escapeForLine, loadRecognizer, writeFileAtomic } from '../index.ts';
import { collectAudioInputs, readAudioInput, type AudioInput } from './audio-inputs.ts';
import { jsonOption } from './json.ts';
import { formatTranscript, OUTPUT_FORMATS, type OutputFormat } from './transcript-formats.ts';

interface TranscribeArgs {
  model: string;
  beam: number;
  files?: string[];
  scp?: string;
  'output-format'?: string;
  'output-dir'?: string;
  json: boolean;
}

/** The file `--output-dir` gets for `input`: its name without extension (or utt-id), '.FORMAT'. */
function outputName(input: AudioInput, format: OutputFormat): string {
  const stem = input.kaldi ? input.key : input.path === '-' ? 'stdin' : basename(input.path, extname(input.path));
  return `${stem}.${format}`;
}

/** Transcribe the inputs `argv` names and write them as asked; what the command runs. */
export async function transcribe(argv: TranscribeArgs): Promise<void> {
  checkBeam(argv.beam, '--beam');
  const given = argv['output-format'];
  if (argv.json && given && given !== 'json') throw new Error(`--json and --output-format ${given} ask for two formats: give one`);
  const format = (argv.json ? 'json' : (given ?? 'tsv')) as OutputFormat;
  const inputs = await collectAudioInputs((argv.files ?? []).map(String), argv.scp);
  const outDir = argv['output-dir'];
  if (!outDir && (format === 'srt' || format === 'vtt') && inputs.length > 1) {
    throw new Error(`--output-format ${format} with ${inputs.length} inputs: give --output-dir (one file per input)`);
  }
  if (outDir) {
    const seen = new Map<string, string>();
    for (const input of inputs) {
      const name = outputName(input, format);
      const other = seen.get(name);
      if (other) throw new Error(`--output-dir: '${input.key}' and '${other}' would both be written to ${name}`);
      seen.set(name, input.key);
    }
  }
  const recognizer = loadRecognizer(argv.model);
  let failed = 0;
  try {
    for (const input of inputs) {
      let text: string;
      try {
        const { samples } = await readAudioInput(input, recognizer.sampleRate);
        const result = recognizer.recognize(samples, { beam: argv.beam });
        text = formatTranscript({ key: input.key, kaldi: input.kaldi, ...result }, format);
      } catch (err) {
        failed++;
        process.stderr.write(`${escapeForLine(input.key)}\tERROR: ${(err as Error).message}\n`);
        continue;
      }
      if (outDir) {
        const path = join(outDir, outputName(input, format));
        writeFileAtomic(path, text);
        process.stderr.write(`${escapeForLine(input.key)} → ${escapeForLine(path)}\n`);
      } else process.stdout.write(text);
    }
  } finally {
    recognizer.dispose();
  }
  if (failed) process.exitCode = 1;
}

export const transcribeCommand: CommandModule<object, TranscribeArgs> = {
  command: 'transcribe [files..]',
  describe: 'Transcribe WAV files, directories, - (stdin) or a wav.scp with a CTC model directory',
  builder: (y) =>
    y
      .positional('files', { type: 'string', array: true, describe: "WAV files, directories of .wav files, or - (a WAV on standard input)" })
      .option('model', { type: 'string', demandOption: true, describe: 'model directory (model.json, weights.safetensors)' })
      .option('beam', { type: 'number', default: 1, describe: '1: greedy best path; K > 1: prefix beam search with K hypotheses' })
      .option('scp', { type: 'string', describe: "Kaldi wav.scp ('utt-id path' per line; - for standard input)" })
      .option('output-format', { type: 'string', choices: OUTPUT_FORMATS, describe: 'tsv (default), txt, json, srt or vtt' })
      .option('output-dir', { alias: 'o', type: 'string', describe: 'write one file per input, NAME.FORMAT, in this directory' })
      .option('json', { ...jsonOption, describe: 'same as --output-format json (one JSON object per line)' }),
  handler: (argv) => transcribe(argv),
};

/**
 * `sori transcribe --model DIR [--beam N] a.wav b.wav …`
 *
 * Prints `path<TAB>transcript` per file, in order (Hangul, '<space>' as a space). Any WAV that
 * loadAudio reads works (resampled to the model's rate, channels averaged). A file it cannot
 * read gets `path<TAB>ERROR: reason` on stderr and the others still come out; the exit code
 * is then 1.
 */
import type { CommandModule } from 'yargs';
import { loadAudio, loadRecognizer } from '../index.ts';

interface TranscribeArgs {
  model: string;
  beam: number;
  files: string[];
}

export const transcribeCommand: CommandModule<object, TranscribeArgs> = {
  command: 'transcribe <files..>',
  describe: 'Transcribe WAV files with a CTC model directory',
  builder: (y) =>
    y
      .positional('files', { type: 'string', array: true, demandOption: true, describe: 'WAV files' })
      .option('model', { type: 'string', demandOption: true, describe: 'model directory (model.json, weights.safetensors)' })
      .option('beam', { type: 'number', default: 0, describe: '0: greedy best path; N: prefix beam search with N hypotheses' }),
  handler: async (argv) => {
    if (!Number.isInteger(argv.beam) || argv.beam < 0) throw new Error(`--beam: expected an integer ≥ 0, got ${argv.beam}`);
    const recognizer = loadRecognizer(argv.model);
    let failed = 0;
    for (const path of argv.files) {
      try {
        const { samples } = await loadAudio(path, { sampleRate: recognizer.sampleRate });
        console.log(`${path}\t${recognizer.transcribe(samples, { beam: argv.beam })}`);
      } catch (err) {
        failed++;
        console.error(`${path}\tERROR: ${(err as Error).message}`);
      }
    }
    recognizer.dispose();
    if (failed) process.exitCode = 1;
  },
};

/**
 * `sori transcribe --model DIR [--beam K] a.wav b.wav …`
 *
 * Prints `path<TAB>transcript` per file, in order (Hangul, '<space>' as a space). Any WAV that
 * loadAudio reads works (resampled to the model's rate, channels averaged). A file it cannot
 * read gets `path<TAB>ERROR: reason` on stderr and the others still come out; the exit code
 * is then 1.
 */
import type { CommandModule } from 'yargs';
import { checkBeam, loadAudio, loadRecognizer } from '../index.ts';

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
      .option('beam', { type: 'number', default: 1, describe: '1: greedy best path; K > 1: prefix beam search with K hypotheses' }),
  handler: async (argv) => {
    checkBeam(argv.beam, '--beam');
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

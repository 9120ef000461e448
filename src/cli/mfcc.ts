/**
 * `sori mfcc <file> [--out frames.json] [--cmvn] [--deltas] [--sample-rate 16000]`
 *
 * Loads the file (any format loadAnyAudio reads; '-' for standard input; mono, resampled),
 * computes Kaldi MFCCs [T, 13] (then CMVN and/or [x, Δ, ΔΔ] [T, 39] if asked) and prints the frame count, dimensions and each coefficient's mean and
 * standard deviation over the frames. --out writes { file, sampleRate, numFrames, dim, frames }
 * (frames: T rows of F numbers) atomically (it was --json, which elsewhere means JSON on stdout;
 * --json is refused with a pointer to --out).
 */
import type { CommandModule } from 'yargs';
import { addDeltas, cmvn, escapeForLine, featureRows, loadAnyAudio, MAX_FILE_BYTES, mfcc, writeFileAtomic } from '../index.ts';
import { readBytes } from './stdin.ts';

interface MfccArgs {
  file: string;
  out?: string;
  json?: unknown;
  cmvn: boolean;
  deltas: boolean;
  'sample-rate': number;
}

export const mfccCommand: CommandModule<object, MfccArgs> = {
  command: 'mfcc <file>',
  describe: 'Kaldi MFCC frames of a WAV file: frame count, dims, per-coefficient mean and std',
  builder: (y) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'audio file (WAV, FLAC, MP3, …; - for standard input)' })
      .option('out', { alias: 'o', type: 'string', describe: 'write the frames to this JSON file' })
      .option('json', { hidden: true, describe: 'renamed --out' })
      .option('cmvn', { type: 'boolean', default: false, describe: 'per-utterance mean/variance normalisation' })
      .option('deltas', { type: 'boolean', default: false, describe: 'append deltas and delta-deltas (39 dims)' })
      .option('sample-rate', { type: 'number', default: 16000, describe: 'resample to this rate (Hz)' }),
  handler: async (argv) => {
    if (argv.json !== undefined) throw new Error('mfcc: --json FILE is now --out FILE (--json means JSON on standard output elsewhere)');
    const sampleRate = argv['sample-rate'];
    const audio =
      argv.file === '-'
        ? await loadAnyAudio(await readBytes(process.stdin, { maxBytes: MAX_FILE_BYTES }), { sampleRate, name: '<stdin>' })
        : await loadAnyAudio(argv.file, { sampleRate });
    let features = mfcc(audio.samples, { sampleRate: audio.sampleRate });
    if (argv.cmvn) features = cmvn(features);
    if (argv.deltas) features = addDeltas(features, { order: 2 });
    const { data, numFrames: T, dim: F } = features;
    const seconds = audio.samples.length / audio.sampleRate;
    if (T === 0) throw new Error(`${argv.file}: no frames: ${seconds.toFixed(3)} s of audio is shorter than one 25 ms frame`);
    console.log(`file\t${escapeForLine(argv.file)}`);
    console.log(
      `audio\t${seconds.toFixed(3)} s at ${audio.sampleRate} Hz (file: ${audio.fileSampleRate} Hz, ${audio.fileChannels} channel${audio.fileChannels === 1 ? '' : 's'})`,
    );
    console.log(`frames\t${T}`);
    console.log(`dims\t${F}`);
    console.log('coef\tmean\tstd');
    for (let f = 0; f < F; f++) {
      let sum = 0;
      for (let t = 0; t < T; t++) sum += data[t * F + f];
      const mean = T ? sum / T : NaN;
      let sq = 0;
      for (let t = 0; t < T; t++) sq += (data[t * F + f] - mean) ** 2;
      const std = T ? Math.sqrt(sq / T) : NaN;
      const fixed = (v: number) => (Math.abs(v) < 5e-5 ? 0 : v).toFixed(4); // no "-0.0000"
      console.log(`${f}\t${fixed(mean)}\t${fixed(std)}`);
    }
    if (argv.out) {
      const frames = featureRows(features).map((row) => Array.from(row));
      const out = { file: argv.file, sampleRate: audio.sampleRate, numFrames: T, dim: F, frames };
      writeFileAtomic(argv.out, JSON.stringify(out) + '\n'); // temp file + rename
      console.log(`wrote\t${argv.out}`);
    }
  },
};

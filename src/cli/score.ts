/**
 * `sori score --ref text --hyp hyp.txt`: corpus CER and WER of hypotheses against references
 * (file formats and matching rules: src/metrics/score-transcripts.ts).
 */
import { readFile } from 'node:fs/promises';
import type { CommandModule } from 'yargs';
import { formatScore, parseTranscripts, scoreTranscripts, type TranscriptLine } from '../index.ts';

async function readTranscriptFile(path: string, what: string): Promise<Map<string, TranscriptLine>> {
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(`${what} ${path}: cannot read (${(err as Error).message})`);
  }
  return parseTranscripts(content, path);
}

export const scoreCommand: CommandModule = {
  command: 'score',
  describe: 'Print CER and WER of hypotheses (--hyp) against references (--ref)',
  builder: (y) =>
    y
      .option('ref', { type: 'string', demandOption: true, describe: "reference transcripts: 'utt-id text' lines (Kaldi text)" })
      .option('hyp', {
        type: 'string',
        demandOption: true,
        describe: "hypotheses: 'utt-id text' or 'path<TAB>text' lines (as sori transcribe prints)",
      }),
  handler: async (argv) => {
    const refFile = argv.ref as string;
    const hypFile = argv.hyp as string;
    const references = await readTranscriptFile(refFile, '--ref');
    const hypotheses = await readTranscriptFile(hypFile, '--hyp');
    console.log(formatScore(scoreTranscripts(references, hypotheses, { refFile, hypFile })));
  },
};

/**
 * `sori score --ref text --hyp hyp.txt [--json]`: corpus WER and CER of hypotheses against
 * references, printed as Kaldi's compute-wer prints them (`%WER 5.17 [ 3 / 58, 0 ins, 1 del,
 * 2 sub ]`, then %CER, %SER). Either file may be '-' (standard input). File formats and matching
 * rules: src/metrics/score-transcripts.ts.
 */
import type { CommandModule } from 'yargs';
import { formatScore, parseTranscripts, scoreTranscripts } from '../index.ts';
import { jsonOption, printJson } from './json.ts';
import { checkOneStdin, readTextArgument } from './stdin.ts';

export const scoreCommand: CommandModule = {
  command: 'score',
  describe: 'Print WER and CER of hypotheses (--hyp) against references (--ref), as Kaldi does',
  builder: (y) =>
    y
      .option('ref', { type: 'string', demandOption: true, describe: "reference transcripts: 'utt-id text' lines (Kaldi text); - for stdin" })
      .option('hyp', {
        type: 'string',
        demandOption: true,
        describe: "hypotheses: 'utt-id text' or 'path<TAB>text' lines (as sori transcribe prints); - for stdin",
      })
      .option('json', { ...jsonOption, describe: 'print { wer, cer, utterances, utterancesWithErrors } as JSON' }),
  handler: async (argv) => {
    const refFile = String(argv.ref);
    const hypFile = String(argv.hyp);
    checkOneStdin([refFile, hypFile], '--ref and --hyp');
    const shown = (f: string) => (f === '-' ? '<stdin>' : f);
    const references = parseTranscripts(await readTextArgument(refFile, '--ref'), shown(refFile));
    const hypotheses = parseTranscripts(await readTextArgument(hypFile, '--hyp'), shown(hypFile));
    const score = scoreTranscripts(references, hypotheses, { refFile: shown(refFile), hypFile: shown(hypFile) });
    if (argv.json) printJson(score);
    else console.log(formatScore(score));
  },
};

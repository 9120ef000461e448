/**
 * `sori bleu HYP REF [REF…] [--tokenize 13a|none] [--lowercase] [--width 1] [--json]`
 *
 * Corpus BLEU of the hypothesis lines in HYP against the line-aligned references (one file per
 * reference stream), printed as sacreBLEU's text line with its signature (bleu-format.ts).
 * HYP or one REF may be '-' (standard input). --json prints sacreBLEU's JSON fields.
 */
import type { CommandModule } from 'yargs';
import { bleuSignature, corpusBleu, formatBleu, type BleuOptions } from '../index.ts';
import { jsonOption, printJson } from './json.ts';
import { checkOneStdin, readTextArgument } from './stdin.ts';

interface BleuArgs {
  hyp: string;
  refs: string[];
  tokenize: string;
  lowercase: boolean;
  width: number;
  json: boolean;
}

/** Lines of a text (a final newline ends the last line, it does not start another). */
function lines(text: string): string[] {
  const out = text.split(/\r?\n/);
  if (out[out.length - 1] === '') out.pop();
  return out;
}

export const bleuCommand: CommandModule<object, BleuArgs> = {
  command: 'bleu <hyp> <refs..>',
  describe: "Corpus BLEU of a hypothesis file against reference files, printed as sacreBLEU's line",
  builder: (y) =>
    y
      .positional('hyp', { type: 'string', demandOption: true, describe: 'hypotheses, one sentence per line (- for stdin)' })
      .positional('refs', { type: 'string', array: true, demandOption: true, describe: 'reference files, line-aligned with HYP' })
      .option('tokenize', { type: 'string', choices: ['13a', 'none'], default: '13a', describe: 'tokeniser (sacreBLEU -tok)' })
      .option('lowercase', { type: 'boolean', default: false, describe: 'compare in lower case (sacreBLEU -lc)' })
      .option('width', { type: 'number', default: 1, describe: 'decimals of the score (sacreBLEU -w)' })
      .option('json', { ...jsonOption, describe: "print sacreBLEU's JSON (name, score, signature, verbose_score, …)" }),
  handler: async (argv) => {
    const files = [String(argv.hyp), ...argv.refs.map(String)];
    checkOneStdin(files, 'bleu');
    const [hyps, ...refs] = await Promise.all(files.map(async (f, i) => lines(await readTextArgument(f, i === 0 ? 'HYP' : 'REF'))));
    refs.forEach((r, k) => {
      if (r.length !== hyps.length) throw new Error(`REF ${files[k + 1]}: ${r.length} lines, HYP ${files[0]} has ${hyps.length}`);
    });
    const options: BleuOptions = { tokenize: argv.tokenize as BleuOptions['tokenize'], lowercase: argv.lowercase };
    const score = corpusBleu(hyps, refs, options);
    const signature = bleuSignature(refs.length, options);
    const line = formatBleu(score, signature, argv.width);
    if (!argv.json) {
      console.log(line);
      return;
    }
    const fields = Object.fromEntries(signature.split('|').map((kv) => kv.split(':')));
    printJson({
      name: 'BLEU',
      score: Number(score.score.toFixed(argv.width)),
      signature,
      verbose_score: line.slice(line.indexOf(' = ') + 3).split(' ').slice(1).join(' '),
      ...fields,
    });
  },
};

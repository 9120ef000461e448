/**
 * `sori translate --model DIR [--beam N] [--length-penalty A] [--attention out.json] "text" …`
 *
 * Decoding (beam width, length penalty, ensemble members) defaults to what the model directory was
 * saved with (model.json's `decode` and `members`); --beam and --length-penalty override it.
 *
 * Prints one translation per argument, in order. With no text (or '-') it reads standard input and
 * writes one line per input line; `--json` prints one { source, translation } object per line. An empty line gives an empty line; a line of unknown symbols still
 * gets the model's answer (they read as <unk>). `--attention` writes, atomically, a JSON array with
 * one entry per input: { source, translation, sourceTokens [T], targetTokens [U], attention [U][T] }.
 */
import type { CommandModule } from 'yargs';
import { checkBeam, loadTranslator, streamLines, translateStream, writeJsonAtomic, type Translation } from '../index.ts';
import { reportSideOutputFailure, trySideOutput } from './side-output.ts';
import { jsonOption, printJson } from './json.ts';
export { readLines } from './stdin.ts';

interface TranslateArgs {
  model: string;
  beam?: number;
  lengthPenalty?: number;
  attention?: string;
  texts?: string[];
  json: boolean;
}

/**
 * Translate `texts` with the model in `model` and return the output lines; what `sori translate`
 * runs once its input is known.
 */
export function translateLines(
  texts: readonly string[],
  { model, beam, lengthPenalty, attention }: { model: string; beam?: number; lengthPenalty?: number; attention?: string },
): string[] {
  if (beam !== undefined) checkBeam(beam, '--beam');
  const translator = loadTranslator(model);
  try {
    const options: { beamWidth?: number; lengthPenalty?: number } = {};
    if (beam !== undefined) options.beamWidth = beam;
    if (lengthPenalty !== undefined) options.lengthPenalty = lengthPenalty;
    const out: Translation[] = translator.translate(texts, options);
    if (attention) {
      writeJsonAtomic(
        attention,
        out.map((t, i) => ({
          source: texts[i],
          translation: t.text,
          sourceTokens: t.sourceTokens,
          targetTokens: t.targetTokens,
          attention: t.attention,
        })),
      );
    }
    return out.map((t) => t.text);
  } finally {
    translator.dispose();
  }
}

export const translateCommand: CommandModule<object, TranslateArgs> = {
  command: 'translate [texts..]',
  describe: 'Translate texts (or standard input, line by line) with a seq2seq model directory',
  builder: (y) =>
    y
      .positional('texts', { type: 'string', array: true, describe: 'sentences to translate (none: read lines from stdin)' })
      .option('model', { type: 'string', demandOption: true, describe: 'model directory (model.json, weights.safetensors, vocabularies)' })
      .option('beam', { type: 'number', describe: "1: greedy search; K > 1: beam search with K beams (default: the model directory's, else 1)" })
      .option('length-penalty', { type: 'number', describe: "α of beam search's score / |y|^α (default: the model directory's, else 1)" })
      .option('attention', { type: 'string', describe: 'write the attention matrices (with source/target tokens) to this JSON file' })
      .option('json', { ...jsonOption, describe: 'print one { source, translation } JSON object per line' }),
  // Each answer is written as soon as its batch is done (translateStream), and --attention only
  // after the last one: a failing side file never loses the translations already printed; it is
  // reported on standard error with exit status 1 (side-output.ts).
  handler: async (argv) => {
    const given = (argv.texts ?? []).map(String);
    if (given.includes('-') && given.length > 1) throw new Error(`translate: '-' (standard input) cannot be mixed with texts`);
    if (argv.beam !== undefined) checkBeam(argv.beam, '--beam');
    const translator = loadTranslator(argv.model);
    const attention: unknown[] = [];
    // Unset flags leave the model directory's decoding (beam, length penalty) in force.
    const options: { beamWidth?: number; lengthPenalty?: number } = {};
    if (argv.beam !== undefined) options.beamWidth = argv.beam;
    if (argv.lengthPenalty !== undefined) options.lengthPenalty = argv.lengthPenalty;
    try {
      const lines = given.length > 0 && given[0] !== '-' ? given : streamLines(process.stdin);
      for await (const { source, translation: t } of translateStream(translator, lines, options)) {
        if (argv.json) printJson({ source, translation: t.text });
        else process.stdout.write(t.text + '\n');
        if (argv.attention) attention.push({ source, translation: t.text, sourceTokens: t.sourceTokens, targetTokens: t.targetTokens, attention: t.attention });
      }
    } finally {
      translator.dispose();
    }
    const path = argv.attention;
    const failed = path ? trySideOutput('--attention', () => writeJsonAtomic(path, attention), `the ${attention.length} translations were written`) : null;
    if (failed) reportSideOutputFailure('translate', failed);
  },
};

/**
 * `sori translate --model DIR [--beam N] [--attention out.json] "text" …`
 *
 * Prints one translation per argument, in order. With no text it reads standard input and writes
 * one line per input line. An empty line gives an empty line; a line of unknown symbols still
 * gets the model's answer (they read as <unk>). `--attention` writes, atomically, a JSON array with
 * one entry per input: { source, translation, sourceTokens [T], targetTokens [U], attention [U][T] }.
 */
import type { CommandModule } from 'yargs';
import { checkBeam, loadTranslator, writeJsonAtomic, type Translation } from '../index.ts';

interface TranslateArgs {
  model: string;
  beam: number;
  attention?: string;
  texts?: string[];
}

/** Read all of a stream as text lines (no trailing empty line for a final newline). */
export async function readLines(stream: NodeJS.ReadableStream): Promise<string[]> {
  let text = '';
  for await (const chunk of stream) text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
  if (text === '') return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Translate `texts` with the model in `model` and return the output lines; what `sori translate`
 * runs once its input is known.
 */
export function translateLines(
  texts: readonly string[],
  { model, beam = 1, attention }: { model: string; beam?: number; attention?: string },
): string[] {
  checkBeam(beam, '--beam');
  const translator = loadTranslator(model);
  try {
    const out: Translation[] = translator.translate(texts, { beamWidth: beam });
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
      .option('beam', { type: 'number', default: 1, describe: '1: greedy search; K > 1: beam search with K beams' })
      .option('attention', { type: 'string', describe: 'write the attention matrices (with source/target tokens) to this JSON file' }),
  handler: async (argv) => {
    const texts = argv.texts && argv.texts.length > 0 ? argv.texts.map(String) : await readLines(process.stdin);
    const lines = translateLines(texts, { model: argv.model, beam: argv.beam, attention: argv.attention });
    if (lines.length) process.stdout.write(lines.join('\n') + '\n');
  },
};

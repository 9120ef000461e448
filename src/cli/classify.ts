/**
 * `sori classify --model DIR [--json] [texts..]`
 *
 * One output line per input text, in order: `LABEL<TAB>PROBABILITY`, the predicted class as
 * written in the training file's label column and its probability (4 decimals). With `--json`,
 * one JSON object per line: { "label": …, "probabilities": { LABEL: p, … } }. With no texts it
 * reads standard input, one text per line; an empty line gets an answer too (the model's prior
 * for an empty text).
 */
import type { CommandModule } from 'yargs';
import { loadTextClassifier } from '../index.ts';
import { readLines } from './translate.ts';

interface ClassifyArgs {
  model: string;
  json: boolean;
  texts?: string[];
}

/** Classify `texts` with the model in `model` and return the output lines. */
export function classifyLines(texts: readonly string[], { model, json = false }: { model: string; json?: boolean }): string[] {
  const classifier = loadTextClassifier(model);
  try {
    const probabilities = classifier.probabilities(texts, { batchSize: 128 });
    return probabilities.map((p) => {
      const k = p.indexOf(Math.max(...p));
      if (!json) return `${classifier.labels[k]}\t${p[k].toFixed(4)}`;
      const byLabel = Object.fromEntries(classifier.labels.map((label, j) => [label, Number(p[j].toFixed(6))]));
      return JSON.stringify({ label: classifier.labels[k], probabilities: byLabel });
    });
  } finally {
    classifier.dispose();
  }
}

export const classifyCommand: CommandModule<object, ClassifyArgs> = {
  command: 'classify [texts..]',
  describe: 'Classify texts (or standard input, line by line) with a classifier model directory',
  builder: (y) =>
    y
      .positional('texts', { type: 'string', array: true, describe: 'texts to classify (none: read lines from stdin)' })
      .option('model', { type: 'string', demandOption: true, describe: 'model directory (model.json, weights.safetensors, vocabulary.json)' })
      .option('json', { type: 'boolean', default: false, describe: 'write every class probability as one JSON object per line' }),
  handler: async (argv) => {
    const texts = argv.texts && argv.texts.length > 0 ? argv.texts.map(String) : await readLines(process.stdin);
    const lines = classifyLines(texts, { model: argv.model, json: argv.json });
    if (lines.length) process.stdout.write(lines.join('\n') + '\n');
  },
};

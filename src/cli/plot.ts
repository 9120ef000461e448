/**
 * `sori plot <picture> … -o out.svg|out.png`: one picture for one input; the format follows
 * the extension of -o.
 *
 *   sori plot curves exp/NAME -o curves.png             training curves from train-history.json
 *   sori plot alignment --model DIR a.wav [--text T] -o a.svg   posteriorgram + forced alignment
 *   sori plot trellis --model DIR a.wav --text T -o t.png       log α / log β trellis
 *   sori plot spectrogram --model DIR a.wav [--text T] -o s.png log-mel with the aligned labels
 *   sori plot attention --model DIR "sentence" -o att.svg       translation attention
 *   sori plot attention att.json -o att.svg                      the same from `sori translate --attention att.json`
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import {
  attentionPlot,
  disposeCtcModel,
  historyFile,
  historyPanels,
  loadAudio,
  loadCtcModel,
  loadTranslator,
  readJsonFile,
  trainingCurvesPlot,
  utterancePictures,
  writePlot,
  type PlotSpec,
  type TrainHistoryFile,
} from '../index.ts';

interface PlotArgs {
  picture: string;
  inputs: string[];
  output: string;
  model?: string;
  text?: string;
  beam: number;
  scoreTitle?: string;
  scoreScale: number;
  scale: number;
}

const PICTURES = ['curves', 'alignment', 'trellis', 'spectrogram', 'attention'] as const;

/** The training curves of an experiment directory (its train-history.json). */
export function curvesFromExperiment(expDir: string, options: { scoreTitle?: string; scoreScale?: number } = {}): PlotSpec {
  const path = join(expDir, 'train-history.json');
  if (!existsSync(path)) throw new Error(`${expDir}: no train-history.json (run the recipe's training stage first)`);
  const file = readJsonFile(path, { what: 'training history', as: historyFile });
  if (!Array.isArray(file.history)) throw new Error(`${path}: expected a 'history' array of epochs`);
  return trainingCurvesPlot({
    history: file.history,
    bestEpoch: file.bestEpoch,
    panels: historyPanels(file.history, options),
    title: `Training curves · ${expDir}`,
  });
}

/** The attention of the first entry of a `sori translate --attention` JSON file. */
export function attentionFromJson(path: string): PlotSpec {
  if (!existsSync(path)) throw new Error(`${path}: no such file (expected the JSON of sori translate --attention)`);
  const entries = readJsonFile(path, { what: 'attention JSON' }) as { [key: string]: any }[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  const t = Array.isArray(entries) ? entries[0] : undefined;
  if (!t || !Array.isArray(t.attention) || !Array.isArray(t.sourceTokens) || !Array.isArray(t.targetTokens)) {
    throw new Error(`${path}: expected an array of { source, translation, sourceTokens, targetTokens, attention } (sori translate --attention)`);
  }
  return attentionPlot({
    sourceTokens: t.sourceTokens,
    targetTokens: t.targetTokens,
    weights: t.attention,
    title: 'Attention of the translation',
    subtitle: `“${t.source}” → “${t.translation}”`,
  });
}

/** The spec of one `sori plot` call. */
export async function plotSpec(args: Omit<PlotArgs, 'output'>): Promise<PlotSpec> {
  const need = (n: number, what: string) => {
    if (args.inputs.length !== n) throw new Error(`sori plot ${args.picture}: expected ${what}, got ${args.inputs.length} argument(s): ${args.inputs.join(' ')}`);
  };
  const model = () => {
    if (!args.model) throw new Error(`sori plot ${args.picture}: --model DIR is required`);
    return args.model;
  };
  switch (args.picture) {
    case 'curves':
      need(1, 'one experiment directory');
      return curvesFromExperiment(args.inputs[0], { scoreTitle: args.scoreTitle, scoreScale: args.scoreScale });
    case 'alignment':
    case 'trellis':
    case 'spectrogram': {
      need(1, 'one WAV file');
      if (args.picture === 'trellis' && args.text === undefined) throw new Error('sori plot trellis: --text is required (the transcript whose trellis to draw)');
      const recognizer = loadCtcModel(model());
      try {
        const rate = (recognizer.card.features as { sampleRate: number }).sampleRate;
        const { samples } = await loadAudio(args.inputs[0], { sampleRate: rate });
        const pictures = utterancePictures(recognizer, samples, { text: args.text, name: args.inputs[0].split('/').pop() });
        return args.picture === 'alignment' ? pictures.posteriorgram : pictures[args.picture];
      } finally {
        disposeCtcModel(recognizer.model);
      }
    }
    case 'attention': {
      need(1, 'one sentence, or the JSON file of `sori translate --attention`');
      if (!args.model && args.inputs[0].endsWith('.json')) return attentionFromJson(args.inputs[0]);
      const translator = loadTranslator(model());
      try {
        const [t] = translator.translate([args.inputs[0]], { beamWidth: args.beam });
        return attentionPlot({
          sourceTokens: t.sourceTokens,
          targetTokens: t.targetTokens,
          weights: t.attention,
          title: 'Attention of the translation',
          subtitle: `“${args.inputs[0]}” → “${t.text}”`,
        });
      } finally {
        translator.dispose();
      }
    }
    default:
      throw new Error(`sori plot: unknown picture '${args.picture}' (known: ${PICTURES.join(', ')})`);
  }
}

export const plotCommand: CommandModule<object, PlotArgs> = {
  command: 'plot <picture> [inputs..]',
  describe: 'Draw a picture (curves, alignment, trellis, spectrogram, attention) to an SVG or PNG file',
  builder: (y: Argv) =>
    y
      .positional('picture', { type: 'string', choices: PICTURES as unknown as string[], demandOption: true })
      .positional('inputs', { type: 'string', array: true, default: [], describe: 'an experiment directory, a WAV file or a sentence' })
      .option('output', { alias: 'o', type: 'string', demandOption: true, describe: 'the picture file: .svg or .png' })
      .option('model', { type: 'string', describe: 'model directory (a CTC model for alignment/trellis/spectrogram, a translator for attention)' })
      .option('text', { type: 'string', describe: 'the transcript to align (default: what the model recognises)' })
      .option('beam', { type: 'number', default: 1, describe: 'attention: 1 greedy, K > 1 beam search' })
      .option('score-title', { type: 'string', describe: "curves: y title of the recipe's validation score, e.g. 'CER (%)'" })
      .option('scale', { type: 'number', default: 2, describe: 'PNG pixels per SVG unit (2: sharp on high-density screens)' })
      .option('score-scale', { type: 'number', default: 1, describe: 'curves: multiply the validation score by this (100 for %)' }) as unknown as Argv<PlotArgs>,
  handler: async (argv) => {
    if (!/\.(svg|png)$/i.test(argv.output)) throw new Error(`-o ${argv.output}: the format follows the extension, which must be .svg or .png`);
    if (!(argv.scale > 0)) throw new Error(`--scale: expected a number > 0, got ${argv.scale}`);
    const spec = await plotSpec({ ...argv, inputs: (argv.inputs ?? []).map(String) });
    await writePlot(spec, argv.output, { scale: argv.scale });
    console.log(argv.output);
  },
};

/**
 * Stage 7 of annyeong: the pictures of the run and its report page. The training curves
 * (CTC loss, validation CER, the best epoch marked), and for the first utterance of each
 * `report.splits` split its log-mel spectrogram with the aligned syllables, the posteriorgram
 * with the forced alignment of the reference, and the α-β trellis, go to exp/annyeong/plots/
 * (SVG, PNG, Vega-Lite spec); exp/annyeong/report.html holds them with RESULTS.md and the config.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  disposeCtcModel,
  historyFile,
  loadAudio,
  loadCtcModel,
  readDataDir,
  readJsonFile,
  readTextFile,
  trainingCurvesPlot,
  utterancePictures,
  writeExperimentReport,
  type NamedPlot,
  type TrainHistoryFile,
} from '../../src/index.ts';
import type { AnnyeongConfig } from './config.ts';

export async function report({ expDir, modelDir }: { expDir: string; modelDir: string }, cfg: AnnyeongConfig): Promise<void> {
  const plots: NamedPlot[] = [];
  const historyPath = join(expDir, 'train-history.json');
  if (existsSync(historyPath)) {
    const file = readJsonFile(historyPath, { as: historyFile }) as TrainHistoryFile & { averaged?: { epochs: number[]; kept: boolean } };
    const valid = cfg.data.validSets.join(' + ');
    plots.push({
      name: 'curves',
      spec: trainingCurvesPlot({
        history: file.history,
        bestEpoch: file.bestEpoch,
        panels: [
          { title: 'CTC loss (nats per label)', series: [{ field: 'loss', label: 'train' }] },
          { title: 'greedy CER (%)', series: [{ field: 'score', label: valid, scale: 100 }] },
        ],
        title: 'annyeong: training curves',
        subtitle:
          `best epoch ${file.bestEpoch} marked` +
          (file.averaged ? `; average of epochs ${file.averaged.epochs.join(', ')} ${file.averaged.kept ? 'kept' : 'not kept'}` : ''),
      }),
      caption: `Training CTC loss (mean over utterances of the loss per label, with SpecAugment) and greedy CER on ${valid} after each epoch; the dashed rule is the best epoch.`,
    });
  }
  const recognizer = loadCtcModel(modelDir);
  try {
    for (const split of cfg.report.splits) {
      if (!cfg.data.evalSets.includes(split)) {
        console.log(`  report.splits: '${split}' is not among data.evalSets (${cfg.data.evalSets.join(', ')}); not drawn`);
        continue;
      }
      const [u] = readDataDir(cfg.data.corpus, split);
      if (!u) throw new Error(`report.splits: split '${split}' of ${cfg.data.corpus} has no utterances`);
      const { samples } = await loadAudio(u.audio, { sampleRate: cfg.features.sampleRate });
      const p = utterancePictures(recognizer, samples, { text: u.text, name: `${split}/${u.id}` });
      const said = `“${u.text}” (recognised “${p.recognised.replace(/<space>/g, ' ')}”)`;
      plots.push(
        { name: `spectrogram-${split}`, spec: p.spectrogram, caption: `${split}/${u.id}, ${said}: 40 log-mel bins every 10 ms; above, the frames the forced alignment gives each syllable.` },
        { name: `posteriorgram-${split}`, spec: p.posteriorgram, caption: `The model's per-frame class probabilities; dots: the Viterbi alignment of the reference (∅ = blank).` },
        {
          name: `trellis-${split}`,
          spec: p.trellis,
          caption: `log α_t(s) and log β_t(s) over frames × the extended reference (∅ rows are blanks), each frame shifted so its best state is 0; white: unreachable; dots: the forced alignment. log p(reference | audio) = ${p.logLikelihood.toFixed(3)}.`,
        },
      );
    }
  } finally {
    disposeCtcModel(recognizer.model);
  }
  const resultsPath = join(expDir, 'RESULTS.md');
  const { report, files } = await writeExperimentReport({
    expDir,
    title: 'annyeong',
    subtitle: 'npm run demo (sori recipe annyeong): a bidirectional GRU + CTC recogniser of 안녕하세요 syllables',
    config: cfg,
    resultsMarkdown: existsSync(resultsPath) ? readTextFile(resultsPath) : undefined,
    plots,
  });
  console.log(`  ${files.length} pictures in ${join(expDir, 'plots')}; ${report}`);
}

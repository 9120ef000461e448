/**
 * Stages 3 and 4 of a classification recipe: accuracy on dev, heldout (and eval.testPath) through the
 * saved model, the path `sori classify` takes → exp/NAME/RESULTS.md and scores.json; and a demo
 * of a few texts.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  accuracy,
  loadTextClassifier,
  readJsonFile,
  readLabelledTsv,
  resultsTable,
  writeFileAtomic,
  writeJsonAtomic,
  type LabelledText,
} from '../../src/index.ts';
import { classIds, readSplit, type ClassificationRecipeConfig, type ExpDirs } from './data.ts';

export function evaluate(name: string, cfg: ClassificationRecipeConfig, dirs: ExpDirs): void {
  const classifier = loadTextClassifier(dirs.modelDir);
  try {
    const sets: [string, LabelledText[]][] = [['dev', readSplit(dirs.dataDir, 'dev')]];
    if (cfg.data.heldoutFraction > 0) sets.push(['heldout', readSplit(dirs.dataDir, 'heldout')]);
    if (cfg.eval.testPath) {
      const { textColumn, labelColumn } = cfg.data;
      sets.push(['test', readLabelledTsv(cfg.eval.testPath, { textColumn, labelColumn })]);
    }
    const rows: string[][] = [];
    const scores: Record<string, { texts: number; accuracy: number; seconds: number; confusion: number[][] }> = {};
    for (const [setName, data] of sets) {
      const gold = classIds(data, classifier.labels, setName);
      const t0 = performance.now();
      const p = classifier.probabilities(
        data.map((r) => r.text),
        { batchSize: 128 },
      );
      const acc = accuracy(p, gold);
      const K = classifier.labels.length;
      const confusion = Array.from({ length: K }, () => new Array<number>(K).fill(0)); // [K, K]: row actual, column predicted
      p.forEach((row, i) => confusion[gold[i]][row.indexOf(Math.max(...row))]++);
      scores[setName] = { texts: data.length, accuracy: acc, seconds: (performance.now() - t0) / 1000, confusion };
      rows.push([setName, String(data.length), (100 * acc).toFixed(2)]);
    }
    const historyPath = join(dirs.expDir, 'train-history.json');
    type History = { epoch?: number; bestEpoch?: number; seconds?: number; average?: { epochs: number[]; devAccuracy: number } };
    const history = existsSync(historyPath) ? (readJsonFile(historyPath) as (History & { members?: History[]; ensemble?: { devAccuracy: number } }) | null) : undefined;
    const M = classifier.models.length;
    const m = classifier.models[0].config;
    const encoder = m.encoder === 'none' ? 'no encoder' : `${m.bidirectional ? 'bidirectional ' : ''}${m.encoder.toUpperCase()} H=${m.hiddenSize} ×${m.numLayers}`;
    const trained = (h: History) =>
      `${h.epoch} epochs, best dev at epoch ${h.bestEpoch}, ${Number(h.seconds).toFixed(0)} s in the last run` +
      (h.average ? `; the model is the mean of epochs ${h.average.epochs.join(', ')} (dev ${(100 * h.average.devAccuracy).toFixed(2)} % in training)` : '');
    const training = !history
      ? ''
      : M > 1 && Array.isArray(history.members)
        ? `\nTraining: ${M} members (${cfg.train.members.map((x) => JSON.stringify(x)).join(', ')}); ` +
          history.members.map((h, i) => `member ${i + 1}: ${trained(h)}`).join('; ') +
          `; ${Number(history.seconds).toFixed(0)} s for all, ${Math.min(cfg.train.workers, M)} at a time.\n`
        : `\nTraining: ${trained(history)}.\n`;
    const report =
      `# ${name} results\n\n` +
      `Model: ${M > 1 ? `an ensemble of ${M} (the mean of their class probabilities), the first: ` : ''}` +
      `embedding ${m.vocabSize}×${m.embeddingSize}, ${encoder}, pooling ${m.pooling}, dropout ${m.dropout}, ` +
      `${m.loss} cross-entropy; ${cfg.text.unit} units cut to ${m.maxLength} (${cfg.text.keep}) in training` +
      `${classifier.text.maxLength && classifier.text.maxLength !== m.maxLength ? `, to ${classifier.text.maxLength} in evaluation` : ''}.\n\n` +
      resultsTable(['set', 'texts', 'accuracy %'], rows) +
      `\n\nDev picks the epoch${cfg.data.heldoutFraction > 0 ? '; nothing selects on heldout, the estimate to report' : ''}` +
      `${cfg.data.groupColumn ? ` (every split holds its own ${cfg.data.groupColumn}s)` : ''}.\n` +
      training;
    writeFileAtomic(join(dirs.expDir, 'RESULTS.md'), report);
    writeJsonAtomic(join(dirs.expDir, 'scores.json'), scores);
    console.log(report);
  } finally {
    classifier.dispose();
  }
}

export function demo(cfg: ClassificationRecipeConfig, dirs: ExpDirs): void {
  const classifier = loadTextClassifier(dirs.modelDir);
  const p = classifier.probabilities(cfg.demo.texts);
  cfg.demo.texts.forEach((text, i) => {
    const k = p[i].indexOf(Math.max(...p[i]));
    console.log(`${classifier.labels[k]}\t${p[i][k].toFixed(4)}\t${text}`);
  });
  classifier.dispose();
}

/**
 * Stages 3 and 4 of a classification recipe: accuracy on dev (and eval.testPath) through the
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
    const history = existsSync(historyPath) ? (readJsonFile(historyPath) as Record<string, unknown> | null) : undefined;
    const m = classifier.model.config;
    const encoder = m.encoder === 'none' ? 'no encoder' : `${m.bidirectional ? 'bidirectional ' : ''}${m.encoder.toUpperCase()} H=${m.hiddenSize} ×${m.numLayers}`;
    const report =
      `# ${name} results\n\n` +
      `Model: embedding ${m.vocabSize}×${m.embeddingSize}, ${encoder}, pooling ${m.pooling}, dropout ${m.dropout}, ` +
      `${m.loss} cross-entropy; ${cfg.text.unit} units cut to ${m.maxLength} (${cfg.text.keep}).\n\n` +
      resultsTable(['set', 'texts', 'accuracy %'], rows) +
      '\n' +
      (history ? `\nTraining: ${history.epoch} epochs, best dev at epoch ${history.bestEpoch}, ${Number(history.seconds).toFixed(0)} s in the last run.\n` : '');
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

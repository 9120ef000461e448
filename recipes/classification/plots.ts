/**
 * Stage 5 of a classification recipe: its pictures and report page. The training curves (loss
 * and dev accuracy per epoch, the best epoch marked; one picture per ensemble member) and the confusion matrix of each evaluated
 * set (from stage 3's scores.json) go to exp/NAME/plots/ (SVG, PNG, Vega-Lite spec);
 * exp/NAME/report.html holds them with RESULTS.md and the config.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { confusionMatrixPlot, historyCurves, readJsonFile, writeExperimentReport, type NamedPlot } from '../../src/index.ts';
import type { ClassificationRecipeConfig, ExpDirs } from './data.ts';

export async function drawReport(name: string, cfg: ClassificationRecipeConfig, dirs: ExpDirs): Promise<void> {
  const plots: NamedPlot[] = [];
  // An ensemble's members each have their curves (member m ≥ 2 trained in train/member-m/).
  const M = cfg.train.members.length;
  for (let m = 1; m <= M; m++) {
    const curves = historyCurves(m === 1 ? join(dirs.expDir, 'train-history.json') : join(dirs.trainDir, `member-${m}`, 'history.json'), {
      name: m === 1 ? 'curves' : `curves-member-${m}`,
      title: `${name}: training curves${M > 1 ? `, member ${m} of ${M} (${JSON.stringify(cfg.train.members[m - 1])})` : ''}`,
      lossTitle: 'training loss (cross-entropy, nats)',
      scoreTitle: 'dev error (%)',
      scoreScale: 100,
      caption: 'Training cross-entropy and the dev error (1 − accuracy) after each epoch; the dashed rule is the best epoch.',
    });
    if (curves) plots.push(curves);
  }
  const scoresPath = join(dirs.expDir, 'scores.json');
  if (!existsSync(scoresPath)) throw new Error(`${scoresPath} is missing: run stage 3 (evaluate) first`);
  const scores = readJsonFile(scoresPath) as Record<string, { texts: number; accuracy: number; confusion?: number[][] }>;
  const labels = (readJsonFile(join(dirs.modelDir, 'model.json')) as { labels?: string[] }).labels;
  for (const [set, s] of Object.entries(scores)) {
    if (!s.confusion) continue;
    const names = labels ?? s.confusion.map((_, i) => String(i));
    plots.push({
      name: `confusion-${set}`,
      spec: confusionMatrixPlot({
        labels: names.map((l) => `${cfg.data.labelColumn} ${l}`),
        counts: s.confusion,
        title: `${name}: confusion matrix, ${set}`,
        subtitle: `accuracy ${(100 * s.accuracy).toFixed(2)} % of ${s.texts} texts`,
      }),
      caption: `${set}: texts of each actual class (rows) by the predicted class (columns).`,
    });
  }
  const { report, files } = await writeExperimentReport({
    expDir: dirs.expDir,
    title: name,
    subtitle: `sori recipe ${name}: a many-to-one sequence classifier`,
    config: cfg,
    plots,
  });
  console.log(`  ${files.length} pictures in ${join(dirs.expDir, 'plots')}; ${report}`);
}

/**
 * The last stage of the translation recipes: the training curves (loss, dev BLEU, dev exact
 * match, the best epoch marked) and the attention of a few sentences of the first eval set,
 * to exp/NAME/plots/ (SVG, PNG, Vega-Lite spec), and exp/NAME/report.html with RESULTS.md and
 * the config.
 */
import { join } from 'node:path';
import { attentionPlot, historyCurves, loadTranslator, writeExperimentReport, type NamedPlot } from '../../src/index.ts';
import { readSplit, type TranslationRecipeConfig } from './data.ts';

export async function report(
  name: string,
  { expDir, dataDir, modelDir }: { expDir: string; dataDir: string; modelDir: string },
  cfg: TranslationRecipeConfig,
): Promise<void> {
  const plots: NamedPlot[] = [];
  const curves = historyCurves(join(expDir, 'train-history.json'), {
    title: `${name}: training curves`,
    lossTitle: 'training loss (nats per target token)',
    caption:
      'Training cross-entropy per epoch (with label smoothing), dev BLEU and dev exact match of greedy translations; ' +
      `the dashed rule is the epoch kept (selected by ${cfg.train.selectBy === 'bleu' ? 'BLEU' : 'exact match'}).`,
  });
  if (curves) plots.push(curves);
  const split = cfg.decode.evalSets[0];
  const pairs = readSplit(dataDir, split).slice(0, cfg.report.attentionSentences);
  const translator = loadTranslator(modelDir);
  try {
    const out = translator.translate(pairs.map((p) => p.source), { beamWidth: cfg.decode.beam });
    out.forEach((t, i) => {
      plots.push({
        name: `attention-${split}-${i + 1}`,
        spec: attentionPlot({
          sourceTokens: t.sourceTokens,
          targetTokens: t.targetTokens,
          weights: t.attention,
          title: `${name}: attention, ${split} sentence ${i + 1}`,
          subtitle: `“${pairs[i].source}” → “${t.text}” (reference “${pairs[i].target}”)`,
        }),
        caption: `Attention weights of each generated token (rows) over the source tokens (columns); each row sums to 1. Search: ${cfg.decode.beam > 1 ? `beam ${cfg.decode.beam}` : 'greedy'}.`,
      });
    });
  } finally {
    translator.dispose();
  }
  const { report, files } = await writeExperimentReport({
    expDir,
    title: name,
    subtitle: `npm run recipe -- ${name}`,
    config: cfg,
    plots,
  });
  console.log(`  ${files.length} pictures in ${join(expDir, 'plots')}; ${report}`);
}

/**
 * Stage 6 of the shapes-caption recipe: its pictures and report page. The training curves (loss,
 * dev BLEU and exact match per epoch, the best epoch marked), and for the first few test images
 * the attention of each generated word over the CNN's grid drawn over the image, go to
 * exp/shapes-caption/plots/ (SVG, PNG, Vega-Lite spec); report.html holds them with RESULTS.md
 * and the config.
 */
import { join } from 'node:path';
import { historyCurves, imageAttentionPlot, loadCaptioner, readRegularFile, writeExperimentReport, type NamedPlot } from '../../src/index.ts';
import type { ImageSet } from './data.ts';

export async function drawReport(
  { expDir, modelDir, set, count, beam, config }: { expDir: string; modelDir: string; set: ImageSet; count: number; beam: number; config: unknown },
): Promise<void> {
  const plots: NamedPlot[] = [];
  const curves = historyCurves(join(expDir, 'train-history.json'), {
    title: 'shapes-caption: training curves',
    lossTitle: 'training loss (nats per word)',
    scoreTitle: 'dev score',
    caption: 'Training cross-entropy per word and the dev scores after each epoch; the dashed rule is the best epoch.',
  });
  if (curves) plots.push(curves);
  const captioner = loadCaptioner(modelDir);
  try {
    const paths = set.paths.slice(0, count);
    const out = captioner.captionFiles(paths, { beamWidth: beam });
    out.forEach((r, i) => {
      if (!r.caption || r.caption.attention.length === 0 || r.caption.attention[0].length <= 1) return; // no grid attention to draw
      const side = r.caption.gridSide;
      const image = `data:image/png;base64,${Buffer.from(readRegularFile(r.path, { what: 'image' })).toString('base64')}`;
      plots.push({
        name: `attention-test-${i + 1}`,
        spec: imageAttentionPlot({
          words: r.caption.tokens,
          weights: r.caption.attention,
          gridHeight: side,
          gridWidth: side,
          image,
          title: `“${r.caption.text}”`,
          subtitle: `${set.ids[i]}; references: ${set.references[i].join(' | ')}`,
        }),
        caption: `Test image ${set.ids[i]}: the attention of each generated word over the ${side}×${side} grid of CNN cells, drawn over the image.`,
      });
    });
  } finally {
    captioner.dispose();
  }
  const { report, files } = await writeExperimentReport({
    expDir,
    title: 'shapes-caption',
    subtitle: 'sori recipe shapes-caption: a CNN encoder and a GRU decoder with attention over the image grid',
    config,
    plots,
  });
  console.log(`  ${files.length} pictures in ${join(expDir, 'plots')}; ${report}`);
}

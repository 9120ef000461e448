/**
 * Stage 7 of the stock recipe: its pictures and report page. The training curves of each model
 * (loss and dev MAE per epoch, the best epoch marked), and for each target the test day's actual
 * values against the one-step model's forecasts (k = 1: each minute forecast from the bars up to
 * the minute before), go to exp/stock/plots/ (SVG, PNG, Vega-Lite spec); exp/stock/report.html
 * holds them with RESULTS.md and the config.
 */
import { join } from 'node:path';
import { forecastPlot, historyCurves, loadForecaster, predictDirect, writeExperimentReport, type NamedPlot } from '../../src/index.ts';
import type { StockConfig } from './config.ts';
import type { StockData } from './data.ts';

/** Units of each target as drawn: return and range in basis points, log volume as it is. */
const DRAWN = [
  { target: 'return', scale: 1e4, title: 'return (bp, ln Close_t/Close_{t−1} × 10⁴)' },
  { target: 'logvolume', scale: 1, title: 'log volume, ln(1 + shares)' },
  { target: 'range', scale: 1e4, title: 'range (bp, ln High_t/Low_t × 10⁴)' },
] as const;

export async function drawReport(
  { expDir, data, oneStepDir, trained }: { expDir: string; data: StockData; oneStepDir: string; trained: { name: string; trainDir: string }[] },
  cfg: StockConfig,
): Promise<void> {
  const plots: NamedPlot[] = [];
  for (const { name, trainDir } of trained) {
    const curves = historyCurves(join(trainDir, 'history.json'), {
      name: `curves-${name}`,
      title: `stock: training curves, ${name} model`,
      lossTitle: `training loss (${cfg.train.loss.toUpperCase()}, standardised)`,
      scoreTitle: 'dev MAE (standardised)',
      caption: `The ${name} model: training loss and dev MAE (both in standardised units, all targets and minutes) after each epoch; the dashed rule is the best epoch.`,
    });
    if (curves) plots.push(curves);
  }
  // The test day, k = 1: bar n forecast from the window ending at bar n − 1.
  const loaded = loadForecaster(oneStepDir);
  try {
    const C = DRAWN.length;
    const T = loaded.model.config.window;
    const rows = data.rows.test.filter((n) => n - 1 >= T - 1);
    const predicted = predictDirect(loaded, data.series, rows.map((n) => n - 1)); // [B, 1, C]
    for (const [c, { target, scale, title }] of DRAWN.entries()) {
      const masked = (n: number) => data.series.targetMask[n * C + c] === 0;
      plots.push({
        name: `forecast-test-${target}`,
        spec: forecastPlot({
          time: rows.map((_, i) => i),
          actual: rows.map((n) => (masked(n) ? NaN : data.series.targets[n * C + c] * scale)),
          predicted: rows.map((n, i) => (masked(n) ? NaN : predicted[i * C + c] * scale)),
          valueTitle: title,
          timeTitle: `minute of the test day (${cfg.data.testDays.join(', ')}, from the open)`,
          title: `stock: ${target} on the test day, actual and forecast one minute ahead`,
        }),
        caption: `${target}: the test day's actual values and the one-step model's forecasts, each from the bars up to the minute before.`,
      });
    }
  } finally {
    loaded.dispose();
  }
  const { report, files } = await writeExperimentReport({
    expDir,
    title: 'stock',
    subtitle: 'sori recipe stock: one-minute AAPL forecasting with an RNN and baselines',
    config: cfg,
    plots,
  });
  console.log(`  ${files.length} pictures in ${join(expDir, 'plots')}; ${report}`);
}

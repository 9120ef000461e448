/**
 * Stage 1 of the stock recipe and what the later stages read back: the bars, their series, the
 * rows of each split (by trading day only) and the standardisation fitted on the training days.
 */
import { existsSync } from 'node:fs';
import {
  barSeries,
  FEATURES,
  fitStandardizer,
  indicesOfDays,
  readBarsCsv,
  readJsonFile,
  TARGETS,
  tradingDays,
  writeJsonAtomic,
  type Series,
  type Standardizer,
} from '../../src/index.ts';
import type { StockConfig } from './config.ts';

export const SPLITS = ['train', 'dev', 'test'] as const;
export type Split = (typeof SPLITS)[number];

export interface StockData {
  series: Series;
  /** The bars of each split (the minutes whose targets count there). */
  rows: Record<Split, number[]>;
  featureScaler: Standardizer;
  targetScaler: Standardizer;
}

/** The scalers of stage 1's file: μ and σ (σ > 0) of the F features and the C targets. */
function savedScalers(json: unknown): Pick<StockData, 'featureScaler' | 'targetScaler'> {
  const saved = json as Record<string, unknown> | null;
  const scaler = (key: 'featureScaler' | 'targetScaler', D: number): Standardizer => {
    const s = saved?.[key] as Partial<Standardizer> | undefined;
    const ok = (v: unknown, positive: boolean) => Array.isArray(v) && v.length === D && v.every((x) => Number.isFinite(x) && (!positive || x > 0));
    if (!ok(s?.mean, false) || !ok(s?.std, true)) throw new Error(`${key}: expected { mean: ${D} finite numbers, std: ${D} positive numbers }`);
    return s as Standardizer;
  };
  return { featureScaler: scaler('featureScaler', FEATURES.length), targetScaler: scaler('targetScaler', TARGETS.length) };
}

/** Read the CSV and split it; the scalers come from `prepared` (stage 1's file) when given. */
export function loadStockData(cfg: StockConfig, prepared?: string): StockData {
  const bars = readBarsCsv(cfg.data.csv);
  const days = tradingDays(bars);
  const splitDays: Record<Split, string[]> = { train: cfg.data.trainDays, dev: cfg.data.devDays, test: cfg.data.testDays };
  const seen = new Map<string, Split>();
  for (const split of SPLITS) {
    if (splitDays[split].length === 0) throw new Error(`data.${split}Days is empty`);
    for (const day of splitDays[split]) {
      if (!days.includes(day)) throw new Error(`data.${split}Days: ${cfg.data.csv} has no bars on '${day}' (days: ${days.join(', ')})`);
      if (seen.has(day)) throw new Error(`data.${split}Days: '${day}' is also in data.${seen.get(day)}Days`);
      seen.set(day, split);
    }
  }
  const last = (split: Split) => splitDays[split].reduce((a, b) => (a > b ? a : b));
  const first = (split: Split) => splitDays[split].reduce((a, b) => (a < b ? a : b));
  if (!(last('train') < first('dev') && last('dev') < first('test'))) {
    throw new Error(`the split must follow time: train days before dev days before test days, got ${JSON.stringify(splitDays)}`);
  }
  const series = barSeries(bars);
  const rows = Object.fromEntries(SPLITS.map((s) => [s, indicesOfDays(bars, splitDays[s])])) as Record<Split, number[]>;
  if (prepared && existsSync(prepared)) {
    const saved = readJsonFile(prepared, { as: savedScalers });
    return { series, rows, ...saved };
  }
  // Targets are standardised with their feature columns' statistics (the first C of the F), so
  // that the forecaster's window level (config `centre`) is in the same units on both sides.
  const featureScaler = fitStandardizer(series.features, FEATURES.length, rows.train);
  const C = TARGETS.length;
  return { series, rows, featureScaler, targetScaler: { mean: featureScaler.mean.slice(0, C), std: featureScaler.std.slice(0, C) } };
}

/** Stage 1: check the data and the split, fit the scalers on the training days, write `path`. */
export function prepareStockData(cfg: StockConfig, path: string): void {
  const data = loadStockData(cfg);
  for (const split of SPLITS) {
    const bars = data.rows[split].map((n) => data.series.bars[n]);
    console.log(`  ${split}: ${bars.length} bars, ${bars[0].datetime} … ${bars[bars.length - 1].datetime}`);
  }
  writeJsonAtomic(path, {
    csv: cfg.data.csv,
    bars: Object.fromEntries(SPLITS.map((s) => [s, data.rows[s].length])),
    features: FEATURES,
    targets: TARGETS,
    featureScaler: data.featureScaler,
    targetScaler: data.targetScaler,
  });
}

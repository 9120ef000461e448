/**
 * Stage 2 of the stock recipe: the baselines' fitted parts, from the training days only: each
 * target's training mean, and its AR(τ) fitted by least squares with τ chosen on dev.
 */
import { chooseArOrder, featureColumn, targetColumn, TARGETS, writeJsonAtomic, type ArModel } from '../../src/index.ts';
import type { StockConfig } from './config.ts';
import type { StockData } from './data.ts';

export interface FittedBaselines {
  /** ȳ per target over the training days. */
  trainMean: number[];
  /** AR(τ) per target. */
  ar: ArModel[];
  /** One-step dev MSE of each candidate τ, per target. */
  arDevMse: Record<string, Record<number, number>>;
}

export function fitBaselines(cfg: StockConfig, data: StockData, path: string): FittedBaselines {
  const fitted: FittedBaselines = { trainMean: [], ar: [], arDevMse: {} };
  TARGETS.forEach((target, c) => {
    const x = featureColumn(data.series, c);
    const { y, mask } = targetColumn(data.series, c);
    const kept = data.rows.train.filter((n) => mask[n]);
    fitted.trainMean.push(kept.reduce((sum, n) => sum + y[n], 0) / kept.length);
    const { model, devMse } = chooseArOrder(x, y, cfg.ar.orders, data.rows.train, data.rows.dev, mask);
    fitted.ar.push(model);
    fitted.arDevMse[target] = devMse;
    console.log(`  ${target}: training mean ${fitted.trainMean[c].toPrecision(4)}, AR(${model.order}) chosen on dev`);
  });
  writeJsonAtomic(path, fitted);
  return fitted;
}

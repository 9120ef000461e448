/**
 * Stage 4 of the stock recipe: every method forecasts the same minutes of a split (each minute
 * of its days, k = 1 … K minutes ahead, from the bars up to k minutes before) and is scored
 * with the same mask: the RNN (all K minutes at once), the one-step RNN repeated K times,
 * persistence, zero, the training mean and AR(τ).
 */
import {
  arForecasts,
  constantForecast,
  loadForecaster,
  makeWindows,
  persistenceForecast,
  predictDirect,
  predictIterated,
  scoreForecast,
  windowEnds,
  zeroForecast,
  type ForecastScores,
} from '../../src/index.ts';
import type { FittedBaselines } from './baselines.ts';
import type { StockData, Split } from './data.ts';

export type MethodScores = Record<string, ForecastScores>;

export function evaluateSplit(opts: {
  data: StockData;
  baselines: FittedBaselines;
  split: Split;
  /** The K-minute model, and the one-step model to repeat (the same directory when K = 1). */
  modelDir: string;
  oneStepDir: string;
}): MethodScores {
  const { data, baselines, split } = opts;
  const direct = loadForecaster(opts.modelDir);
  const { window: T, horizon: K } = direct.model.config;
  const windowOpts = { window: T, horizon: K, features: data.featureScaler, targets: data.targetScaler };
  const ends = windowEnds(data.series.length, windowOpts, data.rows[split]);
  const { mask } = makeWindows(data.series, ends, windowOpts, data.rows[split]); // [B, K, C]
  const tauMax = Math.max(...baselines.ar.map((m) => m.order));
  if (ends[0] + 1 < tauMax) throw new Error(`${split}: the first window ends at bar ${ends[0]}, before AR(${tauMax}) has its lags`);
  const predictions: Record<string, Float64Array> = { rnn: predictDirect(direct, data.series, ends) };
  direct.dispose();
  if (K > 1) {
    const oneStep = loadForecaster(opts.oneStepDir);
    predictions['rnn 1-step repeated'] = predictIterated(oneStep, data.series, ends, K);
    oneStep.dispose();
  }
  predictions.persistence = persistenceForecast(data.series, ends, K);
  predictions.zero = zeroForecast(ends, K);
  predictions['training mean'] = constantForecast(ends, K, baselines.trainMean);
  predictions['AR(τ)'] = arForecasts(data.series, ends, K, baselines.ar);
  return Object.fromEntries(Object.entries(predictions).map(([name, p]) => [name, scoreForecast(data.series, ends, K, p, mask)]));
}

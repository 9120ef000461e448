/**
 * The baselines every forecaster is compared with, each a prediction [B, K, C] row-major (in the
 * targets' own units) for the K minutes after each window end s in `ends`, from bars up to s:
 *
 *   persistence   ŷ_{s+k} = x_s          the last value, for every k
 *   zero          ŷ_{s+k} = 0            (meaningful for `return`: "no change")
 *   mean          ŷ_{s+k} = ȳ_train      the training days' mean of each target
 *   AR(τ)         ŷ_{s+k} by the AR recursion of ar.ts, iterated k times
 *
 * x is the target's input series (feature column c < C of series.ts).
 */
import { arForecast, type ArModel } from './ar.ts';
import { C, F, type Series } from './series.ts';

/** Feature column c over all bars, [N]. */
export function featureColumn(series: Series, c: number): Float64Array {
  const out = new Float64Array(series.length);
  for (let n = 0; n < series.length; n++) out[n] = series.features[n * F + c];
  return out;
}

/** Target column c and its mask over all bars, [N] each. */
export function targetColumn(series: Series, c: number): { y: Float64Array; mask: Uint8Array } {
  const y = new Float64Array(series.length);
  const mask = new Uint8Array(series.length);
  for (let n = 0; n < series.length; n++) (y[n] = series.targets[n * C + c]), (mask[n] = series.targetMask[n * C + c]);
  return { y, mask };
}

function fill(ends: readonly number[], K: number, value: (s: number, k: number, c: number) => number): Float64Array {
  const out = new Float64Array(ends.length * K * C);
  ends.forEach((s, b) => {
    for (let k = 1; k <= K; k++) for (let c = 0; c < C; c++) out[(b * K + k - 1) * C + c] = value(s, k, c);
  });
  return out;
}

/** ŷ_{s+k} = x_s: the last value of each target's input series. */
export function persistenceForecast(series: Series, ends: readonly number[], K: number): Float64Array {
  return fill(ends, K, (s, _, c) => series.features[s * F + c]);
}

/** ŷ = 0 everywhere. */
export function zeroForecast(ends: readonly number[], K: number): Float64Array {
  return new Float64Array(ends.length * K * C);
}

/** ŷ = the given per-target constants (the training mean) [C]. */
export function constantForecast(ends: readonly number[], K: number, values: readonly number[]): Float64Array {
  if (values.length !== C) throw new Error(`constantForecast: expected ${C} values, got ${values.length}`);
  return fill(ends, K, (_, __, c) => values[c]);
}

/** AR(τ) per target (`models[c]`), iterated K steps from the τ values up to s. */
export function arForecasts(series: Series, ends: readonly number[], K: number, models: readonly ArModel[]): Float64Array {
  if (models.length !== C) throw new Error(`arForecasts: expected ${C} AR models, got ${models.length}`);
  const out = new Float64Array(ends.length * K * C);
  models.forEach((model, c) => {
    const x = featureColumn(series, c);
    ends.forEach((s, b) => {
      if (s + 1 < model.order) throw new Error(`arForecasts: AR(${model.order}) needs ${model.order} bars up to ${s}`);
      const ys = arForecast(model, x.subarray(s + 1 - model.order, s + 1), K);
      ys.forEach((v, k) => (out[(b * K + k) * C + c] = v));
    });
  });
  return out;
}

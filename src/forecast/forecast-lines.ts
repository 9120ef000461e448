/**
 * What `sori forecast` writes: for every minute that has a full input window, one line per
 * target of the model,
 *
 *   DATETIME<TAB>TARGET<TAB>PREDICTED
 *
 * DATETIME is the predicted minute exactly as written in the CSV, TARGET the target's name
 * (return, logvolume, range) and PREDICTED the forecast in the target's own units. With
 * `step` k the forecast is the model's k-th minute ahead, made from the window ending k
 * minutes (bars) before the predicted one; minutes after the last bar of the CSV have no
 * DATETIME and get no line.
 */
import type { Bar } from './bars.ts';
import { predictDirect, type LoadedForecaster } from './forecaster-dir.ts';
import { barSeries, C, TARGETS } from './series.ts';

export function forecastLines(loaded: LoadedForecaster, bars: Bar[], { step = 1 }: { step?: number } = {}): string[] {
  const { window: T, horizon: K } = loaded.model.config;
  if (!(Number.isInteger(step) && step >= 1 && step <= K)) {
    throw new Error(`step: expected an integer in [1, ${K}] (the model's horizon), got ${step}`);
  }
  const series = barSeries(bars);
  const ends: number[] = [];
  for (let s = T - 1; s + step < bars.length; s++) ends.push(s);
  const pred = predictDirect(loaded, series, ends); // [B, K, C]
  const lines: string[] = [];
  ends.forEach((s, b) => {
    for (let c = 0; c < C; c++) {
      const v = pred[(b * K + step - 1) * C + c];
      lines.push(`${bars[s + step].datetime}\t${TARGETS[c]}\t${Number(v.toPrecision(7))}`);
    }
  });
  return lines;
}

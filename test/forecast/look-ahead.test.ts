// No look-ahead: a forecast for minute t is unchanged when the bars from t on are altered, for
// the RNN (direct and repeated one-step, through `sori forecast`'s lines too) and every baseline.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  arForecasts,
  barSeries,
  createForecaster,
  disposeForecaster,
  FEATURES,
  fitStandardizer,
  forecastLines,
  forecasterDefaults,
  loadForecaster,
  parseBarsCsv,
  persistenceForecast,
  predictDirect,
  predictIterated,
  saveForecaster,
  TARGETS,
  type Bar,
} from '../../src/index.ts';
import { syntheticCsv } from './helpers.ts';

const root = mkdtempSync(join(tmpdir(), 'sori-look-ahead-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const bars = parseBarsCsv(syntheticCsv({ days: 3, barsPerDay: 30, seed: 5 }));
const t = 47; // the minute predicted (second day); the window ends at t − 1
/** The same bars with every bar from t on changed (prices ×1.5 and jittered, volume ×7). */
const altered: Bar[] = bars.map((b, n) =>
  n < t ? b : { ...b, open: b.open * 1.5, high: b.high * 1.6, low: b.low * 1.4, close: b.close * (1.5 + 0.01 * (n % 3)), volume: b.volume * 7 + n },
);

function savedModel(horizon: number): string {
  const series = barSeries(bars);
  const rows = Array.from({ length: 30 }, (_, n) => n);
  const dir = join(root, `model-${horizon}`);
  const model = createForecaster({ ...forecasterDefaults, hiddenSize: 5, window: 10, horizon, seed: 9 });
  saveForecaster(dir, model, {
    featureScaler: fitStandardizer(series.features, FEATURES.length, rows),
    targetScaler: fitStandardizer(series.targets, TARGETS.length, rows, series.targetMask),
  });
  disposeForecaster(model);
  return dir;
}

describe('no look-ahead', () => {
  it('the altered bars do change the forecasts of later minutes (the check can fail)', () => {
    const loaded = loadForecaster(savedModel(1));
    const [a, b] = [bars, altered].map((bs) => predictDirect(loaded, barSeries(bs), [t + 2]));
    expect(Array.from(a)).not.toEqual(Array.from(b));
    loaded.dispose();
  });

  it('the RNN forecast of minute t (all K minutes from t on) ignores bars t, t + 1, …', () => {
    const loaded = loadForecaster(savedModel(3));
    const [a, b] = [bars, altered].map((bs) => predictDirect(loaded, barSeries(bs), [t - 1]));
    expect(Array.from(b)).toEqual(Array.from(a));
    loaded.dispose();
  });

  it('the repeated one-step RNN ignores them too', () => {
    const loaded = loadForecaster(savedModel(1));
    const [a, b] = [bars, altered].map((bs) => predictIterated(loaded, barSeries(bs), [t - 1], 4));
    expect(Array.from(b)).toEqual(Array.from(a));
    loaded.dispose();
  });

  it("sori forecast's line for minute t is the same", () => {
    const loaded = loadForecaster(savedModel(1));
    const lineOf = (bs: Bar[]) => forecastLines(loaded, bs).filter((l) => l.startsWith(bars[t].datetime));
    expect(lineOf(bars)).toHaveLength(3);
    expect(lineOf(altered)).toEqual(lineOf(bars));
    loaded.dispose();
  });

  it('persistence and AR(τ) ignore them', () => {
    const ar = TARGETS.map(() => ({ order: 3, intercept: 0.1, coefficients: [0.5, 0.2, 0.1] }));
    const [a, b] = [bars, altered].map((bs) => {
      const s = barSeries(bs);
      return [...persistenceForecast(s, [t - 1], 3), ...arForecasts(s, [t - 1], 3, ar)];
    });
    expect(b).toEqual(a);
  });
});

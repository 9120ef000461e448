// The RNN forecaster: shapes, batch consistency, the repeated one-step model against a plain
// run over the longer window, the model directory round trip, and no tensor left behind.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  barSeries,
  createForecaster,
  disposeForecaster,
  FEATURES,
  fitStandardizer,
  forecast,
  forecasterDefaults,
  forecasterIterate,
  loadForecaster,
  parseBarsCsv,
  predictDirect,
  saveForecaster,
  TARGETS,
} from '../../src/index.ts';
import { syntheticCsv } from './helpers.ts';

const F = FEATURES.length;
const C = TARGETS.length;
const config = { ...forecasterDefaults, hiddenSize: 6, window: 8, horizon: 2, seed: 3 };
const root = mkdtempSync(join(tmpdir(), 'sori-forecaster-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('forecast', () => {
  it('maps x [B, T, F] to [B, K, C]', () => {
    const model = createForecaster(config);
    const y = forecast(model, tf.randomNormal([4, 8, F], 0, 1, 'float32', 1) as tf.Tensor3D);
    expect(y.shape).toEqual([4, 2, C]);
    disposeForecaster(model);
  });

  it('gives a window the same forecast alone (B = 1) as in a batch (B = 3)', () => {
    const model = createForecaster(config);
    const x = tf.randomNormal([3, 8, F], 0, 1, 'float32', 2) as tf.Tensor3D;
    const all = forecast(model, x).arraySync();
    const one = forecast(model, tf.slice(x, [1, 0, 0], [1, 8, F])).arraySync();
    one[0].flat().forEach((v, i) => expect(v).toBeCloseTo(all[1].flat()[i], 5));
    disposeForecaster(model);
  });

  it('with centring, follows a shift δ of the centred channels: ŷ(x + δ) = ŷ(x) + δ', () => {
    const model = createForecaster({ ...config, centre: [0, 1, 2] });
    const x = tf.randomNormal([2, 8, F], 0, 1, 'float32', 6) as tf.Tensor3D;
    const delta = tf.tensor3d(Array.from({ length: F }, (_, f) => (f < C ? [1.5, -2, 0.25][f] : 0)), [1, 1, F]);
    const base = forecast(model, x).arraySync();
    const moved = forecast(model, tf.add(x, delta) as tf.Tensor3D).arraySync();
    moved.forEach((row, b) => row.forEach((step, k) => step.forEach((v, c) => expect(v).toBeCloseTo(base[b][k][c] + [1.5, -2, 0.25][c], 4))));
    disposeForecaster(model);
  });

  it('names a centred channel that is not a target', () => {
    expect(() => createForecaster({ ...config, centre: [3] })).toThrow(/centre\[0\]: expected an integer in \[0, 2\], got 3/);
  });

  it('names the feature axis when x has the wrong F', () => {
    const model = createForecaster(config);
    expect(() => forecast(model, tf.zeros([1, 8, F + 1]) as tf.Tensor3D)).toThrow(/x: axis 2 must be 7 \(features per step F\)/);
    disposeForecaster(model);
  });

  it('leaves no tensor behind (forecast and forecasterIterate)', () => {
    const model = createForecaster(config);
    const one = createForecaster({ ...config, horizon: 1 });
    const x = tf.randomNormal([2, 8, F]) as tf.Tensor3D;
    forecast(model, x).dispose();
    forecasterIterate(one, x, 3, () => new Float32Array(2 * F)).dispose();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      forecast(model, x, { training: true }).dispose();
      forecasterIterate(one, x, 3, () => new Float32Array(2 * F)).dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    disposeForecaster(model);
    disposeForecaster(one);
  });
});

describe('forecasterIterate', () => {
  it.each(['gru', 'lstm', 'simple', 'mgu'] as const)('equals a plain forecast over the window extended by the fed-back step (%s)', (cell) => {
    // without centring (with it, every step keeps the first window's level: see below)
    const model = createForecaster({ ...config, cell, horizon: 1, centre: [] });
    const x = tf.randomNormal([2, 8, F], 0, 1, 'float32', 4) as tf.Tensor3D;
    const fed = new Float32Array(2 * F).map((_, i) => Math.sin(i)); // what nextInput returns
    const iterated = forecasterIterate(model, x, 2, () => fed).arraySync(); // [B, 2, C]
    const first = forecast(model, x).arraySync(); // [B, 1, C]
    const extended = tf.concat([x, tf.tensor3d(fed, [2, 1, F])], 1) as tf.Tensor3D; // [B, T + 1, F]
    const second = forecast(model, extended).arraySync();
    for (let b = 0; b < 2; b++) {
      for (let c = 0; c < C; c++) {
        expect(iterated[b][0][c]).toBeCloseTo(first[b][0][c], 5);
        expect(iterated[b][1][c]).toBeCloseTo(second[b][0][c], 5);
      }
    }
    disposeForecaster(model);
  });

  it('with centring, starts at the plain forecast and keeps the first window’s level', () => {
    const model = createForecaster({ ...config, horizon: 1, centre: [1, 2] });
    const x = tf.randomNormal([2, 8, F], 0, 1, 'float32', 5) as tf.Tensor3D;
    const fed = new Float32Array(2 * F).map((_, i) => Math.cos(i));
    const iterated = forecasterIterate(model, x, 2, () => fed).arraySync();
    const first = forecast(model, x).arraySync();
    iterated.forEach((row, b) => row[0].forEach((v, c) => expect(v).toBeCloseTo(first[b][0][c], 5)));
    // shifting the target channels of the window and of the fed-back step by δ shifts both predictions by δ
    // shifting the centred channels (1, 2) of the window and of the fed-back step by δ shifts those predictions by δ
    const delta = tf.tensor3d(Array.from({ length: F }, (_, f) => (f === 1 || f === 2 ? 0.7 : 0)), [1, 1, F]);
    const fedShifted = fed.map((v, i) => (i % F === 1 || i % F === 2 ? v + 0.7 : v));
    const shifted = forecasterIterate(model, tf.add(x, delta) as tf.Tensor3D, 2, () => fedShifted).arraySync();
    shifted.forEach((row, b) =>
      row.forEach((step, k) => step.forEach((v, c) => c > 0 && expect(v).toBeCloseTo(iterated[b][k][c] + 0.7, 4))),
    );
    disposeForecaster(model);
  });

  it('refuses a model of horizon > 1', () => {
    const model = createForecaster(config);
    expect(() => forecasterIterate(model, tf.zeros([1, 8, F]) as tf.Tensor3D, 2, () => new Float32Array(F))).toThrow(/horizon 1, got horizon 2/);
    disposeForecaster(model);
  });
});

describe('model directory', () => {
  it('loads back to the same predictions, in the targets’ units', () => {
    const series = barSeries(parseBarsCsv(syntheticCsv({ days: 2, barsPerDay: 30 })));
    const rows = Array.from({ length: 30 }, (_, n) => n);
    const scalers = {
      featureScaler: fitStandardizer(series.features, F, rows),
      targetScaler: fitStandardizer(series.targets, C, rows, series.targetMask),
    };
    const model = createForecaster(config);
    const dir = join(root, 'model');
    saveForecaster(dir, model, scalers);
    const loaded = loadForecaster(dir);
    const ends = [10, 20, 40];
    const a = predictDirect({ model, card: loaded.card, dispose: () => {} }, series, ends);
    const b = predictDirect(loaded, series, ends);
    expect(Array.from(b)).toEqual(Array.from(a));
    // logvolume predictions are near the training level (ln(1 + ~1e5) ≈ 11.5), not standardised values
    expect(Math.abs(b[1] - scalers.targetScaler.mean[1])).toBeLessThan(5 * scalers.targetScaler.std[1]);
    loaded.dispose();
    disposeForecaster(model);
  });
});

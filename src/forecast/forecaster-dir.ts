/**
 * A forecaster's model directory (`model.json` + `weights.safetensors`) and its predictions in
 * the targets' own units. model.json carries everything inference needs besides the weights:
 * the model config, the feature and target names and the standardisation fitted on the
 * training days.
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { writeJsonAtomic } from '../io/atomic.ts';
import { loadWeights, saveWeights } from '../io/weights.ts';
import {
  createForecaster,
  disposeForecaster,
  forecast,
  forecasterIterate,
  forecasterWeights,
  type Forecaster,
  type ForecasterConfig,
} from './forecaster.ts';
import { C, clockFeatures, F, FEATURES, SESSION_MINUTES, SESSION_OPEN, TARGETS, type Series } from './series.ts';
import { standardize, unstandardize, type Standardizer } from './standardize.ts';
import { makeWindows } from './windowing.ts';
import { readModelJson } from '../io/model-dir.ts';

export type ForecasterCard = {
  model: ForecasterConfig;
  features: string[];
  targets: string[];
  /** μ, σ of the F features and of the C targets, fitted on the training days. */
  featureScaler: Standardizer;
  targetScaler: Standardizer;
};

export interface LoadedForecaster {
  model: Forecaster;
  card: ForecasterCard;
  dispose(): void;
}

/** Write `dir/model.json` and `dir/weights.safetensors` (each atomically). */
export function saveForecaster(dir: string, model: Forecaster, scalers: Pick<ForecasterCard, 'featureScaler' | 'targetScaler'>): void {
  saveWeights(join(dir, 'weights.safetensors'), forecasterWeights(model));
  const card: ForecasterCard = { model: model.config, features: [...FEATURES], targets: [...TARGETS], ...scalers };
  writeJsonAtomic(join(dir, 'model.json'), card);
}

/** Load a model directory written by saveForecaster. */
export function loadForecaster(dir: string): LoadedForecaster {
  const cardPath = join(dir, 'model.json');
  const card = readModelJson(dir, 'model.json') as ForecasterCard; // a regular file; errors name it, never quote it
  if (card.features?.join() !== FEATURES.join() || card.targets?.join() !== TARGETS.join()) {
    throw new Error(
      `${cardPath}: features [${card.features}] and targets [${card.targets}] differ from this version's [${FEATURES}] and [${TARGETS}]`,
    );
  }
  const model = createForecaster(card.model);
  loadWeights(join(dir, 'weights.safetensors'), forecasterWeights(model));
  return { model, card, dispose: () => disposeForecaster(model) };
}

/** Run `fn` on chunks of `ends` and concatenate its [b, K, C] outputs into [B, K, C]. */
function inBatches(ends: readonly number[], K: number, batchSize: number, fn: (chunk: number[]) => Float32Array): Float64Array {
  const out = new Float64Array(ends.length * K * C);
  for (let i = 0; i < ends.length; i += batchSize) out.set(fn(ends.slice(i, i + batchSize)), i * K * C);
  return out;
}

function unstandardizeTargets(card: ForecasterCard, z: Float32Array): Float32Array {
  const out = new Float32Array(z.length);
  for (let i = 0; i < z.length; i++) out[i] = unstandardize(card.targetScaler, i % C, z[i]);
  return out;
}

/**
 * The model's predictions for the K minutes after each window end s in `ends`, in the targets'
 * own units: [B, K, C] row-major (K = the model's horizon).
 */
export function predictDirect(loaded: LoadedForecaster, series: Series, ends: readonly number[], batchSize = 256): Float64Array {
  const { model, card } = loaded;
  const K = model.config.horizon;
  const opts = { window: model.config.window, horizon: K, features: card.featureScaler, targets: card.targetScaler };
  return inBatches(ends, K, batchSize, (chunk) => {
    const w = makeWindows(series, chunk, opts);
    const x = tf.tensor3d(w.x, [chunk.length, w.T, F]); // [B, T, F]
    const y = forecast(model, x); // [B, K, C]
    const z = y.dataSync() as Float32Array;
    tf.dispose([x, y]);
    return unstandardizeTargets(card, z);
  });
}

/**
 * The clock of the minute `k` after bar `s`, from bar s alone: within the session it is s's
 * minute + k; past 16:00 it wraps to the next session's open (a day's first bar).
 */
function clockAfter(series: Series, s: number, k: number): ReturnType<typeof clockFeatures> {
  const session = series.bars[s].minuteOfDay - SESSION_OPEN + k;
  const wrapped = session >= SESSION_MINUTES ? session - SESSION_MINUTES : session;
  return clockFeatures(SESSION_OPEN + wrapped, session === SESSION_MINUTES);
}

/**
 * A K = 1 model repeated `steps` times (forecasterIterate): each predicted minute's targets are
 * fed back as its features, its clock taken as the next minute of the session. [B, steps, C]
 * row-major, in the targets' own units.
 */
export function predictIterated(
  loaded: LoadedForecaster,
  series: Series,
  ends: readonly number[],
  steps: number,
  batchSize = 256,
): Float64Array {
  const { model, card } = loaded;
  const opts = { window: model.config.window, horizon: 1, features: card.featureScaler, targets: card.targetScaler };
  return inBatches(ends, steps, batchSize, (chunk) => {
    const w = makeWindows(series, chunk, opts);
    const x = tf.tensor3d(w.x, [chunk.length, w.T, F]); // [B, T, F]
    const nextInput = (k: number, predicted: Float32Array): Float32Array => {
      const next = new Float32Array(chunk.length * F); // [B, F]
      chunk.forEach((s, b) => {
        const clock = clockAfter(series, s, k);
        const row = [...Array.from({ length: C }, (_, c) => unstandardize(card.targetScaler, c, predicted[b * C + c])), ...clock];
        if (clock[3] === 1) row[0] = 0; // a day's first bar: return feature 0 (series.ts)
        row.forEach((v, f) => (next[b * F + f] = standardize(card.featureScaler, f, v)));
      });
      return next;
    };
    const y = forecasterIterate(model, x, steps, nextInput); // [B, steps, C]
    const z = y.dataSync() as Float32Array;
    tf.dispose([x, y]);
    return unstandardizeTargets(card, z);
  });
}

/**
 * Stage 3 of the stock recipe: train one forecaster (RnnStack + regression head) on the
 * training days' windows with the masked MAE or MSE, keep the epoch with the lowest dev MAE
 * (standardised units, all targets and horizons), and save it as a model directory.
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  cosineSchedule,
  createForecaster,
  disposeForecaster,
  forecast,
  forecasterWeights,
  loadWeights,
  makeWindows,
  maskedMae,
  regressionLoss,
  saveForecaster,
  trainLoop,
  windowEnds,
  writeJsonAtomic,
  type ForecasterConfig,
  type Windows,
  shuffledBatches,
} from '../../src/index.ts';
import type { StockConfig } from './config.ts';
import type { StockData } from './data.ts';

/** Window b's tensors: x [B, T, F], y [B, K, C], mask [B, K, C]. */
function tensorsOf(w: Windows, index: readonly number[], F: number, C: number) {
  const B = index.length;
  const x = new Float32Array(B * w.T * F);
  const y = new Float32Array(B * w.K * C);
  const m = new Float32Array(B * w.K * C);
  index.forEach((i, b) => {
    x.set(w.x.subarray(i * w.T * F, (i + 1) * w.T * F), b * w.T * F);
    y.set(w.y.subarray(i * w.K * C, (i + 1) * w.K * C), b * w.K * C);
    m.set(w.mask.subarray(i * w.K * C, (i + 1) * w.K * C), b * w.K * C);
  });
  return {
    x: tf.tensor3d(x, [B, w.T, F]), // [B, T, F]
    y: tf.tensor3d(y, [B, w.K, C]), // [B, K, C]
    mask: tf.tensor3d(m, [B, w.K, C]), // [B, K, C]
  };
}

export async function trainForecaster(opts: {
  cfg: StockConfig;
  model: ForecasterConfig;
  data: StockData;
  /** Checkpoints and history. */
  trainDir: string;
  /** Where the chosen model goes (model.json + weights.safetensors). */
  modelDir: string;
  resume: boolean;
}): Promise<void> {
  const { cfg, data } = opts;
  const { inputSize: F, targets: C } = opts.model;
  const windowOpts = {
    window: opts.model.window,
    horizon: opts.model.horizon,
    features: data.featureScaler,
    targets: data.targetScaler,
  };
  const N = data.series.length;
  const trainWindows = makeWindows(data.series, windowEnds(N, windowOpts, data.rows.train), windowOpts, data.rows.train);
  const devWindows = makeWindows(data.series, windowEnds(N, windowOpts, data.rows.dev), windowOpts, data.rows.dev);
  const B = trainWindows.ends.length;
  console.log(`  ${B} training windows, ${devWindows.ends.length} dev windows (T = ${windowOpts.window}, K = ${windowOpts.horizon})`);
  const model = createForecaster(opts.model);
  const weights = forecasterWeights(model);
  const lossOf = regressionLoss(cfg.train.loss);
  const dev = tensorsOf(devWindows, devWindows.ends.map((_, i) => i), F, C);
  const state = await trainLoop({
    dir: opts.trainDir,
    weights,
    optimizer: tf.train.adam(cfg.train.learningRate),
    epochs: cfg.train.epochs,
    resume: opts.resume,
    clipNorm: cfg.train.clipNorm,
    learningRate: cosineSchedule(cfg.train.learningRate, cfg.train.finalLearningRate, cfg.train.epochs),
    batches: (epoch) => shuffledBatches(Array.from({ length: B }, (_, i) => i), cfg.train.batchSize, cfg.train.seed, epoch),
    batchSize: (b) => b.examples.length,
    loss: ({ examples, maskSeed }) => {
      const { x, y, mask } = tensorsOf(trainWindows, examples, F, C);
      const pred = forecast(model, x, { training: true, dropoutSeed: maskSeed }); // [B, K, C]
      return lossOf(pred, y, mask);
    },
    validate: async () => {
      const devMae = tf.tidy(() => maskedMae(forecast(model, dev.x), dev.y, dev.mask));
      const score = (await devMae.data())[0];
      devMae.dispose();
      return { score };
    },
  });
  tf.dispose([dev.x, dev.y, dev.mask]);
  loadWeights(join(opts.trainDir, 'best.safetensors'), weights);
  console.log(`  best dev MAE ${state.best.toFixed(4)} (standardised) at epoch ${state.bestEpoch}`);
  saveForecaster(opts.modelDir, model, { featureScaler: data.featureScaler, targetScaler: data.targetScaler });
  writeJsonAtomic(join(opts.trainDir, 'history.json'), state);
  disposeForecaster(model);
  console.log(`  model in ${opts.modelDir}`);
}

/**
 * The epoch loop shared by the recipes: minibatch updates with gradient clipping, a progress
 * bar with loss and speed, validation after each epoch, the best model kept, and a checkpoint
 * written atomically after every epoch so that `resume` continues after a kill without
 * losing a finished epoch.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadCheckpoint, saveCheckpoint, type TrainState } from './checkpoint.ts';
import { saveWeights, type NamedWeights } from '../io/weights.ts';
import { epochSummary, progressBar, type MetricLabel } from './progress.ts';
import { removeStaleTemporaries } from '../io/atomic.ts';
import { checkConfigValue } from '../io/config-ranges.ts';
import { nativeSumOfSquares } from '../backend/sum-of-squares.ts';

export interface TrainLoopOptions<Batch> {
  /** Directory for `checkpoint.safetensors` and `best.safetensors`. */
  dir: string;
  weights: NamedWeights;
  optimizer: tf.Optimizer;
  epochs: number;
  /** The minibatches of one epoch; must depend only on the epoch number (seeded shuffles). */
  batches: (epoch: number) => Batch[];
  /** The scalar training loss of one batch (runs inside the gradient tape). */
  loss: (batch: Batch) => tf.Scalar;
  /** Items in a batch, for the speed shown (e.g. utterances). */
  batchSize?: (batch: Batch) => number;
  /** Validation after each epoch: `score` is minimised (e.g. dev CER); other fields are logged. */
  validate: (epoch: number) => Promise<{ score: number } & Record<string, number>>;
  /**
   * How the epoch summary names validate's fields, e.g. `{ score: { label: 'dev CER', percent: true } }`
   * prints `dev CER 0.38 %` (progress.ts, epochSummary); unlabelled fields print as `name 0.1234`.
   */
  labels?: Record<string, MetricLabel>;
  /**
   * The learning rate of each epoch (1-based), set on the optimizer before the epoch starts;
   * default: the optimizer's own, unchanged. See cosineSchedule.
   */
  learningRate?: (epoch: number) => number;
  /** Clip the global gradient norm to this value (0: no clipping). */
  clipNorm?: number;
  /** Continue from `dir/checkpoint.safetensors` when it exists. */
  resume?: boolean;
  /** Also keep each epoch's weights as `dir/epoch-N.safetensors` (for averageWeights); default false. */
  keepEpochs?: boolean;
  log?: (line: string) => void;
}

/** The global L2 norm of `grads`: ‖g‖ = sqrt(Σ_k Σ g_k²), a scalar. */
export function globalNorm(grads: tf.NamedTensorMap): tf.Scalar {
  return tf.tidy(() => tf.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g))))) as tf.Scalar);
}

/**
 * Scale `grads` so that their global L2 norm is at most `maxNorm`: g · min(1, maxNorm / (‖g‖ + 1e-6))
 * (in float32; ‖g‖ from float64 sums on the native kernels, else globalNorm). Where that factor
 * is 1 the gradients are returned as they are.
 */
export function clipByGlobalNorm(grads: tf.NamedTensorMap, maxNorm: number): tf.NamedTensorMap {
  const f = Math.fround;
  const squares = nativeSumOfSquares(Object.values(grads)); // one native pass per gradient, where it runs
  const norm = squares !== null ? f(Math.sqrt(squares)) : tf.tidy(() => globalNorm(grads).dataSync()[0]);
  const scale = Math.min(1, f(f(maxNorm) / f(norm + f(1e-6))));
  if (scale === 1) return { ...grads };
  return tf.tidy(() => {
    const out: tf.NamedTensorMap = {};
    for (const [k, g] of Object.entries(grads)) out[k] = tf.mul(g, scale);
    return out;
  });
}

/**
 * Cosine decay from `initial` at epoch 1 to `final` at epoch `epochs`:
 *   η_e = final + (initial − final) · (1 + cos(π (e − 1) / (epochs − 1))) / 2
 */
export function cosineSchedule(initial: number, final: number, epochs: number): (epoch: number) => number {
  return (epoch) =>
    epochs <= 1 ? initial : final + ((initial - final) * (1 + Math.cos((Math.PI * (epoch - 1)) / (epochs - 1)))) / 2;
}

/** Where trainLoop with `keepEpochs` keeps the weights of `epoch`. */
export function epochWeightsPath(dir: string, epoch: number): string {
  return join(dir, `epoch-${epoch}.safetensors`);
}

/** Train for `epochs` epochs (or the rest of them when resuming); returns the final state. */
export async function trainLoop<Batch>(opts: TrainLoopOptions<Batch>): Promise<TrainState> {
  const log = opts.log ?? console.log;
  checkConfigValue('trainLoop: epochs', 'epochs', opts.epochs);
  if (opts.clipNorm !== undefined) checkConfigValue('trainLoop: clipNorm', 'clipNorm', opts.clipNorm);
  const checkpointPath = join(opts.dir, 'checkpoint.safetensors');
  const bestPath = join(opts.dir, 'best.safetensors');
  const varList = Object.values(opts.weights);
  let state: TrainState = { epoch: 0, best: Infinity, bestEpoch: 0, history: [] };
  // A kill in the middle of an atomic write leaves its temporary file; the finished files are whole.
  removeStaleTemporaries(opts.dir);
  if (existsSync(checkpointPath)) {
    if (!opts.resume) {
      throw new Error(
        `${checkpointPath} exists from an earlier run: pass --resume to continue it, or remove ${opts.dir} to start over`,
      );
    }
    state = await loadCheckpoint(checkpointPath, opts.weights, opts.optimizer);
    log(`resuming after epoch ${state.epoch} (best ${state.best.toFixed(4)} at epoch ${state.bestEpoch})`);
  }

  for (let epoch = state.epoch + 1; epoch <= opts.epochs; epoch++) {
    if (opts.learningRate) {
      // SGD and momentum cache the rate as a tensor (setLearningRate); Adam and the others read
      // a protected field at every applyGradients.
      const optimizer = opts.optimizer as unknown as { learningRate: number; setLearningRate?: (lr: number) => void };
      const lr = opts.learningRate(epoch);
      checkConfigValue(`trainLoop: the learning rate of epoch ${epoch}`, 'learningRate', lr);
      if (optimizer.setLearningRate) optimizer.setLearningRate(lr);
      else optimizer.learningRate = lr;
    }
    const epochStart = performance.now();
    const batches = opts.batches(epoch);
    const bar = progressBar(batches.length, `epoch ${epoch}/${opts.epochs}`, opts.batchSize ? 'utt' : 'batch');
    let lossSum = 0;
    let items = 0;
    for (let i = 0; i < batches.length; i++) {
      const batch = batches[i];
      const lossValue = tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => opts.loss(batch), varList);
        const clipped = opts.clipNorm ? clipByGlobalNorm(grads, opts.clipNorm) : grads;
        opts.optimizer.applyGradients(clipped);
        return value;
      });
      const v = (await lossValue.data())[0];
      lossValue.dispose();
      if (!Number.isFinite(v)) throw new Error(`epoch ${epoch}, batch ${i}: the loss is ${v}`);
      lossSum += v;
      items += opts.batchSize ? opts.batchSize(batch) : 1;
      bar.update(i + 1, { loss: lossSum / (i + 1) }, items);
    }
    bar.stop();
    const valid = await opts.validate(epoch);
    const entry = { epoch, loss: lossSum / Math.max(1, batches.length), ...valid };
    state.history.push(entry);
    state.epoch = epoch;
    if (opts.keepEpochs) saveWeights(epochWeightsPath(opts.dir, epoch), opts.weights, { epoch: String(epoch), score: String(valid.score) });
    if (valid.score < state.best) {
      state.best = valid.score;
      state.bestEpoch = epoch;
      saveWeights(bestPath, opts.weights, { epoch: String(epoch), score: String(valid.score) });
    }
    await saveCheckpoint(checkpointPath, opts.weights, opts.optimizer, state);
    const { epoch: _, loss, ...fields } = entry;
    const seconds = (performance.now() - epochStart) / 1000;
    log(epochSummary({ epoch, epochs: opts.epochs, loss, fields, best: state.bestEpoch === epoch, seconds }, opts.labels));
  }
  return state;
}

/**
 * The forecaster: an RnnStack read at its last step, and a linear regression head.
 *
 *   x [B, T, F]  --RnnStack-->  y [B, T, H]  →  h = y[:, T−1]               [B, H]
 *   ŷ = dropout(h) Wᵀ + b                                                    [B, K·C]
 *   ŷ reshaped to [B, K, C]: row k − 1 is the minute s + k after the window's last bar s
 *
 * `centre` lists target channels c < C (the first C input channels are the targets' own series)
 * to centre on their window mean m_c before the stack, m_c added back to output c (RevIN-like
 * level removal, Kim et al. 2022, without the scaling):
 *
 *   x̃_c = x_c − m_c      ŷ_c = head(RnnStack(x̃))_c + m_c    (m broadcast over T and over K)
 *
 * so the forecast follows the level of the recent window rather than of the training days (this
 * needs targets standardised like their feature columns, as the stock recipe does).
 * Many-to-one is K = 1; many-to-many (K > 1) predicts all K minutes at once from the window
 * (the direct multi-horizon strategy). `forecasterIterate` instead repeats a K = 1 model K
 * times, feeding each prediction back as the next input step (the recursive strategy), to
 * compare with. Inputs and outputs are standardised (see windowing.ts); the letters are
 * B batch, T window steps, F features, H hidden, K horizon, C targets.
 * Weights are named like a PyTorch module with submodules `rnn` and `head` (nn.Linear).
 */
import * as tf from '@tensorflow/tfjs';
import { checkDim, checkInt, checkKeys, checkRank } from '../check.ts';
import { RnnStack, type RnnStates } from '../rnn/stack.ts';
import type { CellKind } from '../rnn/cell.ts';
import { dropout } from '../nn/dropout.ts';
import { applyLinear, disposeLinear, linearLayer, linearWeights, type Linear } from '../nn/linear.ts';
import type { NamedWeights } from '../io/weights.ts';

export type ForecasterConfig = {
  cell: CellKind;
  /** F: input features per step. */
  inputSize: number;
  /** H: hidden units per layer. */
  hiddenSize: number;
  numLayers: number;
  /** Dropout between recurrent layers and before the head, in training. */
  dropout: number;
  /** C: targets per minute. */
  targets: number;
  /** T: input steps per window. */
  window: number;
  /** K: minutes predicted per window. */
  horizon: number;
  /** Target channels c < C centred on their window mean, which is added back to output c. */
  centre: number[];
  seed: number;
};

export const forecasterDefaults: ForecasterConfig = {
  cell: 'gru',
  inputSize: 7,
  hiddenSize: 32,
  numLayers: 1,
  dropout: 0,
  targets: 3,
  window: 30,
  horizon: 1,
  centre: [1],
  seed: 1,
};

export interface Forecaster {
  config: ForecasterConfig;
  rnn: RnnStack;
  /** W [K·C, H], b [K·C] */
  head: Linear;
}

/** A freshly initialised forecaster (PyTorch's initialisations). */
export function createForecaster(config: ForecasterConfig): Forecaster {
  checkKeys(config, Object.keys(forecasterDefaults), 'ForecasterConfig');
  checkInt(config.window, 1, 1 << 20, 'window');
  checkInt(config.horizon, 1, 1 << 20, 'horizon');
  checkInt(config.targets, 1, 1 << 20, 'targets');
  if (!Array.isArray(config.centre)) throw new Error(`centre: expected a list of target channels, got ${JSON.stringify(config.centre)}`);
  config.centre.forEach((c, i) => checkInt(c, 0, config.targets - 1, `centre[${i}]`));
  const rnn = new RnnStack({
    cell: config.cell,
    inputSize: config.inputSize,
    hiddenSize: config.hiddenSize,
    numLayers: config.numLayers,
    dropout: config.dropout,
    seed: config.seed,
  });
  const head = linearLayer(config.hiddenSize, config.horizon * config.targets, { seed: config.seed + 7919 });
  return { config, rnn, head };
}

/** Every trainable weight under its PyTorch-style name ('rnn.weight_ih_l0', 'head.weight', …). */
export function forecasterWeights(model: Forecaster): NamedWeights {
  const named: NamedWeights = {};
  model.rnn.weightNames.forEach((n, i) => (named[`rnn.${n}`] = model.rnn.trainableWeights[i]));
  return { ...named, ...linearWeights(model.head, 'head') };
}

/** Free every weight of the model. */
export function disposeForecaster(model: Forecaster): void {
  model.rnn.dispose();
  disposeLinear(model.head);
}

function checkInput(model: Forecaster, x: tf.Tensor3D): void {
  checkRank(x, 3, 'x', '[B, T, F]');
  checkDim(x, 2, model.config.inputSize, 'x', 'features per step F');
}

/**
 * The window level m as [B, 1, F] (the window mean on the channels in `centre`,
 * 0 on the others), or undefined when `centre` is empty.
 */
function windowLevel(model: Forecaster, x: tf.Tensor3D): tf.Tensor3D | undefined {
  const { centre } = model.config;
  if (centre.length === 0) return undefined;
  const F = model.config.inputSize;
  const channels = tf.tensor3d(Array.from({ length: F }, (_, f) => (centre.includes(f) ? 1 : 0)), [1, 1, F]); // [1, 1, F]
  return tf.mul(tf.mean(x, 1, true), channels) as tf.Tensor3D; // [B, 1, F]
}

/** The level's target channels [B, 1, C], to add back to outputs [B, K, C]. */
function targetLevel(model: Forecaster, level: tf.Tensor3D): tf.Tensor3D {
  const [B] = level.shape;
  return tf.slice(level, [0, 0, 0], [B, 1, model.config.targets]); // [B, 1, C]
}

/** The head on the last hidden state h [B, H] → [B, K·C]. */
function headOf(model: Forecaster, h: tf.Tensor2D, training: boolean, dropoutSeed?: number): tf.Tensor2D {
  const { dropout: rate, numLayers } = model.config;
  const seed = dropoutSeed === undefined ? undefined : dropoutSeed + numLayers;
  const hd = dropout(h, rate, { training, seed }); // [B, H]
  return applyLinear(model.head, hd) as tf.Tensor2D; // [B, K·C]
}

/**
 * Predict the K minutes after each window.
 *
 * @param x standardised features [B, T, F] (T need not equal config.window)
 * @param options.training apply dropout; options.dropoutSeed seeds its masks (stack layer l
 *   uses dropoutSeed + l, the head dropoutSeed + numLayers)
 * @returns standardised predictions [B, K, C]
 */
export function forecast(
  model: Forecaster,
  x: tf.Tensor3D,
  { training = false, dropoutSeed }: { training?: boolean; dropoutSeed?: number } = {},
): tf.Tensor3D {
  checkInput(model, x);
  const { horizon: K, targets: C } = model.config;
  return tf.tidy(() => {
    const level = windowLevel(model, x); // [B, 1, F]
    const centred = level ? (tf.sub(x, level) as tf.Tensor3D) : x; // [B, T, F]
    const { outputs } = model.rnn.apply(centred, { training, dropoutSeed }); // [B, T, H]
    const [B, T, H] = outputs.shape;
    const last = tf.reshape(tf.slice(outputs, [0, T - 1, 0], [B, 1, H]), [B, H]) as tf.Tensor2D; // [B, H]
    const y = tf.reshape(headOf(model, last, training, dropoutSeed), [B, K, C]) as tf.Tensor3D; // [B, K, C]
    return level ? (tf.add(y, targetLevel(model, level)) as tf.Tensor3D) : y; // [B, K, C]
  });
}

/**
 * Repeat a K = 1 model `steps` times: after each prediction ŷ_k [B, C], `nextInput(k, ŷ_k)`
 * gives the standardised features [B, F] of the predicted minute, which the recurrence then
 * consumes from its carried state.
 *
 * @param x standardised features [B, T, F]
 * @param nextInput (k, ŷ_k as a row-major Float32Array [B, C]) → Float32Array [B, F], k = 1 … steps − 1
 * @returns standardised predictions [B, steps, C]
 */
export function forecasterIterate(
  model: Forecaster,
  x: tf.Tensor3D,
  steps: number,
  nextInput: (k: number, predicted: Float32Array) => Float32Array,
): tf.Tensor3D {
  checkInput(model, x);
  checkInt(steps, 1, 1 << 20, 'steps');
  if (model.config.horizon !== 1) throw new Error(`forecasterIterate: needs a model of horizon 1, got horizon ${model.config.horizon}`);
  const [B] = x.shape;
  const { inputSize: F, targets: C } = model.config;
  // the level of the initial window stays the level of every later step
  const level = model.config.centre.length > 0 ? tf.tidy(() => windowLevel(model, x)!) : undefined; // [B, 1, F]
  const centre = (input: tf.Tensor3D) => (level ? (tf.sub(input, level) as tf.Tensor3D) : input); // [B, T, F]
  const predictions: tf.Tensor2D[] = [];
  let { outputs, states } = tf.tidy(() => model.rnn.apply(centre(x))); // [B, T, H]
  for (let k = 1; ; k++) {
    const [, T, H] = outputs.shape;
    const yk = tf.tidy(() => {
      const z = headOf(model, tf.reshape(tf.slice(outputs, [0, T - 1, 0], [B, 1, H]) as tf.Tensor3D, [B, H]) as tf.Tensor2D, false); // [B, C]
      return level ? (tf.add(z, tf.reshape(targetLevel(model, level), [B, C])) as tf.Tensor2D) : z; // [B, C]
    });
    predictions.push(yk);
    tf.dispose(outputs);
    if (k === steps) break;
    const next = nextInput(k, yk.dataSync() as Float32Array);
    if (next.length !== B * F) throw new Error(`forecasterIterate: nextInput gave ${next.length} values, expected B·F = ${B * F}`);
    const result: { outputs: tf.Tensor3D; states: RnnStates } = tf.tidy(() =>
      model.rnn.apply(centre(tf.tensor3d(next, [B, 1, F])), { initialStates: states }), // [B, 1, F] in
    );
    tf.dispose([states.h, ...(states.c ? [states.c] : [])]);
    ({ outputs, states } = result);
  }
  tf.dispose([states.h, ...(states.c ? [states.c] : []), ...(level ? [level] : [])]);
  const out = tf.stack(predictions, 1) as tf.Tensor3D; // [B, steps, C]
  tf.dispose(predictions);
  if (out.shape[2] !== C) throw new Error(`forecasterIterate: head gave ${out.shape[2]} targets, expected ${C}`);
  return out;
}

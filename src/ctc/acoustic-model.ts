/**
 * The CTC acoustic model of the speech recipes:
 *
 *   x [B, T, F]  --stack k frames-->  [B, T/k, k·F]  --RnnStack-->  y [B, T/k, H·D]
 *   logits = y Wᵀ + b                                              [B, T/k, V]
 *
 * V counts every output symbol including the CTC blank. Stacking k neighbouring frames and
 * keeping every k-th step (frame stacking, as in low-frame-rate acoustic models) shortens the
 * sequences the recurrence runs over k-fold; k = 1 turns it off.
 * Weights are named like a PyTorch module with submodules `rnn` and `output` (nn.Linear), so
 * `weights.safetensors` loads into such a module directly.
 */
import * as tf from '@tensorflow/tfjs';
import { applyLinear, disposeLinear, linearLayer, linearWeights, type Linear } from '../nn/linear.ts';
import { dropout } from '../nn/dropout.ts';
import { checkDim, checkInt, checkKeys, checkRank } from '../check.ts';
import { RnnStack } from '../rnn/stack.ts';
import type { CellKind } from '../rnn/cell.ts';
import { validateConfig } from '../io/config-ranges.ts';
import { cardSourceOf, checkWeightBytes, fieldTypesOf, requireFields, rnnStackWeightCount } from '../io/model-checks.ts';
import { assignWeightBytes, type NamedWeights } from '../io/named-weights.ts';

export type CtcModelConfig = {
  /** F: features per input frame (13 MFCCs). */
  inputSize: number;
  /** k: frames stacked into one step (and the subsampling factor). */
  frameStack: number;
  cell: CellKind;
  /** H: hidden units per layer and direction. */
  hiddenSize: number;
  /** L: recurrent layers. */
  numLayers: number;
  bidirectional: boolean;
  /** Dropout between recurrent layers and before the output layer, in training. */
  dropout: number;
  /** V: output symbols including the blank. */
  numClasses: number;
  seed: number;
};

export const ctcModelDefaults: CtcModelConfig = {
  inputSize: 13,
  frameStack: 2,
  cell: 'gru',
  hiddenSize: 96,
  numLayers: 2,
  bidirectional: true,
  dropout: 0.1,
  numClasses: 7,
  seed: 1,
};

export interface CtcModel {
  config: CtcModelConfig;
  rnn: RnnStack;
  /** The output layer: W [V, H·D] and b [V], as nn.Linear stores them. */
  output: Linear;
}

/** A freshly initialised model (PyTorch's nn.Linear initialisation for the output layer). */
export function createCtcModel(config: CtcModelConfig): CtcModel {
  checkKeys(config, Object.keys(ctcModelDefaults), 'CtcModelConfig');
  checkInt(config.frameStack, 1, 64, 'frameStack');
  checkInt(config.numClasses, 2, 1 << 20, 'numClasses');
  const rnn = new RnnStack({
    cell: config.cell,
    inputSize: config.inputSize * config.frameStack,
    hiddenSize: config.hiddenSize,
    numLayers: config.numLayers,
    bidirectional: config.bidirectional,
    dropout: config.dropout,
    seed: config.seed,
  });
  const fanIn = config.hiddenSize * (config.bidirectional ? 2 : 1);
  const output = linearLayer(fanIn, config.numClasses, { seed: config.seed + 7919, biasSeed: config.seed + 7927 });
  return { config, rnn, output };
}

/** Every trainable weight under its PyTorch-style name ('rnn.weight_ih_l0', 'output.weight', …). */
export function ctcModelWeights(model: CtcModel): NamedWeights {
  const named: NamedWeights = {};
  model.rnn.weightNames.forEach((n, i) => (named[`rnn.${n}`] = model.rnn.trainableWeights[i]));
  return { ...named, ...linearWeights(model.output, 'output') };
}

/** Free every weight of the model. */
export function disposeCtcModel(model: CtcModel): void {
  model.rnn.dispose();
  disposeLinear(model.output);
}

/** Steps left after stacking `k` frames: ⌈T / k⌉. */
export function stackedLength(T: number, k: number): number {
  return Math.ceil(T / k);
}

/**
 * Stack k neighbouring frames into one step: x [B, T, F] → [B, ⌈T/k⌉, k·F], zero-padding the
 * end of T to a multiple of k. lengths [B] → ⌈lengths/k⌉.
 */
export function stackFrames(x: tf.Tensor3D, k: number): tf.Tensor3D {
  if (k === 1) return x;
  const [B, T, F] = x.shape;
  const Tk = stackedLength(T, k);
  return tf.tidy(() => {
    const padded = Tk * k === T ? x : tf.pad(x, [[0, 0], [0, Tk * k - T], [0, 0]]); // [B, Tk·k, F]
    return tf.reshape(padded, [B, Tk, k * F]) as tf.Tensor3D; // [B, T/k, k·F]
  });
}

/**
 * Frame-level scores for CTC.
 *
 * @param x features [B, T, F], zero-padded after each sample's length
 * @param lengths frames per sample [B], each in [0, T]
 * @param options.training apply dropout (config.dropout) before the output layer
 * @param options.dropoutSeed seed of this call's dropout masks (give each batch its own, e.g.
 *   drawn from the training seed, to make a training run reproducible): the stack's layer l
 *   uses dropoutSeed + l (RnnStack.apply), the output layer dropoutSeed + numLayers. Default: unseeded.
 * @returns logits [B, ⌈T/k⌉, V] (unnormalised; CTC applies log-softmax) and the output
 *   lengths ⌈lengths/k⌉ [B]
 */
export function ctcModelLogits(
  model: CtcModel,
  x: tf.Tensor3D,
  lengths: number[],
  { training = false, dropoutSeed }: { training?: boolean; dropoutSeed?: number } = {},
): { logits: tf.Tensor3D; lengths: number[] } {
  checkRank(x, 3, 'x', '[B, T, F]');
  if (dropoutSeed !== undefined) checkInt(dropoutSeed, 0, 2 ** 53, 'dropoutSeed');
  checkDim(x, 2, model.config.inputSize, 'x', 'features per frame F');
  const k = model.config.frameStack;
  const outLengths = lengths.map((len) => stackedLength(len, k));
  const logits = tf.tidy(() => {
    const stacked = stackFrames(x, k); // [B, T/k, k·F]
    let y = model.rnn.apply(stacked, { lengths: outLengths, training, dropoutSeed }).outputs; // [B, T/k, H·D]
    const seed = dropoutSeed === undefined ? undefined : dropoutSeed + model.config.numLayers;
    y = dropout(y, model.config.dropout, { training, seed }); // [B, T/k, H·D]
    return applyLinear(model.output, y) as tf.Tensor3D; // y Wᵀ + b [B, T/k, V]
  });
  return { logits, lengths: outLengths };
}

/** Everything inference needs besides the weights, stored as `model.json` in a model directory. */
export type CtcModelCard = {
  model: CtcModelConfig;
  /** symbols[i] is the output symbol with index i (the blank included). */
  symbols: string[];
  blank: number;
  /** The feature extraction settings the model was trained on. */
  features: Record<string, unknown>;
};

/**
 * The model a model directory holds, from its two files' contents: `card` (model.json, parsed)
 * and `weights` (weights.safetensors, named `weightsSource` in errors: its path or URL). Pure (no
 * files): model-files.ts reads a directory in Node, model-url.ts fetches one in a browser.
 * Everything is checked before the model is built: model.json's required fields and their types,
 * each config value against its stated range, symbols (one string per class), blank (an index
 * into them), the feature settings' ranges, and the weights' size against the model's; the
 * weights' header, shapes and values are checked as they load. A failure frees what was allocated.
 */
export function ctcModelFromCard(card: CtcModelCard, weights: Uint8Array, weightsSource: string): { model: CtcModel; card: CtcModelCard } {
  const cardSource = cardSourceOf(weightsSource);
  requireFields(card, { model: 'object', symbols: 'array', blank: 'number', features: 'object' }, cardSource);
  card = { ...card, model: renameLegacyKeys(card.model as CtcModelConfig & LegacyKeys) };
  requireFields(card.model, fieldTypesOf(ctcModelDefaults), `${cardSource}: model`);
  validateConfig(card.model, cardSource, 'model.');
  const V = card.model.numClasses;
  if (card.symbols.length !== V || !card.symbols.every((s) => typeof s === 'string')) {
    throw new Error(`${cardSource}: symbols must be ${V} strings (model.numClasses), got ${card.symbols.length} entries`);
  }
  if (!Number.isInteger(card.blank) || card.blank < 0 || card.blank >= V) {
    throw new Error(`${cardSource}: blank must be an index in [0, ${V - 1}], got ${card.blank}`);
  }
  validateConfig(card.features, cardSource, 'features.');
  const { inputSize, frameStack, hiddenSize, bidirectional } = card.model;
  const rnnWeights = rnnStackWeightCount({ ...card.model, inputSize: inputSize * frameStack });
  checkWeightBytes(rnnWeights + V * (hiddenSize * (bidirectional ? 2 : 1) + 1), weights.length, weightsSource, cardSource);
  const model = createCtcModel(card.model);
  try {
    assignWeightBytes(weights, ctcModelWeights(model), weightsSource);
  } catch (err) {
    disposeCtcModel(model);
    throw err;
  }
  return { model, card };
}

/** The names model.json used before sori 0.2 (`hidden`, `layers`). */
type LegacyKeys = { hidden?: number; layers?: number };

/**
 * Model directories written before sori 0.2 name hiddenSize and numLayers `hidden` and `layers`:
 * read them under the new names (deprecated; this reading goes in the release after next).
 */
function renameLegacyKeys(config: CtcModelConfig & LegacyKeys): CtcModelConfig {
  const { hidden, layers, ...rest } = config;
  return {
    ...rest,
    ...(hidden !== undefined && rest.hiddenSize === undefined ? { hiddenSize: hidden } : {}),
    ...(layers !== undefined && rest.numLayers === undefined ? { numLayers: layers } : {}),
  } as CtcModelConfig;
}

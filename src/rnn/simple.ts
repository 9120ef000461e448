/**
 * SimpleRNN (Elman) cell.
 *
 *   h_t = φ(W x_t + U h_{t−1} + b),   φ = tanh or relu
 *
 * PyTorch layout (`nn.RNN`): W = weight_ih [H, F], U = weight_hh [H, H], b = bias_ih + bias_hh [H].
 * One gate block (G = 1).
 */
import * as tf from '@tensorflow/tfjs';
import { affine, type CellWeights } from './weights.ts';

export const SIMPLE_GATES = 1;

/** weight_ih [H, F], weight_hh [H, H], bias_ih [H], bias_hh [H]. */
export type SimpleWeights = CellWeights;
export type SimpleNonlinearity = 'tanh' | 'relu';
export type SimpleState = {
  /** h_t: [B, H] */
  h: tf.Tensor2D;
};
export interface SimpleStepOptions {
  /** φ; default 'tanh'. */
  nonlinearity?: SimpleNonlinearity;
}

/**
 * The recurrence for fixed weights: the step given the input term already computed,
 * `inputProjection` = W x_t + b_ih [B, H]; it returns h_t [B, H].
 */
export function simpleRecurrence(
  weights: SimpleWeights,
  nonlinearity: SimpleNonlinearity,
): (inputProjection: tf.Tensor2D, state: SimpleState) => SimpleState {
  const phi = nonlinearity === 'tanh' ? tf.tanh : tf.relu;
  return (inputProjection, { h: hPrev }) => {
    const preActivation = tf.add(inputProjection, affine(hPrev, weights.weightHh, weights.biasHh));
    return { h: phi(preActivation) as tf.Tensor2D };
  };
}

/**
 * One step: x_t [B, F], state.h = h_{t−1} [B, H] → { h: h_t [B, H] }.
 */
export function simpleStep(
  weights: SimpleWeights,
  x: tf.Tensor2D,
  state: SimpleState,
  { nonlinearity = 'tanh' }: SimpleStepOptions = {},
): SimpleState {
  if (nonlinearity !== 'tanh' && nonlinearity !== 'relu') {
    throw new Error(`nonlinearity: expected 'tanh' or 'relu', got '${nonlinearity}'`);
  }
  return tf.tidy(() => simpleRecurrence(weights, nonlinearity)(affine(x, weights.weightIh, weights.biasIh), state));
}

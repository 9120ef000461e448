/**
 * The four weight tensors of one recurrent cell (one layer, one direction), in PyTorch's layout
 * so that `nn.RNN`/`nn.LSTM`/`nn.GRU` state_dicts map onto them directly.
 *
 * G is the number of gate blocks stacked along the first axis (SimpleRNN 1, LSTM 4, GRU 3,
 * MGU 2); each cell file documents its gate order.
 */
import * as tf from '@tensorflow/tfjs';
import { uniformInit } from '../nn/init.ts';

export interface CellWeights {
  /** `weight_ih_l{k}`: [G·H, F], input-to-hidden, gate blocks stacked along axis 0. */
  weightIh: tf.Tensor2D;
  /** `weight_hh_l{k}`: [G·H, H], hidden-to-hidden. */
  weightHh: tf.Tensor2D;
  /** `bias_ih_l{k}`: [G·H]. */
  biasIh: tf.Tensor1D;
  /** `bias_hh_l{k}`: [G·H]. */
  biasHh: tf.Tensor1D;
}

/** Shapes of the four tensors for a cell with `gates` blocks, F = inputSize, H = hiddenSize. */
export function cellWeightShapes(
  gates: number,
  inputSize: number,
  hiddenSize: number,
): { weightIh: [number, number]; weightHh: [number, number]; biasIh: [number]; biasHh: [number] } {
  const gh = gates * hiddenSize;
  return { weightIh: [gh, inputSize], weightHh: [gh, hiddenSize], biasIh: [gh], biasHh: [gh] };
}

/**
 * PyTorch's initialisation: every weight and bias ~ U(−1/√H, 1/√H).
 * With `seed`, the four tensors use seed, seed+1, seed+2, seed+3 (reproducible).
 */
export function initCellWeights(
  gates: number,
  inputSize: number,
  hiddenSize: number,
  seed?: number,
): CellWeights {
  const k = 1 / Math.sqrt(hiddenSize);
  const shapes = cellWeightShapes(gates, inputSize, hiddenSize);
  const u = (shape: number[], i: number) => uniformInit(shape, k, seed === undefined ? undefined : seed + i);
  return {
    weightIh: u(shapes.weightIh, 0) as tf.Tensor2D,
    weightHh: u(shapes.weightHh, 1) as tf.Tensor2D,
    biasIh: u(shapes.biasIh, 2) as tf.Tensor1D,
    biasHh: u(shapes.biasHh, 3) as tf.Tensor1D,
  };
}

/** x W^T + b: [B, F] × [G·H, F] → [B, G·H]. The affine map every gate uses. */
export function affine(x: tf.Tensor2D, weight: tf.Tensor2D, bias: tf.Tensor1D): tf.Tensor2D {
  return tf.add(tf.matMul(x, weight, false, true), bias) as tf.Tensor2D;
}

/** Split a [B, G·H] pre-activation into its G gate blocks, each [B, H]. */
export function gateBlocks(preActivation: tf.Tensor2D, gates: number): tf.Tensor2D[] {
  return tf.split(preActivation, gates, 1) as tf.Tensor2D[];
}

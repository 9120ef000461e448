/**
 * Checkpoint averaging (as ESPnet's and fairseq's average_checkpoints): the model whose every
 * weight is the mean of that weight in K saved models,
 *
 *   W̄ = (1/K) Σ_k W_k
 *
 * Averaging the best few epochs of one run lands nearer the middle of the region the optimizer
 * wanders in at a constant learning rate, and is usually better and steadier than any one epoch.
 */
import * as tf from '@tensorflow/tfjs';
import { loadSafetensors } from '../io/safetensors.ts';
import type { NamedWeights } from '../io/weights.ts';

/**
 * Assign to `weights` the mean of the weights stored in `paths` (files written by saveWeights;
 * each must hold every weight, with the model's shape, and nothing else).
 */
export function averageWeights(paths: readonly string[], weights: NamedWeights): void {
  if (paths.length === 0) throw new Error('averageWeights: paths is empty (give at least one weights file)');
  const sums: Record<string, tf.Tensor> = {};
  try {
    for (const path of paths) {
      const { tensors } = loadSafetensors(path);
      try {
        const extra = Object.keys(tensors).filter((k) => !(k in weights));
        if (extra.length) throw new Error(`${path}: weights not in the model: ${extra.join(', ')}`);
        for (const [name, v] of Object.entries(weights)) {
          const t = tensors[name];
          if (!t) throw new Error(`${path}: weight '${name}' is missing`);
          if (!tf.util.arraysEqual(t.shape, v.shape)) {
            throw new Error(`${path}: weight '${name}' has shape [${t.shape}], the model expects [${v.shape}]`);
          }
          const previous = sums[name];
          sums[name] = previous ? tf.add(previous, t) : tf.clone(t);
          previous?.dispose();
        }
      } finally {
        tf.dispose(Object.values(tensors));
      }
    }
    tf.tidy(() => {
      for (const [name, v] of Object.entries(weights)) v.assign(tf.div(sums[name], paths.length));
    });
  } finally {
    tf.dispose(Object.values(sums));
  }
}

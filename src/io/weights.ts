/**
 * A model's named weights in a safetensors file: what inference reads (model directories) and
 * training writes (best and averaged weights). Names are stable across runs (PyTorch-style
 * names such as 'rnn.weight_ih_l0'), so a file loads into the same model built anew.
 */
import * as tf from '@tensorflow/tfjs';
import { loadSafetensors, saveSafetensors } from './safetensors.ts';

/** Named trainable weights: the names are stable across runs (e.g. PyTorch-style names). */
export type NamedWeights = Record<string, tf.Variable>;

/** Save weights only (e.g. the best model) to `path`, atomically. */
export function saveWeights(path: string, weights: NamedWeights, metadata: Record<string, string> = {}): void {
  saveSafetensors(path, weights, metadata);
}

/** Assign the weights stored in `path` to `weights`; every name and shape must match. */
export function loadWeights(path: string, weights: NamedWeights): Record<string, string> {
  const { tensors, metadata } = loadSafetensors(path);
  try {
    assignNamed(tensors, weights, path, '');
  } finally {
    tf.dispose(Object.values(tensors));
  }
  return metadata;
}

/**
 * Assign `stored[prefix + name]` to each of `weights`: every weight must be there with its shape,
 * and `stored` may hold nothing else under `prefix`. `source` names the file in errors.
 */
export function assignNamed(stored: Record<string, tf.Tensor>, weights: NamedWeights, source: string, prefix: string): void {
  for (const [name, v] of Object.entries(weights)) {
    const t = stored[prefix + name];
    if (!t) throw new Error(`${source}: weight '${name}' is missing`);
    if (!tf.util.arraysEqual(t.shape, v.shape)) {
      throw new Error(`${source}: weight '${name}' has shape [${t.shape}], the model expects [${v.shape}]`);
    }
    v.assign(t);
  }
  const extra = Object.keys(stored)
    .filter((k) => k.startsWith(prefix))
    .map((k) => k.slice(prefix.length))
    .filter((k) => !(k in weights));
  if (extra.length) throw new Error(`${source}: weights not in the model: ${extra.join(', ')}`);
}
